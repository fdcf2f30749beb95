"""When each Text API message was said, in seconds from the conversation's start.

Pure decisions, no I/O. A message may state its times (`duration: {startTime, endTime}`);
those are kept, as Symbl gives them back. A job that begins its conversation makes the
earliest stated start the conversation's start. A message without times is laid after the
one before it at a speaking pace (the first one at the start, or after the conversation's
last message when appended). An appended message keeps its stated times when they fall at or
after the conversation's start; a job whose times fall before it (text dated 2020 appended to
a recording made today) cannot be placed there without moving what is already said, so it
goes on after the last message, keeping its own gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

WORDS_PER_SECOND = 2.5  # the speaking pace for messages without times
PAUSE = 0.5  # seconds between a message and an unstated one after it
MIN_LENGTH = 1.0  # seconds: the shortest an unstated message lasts


@dataclass(frozen=True)
class Span:
    start: float  # seconds from the conversation's start
    end: float


@dataclass(frozen=True)
class Placed:
    spans: tuple[Span, ...]
    duration: float  # how much this job lengthens the conversation (never negative)
    origin: datetime | None  # the conversation's start, when this job sets it


def stated(span) -> tuple[datetime, datetime] | None:
    """A message's `duration` object as (start, end) in UTC, or None when it states no usable
    times. A time without a zone is read as UTC, so zoned and naive times in one body compare;
    one that UTC cannot hold counts as not stated."""
    if not isinstance(span, dict):
        return None
    try:
        start, end = (datetime.fromisoformat(str(span.get(k, "")))
                      for k in ("startTime", "endTime"))
        start, end = (t.astimezone(UTC) if t.tzinfo else t.replace(tzinfo=UTC)
                      for t in (start, end))
    except (ValueError, OverflowError):
        return None
    return (start, end) if start <= end else None


def place(times: list[tuple[datetime, datetime] | None], words: list[int], *, base: float,
          started: datetime | None) -> Placed:
    """Where each message goes. ``times`` are the stated times (None: not stated), ``words``
    each message's word count, ``base`` where the conversation so far ends (seconds), and
    ``started`` its start when an earlier job got that far (None: this job begins it)."""
    given = [t[0] for t in times if t is not None]
    origin = min(given) if given and started is None else None
    anchor = origin if origin is not None else started
    if given and anchor is not None and min(given) < anchor:
        # Before the conversation's start: the job goes on after its last message instead.
        anchor = min(given) - timedelta(seconds=base)
    spans = []
    clock = base
    for t, n in zip(times, words, strict=True):
        if t is not None and anchor is not None:
            start = (t[0] - anchor).total_seconds()
            end = (t[1] - anchor).total_seconds()
        else:
            start = clock
            end = start + max(MIN_LENGTH, n / WORDS_PER_SECOND)
        spans.append(Span(round(start, 3), round(end, 3)))
        clock = end + PAUSE  # an unstated message comes after the one before it
    last = max((s.end for s in spans), default=base)
    return Placed(tuple(spans), max(0.0, last - base), origin)

