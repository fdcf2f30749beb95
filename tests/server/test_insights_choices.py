"""Turns shaped like tasks that leave nothing new to do after the call (non_commitments.py,
narration.py, said_again.py): one of two ways offered for the other to choose, one's own task
said again by "do it", agreeing to a proposal on a condition, a request reported from someone
outside the call, the answer to what to do if anyone of a kind does something (action_items.py),
and a request to whoever takes it, taken by a volunteer (replies.py). Each test holds the near miss that is a task."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_one_of_two_ways_offered_is_a_choice_not_a_task():
    assert tasks(("Ana", "You'll need to update the billing email under settings, or I can change it for you if you'd like."),
                 ("Ben", "Please change it, yeah.")) == ["Ana will change it for Ben."]
    assert tasks(("Ana", "I can add a harissa glaze, or we could swap it for the bobotie. Which would you prefer?"),
                 ("Ben", "The bobotie.")) == []


def test_or_that_warns_of_what_follows_leaves_the_request():
    assert tasks(("Ana", "Ben, please book the hall by Friday, or we'll lose the date."),
                 ("Ben", "Will do.")) == ["Ben will book the hall by Friday."]


def test_agreeing_on_a_condition_is_agreeing():
    assert tasks(("Ana", "If the sheets don't come, we could use the queen sheets on seven."),
                 ("Ben", "Good idea, let's do that if it comes to it.")) == []
    assert tasks(("Ana", "Should we do a second tasting?"),
                 ("Ben", "We should probably do one, yes. I'll send you an invite for Friday.")) == [
        "Ben will send Ana an invite for Friday."]


def test_a_request_reported_from_outside_the_call_is_no_task_yet():
    assert tasks(("Ana", "The race is next Sunday and they asked if we can provide two instructors for gatekeeping."),
                 ("Ben", "Sure.")) == []
    # the speaker's own question reported is still theirs to answer
    assert tasks(("Ana", "I asked if we can have the hall, and I'll confirm with the school on Monday."),
                 ("Ben", "Great.")) == ["Ana will confirm with the school on Monday."]



def test_ones_own_task_said_again_by_do_it_is_one_task():
    items = chat(("Ana", "I'll call the agency and ask for one more person for the afternoon."),
                 ("Ben", "They need two hours' notice, so before eleven."),
                 ("Ana", "Right, I'll do it straight after this."))["actionItems"]
    assert [(a["text"], len(a["messageIds"])) for a in items] == [
        ("Ana will call the agency and ask for one more person for the afternoon.", 2)]
    # a task of its own after it is a second one
    assert tasks(("Ana", "I'll call the agency and ask for one more person."),
                 ("Ben", "Thanks."),
                 ("Ana", "And I'll do the rota straight after this.")) == [
        "Ana will call the agency and ask for one more person.", "Ana will do the rota straight after this."]


def test_what_to_do_if_anyone_of_a_kind_does_something_is_answered_by_a_rule():
    assert tasks(("Ana", "What do we do if a parent refuses?"),
                 ("Ben", "Send them to me. I'll talk to them.")) == []
    # one case named is answered by a task
    assert tasks(("Ana", "What do we do if the lift is out on Tuesday?"),
                 ("Ben", "I'll call the engineer tomorrow.")) == ["Ben will call the engineer tomorrow."]


def test_a_request_to_whoever_takes_it_is_the_volunteers_task():
    items = chat(("Ana", "And we need someone to pack the spare parts box."),
                 ("Ben", "Oh god, the zip ties."),
                 ("Cy", "I'll make a packing list and do the box the night before we leave."))["actionItems"]
    assert [(a["text"], a["assignee"]["name"], len(a["messageIds"])) for a in items] == [
        ("Cy will make a packing list and do the box the night before we leave.", "Cy", 2)]
    # a commitment to something else is a task of its own, and the request stays
    assert len(tasks(("Ana", "And we need someone to pack the spare parts box."),
                     ("Ben", "Oh god, the zip ties."),
                     ("Cy", "I'll bring the laptops on Thursday."))) == 2
