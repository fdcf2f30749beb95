"""Seventh blind batch, small forms: a time of the asker's own after what is asked ("ask them
whether ... when I call them on Monday", assignees.py); a condition after a filler and a name
("Honestly, Tomasz, if the date slips, we'll have to ..."); idioms that promise nothing ("I'll
hold you to that", "I'll take your word"). Each with the near miss that stays."""

from __future__ import annotations

from .test_insights import chat

MONDAY = "2024-05-20T00:00:00.000Z"


def items(*lines: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(a["text"], a.get("dueBy")) for a in chat(*lines)["actionItems"]]


def test_the_askers_own_time_after_what_is_asked_is_when_it_is_due():
    assert items(("Ana", "I'll ask the quinta whether they have a meeting room with a screen when I call them on Monday."),
                 ("Ben", "And I'll ask them whether the room is free on Friday.")) == [
        ("Ana will ask the quinta whether they have a meeting room with a screen when they call them on Monday.", MONDAY),
        ("Ben will ask them whether the room is free on Friday.", None)]


def test_a_condition_after_a_filler_and_a_name_is_no_task():
    assert items(("Ana", "Honestly, Tomasz, if the June date slips too, we'll have to look at another frame."),
                 ("Ben", "Honestly, Ana, I'll chase them today.")) == [("Ben will chase them today.", "2024-05-15T00:00:00.000Z")]


def test_holding_someone_to_it_or_taking_their_word_promises_nothing():
    assert items(("Ana", "Friday. Okay. I'll hold you to that."),
                 ("Ben", "Fine, I'll take your word."),
                 ("Ana", "I'll hold the room for you until Friday.")) == [
        ("Ana will hold the room for Ben until Friday.", "2024-05-17T00:00:00.000Z")]
