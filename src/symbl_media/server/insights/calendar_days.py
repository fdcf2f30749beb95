"""Calendar arithmetic for date expressions: months added, a month's or a period's end, the
next such weekday, a week or month as a span, some days or weeks on. Pure functions of dates;
dates.py reads the words and asks these for the days."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .numbers import word_value


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def end_of(unit: str, next_: bool, day: date) -> date:
    if unit == "week":
        if next_:  # the Friday of the calendar week after this one, as "next week" is (period)
            return day + timedelta(days=7 - day.weekday() + 4)
        return day + timedelta(days=(4 - day.weekday()) % 7)  # on a weekend, the coming Friday
    if unit == "month":
        return month_end(*add_months(day.year, day.month, 1 if next_ else 0))
    if unit == "quarter":
        last_month = (day.month - 1) // 3 * 3 + 3
        return month_end(*add_months(day.year, last_month, 3 if next_ else 0))
    return date(day.year + (1 if next_ else 0), 12, 31)


def start_of(unit: str, day: date) -> date:
    if unit == "week":
        return day + timedelta(days=7 - day.weekday())
    if unit == "month":
        return date(*add_months(day.year, day.month, 1), 1)
    if unit == "quarter":
        return date(*add_months(day.year, (day.month - 1) // 3 * 3 + 1, 3), 1)
    return date(day.year + 1, 1, 1)


def weekday_after(target: int, rel: str, day: date) -> date:
    if rel == "last":
        return day - timedelta(days=(day.weekday() - target - 1) % 7 + 1)
    if rel == "next":  # that day in the following calendar week (weeks start on Monday)
        return day + timedelta(days=7 - day.weekday() + target)
    return day + timedelta(days=(target - day.weekday() - 1) % 7 + 1)


def period(unit: str, rel: str, day: date) -> tuple[date, date]:
    shift = {"this": 0, "next": 1, "last": -1}[rel]
    if unit == "week":
        monday = day - timedelta(days=day.weekday()) + timedelta(days=7 * shift)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        year, month = add_months(day.year, day.month, shift)
        return date(year, month, 1), month_end(year, month)
    return date(day.year + shift, 1, 1), date(day.year + shift, 12, 31)


def days_on(count: str, unit: str, day: date) -> date | None:
    n = 2 if "couple" in count else 1 if count in ("a", "an") else (
        int(count) if count.isdigit() else word_value(count))
    if n is None:
        return None
    if unit.startswith("hour"):
        return day + timedelta(days=n // 24)  # "within 48 hours": two days on
    if unit.startswith("fortnight"):
        return day + timedelta(weeks=2 * n)
    if unit.startswith("day"):
        return day + timedelta(days=n)
    if unit.startswith("week"):
        return day + timedelta(weeks=n)
    year, month = add_months(day.year, day.month, n)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
