"""What came out of it? The insights: topics, action items, follow-ups, questions, the
trackers that matched and the summary."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from symbl_media.contract import endpoints as api
from symbl_media.contract import shapes as k
from symbl_media.sdk.results.parts import (
    Listing,
    Person,
    Phrase,
    Ref,
    Sentiment,
    Value,
    as_id,
    as_number,
    as_text,
    as_time,
    dicts,
    refs,
    strings,
)


@dataclass(frozen=True)
class Topic(Value):
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
        t = k.TOPIC
        return cls(as_id(data.get(t.id)), as_text(data.get(t.text)), as_text(data.get(t.type)),
                   as_number(data.get(t.score)), strings(data.get(t.message_ids)),
                   Sentiment.from_json(data.get(t.sentiment)), refs(data.get(t.parent_refs)),
                   data)


@dataclass(frozen=True)
class Insight(Value):
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
        i = k.INSIGHT
        definitive = data.get(i.definitive)
        return cls(as_id(data.get(i.id)), as_text(data.get(i.text)), as_text(data.get(i.type)),
                   as_number(data.get(i.score)), strings(data.get(i.message_ids)),
                   Person.from_json(data.get(i.from_)), Person.from_json(data.get(i.assignee)),
                   as_time(data.get(i.due_by)),
                   definitive if isinstance(definitive, bool) else None,
                   tuple(Phrase.from_json(p) for p in dicts(data.get(i.phrases))),
                   tuple(copy.deepcopy(dicts(data.get(i.entities)))), data)


class ActionItem(Insight):
    pass


class FollowUp(Insight):
    pass


class Question(Insight):
    pass


@dataclass(frozen=True)
class TrackerMatch(Value):
    type: str | None
    value: str | None
    message_refs: tuple[Ref, ...]
    insight_refs: tuple[Ref, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> TrackerMatch:
        t = k.TRACKER_MATCH
        return cls(as_text(data.get(t.type)), as_text(data.get(t.value)),
                   refs(data.get(t.message_refs)), refs(data.get(t.insight_refs)), data)


@dataclass(frozen=True)
class Tracker(Value):
    id: str | None
    name: str | None
    matches: tuple[TrackerMatch, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Tracker:
        return cls(as_id(data.get(k.TRACKER.id)), as_text(data.get(k.TRACKER.name)),
                   tuple(TrackerMatch.from_json(m) for m in dicts(data.get(k.TRACKER.matches))),
                   data)


@dataclass(frozen=True)
class SummaryItem(Value):
    id: str | None
    text: str | None
    message_refs: tuple[Ref, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> SummaryItem:
        s = k.SUMMARY_ITEM
        return cls(as_id(data.get(s.id)), as_text(data.get(s.text)),
                   refs(data.get(s.message_refs)), data)


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


class Summary(Listing):
    key, item = api.SUMMARY.reply, SummaryItem

    @property
    def summary(self) -> Summary:
        return self


class Trackers(Listing):
    """The one reply that is a bare JSON array (``/trackers-detected``), so its ``key`` names
    only the attribute."""

    key, item = k.INSIGHTS.trackers, Tracker

    @property
    def trackers(self) -> Trackers:
        return self

    def to_json(self) -> list:  # type: ignore[override]
        return [item.to_json() for item in self]
