"""When each message was said: the insights' messages as a timeline in seconds (``timeline``).

How messages become a timeline (``timeline``):

- A message starts at its ``timeOffset`` (else its ``startTime`` less the conversation's) and
  lasts its ``duration`` (else ``endTime - startTime``). When the insights know the time zero
  of the recording or transcript (``Insights.origin``: a transcript this client sent), a
  message starts at its ``startTime`` less that instead: the service counts ``timeOffset``
  from the conversation's start, a transcript's first cue, which need not be at 0. A message
  with no start follows the one before it; one with no length is given ``len(text) / 15``
  seconds (a comfortable speaking rate). Messages are put in order of start; empty ones are
  left out.
- Word timings (``words``, from ``verbose=true``) are used only when there is one word per word
  of the text: Symbl's text can differ from its words ("I am" / "I'm"), and then nothing says
  which word is which, so times are shared out by length instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from symbl_media.contract import shapes as k
from symbl_media.insights.collect import Insights

# What people say per second, roughly: used only for messages that come without a length.
CHARS_PER_SECOND = 15.0



@dataclass(frozen=True)
class Said:
    """One message on the timeline, in seconds from the start of the conversation."""

    speaker: str | None
    text: str  # runs of white space made one space
    start: float
    end: float
    measured: bool  # the length came from Symbl, not from our estimate
    word_times: tuple[tuple[float, float], ...] = ()  # one per word of text, when usable



def _number(value) -> float | None:
    # Symbl sends floats and sometimes ints; booleans, blanks and NaN count as absent.
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def instant(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # Symbl's times are UTC; a time without a zone is read as UTC rather than local time.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _span(item: dict, origin: datetime | None, stated_first: bool = False
          ) -> tuple[float | None, float | None]:
    """(start, length) of a message or word in seconds; None where it does not say.
    ``stated_first``: ``startTime - origin`` before ``timeOffset`` (a known time zero)."""
    # A word's times have the same keys as its message's.
    start = _number(item.get(k.MESSAGE.time_offset))
    begins, ends = instant(item.get(k.MESSAGE.start_time)), instant(item.get(k.MESSAGE.end_time))
    if (start is None or stated_first) and begins and origin:
        start = (begins - origin).total_seconds()
    length = _number(item.get(k.MESSAGE.duration))
    if (length is None or length <= 0) and begins and ends:
        length = (ends - begins).total_seconds()
    return start, (length if length and length > 0 else None)


def _origin(insights: Insights) -> datetime | None:
    """Time zero: the recording's or transcript's when the insights know it, else the
    conversation's start, else its first message's."""
    if insights.origin is not None:
        known = insights.origin
        return known.replace(tzinfo=UTC) if known.tzinfo is None else known.astimezone(UTC)
    stated = instant((insights.conversation or {}).get(k.CONVERSATION.start_time))
    if stated:
        return stated
    starts = [t for t in (instant(m.get(k.MESSAGE.start_time)) for m in insights.messages) if t]
    return min(starts, default=None)


def clean(text) -> str:
    return " ".join(str(text or "").split())


def _speaker(message: dict) -> str | None:
    who = message.get(k.MESSAGE.from_)
    return (clean(who.get(k.PERSON.name)) or None) if isinstance(who, dict) else None


def _word_times(message: dict, count: int, origin, stated_first: bool = False
                ) -> tuple[tuple[float, float], ...]:
    words = message.get(k.MESSAGE.words)
    if not isinstance(words, list):
        return ()
    spans = [_span(w, origin, stated_first) for w in words
             if isinstance(w, dict) and clean(w.get(k.WORD.word))]
    if len(spans) != count or any(start is None for start, _ in spans):
        return ()
    out, last = [], 0.0
    for start, length in spans:
        # Out-of-order word times would give a cue that ends before it starts.
        start = max(start, last)
        last = start + (length or 0.0)
        out.append((start, last))
    return tuple(out)


def timeline(insights: Insights) -> list[Said]:
    """The messages with text, in order of start, each with a start and an end (see module doc)."""
    origin = _origin(insights)
    stated_first = insights.origin is not None
    rows, known = [], 0.0
    for index, message in enumerate(insights.messages):
        text = clean(message.get("text"))
        if not text:
            continue
        start, length = _span(message, origin, stated_first)
        words = _word_times(message, len(text.split(" ")), origin, stated_first)
        if start is None and words:
            start = words[0][0]
        # A message without a start sorts right after the one before it.
        known = start if start is not None else known
        rows.append((known, index, message, text, start, length, words))
    rows.sort(key=lambda row: row[:2])

    out: list[Said] = []
    for _, _, message, text, start, length, words in rows:
        start = max(0.0, start if start is not None else (out[-1].end if out else 0.0))
        measured = length is not None
        if length is not None:
            end = start + length
        elif words:
            end = max(start, words[-1][1])
        else:
            end = start + len(text) / CHARS_PER_SECOND
        out.append(Said(_speaker(message), text, start, end, measured or bool(words), words))
    return out

