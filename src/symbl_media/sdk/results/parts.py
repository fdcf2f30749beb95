"""How is a reply read? The readers that never guess (a time the service did not send as
ISO-8601 is None, a number it left out is None, never 0), the base every item shares (it keeps
its JSON), the small parts items are made of (people, sentiment, phrases, words, references),
and ``Listing``, the tuple a list reply becomes. ``str()`` of any of them (so ``print()``) is
the reply as indented JSON, what a person reads; ``repr()`` stays the dataclass, for debugging."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar


def as_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def as_id(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value)


def as_number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def as_text(value) -> str | None:
    return value if isinstance(value, str) else None


def dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def strings(value) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def readable(value) -> str:
    """JSON as ``print()`` shows it: indented, the documented camelCase keys as the service
    sent them, keys whose value is null left out (they say nothing), non-ASCII kept."""
    return json.dumps(_without_nulls(value), indent=2, ensure_ascii=False)


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


class Value:
    """Shared by every item: the JSON it was read from, a copy of it on the way out."""

    data: dict

    def to_json(self) -> dict:
        return copy.deepcopy(self.data)

    def __str__(self) -> str:
        # A dataclass defines __repr__ only, so every item's str() comes from here.
        return readable(self.data)


@dataclass(frozen=True)
class Person(Value):
    """A speaker (a message's ``from``), a member, or an assignee."""

    id: str | None
    name: str | None
    email: str | None
    user_id: str | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data) -> Person | None:
        if not isinstance(data, dict):
            return None
        return cls(as_id(data.get("id")), as_text(data.get("name")), as_text(data.get("email")),
                   as_text(data.get("userId")), data)


@dataclass(frozen=True)
class Sentiment(Value):
    score: float | None  # polarity, -1 to 1
    suggested: str | None  # "positive", "neutral" or "negative"
    data: dict = field(repr=False, compare=False)

    @property
    def polarity(self) -> _Polarity:
        """``sentiment.polarity.score``, as the SDK's models spelled it."""
        return _Polarity(self.score)

    @classmethod
    def from_json(cls, data) -> Sentiment | None:
        if not isinstance(data, dict):
            return None
        polarity = data.get("polarity") if isinstance(data.get("polarity"), dict) else {}
        return cls(as_number(polarity.get("score")), as_text(data.get("suggested")), data)


@dataclass(frozen=True)
class _Polarity:
    score: float | None


@dataclass(frozen=True)
class Phrase(Value):
    type: str | None
    text: str | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Phrase:
        return cls(as_text(data.get("type")), as_text(data.get("text")), data)


@dataclass(frozen=True)
class Word(Value):
    word: str | None
    start_time: datetime | None
    end_time: datetime | None
    time_offset: float | None
    duration: float | None
    score: float | None  # confidence, 0 to 1 (audio only)
    speaker_tag: int | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Word:
        tag = data.get("speakerTag")
        return cls(as_text(data.get("word")), as_time(data.get("startTime")),
                   as_time(data.get("endTime")), as_number(data.get("timeOffset")),
                   as_number(data.get("duration")), as_number(data.get("score")),
                   tag if isinstance(tag, int) and not isinstance(tag, bool) else None, data)


@dataclass(frozen=True)
class Ref(Value):
    """A pointer to a message or an insight: ``messageRefs``, ``insightRefs``, ``parentRefs``."""

    id: str | None
    type: str | None
    text: str | None
    offset: int | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Ref:
        offset = data.get("offset")
        return cls(as_id(data.get("id")), as_text(data.get("type")), as_text(data.get("text")),
                   offset if isinstance(offset, int) and not isinstance(offset, bool) else None,
                   data)


def refs(value) -> tuple[Ref, ...]:
    return tuple(Ref.from_json(d) for d in dicts(value))


class Listing(tuple):
    """A tuple of items that converts back to the reply it came from."""

    key: ClassVar[str]  # the reply's key, from the contract (api.ACTION_ITEMS.reply, ...)
    item: ClassVar[type]

    @classmethod
    def from_json(cls, items) -> Listing:
        return cls(cls.item.from_json(d) for d in dicts(items))

    def to_json(self) -> dict:
        return {self.key: [item.to_json() for item in self]}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"

    def __str__(self) -> str:
        return readable(self.to_json())  # the whole reply: {"topics": [...]}
