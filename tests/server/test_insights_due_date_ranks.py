"""A rank counted from the end ("the 2nd to last page", "the third from the end") is no day of
the month, whether the ordinal is said in digits or in words; a day of the month followed by
what is done that day ("on the 26th to sign it off") still is."""

from __future__ import annotations

from datetime import date

from symbl_media.server.insights import dates

WEDNESDAY = date(2024, 5, 15)


def days(text: str) -> list[tuple[str, str]]:
    return [(d.text, d.due.isoformat()) for d in dates.find(text, WEDNESDAY)]


def test_a_rank_counted_from_the_end_is_no_day():
    assert days("Could you redo the table on the 2nd to last page by tomorrow?") == [("tomorrow", "2024-05-16")]
    assert days("I'll fix it on the 2nd to last slide.") == []
    assert days("It's on the 3rd from the end.") == []
    assert days("I'll send it on the 4th-to-last day of the trip.") == []


def test_a_day_of_the_month_before_to_still_is_one():
    # near misses: "to" followed by what is done that day, or by another day
    assert days("Let's have a short call on the 26th to sign it off.") == [("the 26th", "2024-05-26")]
    assert days("I'm away from the 2nd to the 5th.")[0] == ("the 2nd", "2024-06-02")
    assert days("Send it by the 2nd.") == [("the 2nd", "2024-06-02")]
