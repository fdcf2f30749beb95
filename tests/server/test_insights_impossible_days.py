"""A date that names no real day ("the 31st of February") is no due date: before, its "the
31st" was read on its own as the 31st of the month the call is in."""

from __future__ import annotations

import datetime

import pytest

from symbl_media.server.insights import dates

JANUARY_TENTH = datetime.date(2026, 1, 10)


def values(text: str) -> list[str]:
    return [m.value for m in dates.find(text, JANUARY_TENTH)]


@pytest.mark.parametrize("said", [
    "Send it by the 31st of February.",
    "Send it by February the 31st.",
    "Send it by the thirty-first of February.",
    "Send it by the thirtieth of February.",
])
def test_a_day_no_calendar_has_is_no_date(said):
    assert values(said) == []


@pytest.mark.parametrize("said, due", [
    ("Send it by the 31st.", ["2026-01-31"]),  # the month the call is in has one
    ("Send it by the 28th of February.", ["2026-02-28"]),
    ("Send it by February 30th, sorry, March 2nd.", ["2026-03-02"]),  # the correction stands
])
def test_real_days_beside_it_stay(said, due):
    assert values(said) == due
