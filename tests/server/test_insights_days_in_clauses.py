"""Due dates read from the action's own clause: a named time of day ("at lunch"), a weekday
with a late day of the month whatever follows it ("Thursday the twenty-eighth works"), "the
evening before" dating only its own clause, and "that afternoon" pointing back at the day just
agreed (then_dates.py); each with a near miss that stays."""

from __future__ import annotations

import datetime

import pytest

from symbl_media.server.insights import dates

from .test_insights import chat

WEDNESDAY = datetime.date(2024, 5, 15)


def due_of(result: dict, fragment: str) -> str | None:
    items = [a for a in result["actionItems"] if fragment in a["text"]]
    assert len(items) == 1, [a["text"] for a in result["actionItems"]]
    return (items[0].get("dueBy") or "")[:10] or None


@pytest.mark.parametrize("said, due", [
    ("I'll call them at lunch.", "2024-05-15"),
    ("I'll call them at noon.", "2024-05-15"),
    ("I'll call them at lunch on Friday.", "2024-05-17"),  # the day named decides
    ("I'll call them after lunch.", None),  # not a time of day said with "at"
])
def test_a_time_of_day_by_its_name_is_the_day_it_is_said(said, due):
    assert due_of(chat(("Lukas", said), ("Florian", "Good.")), "call them") == due


@pytest.mark.parametrize("text, day", [
    ("Thursday the twenty-eighth works.", datetime.date(2024, 11, 28)),
    ("Thursday the 28th works.", datetime.date(2024, 11, 28)),
    ("Tuesday the 4th suits me.", datetime.date(2024, 6, 4)),
    ("Monday the first thing we do is the audit.", datetime.date(2024, 5, 20)),  # an ordinal that ranks: Monday
    ("Friday the second time round.", datetime.date(2024, 5, 17)),
])
def test_a_weekday_with_a_late_day_of_the_month_is_that_date(text, day):
    assert [m.due for m in dates.find(text, WEDNESDAY)] == [day]


def test_the_evening_before_dates_its_own_clause_and_that_afternoon_the_day_agreed():
    result = chat(("Carmen", "Javier, can you read the final version on Thursday the twenty-eighth?"),
                  ("Javier", ("Thursday the twenty-eighth works. Send it to me the evening before and we can "
                              "go over it that afternoon.")),
                  ("Diego", "Okay."))
    assert due_of(result, "send it") == "2024-11-27"
    assert due_of(result, "go over it") == "2024-11-28"


def test_an_option_with_no_day_stays_an_option():
    result = chat(("Carmen", "The budget is tight."), ("Javier", "We could cap it at eight percent."),
                  ("Diego", "Maybe."))
    assert result["actionItems"] == []


@pytest.mark.parametrize("said, due", [
    ("I'll be here tomorrow from ten, I can open up.", "2024-05-16"),
    ("I'm in the office on Friday, I'll sign it then.", "2024-05-17"),
    ("I was there on Friday, I'll sign it.", None),  # the past
    ("The shop is open on Friday, I'll sign it.", None),  # not where the speaker will be
    ("I'll be here tomorrow, but honestly, I'll sign it.", None),  # another clause between
])
def test_where_the_speaker_will_be_dates_the_task_after_it(said, due):
    result = chat(("Noor", "Can someone let me in?"), ("Maja", said), ("Noor", "Thanks."))
    items = [a for a in result["actionItems"] if a["from"]["name"] == "Maja"]
    assert len(items) == 1, [a["text"] for a in result["actionItems"]]
    assert ((items[0].get("dueBy") or "")[:10] or None) == due
