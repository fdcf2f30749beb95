"""The conversation as the insight modules see it: typed, validated views of the input dicts."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from . import sentences


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    email: str | None = None

    def ref(self) -> dict:
        """The `{id, name, userId}` object insights carry; userId is the email when known."""
        return {"id": self.id, "name": self.name, "userId": self.email or self.id}


@dataclass(frozen=True)
class Sentence:
    text: str
    offset: int  # in the message text
    message: Message
    index: int  # position in the whole conversation


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    speaker: Speaker
    start: float  # seconds from the start of the conversation
    end: float
    position: int


@dataclass(frozen=True)
class Conversation:
    id: str
    messages: tuple[Message, ...]
    sentences: tuple[Sentence, ...]
    members: tuple[Speaker, ...]  # everyone: the given members, then unknown speakers
    duration: float
    day: date  # the conversation's start date (UTC)
    start: datetime

    def day_of(self, message: Message) -> date:
        """The day (UTC) a message was said: what "tomorrow" or "Friday" in it is read
        against. A conversation can span days (a Text API append stated days later)."""
        return (self.start + timedelta(seconds=message.start)).date()

    def said_before(self, sentence: Sentence, *, messages: int, reach: int,
                    itself: bool = False) -> Iterator[Sentence]:
        """The sentences just before ``sentence`` (and it first, with ``itself``), latest
        first, back at most ``messages`` messages and ``reach`` sentences: the exchange a
        word like "then" or "the invite" points back into. The sentence cap keeps a long
        monologue from being read again for each such word in it."""
        first = sentence.index if itself else sentence.index - 1
        for index in range(first, max(-1, sentence.index - 1 - reach), -1):
            earlier = self.sentences[index]
            if sentence.message.position - earlier.message.position > messages:
                return
            yield earlier


def build(conversation_id: str, messages: list[dict], members: list[dict], *,
          duration: float, start_time: str) -> Conversation:
    start = parse_time(start_time)
    if start is None:
        raise ValueError(f"start_time is not an ISO-8601 time: {start_time!r}")
    people: dict[str, Speaker] = {}
    for member in members or ():
        speaker = _speaker(member)
        people.setdefault(speaker.id, speaker)
    msgs: list[Message] = []
    sents: list[Sentence] = []
    by_name = {p.name.lower(): p for p in people.values()}
    for position, raw in enumerate(messages or ()):
        sender = raw.get("from") if isinstance(raw.get("from"), dict) else {}
        speaker = _speaker(sender)
        if not sender.get("id") and speaker.name.lower() in by_name:  # named, but without an id
            speaker = by_name[speaker.name.lower()]
        speaker = people.setdefault(speaker.id, speaker)
        t0, t1 = _times(raw, start)
        text = raw.get("text") if isinstance(raw.get("text"), str) else ""
        message = Message(str(raw.get("id", position)), text, speaker, t0, t1, position)
        msgs.append(message)
        for span in sentences.split(text):
            sents.append(Sentence(span.text, span.start, message, len(sents)))
    ends = [m.end for m in msgs]
    total = max([float(duration or 0.0), *ends]) if ends else max(float(duration or 0.0), 0.0)
    return Conversation(str(conversation_id), tuple(msgs), tuple(sents), tuple(people.values()),
                        total, start.date(), start)


def _speaker(raw: dict) -> Speaker:
    name = str(raw.get("name") or "").strip()
    ident = str(raw.get("id") or raw.get("userId") or name or "unknown")
    email = raw.get("email") or raw.get("userId")
    email = str(email) if email and "@" in str(email) else None
    return Speaker(ident, name or "Unknown Speaker", email)


def _times(raw: dict, start: datetime) -> tuple[float, float]:
    """Offsets in seconds: timeOffset/duration when present, else from startTime/endTime."""
    t0 = _number(raw.get("timeOffset"))
    length = _number(raw.get("duration"))
    if t0 is None:
        when = parse_time(raw.get("startTime"))
        t0 = (when - start).total_seconds() if when else 0.0
    if length is None:
        when = parse_time(raw.get("endTime"))
        length = (when - start).total_seconds() - t0 if when else 0.0
    t0 = max(t0, 0.0)
    return t0, t0 + max(length, 0.0)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def parse_time(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)

