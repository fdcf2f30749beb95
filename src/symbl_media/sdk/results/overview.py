"""What is the conversation as a whole? Its own record (``GET /v1/conversations/{id}``: name,
times, members, metadata) and its analytics (silence, talk time, pace per member)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from symbl_media.sdk.results.parts import (Person, Value, as_id, as_number, as_text, as_time,
                                           dicts)


@dataclass(frozen=True)
class Metric(Value):
    type: str | None  # "total_silence", "total_talk_time", "total_overlap"
    percent: float | None
    seconds: float | None
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Metric:
        return cls(as_text(data.get("type")), as_number(data.get("percent")),
                   as_number(data.get("seconds")), data)


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

        return cls(as_id(data.get("id")), as_text(data.get("name")), as_text(data.get("userId")),
                   as_number(part("pace").get("wpm")), as_number(part("talkTime").get("seconds")),
                   as_number(part("talkTime").get("percentage")),
                   as_number(part("listenTime").get("seconds")),
                   as_number(part("listenTime").get("percentage")), data)


@dataclass(frozen=True)
class Analytics(Value):
    metrics: tuple[Metric, ...]
    members: tuple[MemberStats, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data) -> Analytics:
        data = data if isinstance(data, dict) else {}
        return cls(tuple(Metric.from_json(m) for m in dicts(data.get("metrics"))),
                   tuple(MemberStats.from_json(m) for m in dicts(data.get("members"))), data)


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
        metadata = data.get("metadata")
        return cls(as_id(data.get("id")), as_text(data.get("type")), as_text(data.get("name")),
                   as_time(data.get("startTime")), as_time(data.get("endTime")),
                   tuple(Person.from_json(m) for m in dicts(data.get("members"))),
                   copy.deepcopy(metadata) if isinstance(metadata, dict) else {}, data)
