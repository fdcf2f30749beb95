"""Requests said as a wish ("I'd like you to call the supplier", "I'd like everyone to send
…"), a request to everyone that one of them answers for their own part, and phoning someone
at a time ("I'll call them at lunch"), which is not naming them ("call it Test Site"); each
with a near miss that stays as it was."""

from __future__ import annotations

import pytest

from .test_insights import chat


def texts(result: dict, key: str = "actionItems") -> list[str]:
    return [a["text"] for a in result[key]]


@pytest.mark.parametrize("said, text", [
    # "I'd" is one word: its "'d like" was never read after "I" with a space.
    ("Luis, I'd like you to call the supplier again today.", "Luis will call the supplier again today."),
    ("Luis, I’d like you to call the supplier again today.", "Luis will call the supplier again today."),
    ("Luis, I would like you to call the supplier again today.", "Luis will call the supplier again today."),
    ("Luis, I'd like you both to call the supplier again today.", "Luis will call the supplier again today."),
])
def test_a_wish_that_someone_acts_is_a_request(said, text):
    result = chat(("Dana", said), ("Luis", "Sure."))
    assert texts(result) == [text]
    assert texts(result, "followUps") == [text]
    assert result["actionItems"][0]["dueBy"][:10] == "2024-05-15"


@pytest.mark.parametrize("said", [
    "I'd like you to know that the supplier called.",  # telling, not asking for work
    "I'd like to think the supplier will call.",  # the speaker's own thought
])
def test_a_wish_about_knowing_or_thinking_is_no_request(said):
    assert texts(chat(("Dana", said), ("Luis", "Okay."))) == []


def test_a_request_to_everyone_stays_everyones_when_one_of_them_does_their_part():
    result = chat(("Maja", "And I'd like everyone to send Elias photos from the workshop by Wednesday."),
                  ("Oskar", "I have a bunch on my phone, I'll send them tonight."),
                  ("Elias", "Thanks."))
    assert texts(result) == ["Everyone needs to send Elias photos from the workshop by Wednesday.",
                             "Oskar will send them tonight."]
    assert [a["dueBy"][:10] for a in result["actionItems"]] == ["2024-05-22", "2024-05-15"]


def test_a_request_to_one_still_takes_the_answer_in():
    result = chat(("Maja", "Oskar, I'd like you to send Elias the photos by Wednesday."),
                  ("Oskar", "Sure, I'll send them tonight."))
    assert texts(result) == ["Oskar will send Elias the photos by Wednesday."]
    assert len(result["actionItems"][0]["messageIds"]) == 2


@pytest.mark.parametrize("said, due", [
    ("Not yet. I'll call them at lunch.", "2024-05-15"),
    ("I'll call them this afternoon.", "2024-05-15"),
    ("I'll call them at eight when they open.", None),  # "at eight" alone: no clock word
    ("I'll call them when they open.", None),
    ("I'll call them to confirm.", None),
    ("I'll call it in the morning, before the shop opens.", None),
])
def test_phoning_them_at_a_time_is_a_task(said, due):
    result = chat(("Lukas", said), ("Florian", "Good."))
    assert len(result["followUps"]) == 1, said
    assert ((result["actionItems"][0].get("dueBy") or "")[:10] or None) == due


@pytest.mark.parametrize("said", [
    "I'll call it Test Site.",  # naming it on the screen
    "Let's call them tier one.",
    "Okay, let's call this to order, it's noon.",  # opening the meeting
    "I'd call it done.",
])
def test_naming_a_thing_is_no_call(said):
    assert texts(chat(("Lukas", said), ("Florian", "Good."))) == []


def test_you_could_after_a_members_name_asks_them():
    result = chat(("Niamh", ("Patrick, could you write the numbers down? Aoife, you could send them in "
                             "through the patient portal.")),
                  ("Patrick", "I can do that, yeah."), ("Aoife", "Yep, no problem."))
    assert texts(result) == ["Patrick will write the numbers down.",
                             "Aoife will send them in through the patient portal."]
    assert texts(result, "followUps") == ["Aoife will send them in through the patient portal."]


@pytest.mark.parametrize("said", [
    "You could take it down to eight hundred deep, but then you lose the overhang.",  # an option, to nobody named
    "Honestly, you could try restarting it.",  # no member named
    "Aoife, you can see it on the screen.",  # seeing is no task
])
def test_you_could_without_a_member_named_is_no_request(said):
    assert texts(chat(("Niamh", said), ("Aoife", "Okay."))) == []


def test_i_should_do_it_is_the_speakers_own_task():
    result = chat(("Camila", "Then I should probably call her myself this week."), ("Tomas", "Makes sense."))
    assert texts(result) == ["Camila will call her themselves this week."]
    assert texts(result, "followUps") == texts(result)
    assert result["actionItems"][0]["definitive"] is False  # "probably"


@pytest.mark.parametrize("said", [
    "I should be there by nine anyway.",  # expecting, not committing
    "I should get a reply soon.",
    "I should have known.",
])
def test_i_should_expecting_is_no_task(said):
    assert texts(chat(("Camila", said), ("Tomas", "Okay."))) == []


def test_i_should_have_numbers_dates_the_task_before_it():
    result = chat(("Raj", "Today I'm going to look at the indexes. I should have numbers by Thursday."),
                  ("Ann", "Great."))
    assert texts(result) == ["Raj is going to look at the indexes."]
    assert result["actionItems"][0]["dueBy"][:10] == "2024-05-16"
