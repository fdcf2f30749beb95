"""Follow-ups that reach someone without a follow-up verb the list knew: confirming as the task
itself, work done through a channel people are reached on, lodging something with someone, a
body that answers for its people ("the office"), and a pro-form that stands for a follow-up
said just before ("I'll do that tonight"); each with a near miss that reaches no one."""

from __future__ import annotations

import pytest

from symbl_media.server.insights.follow_ups import is_follow_up, is_follow_up_task

from .test_insights import chat


@pytest.mark.parametrize("phrase, follows", [
    # confirming is getting back to someone with a yes or a date
    ("confirm by Thursday", True),
    ("confirm the date next week once I've seen how they're rooting", True),
    ("pencil in the training and confirm once there is a delivery date", True),
    # after "to" it is what another act does: no one is told
    ("pay the deposit to confirm the studio hold by Friday", False),
    ("get the budget cut confirmed in writing for the file", False),
])
def test_confirming_as_the_task_itself_follows_up(phrase, follows):
    assert is_follow_up_task(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # done through a channel people are reached on
    ("sort that out in the group chat tonight", True),
    ("put the booth details in the team's Slack", True),
    ("settle it over the phone", True),
    ("send the details by email", True),
    ("go through the changes on WhatsApp", True),
    # a channel's insides, or a thing's own field, reach no one
    ("fix the typo in the email template", False),
    ("sort the list by email address", False),
    ("update the phone numbers", False),
])
def test_work_done_through_a_channel_follows_up(phrase, follows):
    assert is_follow_up(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # lodging something with someone
    ("put the request in with the agency this afternoon", True),
    ("put in a claim with the insurer", True),
    ("put a good word in with Dana", True),
    ("put the eggs in with the flour", False),
    ("put the order in the fridge", False),
])
def test_lodging_something_with_someone_follows_up(phrase, follows):
    assert is_follow_up(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # a body that answers for its people
    ("write a flyer and get it to the office by Thursday", True),
    ("get the minutes over to the committee", True),
    ("tell the board by Friday", True),
    # a place reaches no one
    ("get the van to the garage", False),
    ("get the boxes to the basement", False),
])
def test_a_body_of_people_is_someone_to_reach(phrase, follows):
    assert is_follow_up(phrase) is follows


@pytest.mark.parametrize("before, follows", [
    ("Which reminds me, I need to send the organisers our registration form.", True),
    ("Which reminds me, I need to ring the caterer about the numbers.", True),
    ("Which reminds me, I need to fix the printer on the second floor.", False),  # reaches no one
])
def test_a_pro_form_stands_for_the_follow_up_said_before_it(before, follows):
    result = chat(("Aisling", "Do we get the skeleton argument in advance?"),
                  ("Niamh", f"Forty-eight hours before. {before}"),
                  ("Niamh", "I'll do that tonight, actually, so I don't forget again."),
                  ("Cian", "Great."))
    done = [a for a in result["actionItems"] if "tonight" in a["text"]]
    assert len(done) == 1, [a["text"] for a in result["actionItems"]]
    assert (done[0]["text"] in [f["text"] for f in result["followUps"]]) is follows


@pytest.mark.parametrize("then, follows", [
    ("I can take a few too, I know some of the Rotary people.", True),
    ("I can take some photos too.", False),  # a thing of its own: other work
])
def test_taking_a_share_of_calls_is_calling(then, follows):
    result = chat(("Chantal", "Split the new donors and we'll each call our list by the end of next week."),
                  ("Patrick", then), ("Chantal", "Great."))
    taken = [a for a in result["actionItems"] if "take" in a["text"]]
    assert len(taken) == 1, [a["text"] for a in result["actionItems"]]
    assert (taken[0]["text"] in [f["text"] for f in result["followUps"]]) is follows


@pytest.mark.parametrize("phrase, follows", [
    # a slot kept in the diary for a time, and a group doing it together: a meeting
    ("put something in for eleven o'clock", True),
    ("put something in for Friday", True),
    ("do a final walk-through together at the venue", True),
    ("go over it together on Friday", True),
    ("get everyone together next week", True),
    # a thing given, a thing made
    ("put something in for the raffle", False),
    ("put the budget together", False),
    ("get the paperwork together", False),
])
def test_a_meeting_said_as_a_slot_or_as_together(phrase, follows):
    assert is_follow_up_task(phrase) is follows


@pytest.mark.parametrize("said", ["Let me just confirm the spelling of your surname.",
                                  "Let me walk you through it together."])
def test_confirming_or_going_through_it_together_on_the_call_stays_no_task(said):
    # the two forms follow up only as a task left for later: said as "let me …" they are done
    # as they are said, and no action item is made of them
    result = chat(("Maria", "I'm calling about the renewal."), ("Tom", said), ("Maria", "Sure."))
    assert result["actionItems"] == [], [a["text"] for a in result["actionItems"]]
