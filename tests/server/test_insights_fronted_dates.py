"""A day said before the task and set off by a comma dates it: "Tomorrow, I'll send it." is due
tomorrow, as "Tomorrow I'll send it." is (assignees.due). Only when the day is all its fragment
says: a day in a clause of its own ("On Friday the shop was shut, I'll call them."), a day that
names a thing ("Tomorrow's meeting, …") or a day gone by ("Yesterday, …") dates nothing."""

from __future__ import annotations

import pytest

from .test_insights import chat

WEDNESDAY = "2024-05-15T00:00:00.000Z"


def due(said: str) -> list[str | None]:
    result = chat(("Lukas", said), ("Florian", "Good."), start_time=WEDNESDAY)
    return [(a.get("dueBy") or "")[:10] or None for a in result["actionItems"]]


@pytest.mark.parametrize("said, day", [
    ("Tomorrow, I'll send it.", "2024-05-16"),
    ("By Friday, I'll have it done.", "2024-05-17"),
    ("Monday morning, I'll call them.", "2024-05-20"),
    ("First thing tomorrow, I'll call them.", "2024-05-16"),
    ("Okay, so next week, I'll send the report.", "2024-05-24"),
    ("This afternoon, we'll send the report.", "2024-05-15"),
])
def test_a_fronted_day_set_off_by_a_comma_dates_the_task(said, day):
    assert due(said) == [day]


@pytest.mark.parametrize("said, day", [
    ("Tomorrow I'll send it.", "2024-05-16"),  # without the comma, as before
    ("Monday morning I'll call them.", "2024-05-20"),
    ("On Friday the shop was shut, I'll call them.", None),  # the day of another clause
    ("Tomorrow's meeting, I'll send the agenda.", None),  # a day naming a thing
    ("Friday is busy, I'll send it.", None),
    ("Tomorrow, if it's quiet, I'll send it.", None),  # a condition between: not only a day
])
def test_a_day_of_another_clause_stays_as_it_was(said, day):
    assert due(said) == [day]


def test_a_day_closing_an_order_does_not_date_the_promise_after_it():
    result = chat(("Megan", "Sam, you're the techy one."),
                  ("Sam", "Fine. Everyone send me photos by the end of October, and I'll put it together."),
                  start_time=WEDNESDAY)
    promise = [a for a in result["actionItems"] if "put it together" in a["text"]]
    assert len(promise) == 1 and "dueBy" not in promise[0]


def test_a_day_gone_by_said_first_dates_nothing():
    # "Yesterday I said I'd send it": a report of what was said, no task and no day
    assert due("Yesterday I said I'd send it.") == []
    assert due("Yesterday, I said I'd send it.") == []
