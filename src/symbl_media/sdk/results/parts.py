"""What the Conversation API answers, as typed values.

Each value is read from the JSON the service sent and keeps it: ``to_json()`` gives back that
JSON unchanged (the documented shape, camelCase, fields this module does not know included),
so nothing is lost by going through the types. Lists are tuples with the attribute the
official SDK's models had (``get_messages().messages``) and ``to_json()`` for the whole reply
(``{"messages": [...]}``). Times are ``datetime`` (UTC) when the service sent ISO-8601, else
None; numbers the service left out are None, never a made-up 0.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from symbl_media.contract import endpoints as api


def _time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _id(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(value) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


class _Value:
    """Shared by every item: the JSON it was read from, a copy of it on the way out."""

    data: dict

    def to_json(self) -> dict:
        return copy.deepcopy(self.data)


# ----------------------------------------------------------------------------- small parts

@dataclass(frozen=True)
class Person(_Value):
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
        return cls(_id(data.get("id")), _text(data.get("name")), _text(data.get("email")),
                   _text(data.get("userId")), data)


@dataclass(frozen=True)
class Sentiment(_Value):
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
        return cls(_number(polarity.get("score")), _text(data.get("suggested")), data)


@dataclass(frozen=True)
class _Polarity:
    score: float | None


@dataclass(frozen=True)
class Phrase(_Value):
    type: str | None
    text: str | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Phrase:
        return cls(_text(data.get("type")), _text(data.get("text")), data)


@dataclass(frozen=True)
class Word(_Value):
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
        return cls(_text(data.get("word")), _time(data.get("startTime")),
                   _time(data.get("endTime")), _number(data.get("timeOffset")),
                   _number(data.get("duration")), _number(data.get("score")),
                   tag if isinstance(tag, int) and not isinstance(tag, bool) else None, data)


@dataclass(frozen=True)
class Ref(_Value):
    """A pointer to a message or an insight: ``messageRefs``, ``insightRefs``, ``parentRefs``."""

    id: str | None
    type: str | None
    text: str | None
    offset: int | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Ref:
        offset = data.get("offset")
        return cls(_id(data.get("id")), _text(data.get("type")), _text(data.get("text")),
                   offset if isinstance(offset, int) and not isinstance(offset, bool) else None,
                   data)


def _refs(value) -> tuple[Ref, ...]:
    return tuple(Ref.from_json(d) for d in _dicts(value))


# ----------------------------------------------------------------------------- items

@dataclass(frozen=True)
class Message(_Value):
    id: str | None
    text: str | None
    from_: Person | None  # ``from`` in JSON
    start_time: datetime | None
    end_time: datetime | None
    time_offset: float | None  # seconds from the start of the conversation
    duration: float | None
    conversation_id: str | None
    phrases: tuple[Phrase, ...]
    sentiment: Sentiment | None  # with messages(parameters={"sentiment": True})
    words: tuple[Word, ...]  # with messages(parameters={"verbose": True})
    data: dict = field(repr=False, compare=False)

    @property
    def _from(self) -> Person | None:
        """The official SDK's spelling (``message._from.name``)."""
        return self.from_

    @property
    def speaker(self) -> str | None:
        return self.from_.name if self.from_ else None

    @classmethod
    def from_json(cls, data: dict) -> Message:
        return cls(_id(data.get("id")), _text(data.get("text")),
                   Person.from_json(data.get("from")), _time(data.get("startTime")),
                   _time(data.get("endTime")), _number(data.get("timeOffset")),
                   _number(data.get("duration")), _id(data.get("conversationId")),
                   tuple(Phrase.from_json(p) for p in _dicts(data.get("phrases"))),
                   Sentiment.from_json(data.get("sentiment")),
                   tuple(Word.from_json(w) for w in _dicts(data.get("words"))), data)


@dataclass(frozen=True)
class Topic(_Value):
    id: str | None
    text: str | None
    type: str | None
    score: float | None
    message_ids: tuple[str, ...]
    sentiment: Sentiment | None
    parent_refs: tuple[Ref, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Topic:
        return cls(_id(data.get("id")), _text(data.get("text")), _text(data.get("type")),
                   _number(data.get("score")), _strings(data.get("messageIds")),
                   Sentiment.from_json(data.get("sentiment")), _refs(data.get("parentRefs")),
                   data)


@dataclass(frozen=True)
class Insight(_Value):
    """An action item, follow-up or question."""

    id: str | None
    text: str | None
    type: str | None  # "action_item", "follow_up" or "question"
    score: float | None
    message_ids: tuple[str, ...]
    from_: Person | None
    assignee: Person | None
    due_by: datetime | None
    definitive: bool | None
    phrases: tuple[Phrase, ...]
    entities: tuple[dict, ...]  # their ``value`` may be a string or an object
    data: dict = field(repr=False, compare=False)

    @property
    def _from(self) -> Person | None:
        return self.from_

    @classmethod
    def from_json(cls, data: dict) -> Insight:
        definitive = data.get("definitive")
        return cls(_id(data.get("id")), _text(data.get("text")), _text(data.get("type")),
                   _number(data.get("score")), _strings(data.get("messageIds")),
                   Person.from_json(data.get("from")), Person.from_json(data.get("assignee")),
                   _time(data.get("dueBy")),
                   definitive if isinstance(definitive, bool) else None,
                   tuple(Phrase.from_json(p) for p in _dicts(data.get("phrases"))),
                   tuple(copy.deepcopy(_dicts(data.get("entities")))), data)


class ActionItem(Insight):
    pass


class FollowUp(Insight):
    pass


class Question(Insight):
    pass


@dataclass(frozen=True)
class Entity(_Value):
    type: str | None
    value: object  # a string, or an object for some types
    text: str | None
    custom_type: str | None
    message_refs: tuple[Ref, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Entity:
        return cls(_text(data.get("type")), copy.deepcopy(data.get("value")),
                   _text(data.get("text")), _text(data.get("customType")),
                   _refs(data.get("messageRefs")), data)


@dataclass(frozen=True)
class TrackerMatch(_Value):
    type: str | None
    value: str | None
    message_refs: tuple[Ref, ...]
    insight_refs: tuple[Ref, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> TrackerMatch:
        return cls(_text(data.get("type")), _text(data.get("value")),
                   _refs(data.get("messageRefs")), _refs(data.get("insightRefs")), data)


@dataclass(frozen=True)
class Tracker(_Value):
    id: str | None
    name: str | None
    matches: tuple[TrackerMatch, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Tracker:
        return cls(_id(data.get("id")), _text(data.get("name")),
                   tuple(TrackerMatch.from_json(m) for m in _dicts(data.get("matches"))), data)


@dataclass(frozen=True)
class SummaryItem(_Value):
    id: str | None
    text: str | None
    message_refs: tuple[Ref, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> SummaryItem:
        return cls(_id(data.get("id")), _text(data.get("text")),
                   _refs(data.get("messageRefs")), data)


# ----------------------------------------------------------------------------- lists

class Listing(tuple):
    """A tuple of items that converts back to the reply it came from."""

    key: ClassVar[str]  # the reply's key, from the contract (api.ACTION_ITEMS.reply, ...)
    item: ClassVar[type]

    @classmethod
    def from_json(cls, items) -> Listing:
        return cls(cls.item.from_json(d) for d in _dicts(items))

    def to_json(self) -> dict:
        return {self.key: [item.to_json() for item in self]}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class Messages(Listing):
    key, item = api.MESSAGES.reply, Message

    @property
    def messages(self) -> Messages:
        return self


class Topics(Listing):
    key, item = api.TOPICS.reply, Topic

    @property
    def topics(self) -> Topics:
        return self


class ActionItems(Listing):
    key, item = api.ACTION_ITEMS.reply, ActionItem

    @property
    def action_items(self) -> ActionItems:
        return self


class FollowUps(Listing):
    key, item = api.FOLLOW_UPS.reply, FollowUp

    @property
    def follow_ups(self) -> FollowUps:
        return self


class Questions(Listing):
    key, item = api.QUESTIONS.reply, Question

    @property
    def questions(self) -> Questions:
        return self


class Entities(Listing):
    key, item = api.ENTITIES.reply, Entity

    @property
    def entities(self) -> Entities:
        return self


class Members(Listing):
    key, item = api.MEMBERS.reply, Person

    @property
    def members(self) -> Members:
        return self


class Summary(Listing):
    key, item = api.SUMMARY.reply, SummaryItem

    @property
    def summary(self) -> Summary:
        return self


class Trackers(Listing):
    """The one reply that is a bare JSON array (``/trackers-detected``), so its ``key`` names
    only the attribute."""

    key, item = "trackers", Tracker

    @property
    def trackers(self) -> Trackers:
        return self

    def to_json(self) -> list:  # type: ignore[override]
        return [item.to_json() for item in self]


# ----------------------------------------------------------------------------- objects

@dataclass(frozen=True)
class Metric(_Value):
    type: str | None  # "total_silence", "total_talk_time", "total_overlap"
    percent: float | None
    seconds: float | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Metric:
        return cls(_text(data.get("type")), _number(data.get("percent")),
                   _number(data.get("seconds")), data)


@dataclass(frozen=True)
class MemberStats(_Value):
    id: str | None
    name: str | None
    user_id: str | None
    words_per_minute: float | None
    talk_seconds: float | None
    talk_percentage: float | None
    listen_seconds: float | None
    listen_percentage: float | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> MemberStats:
        def part(key: str) -> dict:
            value = data.get(key)
            return value if isinstance(value, dict) else {}

        return cls(_id(data.get("id")), _text(data.get("name")), _text(data.get("userId")),
                   _number(part("pace").get("wpm")), _number(part("talkTime").get("seconds")),
                   _number(part("talkTime").get("percentage")),
                   _number(part("listenTime").get("seconds")),
                   _number(part("listenTime").get("percentage")), data)


@dataclass(frozen=True)
class Analytics(_Value):
    metrics: tuple[Metric, ...]
    members: tuple[MemberStats, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data) -> Analytics:
        data = data if isinstance(data, dict) else {}
        return cls(tuple(Metric.from_json(m) for m in _dicts(data.get("metrics"))),
                   tuple(MemberStats.from_json(m) for m in _dicts(data.get("members"))), data)


@dataclass(frozen=True)
class ConversationInfo(_Value):
    """``GET /v1/conversations/{id}``: its name, times, members and metadata."""

    id: str | None
    type: str | None
    name: str | None
    start_time: datetime | None
    end_time: datetime | None
    members: tuple[Person, ...]
    metadata: dict
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data) -> ConversationInfo:
        data = data if isinstance(data, dict) else {}
        metadata = data.get("metadata")
        return cls(_id(data.get("id")), _text(data.get("type")), _text(data.get("name")),
                   _time(data.get("startTime")), _time(data.get("endTime")),
                   tuple(Person.from_json(m) for m in _dicts(data.get("members"))),
                   copy.deepcopy(metadata) if isinstance(metadata, dict) else {}, data)
