"""Verbs that also name something done on the call (narration.py) but here name work for later:
opening a new thing of record ("open a warranty claim"), bringing a thing somewhere ("bring my
snare"), phoning people ("call them this morning"). Each test holds the near miss that is the
call itself, so a rule that keeps too much fails."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_opening_a_new_record_is_work_but_opening_the_document_is_the_call():
    assert tasks(("Ana", "I'll open a warranty claim for both today."),
                 ("Ben", "Let me open the spreadsheet."),
                 ("Ana", "I'll open a ticket with the vendor.")) == [
        "Ana will open a warranty claim for both today.", "Ana will open a ticket with the vendor."]


def test_bringing_a_thing_is_work_but_bringing_it_up_is_the_call():
    assert tasks(("Ana", "Okay, then I'll bring my snare and my cymbals."),
                 ("Ben", "Let me bring up the calendar."),
                 ("Ana", "I'll bring the floor plan up.")) == [
        "Ana will bring their snare and their cymbals."]


def test_calling_people_at_a_time_is_work_but_naming_them_is_not():
    assert tasks(("Ana", "I'll call them this morning and find out how many they've got left."),
                 ("Ben", "Let's call them the green team.")) == [
        "Ana will call them this morning and find out how many they've got left."]


def test_calling_the_meeting_to_order_is_the_call():
    assert tasks(("Ana", "Okay, I'll call this to order."),
                 ("Ben", "I'll bring the bags up to the ward tomorrow.")) == [
        "Ben will bring the bags up to the ward tomorrow."]
