"""Requests taken on by an answer (acknowledgements.py, replies.py): "Deal." as a yes, and a
request put to whoever takes it ("can someone send me the link?") taken on by the one who
answers. Each test holds the near miss that stays as it was."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[tuple[str, int]]:
    return [(a["text"], len(a["messageIds"])) for a in chat(*lines)["actionItems"]]


def test_deal_takes_a_request_on_but_deal_with_it_does_not():
    assert tasks(("Ana", "Ben, can you send me a rough plan by Friday?"),
                 ("Ben", "Deal.")) == [("Ben will send Ana a rough plan by Friday.", 2)]
    assert tasks(("Ana", "Ben, can you send me a rough plan by Friday?"),
                 ("Ben", "Deal with it yourself.")) == [("Ben needs to send Ana a rough plan by Friday.", 1)]


def test_a_request_to_whoever_takes_it_is_the_volunteers_in_its_own_words():
    assert tasks(("Ana", "Can someone send me the link to the tool? I've never used it."),
                 ("Ben", "I'll send it, I used it last week.")) == [("Ben will send Ana the link to the tool.", 2)]
    assert tasks(("Ana", "So can someone weigh her this morning before the fluids go back up?"),
                 ("Ben", "I'll do it, I'm doing the obs round at eight anyway.")) == [
        ("Ben will weigh her this morning before the fluids go back up.", 2)]


def test_a_request_to_whoever_nobody_takes_on_is_no_task():
    assert tasks(("Ana", "Okay, can someone close the door, the fourth graders are loud today."),
                 ("Ben", "How are we feeling about the regional?")) == []
    assert tasks(("Ana", "Can anyone hear me?"), ("Ben", "Yes, loud and clear.")) == []


def test_a_request_to_whoever_is_taken_on_by_the_next_to_speak_not_by_a_later_task():
    assert tasks(("Ana", "But I'm travelling on the 28th, so could someone swap with me for the Monday morning slot?"),
                 ("Ben", "I can take it. I'll update the runbook after this."),
                 ("Cy", "Thanks, Ben. And I'll send leadership a status update on Monday.")) == [
        ("Ben will swap with Ana for the Monday morning slot.", 2), ("Ben will update the runbook after this.", 1),
        ("Cy will send leadership a status update on Monday.", 1)]



def test_ones_own_work_offered_with_a_rising_tone_and_taken_up_is_a_task():
    assert tasks(("Ana", "I could go through the pen technique with her? I did it on my last placement."),
                 ("Ben", "Yes, please, but do it with Chloe there the first time.")) == [
        ("Ana will go through the pen technique with her.", 2)]


def test_an_offer_nobody_takes_up_or_going_through_it_on_the_call_is_no_task():
    assert tasks(("Ana", "I could go through the pen technique with her?"),
                 ("Ben", "Let's wait for the diabetes nurse.")) == []
    assert tasks(("Ana", "Okay, I'll go through the slides now."), ("Ben", "Great.")) == []
    assert tasks(("Ana", "I won't need to come in really, I'll go up from the back with the ladder."),
                 ("Ben", "Okay.")) == []


def test_pointing_back_with_another_verb_does_not_take_on_a_request_to_whoever():
    # "sign it" points at something else than letting Noor in: Maja's own task stays hers.
    said = chat(("Noor", "Can someone let me in?"), ("Maja", "I'm in the office on Friday, I'll sign it then."),
                ("Noor", "Thanks."))
    assert [(a["text"], a["dueBy"][:10]) for a in said["actionItems"]] == [("Maja will sign it then.", "2024-05-17")]
    # the near miss: the request's own verb, or one that takes on anything, does
    for answer in ("I'll let you in.", "I'll do it."):
        taken = chat(("Noor", "Can someone let me in?"), ("Maja", answer), ("Noor", "Thanks."))
        assert [a["assignee"]["name"] for a in taken["actionItems"]] == ["Maja"], answer
