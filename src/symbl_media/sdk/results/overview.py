"""What is the conversation as a whole? Its own record (``GET /v1/conversations/{id}``: name,
times, members, metadata) and its analytics (silence, talk time, pace per member)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from symbl_media.contract import shapes as k
from symbl_media.sdk.results.parts import Person, Value, as_id, as_number, as_text, as_time, dicts


@dataclass(frozen=True)
class Metric(Value):
    type: str | None  # "total_silence", "total_talk_time", "total_overlap"
    percent: float | None
    seconds: float | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Metric:
        return cls(as_text(data.get(k.METRIC.type)), as_number(data.get(k.METRIC.percent)),
                   as_number(data.get(k.METRIC.seconds)), data)


@dataclass(frozen=True)
class MemberStats(Value):
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

        m, share = k.MEMBER_STATS, k.TIME_SHARE
        return cls(as_id(data.get(m.id)), as_text(data.get(m.name)), as_text(data.get(m.user_id)),
                   as_number(part(m.pace).get(k.PACE.wpm)),
                   as_number(part(m.talk_time).get(share.seconds)),
                   as_number(part(m.talk_time).get(share.percentage)),
                   as_number(part(m.listen_time).get(share.seconds)),
                   as_number(part(m.listen_time).get(share.percentage)), data)


@dataclass(frozen=True)
class Analytics(Value):
    metrics: tuple[Metric, ...]
    members: tuple[MemberStats, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data) -> Analytics:
        data = data if isinstance(data, dict) else {}
        return cls(tuple(Metric.from_json(m) for m in dicts(data.get(k.ANALYTICS.metrics))),
                   tuple(MemberStats.from_json(m) for m in dicts(data.get(k.ANALYTICS.members))),
                   data)


@dataclass(frozen=True)
class ConversationInfo(Value):
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
        c = k.CONVERSATION
        metadata = data.get(c.metadata)
        return cls(as_id(data.get(c.id)), as_text(data.get(c.type)), as_text(data.get(c.name)),
                   as_time(data.get(c.start_time)), as_time(data.get(c.end_time)),
                   tuple(Person.from_json(m) for m in dicts(data.get(c.members))),
                   copy.deepcopy(metadata) if isinstance(metadata, dict) else {}, data)
