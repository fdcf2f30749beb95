"""Rewritten action items read as correct English: the verb agrees with the name put where
"you" or "I" was its subject, and a request to two people names both."""

from __future__ import annotations

import pytest

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


@pytest.mark.parametrize("said, written", [
    # any present-tense verb, not a list of them
    ("I'll leave the keys with Sam once you get back.", "Ana will leave the keys with Sam once Ben gets back."),
    ("I'll send you the code if you need the keys.", "Ana will send Ben the code if Ben needs the keys."),
    ("I'll book the flight as soon as you confirm the dates.",
     "Ana will book the flight as soon as Ben confirms the dates."),
    ("I'll fix the bug before you fly out.", "Ana will fix the bug before Ben flies out."),
    # past adverbs, and in a relative clause without its "that"
    ("I'll send you the recap, since you always miss the start.",
     "Ana will send Ben the recap, since Ben always misses the start."),
    ("I'll help you find the files you need.", "Ana will help Ben find the files Ben needs."),
    # negation and modals keep their form (do agrees), past tense is unchanged
    ("I'll call you if you don't answer the email.", "Ana will call Ben if Ben doesn't answer the email."),
    ("I'll send it so you can read it tonight.", "Ana will send it so Ben can read it tonight."),
    ("I'll check the logs you sent this afternoon.", "Ana will check the logs Ben sent this afternoon."),
    # "you" as an object is no subject: "let you know", "help you find"
    ("I'll let you know when the parts arrive.", "Ana will let Ben know when the parts arrive."),
])
def test_a_listeners_name_takes_the_third_person_of_the_verb_it_is_the_subject_of(said, written):
    assert tasks(("Ana", said), ("Ben", "Thanks.")) == [written]


def test_the_speakers_name_in_a_request_agrees_and_a_plural_subject_does_not():
    assert tasks(("Ana", "Ben, can you send me the file once I get back?"), ("Ben", "Sure.")) == [
        "Ben will send Ana the file once Ana gets back."]
    assert tasks(("Ana", "Ben, can you send me what I need for the audit?"), ("Ben", "Sure.")) == [
        "Ben will send Ana what Ana needs for the audit."]
    # "I am" said by the one asking is "Ana is"; "make sure you" is "they", the one who acts
    assert tasks(("Ana", "Ben, can you call me when I am back?"), ("Ben", "Sure.")) == [
        "Ben will call Ana when Ana is back."]
    assert tasks(("Ana", "Ben, please make sure you sign the form before you leave."), ("Ben", "Sure.")) == [
        "Ben will make sure they sign the form before they leave."]


def test_a_request_to_both_listeners_names_both_and_flags_both_as_assignees():
    found = chat(("Tom", "Could you both send me your slides?"), ("Ana", "Sure."), ("Ben", "Will do."))
    [item] = found["actionItems"]
    assert item["text"] == "Ana and Ben will send Tom their slides."
    # The API's shape holds one assignee: the first named, who answered; the entities flag both.
    assert item["assignee"] == {"name": "Ana", "email": "ana@example.com"}
    assert [(e["text"], e["offset"], e["value"]) for e in item["entities"] if e["type"] == "person"] == [
        ("Ana", 0, {"assignee": True, "name": "Ana"}), ("Ben", 8, {"assignee": True, "name": "Ben"}),
        ("Tom", 22, {"name": "Tom"})]


def test_a_request_to_two_named_of_more_names_them_and_an_unknown_two_stays_one():
    # Two named of three others; unanswered, the request "needs" them, and the verbs agree.
    assert tasks(("Tom", "Ana, Ben, could you both send me your slides before you leave on Friday?"),
                 ("Cy", "I'll book the room."), ("Di", "Great."), ("Ana", "Bye."), ("Ben", "Bye.")) == [
        "Ana and Ben need to send Tom their slides before they leave on Friday.", "Cy will book the room."]
    # "you two" with three others: which two is not said, so one assignee as before.
    assert tasks(("Tom", "Can you two sign the lease tomorrow?"), ("Ben", "Okay."), ("Ana", "Fine."),
                 ("Cy", "Hm.")) == ["Ben will sign the lease tomorrow."]


@pytest.mark.parametrize("phrase, written", [
    # a question's verb before its subject: the subject is "they", the verb after stays
    ("check whether did you get the letter", "Ben needs to check whether did they get the letter."),
    ("ask her if can I join", "Ben needs to ask her if can Ana join."),
    # an object is "them", even before a verb: "help you get set up", "do you a favour"
    ("ask Sam to help you get set up", "Ben needs to ask Sam to help them get set up."),
    ("do you a favour", "Ben needs to do them a favour."),
    # a clause without its "that", a filler between commas, "I" after "and" (a plural subject)
    ("tell Sam I know you want the room", "Ben needs to tell Sam Ana knows they want the room."),
    ("book it, I hope, before I leave", "Ben needs to book it, Ana hopes, before Ana leaves."),
    ("book a room where Sam and I meet", "Ben needs to book a room where Sam and Ana meet."),
    # "and I" opening a clause of its own is one subject; a past form that is also the base,
    # with a past time, stays past
    ("check the spares and I want the list", "Ben needs to check the spares and Ana wants the list."),
    ("check the reader I set up last week", "Ben needs to check the reader Ana set up last week."),
    ("check the reader once I set it up", "Ben needs to check the reader once Ana sets it up."),
])
def test_who_the_subject_is_decides_they_or_them_and_the_verb(phrase, written):
    from symbl_media.server.insights import rewrite

    assert rewrite.third_person(phrase, "needs to", rewrite.Voice("Ana", "Ben", False), frozenset()) == written


def test_the_one_asked_and_the_speaker_together_are_the_subject():
    """"can you and I sit down …" was "Ben will and Ana sit down …": both act, the verb plural."""
    assert tasks(("Ana", "Ben, can you and I sit down on Friday to go through the budget?"),
                 ("Ben", "Sure.")) == ["Ben and Ana will sit down on Friday to go through the budget."]
    assert tasks(("Ana", "Ben, could you and I review the contract before Monday?")) == [
        "Ben and Ana need to review the contract before Monday."]  # not answered: "need to"
