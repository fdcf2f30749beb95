"""Orders the rules read in more of their forms: to the whole room ("Everyone send me photos by
the end of October", "everyone needs to do the test before Monday"), in "get" and "do" ("Then
get me the music by Monday"), by name with a rising tone ("Rosa, ping me when the agent gets
back to you?"), and after a clause of time ("When you call them tomorrow, can you also ask
about the invoice?"); with the near misses that stay no task."""

from __future__ import annotations

import pytest

from .test_insights import action_texts as texts
from .test_insights import chat


@pytest.mark.parametrize("said, text", [
    ("Everyone send me photos and scans by the end of October.",
     "Everyone will send Dana photos and scans by the end of October."),
    ("And everyone, get your draft schedules to me by October first, please.",
     "Everyone will get their draft schedules to Dana by October first."),
    ("Also, just a reminder, everyone needs to do the reaction time test before Monday's session.",
     "Everyone will do the reaction time test before Monday's session."),
])
def test_an_order_to_the_whole_room_is_everyones(said, text):
    assert texts(chat(("Dana", said), ("Emma", "Okay."), ("Sam", "Sure."))) == [text]


@pytest.mark.parametrize("said", [
    "Everyone loves the new menu.",  # a verb in -s: a fact
    "Everyone agreed on Friday.",  # the past
    "Everyone get the email?",  # a question
    "Everyone needs to be there.",  # being, no task
    "Everyone, thank you for coming.",  # thanks
    "Each of you get a voucher at the door.",  # "each of you" takes a plain verb: a fact
    "Y'all get the late shift on Fridays.",  # the same
])
def test_the_room_named_without_an_order_is_no_task(said):
    assert texts(chat(("Dana", said), ("Emma", "Okay."), ("Sam", "Sure."))) == []


@pytest.mark.parametrize("said, text", [
    ("Then get me the music by Monday at the latest.", "Emma will get Dana the music by Monday at the latest."),
    ("Emma, do a private referral to the clinic then.", "Emma will do a private referral to the clinic then."),
])
def test_get_and_do_give_orders_after_a_lead_in(said, text):
    assert texts(chat(("Dana", said), ("Emma", "Okay."))) == [text]


@pytest.mark.parametrize("said", [
    "So do the others.",  # the others do too
    "Okay, get this: he quit.",  # an idiom
    "So, get ready.",  # no object
    "So, do you have the file?",  # a question
    "Emma, do your best.",  # a wish
])
def test_get_and_do_without_an_order_are_no_task(said):
    assert texts(chat(("Dana", said), ("Emma", "Okay."))) == []


def test_an_order_by_name_with_a_rising_tone_is_a_request():
    result = chat(("Kevin", "Alright, thanks guys."), ("Kevin", "Rosa, ping me when the agent gets back to you?"),
                  ("Rosa", "Will do."))
    assert texts(result) == ["Rosa will ping Kevin when the agent gets back to them."]


@pytest.mark.parametrize("said", [
    "Wait, send it to everyone?",
    "Sorry, call them when?",
    "Really, cancel the whole order?",
])
def test_a_word_before_the_comma_that_is_no_name_checks_what_was_said(said):
    # "Rosa, ping me …?" orders by name; "Wait, send it to everyone?" asks back
    assert texts(chat(("Kevin", "I'll draft it tonight."), ("Rosa", said), ("Kevin", "Yes."))) == [
        "Kevin will draft it tonight."]


def test_a_question_by_name_stays_a_question():
    assert texts(chat(("Kevin", "Rosa, did the agent get back to you?"), ("Rosa", "Not yet."))) == []


def test_a_request_after_a_clause_of_time_is_a_request():
    result = chat(("Marta", "When you call them tomorrow, can you also ask about the September invoice?"),
                  ("Jordi", "Yeah, I'll bring it up."))
    assert texts(result)[:1] == ["Jordi will ask about the September invoice."]


def test_a_question_of_when_stays_no_task():
    assert texts(chat(("Marta", "When you called them, could they say why?"), ("Jordi", "No."))) == []
    # a wh-word after the clause of time still asks: the answer's own task is the item
    result = chat(("Sanna", "Juho, when you crash it on Friday, when can you can it?"),
                  ("Juho", "Monday. I'll can it Monday morning."))
    assert texts(result) == ["Juho will can it Monday morning."]
