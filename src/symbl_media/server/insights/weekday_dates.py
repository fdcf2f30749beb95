"""A weekday named alone after the conversation dated it is that date.

"Can we do Thursday the 28th?" ... "So Thursday works?" / "I'll send it Thursday": the second
Thursday is the 28th, not the coming Thursday that a weekday alone means (dates.py). It holds
when the dated mention was said first and just before (an earlier sentence of the same message
or of the two before it: the exchange that set the day), its date has not passed on the day of
the later one, and the later one is a bare weekday ("Thursday", "end of day Thursday"): "this",
"next", "coming" or "week" say which one is meant themselves. Further back, a day set for
something else ("the grant closes Friday the 23rd", "the review is Friday the 14th") does not
say which Friday a task said later is due: in the labelled conversations those mean the coming
one (docs/sandbox-insights.md).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date

from . import dates
from .calendar_days import add_months
from .conversation import Conversation, Sentence
from .numbers import ORDINALS
from .replies import Found

_WEEKDAY = re.compile(rf"\b(?P<wd>{'|'.join(dates.WEEKDAYS)})\b", re.IGNORECASE)
# What makes a weekday dated: a day of the month or a month beside it ("Thursday the 28th",
# "Thursday, March 28th", "Thursday the twenty-eighth").
_ORDINAL = "|".join(w.replace(" ", r"[\s-]") for w in sorted(ORDINALS, key=len, reverse=True))
_DATED = re.compile(rf"\d|\b(?:{_ORDINAL}|{'|'.join(dates.MONTHS)})\b", re.IGNORECASE)
# Words that say which such weekday is meant, whatever was said before.
# "Thursday the twenty-eighth works": dates.py leaves an ordinal out before a word it does not
# expect ("Monday the first thing"); here a spelled-out day needs its "the" ("Monday first
# thing" is an hour, not the 1st) and the day must fall on that weekday.
_WEEKDAY_DAY = re.compile(rf"\b(?P<wd>{'|'.join(dates.WEEKDAYS)}),?\s+(?:(?:the\s+)?(?P<dn>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|"
                          rf"the\s+(?P<dw>{_ORDINAL}))\b(?!\s+thing)",
                          re.IGNORECASE)
# "the Friday before the wedding" (events.py) is worked out from the wedding.
_WHICH = re.compile(r"\b(?:this|next|coming|last|week|before|after)\b", re.IGNORECASE)
# A weekday said with the week it falls in is dated as well as one with its day of the month:
# "Does Thursday next week work?" - "Thursday afternoon's fine." - "I'll send you an invite."
# is next week's Thursday ("next Thursday", "Friday week" too); "this Thursday" and "Thursday
# this week" are the coming one, which a bare weekday already is, and date nothing said later:
# said on the Thursday itself, "Thursday this week" is today, while a bare "Thursday" is the next
# one after the conversation's day (the labelling guide's reading of a bare weekday).
_NEXT_WEEK = re.compile(r"\bnext\b|(?<!\bthis\s)\bweek\b", re.IGNORECASE)
_WINDOW = 2  # messages back


@dataclass(frozen=True)
class _Dated:
    index: int  # the sentence it was said in
    position: int  # the message it was said in
    weekday: int
    day: date


def resolve(conversation: Conversation, found: list[Found]) -> list[Found]:
    """`found` with each bare weekday due date moved to the date the conversation gave that
    weekday before."""
    said: list[_Dated] | None = None
    kept = []
    for f in found:
        weekday = _bare_weekday(f.due)
        if weekday is not None:
            said = _dated_weekdays(conversation) if said is None else said
            day = _dated_before(said, f.sentence, weekday, conversation.day_of(f.sentence.message))
            if day is not None and day != f.due.due:
                f = replace(f, due=replace(f.due, first=day, last=day, due=day))
        kept.append(f)
    return kept


def _bare_weekday(due: dates.DateMatch | None) -> int | None:
    if due is None or due.first != due.last or _DATED.search(due.text) or _WHICH.search(due.text):
        return None
    m = _WEEKDAY.search(due.text)
    return dates.WEEKDAYS.index(m.group("wd").lower()) if m else None


def _dated_weekdays(conversation: Conversation) -> list[_Dated]:
    """Every weekday said with its date, in the order said (read against the day of its message)."""
    found = []
    for sentence in conversation.sentences:
        if not _WEEKDAY.search(sentence.text):
            continue  # most sentences name no weekday: no date reading needed
        today = conversation.day_of(sentence.message)
        days = [d.first for d in dates.find(sentence.text, today) if d.first == d.last
                and (_DATED.search(d.text) or _NEXT_WEEK.search(d.text)) and _WEEKDAY.search(d.text)]
        days += [d for m in _WEEKDAY_DAY.finditer(sentence.text) if (d := _on_weekday(m, today)) is not None]
        for day in sorted(set(days)):
            found.append(_Dated(sentence.index, sentence.message.position, day.weekday(), day))
    return found


def _on_weekday(m: re.Match, today: date) -> date | None:
    """The next day of the month said (from `today` on, within a year) that falls on the weekday said."""
    n = int(m.group("dn")) if m.group("dn") else ORDINALS[re.sub(r"[\s-]+", " ", m.group("dw").lower())]
    weekday = dates.WEEKDAYS.index(m.group("wd").lower())
    for ahead in range(13):
        year, month = add_months(today.year, today.month, ahead)
        if n <= calendar.monthrange(year, month)[1] and (d := date(year, month, n)) >= today and d.weekday() == weekday:
            return d
    return None


def _dated_before(said: list[_Dated], sentence: Sentence, weekday: int, today: date) -> date | None:
    """The latest date given to `weekday` just before `sentence`, if it is still to come."""
    for d in reversed(said[:bisect_left([s.index for s in said], sentence.index)]):
        if sentence.message.position - d.position > _WINDOW:
            return None
        if d.weekday == weekday:
            return d.day if d.day >= today else None
    return None
