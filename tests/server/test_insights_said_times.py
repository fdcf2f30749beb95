"""A time of day said with a task and no day (clock_times.py): "at the two o'clock huddle", "by
eleven with news" are due the day they are said; a day named in the clause still decides, and a
number that is an amount is no time."""

from __future__ import annotations

from .test_insights import chat

WEDNESDAY = "2024-05-15T00:00:00.000Z"
FRIDAY = "2024-05-17T00:00:00.000Z"


def due(*lines: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(a["text"], a.get("dueBy")) for a in chat(*lines)["actionItems"]]


def test_a_clock_time_with_at_is_due_the_day_it_is_said():
    assert due(("Ana", "Then I'll brief the charge nurses at the two o'clock huddle."),
               ("Ben", "I'll ring the supplier at 3:30."),
               ("Ana", "I'll call the landlord at 3:30 on Friday."),
               ("Ben", "I'll price the loan at four percent.")) == [
        ("Ana will brief the charge nurses at the two o'clock huddle.", WEDNESDAY),
        ("Ben will ring the supplier at 3:30.", WEDNESDAY),
        ("Ana will call the landlord at 3:30 on Friday.", FRIDAY),
        ("Ben will price the loan at four percent.", None)]


def test_a_deadline_hour_followed_by_what_comes_with_it_is_that_day():
    assert due(("Ana", "I'll call you by eleven with news on the parts."),
               ("Ben", "I'll cut the order by ten with the new prices.")) == [
        ("Ana will call Ben by eleven with news on the parts.", WEDNESDAY),
        ("Ben will cut the order by ten with the new prices.", None)]
