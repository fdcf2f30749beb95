"""A day of the month named alone after the conversation gave it its month is that date.

"We'd need the final numbers by the fourth of August." ... "I'll send you the final count on the
fourth then.": the second "fourth" is the 4th of August, not the next 4th that a day of the month
alone means (dates.py: the coming one, here the 4th of July). As for weekdays (weekday_dates.py),
it holds only when the dated mention was said just before (an earlier sentence of the same
message or of the two before it), on the same day of the month, and has not passed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import dates
from .conversation import Conversation, Sentence
from .numbers import ORDINALS
from .replies import Found

_ORDINAL = "|".join(w.replace(" ", r"[\s-]") for w in sorted(ORDINALS, key=len, reverse=True))
# A day of the month with nothing to say which month: "the fourth", "the 4th".
_BARE = re.compile(rf"^(?:the\s+)?(?:(?P<dn>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|(?P<dw>{_ORDINAL}))$", re.IGNORECASE)
_MONTH = re.compile(rf"\b(?:{'|'.join(dates.MONTHS)})\b", re.IGNORECASE)
_WINDOW = 2  # messages back


def resolve(conversation: Conversation, found: list[Found]) -> list[Found]:
    """`found` with each bare day of the month moved to the month the exchange just gave it."""
    kept = []
    for f in found:
        day = _bare_day(f.due)
        if day is not None and (given := _given_before(conversation, f.sentence, day)) is not None \
                and given != f.due.due:
            f = replace(f, due=replace(f.due, first=given, last=given, due=given))
        kept.append(f)
    return kept


def _bare_day(due: dates.DateMatch | None) -> int | None:
    if due is None or due.first != due.last or not (m := _BARE.match(due.text.strip())):
        return None
    return int(m.group("dn")) if m.group("dn") else ORDINALS[re.sub(r"[\s-]+", " ", m.group("dw").lower())]


def _given_before(conversation: Conversation, sentence: Sentence, day: int):
    """The date with a month said on `day` of the month just before `sentence`, if still to come."""
    today = conversation.day_of(sentence.message)
    for index in range(sentence.index - 1, -1, -1):
        earlier = conversation.sentences[index]
        if sentence.message.position - earlier.message.position > _WINDOW:
            return None
        if not _MONTH.search(earlier.text):
            continue  # most sentences name no month: no date reading needed
        for d in reversed(dates.find(earlier.text, conversation.day_of(earlier.message))):
            if d.first == d.last and d.first.day == day and _MONTH.search(d.text):
                return d.first if d.first >= today else None
    return None
