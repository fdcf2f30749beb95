"""Relative and absolute date expressions, resolved against a day: the day the message was said.

Handles "today", "tomorrow", "(this|next) Friday", "next week", "end of the month",
"the fifteenth of next month", "March 3rd", "in two weeks", ISO dates, a weekday with its day
of the month ("Friday the twelfth") and the end of a named day ("end of day Friday"). A day
name alone means the first such day after that day. English only; no time zones beyond UTC.
Hand-written rather than dateparser: benchmarks/insights/bench_dates.py measured both
(docs/sandbox-insights.md).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .calendar_days import (
    add_months,
    days_on,
    end_of,
    month_end,
    period,
    start_of,
    weekday_after,
)
from .clock_times import AT_TIME, DEADLINE, is_bare_hour, is_deadline
from .numbers import ORDINALS

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")


@dataclass(frozen=True)
class DateMatch:
    text: str
    start: int
    end: int
    first: date
    last: date  # == first for a single day
    due: date  # the day a task mentioning it is due
    # Read for a task from another sentence than the task's own (the meeting day an invite is
    # for, a deadline said next or given when asked "when?"): `start` and `end` are offsets in
    # that other text. replies.py lets such a day give way to the one an answer names.
    borrowed: bool = False

    def lent(self) -> DateMatch:
        """This date, read for a task said in another sentence."""
        return replace(self, borrowed=True)

    @property
    def value(self) -> str:
        """ISO date, or an ISO interval "first/last" for a span such as "next week"."""
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


_WD = "|".join(WEEKDAYS)
_MO = "|".join(MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
_ORD_WORDS = "|".join(k.replace(" ", r"[\s-]") for k in sorted(ORDINALS, key=len, reverse=True))
_DAYNUM = rf"(?:(?P<dn>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|(?P<dw>{_ORD_WORDS}))"
# After a bare "the", a day number needs its ordinal suffix: "the 15th", not "the 2 options".
_DAYORD = rf"(?:(?P<dn>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|(?P<dw>{_ORD_WORDS}))"
_COUNT = r"(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|couple of)"
# "on the 20th", and "the night of the eleventh", "the morning of the 26th": a part of that day.
_CUE = re.compile(r"\b(?:on|by|before|until|till|after|from|for|(?:morning|afternoon|evening|night|day)\s+of)\s+$",
                  re.IGNORECASE)
# Words that may follow "on the fifteenth" without making the ordinal an adjective ("the first test").
_AFTER_DAY = frozenset("of at in and or please then so but".split())
# Ordinals said as words that also rank things ("the first thing", "the second time", "the
# third option"); after a weekday, a later one is its day of the month whatever follows.
_ADJECTIVE_ORDINALS = 3
_LOOKBACK = 24  # characters: enough for "no later than the "
# "The 2nd to last page", "the third from the end": a rank counted back from the last one.
_COUNTED_FROM_THE_END = re.compile(r"[\s-]+(?:to|from)[\s-]+(?:the[\s-]+)?(?:last|end|bottom|top)\b", re.IGNORECASE)
_PREFIX = re.compile(r"(?:\b(?P<word>by|before|until|till|no later than)\s+(?:the\s+)?)$", re.IGNORECASE)

_EOD = r"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?:business\s+)?day|eod|cob|close\s+of\s+(?:business|play))"
_DAY = rf"(?:(?:(?P<rel>this|next|coming)\s+)?(?P<wd>{_WD})|(?P<tomorrow>tomorrow))"

_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in [
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    ("month_day", rf"\b(?P<mo>{_MO})\.?\s+(?:the\s+)?{_DAYNUM}(?:,?\s+(?P<y>\d{{4}}))?\b"),
    ("day_month", rf"\b(?:the\s+)?{_DAYNUM}\s+(?:of\s+)?(?P<mo>{_MO})\b(?:,?\s+(?P<y>\d{{4}}))?"),
    ("day_of_rel", rf"\bthe\s+{_DAYORD}(?P<of>\s+of\s+(?:the\s+)?(?P<rel>this|next)\s+month)?\b"),
    # "the week of the sixteenth": the Monday-to-Sunday week holding that day, due on its Friday.
    ("week_of", rf"\b(?:the\s+)?week\s+of\s+the\s+{_DAYORD}\b"),
    # A weekday with its day of the month: the day of the month decides ("Friday the twelfth").
    ("weekday_month_day", rf"\b(?P<wd>{_WD}),?\s+(?P<mo>{_MO})\.?\s+(?:the\s+)?{_DAYNUM}(?:,?\s+(?P<y>\d{{4}}))?\b"),
    ("weekday_day", rf"\b(?:(?:this|next|coming)\s+)?(?P<wd>{_WD}),?\s+(?:the\s+)?{_DAYORD}\b"),
    # The end of a named day is that day: "end of day Friday", "EOD tomorrow", "Thursday COB".
    ("end_of_day_on", rf"\b{_EOD}\s*,?\s+(?:on\s+)?{_DAY}\b"),
    ("day_end_of_day", rf"\b{_DAY}\s*,?\s+(?:by\s+)?{_EOD}\b"),
    ("day_after_tomorrow", r"\b(?:the\s+)?day\s+after\s+tomorrow\b"),
    ("tomorrow", r"\btomorrow\b"),
    ("yesterday", r"\byesterday\b"),
    ("today", r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening|lunchtime)|(?:the\s+)?end\s+of\s+(?:the\s+)?day|eod|close\s+of\s+business)\b"),
    # Later on the day it is said: "within the hour", "later today", "before service",
    # "by lunch", "before we open", "end of shift".
    ("today", r"\b(?:within\s+the\s+hour|later\s+today|(?:by|before)\s+(?:noon|midday|lunch(?:time)?|service|close|closing(?:\s+time)?|we\s+open|the\s+doors\s+open|"
              r"(?:the\s+)?end\s+of\s+(?:the\s+|your\s+|my\s+)?shift|(?:the\s+)?end\s+of\s+play))\b"),
    # A clock time as a deadline, no day named: "before eleven", "by four", "by 10:30 am"; not
    # an amount ("cut the spend by 10"): clock_times.py.
    ("clock", DEADLINE),
    ("today", AT_TIME),
    ("end_of", r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?P<rel>next\s+)?(?P<unit>week|month|quarter|year)\b"),
    # "the end of March": that month's last day, the next March once this one has passed
    ("end_of_month", rf"\b(?:the\s+)?(?:end|close)\s+of\s+(?P<mo>{_MO})\b"),
    ("start_of", r"\b(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?(?P<rel>next)\s+(?P<unit>week|month|quarter|year)\b"),
    # British "Friday week": the Friday after the coming one.
    ("weekday_week", rf"\b(?P<wd>{_WD})\s+week\b"),
    # "Thursday next week" is next Thursday; "Tuesday this week" this week's Tuesday.
    ("weekday_of_week", rf"\b(?P<wd>{_WD}),?\s+(?:of\s+)?(?P<rel>next|this)\s+week\b"),
    # "a week from Friday", "a week on Tuesday", "a week from today": that day, seven days on.
    ("week_from", rf"\b(?:a|one)\s+week\s+(?:from|on)\s+(?:(?P<today>today)|{_DAY})\b"),
    # "the week after next": the week after the coming one, due on its Friday as "next week" is.
    ("week_after_next", r"\b(?:the\s+)?week\s+after\s+next\b"),
    # "mid-June", "the middle of June": its fifteenth.
    ("mid_month", rf"\b(?:mid[\s-]|the\s+middle\s+of\s+)(?P<mo>{_MO})\b"),
    ("end_of", r"\b(?:the\s+)?(?P<rel>next\s+)?(?P<unit>week|month|quarter|year)[\s-]end\b"),
    ("weekday", rf"\b(?:(?P<rel>this|next|last|coming)\s+)?(?P<wd>{_WD})\b"),
    ("this_next", r"\b(?P<rel>this|next|last)\s+(?P<unit>week|month|year)\b"),
    ("in_n", rf"\b(?:in|within)\s+(?:the\s+next\s+)?{_COUNT}\s+(?P<unit>days?|weeks?|months?|hours?|fortnights?)\b"),
    ("in_n", rf"\b{_COUNT}\s+(?P<unit>days?|weeks?|months?|fortnights?)\s+from\s+(?:now|today)\b"),
    ("weekend", r"\b(?P<rel>this|next)?\s*weekend\b"),
]]


def find(text: str, day: date) -> list[DateMatch]:
    """Date expressions in `text`, longest first where they overlap, in text order."""
    found: list[DateMatch] = []
    # A date that names no real day ("the 31st of February") is no date, and it must not leave
    # its "the 31st" to a shorter pattern that would read it as this month's.
    impossible: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not _plausible(kind, m, text):
                continue
            span = _resolve(kind, m, day)
            if span is _NO_SUCH_DAY:
                impossible.append((m.start(), m.end()))
                continue
            if span is None:
                continue
            first, last = span
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            prefix = _PREFIX.search(text[max(0, start - _LOOKBACK):start])
            by = prefix.group("word").lower() if prefix else None
            found.append(DateMatch(m.group().strip(), start, m.end(), first, last,
                                   _due(first, last, by)))
    chosen: list[DateMatch] = []
    taken = bytearray(len(text))
    for start, end in impossible:
        # Only a longer reading of the same words may still take them.
        if not any(d.start <= start and end <= d.end and (d.end - d.start) > (end - start) for d in found):
            taken[start:end] = b"\x01" * (end - start)
    for match in sorted(found, key=lambda d: (-(d.end - d.start), d.start)):
        if not any(taken[match.start:match.end]):
            taken[match.start:match.end] = b"\x01" * (match.end - match.start)
            chosen.append(match)
    return _days_of_that_week(_end_of_that_day(sorted(chosen, key=lambda d: d.start), day, text), text)


# "End of day" after another day in the same sentence is that day's end: "I'll draft it
# tomorrow and send it to you by end of day" is due tomorrow. So is a time of day, read alone
# as the day it is said: "I'll call the distributor first thing tomorrow morning and ask them to
# bring a case before noon" is tomorrow's noon, and "I'll call you back by noon tomorrow" the
# day said right after it.
_END_OF_DAY = re.compile(rf"^(?:{_EOD}|(?:by|before|at)\s.*)$", re.IGNORECASE)
_RIGHT_AFTER = re.compile(r"^\s*,?\s*(?:on\s+)?$", re.IGNORECASE)
# Not a day in the clause that gives the reason: "I'm off tomorrow, so I'll send it before noon"
# sends it before today's noon.
_SO = re.compile(r",\s*(?:and\s+)?so\b", re.IGNORECASE)


def _end_of_that_day(found: list[DateMatch], day: date, text: str) -> list[DateMatch]:
    for i, match in enumerate(found):
        if not (_END_OF_DAY.match(match.text) and match.first == match.last == day):
            continue
        after = found[i + 1] if i + 1 < len(found) else None
        before = found[i - 1] if i else None
        if after is not None and _RIGHT_AFTER.match(text[match.end:after.start]) and after.first == after.last > day:
            that = after.first
        elif before is not None and before.first == before.last > day and not _SO.search(text, before.end, match.start):
            that = before.first
        else:
            continue
        found[i] = DateMatch(match.text, match.start, match.end, that, that, that)
    return found


# "Next week Katharina is off Tuesday and Wednesday": the weekdays said after a week are that
# week's days, and they say when better than the week does. Within the sentence and a few words.
_A_WEEK = re.compile(r"^(?:this|next)\s+week$", re.IGNORECASE)
_A_WEEKDAY = re.compile(rf"^(?:{_WD})$", re.IGNORECASE)
_SAME_THOUGHT = re.compile(r"^[^.!?;]{0,60}$")


def _days_of_that_week(found: list[DateMatch], text: str) -> list[DateMatch]:
    kept: list[DateMatch] = []
    week: DateMatch | None = None
    for match in found:
        if _A_WEEK.match(match.text) and (match.last - match.first).days == 6:
            week = match
        elif week is not None and _A_WEEKDAY.match(match.text) and _SAME_THOUGHT.match(text[week.end:match.start]):
            d = week.first + timedelta(days=WEEKDAYS.index(match.text.lower()))
            if kept and kept[-1] is week:
                kept.pop()  # the week gives way to its day
            match = DateMatch(match.text, match.start, match.end, d, d, d)
        else:
            week = None
        kept.append(match)
    return kept


def _plausible(kind: str, m: re.Match, text: str) -> bool:
    """Reject the common false readings: "the first thing", "we may be", "the 2nd option"."""
    g = m.groupdict()
    if kind == "clock":
        return is_deadline(m, text)
    if g.get("bare"):
        return is_bare_hour(m, text)
    if kind in ("day_of_rel", "weekday_day", "week_of") and text[m.end():m.end() + 1] == "-":
        return False  # "before the first-day madness": an ordinal made part of a word
    if kind in ("day_of_rel", "weekday_day", "week_of") and _COUNTED_FROM_THE_END.match(text, m.end()):
        return False  # "on the 2nd to last day of the trip": a rank counted from the end, whatever its form
    if kind == "day_month" and g["mo"].lower() == "may" and " of " not in m.group().lower():
        return False
    if kind == "day_of_rel" and not g["of"] and \
            not _CUE.search(text[max(0, m.start() - _LOOKBACK):m.start()]):
        return False
    if kind == "weekday_day" and (g["dn"] or _day_number(g) > _ADJECTIVE_ORDINALS):
        return True  # "Thursday the twenty-eighth works", "Tuesday the 2nd suits": no "the 28th thing"
    if (kind == "day_of_rel" and not g["of"]) or kind in ("weekday_day", "week_of"):
        # "Monday the first thing we do", "by the second item", "the week of the second
        # release": an ordinal, not a day.
        following = re.match(r"\s*([^\W\d_]+)", text[m.end():])
        if following and following.group(1).lower() not in _AFTER_DAY \
                and not (following.group(1).lower() == "to" and (g["dn"] or _day_number(g) > _ADJECTIVE_ORDINALS)):
            return False  # "on the 26th to sign it off" is what is done that day; "the second to last page" a rank
    return True


def _due(first: date, last: date, by: str | None) -> date:
    # "before next week" is its Monday; "by next week" is due within it, on its Friday, as the
    # labelled conversations read it (benchmarks/insights/README.md: "next week" its Friday).
    # "Before the weekend" is the working week's last day, the Friday before it.
    if by == "before" and first.weekday() == 5 and (last - first).days == 1:
        return first - timedelta(days=1)
    if first == last or by and not (by == "by" and (last - first).days == 6):
        return first
    if (last - first).days == 6:  # a week: due on its Friday
        return first + timedelta(days=4)
    return last


# What _resolve gives for words that name a day no calendar has.
_NO_SUCH_DAY = (date.min, date.min)


def _resolve(kind: str, m: re.Match, day: date) -> tuple[date, date] | None:
    g = m.groupdict()
    try:
        if kind == "iso":
            d = date(int(g["y"]), int(g["m"]), int(g["d"]))
            return d, d
        if kind in ("month_day", "day_month"):
            return _one(_month_day(g, day))
        if kind == "day_of_rel":
            return _one(_day_of_month(g, day))
        if kind == "week_of":
            monday = _day_of_month(g, day) - timedelta(days=_day_of_month(g, day).weekday())
            return monday, monday + timedelta(days=6)
    except ValueError:  # "February the thirtieth"
        return _NO_SUCH_DAY
    if kind == "weekday_month_day":
        return _one(_month_day(g, day))
    if kind == "weekday_day":
        return _one(_weekday_day(WEEKDAYS.index(g["wd"].lower()), _day_number(g), day))
    if kind in ("end_of_day_on", "day_end_of_day"):
        if g["tomorrow"]:
            return _one(day + timedelta(days=1))
        return _one(weekday_after(WEEKDAYS.index(g["wd"].lower()), (g["rel"] or "").lower(), day))
    if kind == "day_after_tomorrow":
        return _one(day + timedelta(days=2))
    if kind == "tomorrow":
        return _one(day + timedelta(days=1))
    if kind == "yesterday":
        return _one(day - timedelta(days=1))
    if kind in ("today", "clock"):
        return _one(day)
    if kind == "end_of":
        return _one(end_of(g["unit"].lower(), bool(g["rel"]), day))
    if kind == "end_of_month":
        month = _month_number(g["mo"])
        year = day.year if month >= day.month else day.year + 1
        return _one(month_end(year, month))
    if kind == "start_of":
        return _one(start_of(g["unit"].lower(), day))
    if kind == "weekday_week":
        return _one(weekday_after(WEEKDAYS.index(g["wd"].lower()), "", day) + timedelta(days=7))
    if kind == "weekday_of_week":
        target, rel = WEEKDAYS.index(g["wd"].lower()), g["rel"].lower()
        if rel == "next":
            return _one(weekday_after(target, "next", day))
        return _one(day + timedelta(days=target - day.weekday()))
    if kind == "week_from":
        start = day if g["today"] else day + timedelta(days=1) if g["tomorrow"] else \
            weekday_after(WEEKDAYS.index(g["wd"].lower()), (g["rel"] or "").lower(), day)
        return _one(start + timedelta(days=7))
    if kind == "week_after_next":
        first, last = period("week", "next", day)
        return first + timedelta(days=7), last + timedelta(days=7)
    if kind == "mid_month":
        month = _month_number(g["mo"])
        year = day.year if (month, 15) >= (day.month, day.day) else day.year + 1
        return _one(date(year, month, 15))
    if kind == "weekday":
        return _one(weekday_after(WEEKDAYS.index(g["wd"].lower()), (g["rel"] or "").lower(), day))
    if kind == "this_next":
        return period(g["unit"].lower(), g["rel"].lower(), day)
    if kind == "in_n":
        return _one(days_on(g["n"].lower(), g["unit"].lower(), day))
    if kind == "weekend":
        saturday = day + timedelta(days=(5 - day.weekday()) % 7)
        if (g["rel"] or "").lower() == "next" and day.weekday() < 5:
            saturday += timedelta(days=7)
        return saturday, saturday + timedelta(days=1)
    return None


def _one(d: date | None) -> tuple[date, date] | None:
    return None if d is None else (d, d)


def _day_number(g: dict) -> int:
    return int(g["dn"]) if g.get("dn") else ORDINALS[re.sub(r"[\s-]+", " ", g["dw"].lower())]


def _month_number(name: str) -> int:
    name = name.lower()
    return next(i for i, full in enumerate(MONTHS, 1) if full.startswith(name[:3]))


def _month_day(g: dict, day: date) -> date:
    d = date(int(g["y"]) if g.get("y") else day.year, _month_number(g["mo"]), _day_number(g))
    if not g.get("y") and d < day:  # "March 3rd" said in April means next year's
        d = date(d.year + 1, d.month, d.day)
    return d


def _day_of_month(g: dict, day: date) -> date:
    n = _day_number(g)
    rel = (g.get("rel") or "").lower()
    if rel == "next":
        return date(*add_months(day.year, day.month, 1), n)
    if rel == "this" or n >= day.day:
        return date(day.year, day.month, n)
    return date(*add_months(day.year, day.month, 1), n)


def _weekday_day(target: int, n: int, day: date) -> date:
    """The next day-of-month ``n`` (from ``day`` on) that falls on weekday ``target``; when none
    does within a year, the next day-of-month ``n`` (the number is more likely right than the
    name)."""
    first = None
    for ahead in range(13):
        year, month = add_months(day.year, day.month, ahead)
        if n > calendar.monthrange(year, month)[1]:
            continue
        d = date(year, month, n)
        if d < day:
            continue
        first = first or d
        if d.weekday() == target:
            return d
    return first or day


