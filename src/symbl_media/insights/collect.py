"""Fetch a finished conversation's insights from the Conversation API into one typed value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from symbl_media.client.calls import SymblClient
from symbl_media.contract import endpoints as api
from symbl_media.contract import shapes as k
from symbl_media.contract.times import api_time
from symbl_media.errors import ApiError


@dataclass(frozen=True)
class Insights:
    """Everything the Conversation API gives for one conversation, as returned."""

    conversation_id: str
    conversation: dict
    messages: tuple[dict, ...]
    topics: tuple[dict, ...]
    action_items: tuple[dict, ...]
    follow_ups: tuple[dict, ...]
    questions: tuple[dict, ...]
    entities: tuple[dict, ...]
    members: tuple[dict, ...]
    trackers: tuple[dict, ...] = ()
    summary: tuple[dict, ...] = ()
    analytics: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # things the user should know (summary unavailable, ...)
    # The time zero of the recording or transcript, when the client knows it: a transcript
    # this client sent states its times from text_input.DEFAULT_START. The service counts
    # timeOffset from the conversation's start (a transcript's first cue), so message times
    # are then read as startTime less this (see render).
    origin: datetime | None = None

    @property
    def duration(self) -> float:
        """Seconds covered by the transcript (the last message's end; from ``origin`` when
        it is known)."""
        origin = _utc(self.origin) if self.origin is not None else None
        ends = []
        for m in self.messages:
            start = float(m.get(k.MESSAGE.time_offset) or 0)
            stated = _instant(m.get(k.MESSAGE.start_time)) if origin is not None else None
            if stated is not None:
                start = (stated - origin).total_seconds()
            ends.append(start + float(m.get(k.MESSAGE.duration) or 0))
        return max(ends, default=0.0)

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speaker names in order of first speaking."""
        seen: dict[str, None] = {}
        for message in self.messages:
            who = (message.get(k.MESSAGE.from_) or {}).get(k.PERSON.name)
            if who:
                seen.setdefault(who, None)
        return tuple(seen)

    def to_json(self) -> dict:
        # Each list under the key the Conversation API answers it with, so a saved file reads
        # like the replies it was made from.
        return {"conversationId": self.conversation_id, "conversation": self.conversation,
                api.MESSAGES.reply: list(self.messages), api.TOPICS.reply: list(self.topics),
                api.ACTION_ITEMS.reply: list(self.action_items),
                api.FOLLOW_UPS.reply: list(self.follow_ups),
                api.QUESTIONS.reply: list(self.questions),
                api.ENTITIES.reply: list(self.entities), api.MEMBERS.reply: list(self.members),
                k.INSIGHTS.trackers: list(self.trackers), api.SUMMARY.reply: list(self.summary),
                k.INSIGHTS.analytics: self.analytics,
                "notes": list(self.notes),
                **({"origin": api_time(self.origin)} if self.origin is not None else {})}


def _instant(value) -> datetime | None:
    """An ISO-8601 time as an aware UTC datetime (none given: UTC); None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return _utc(when)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)



def engine_note(conversation: dict) -> str | None:
    """A note when the server's chosen insights engine could not make the insights and
    another did (the sandbox records it in ``metadata.insightsEngine``)."""
    used = (conversation.get("metadata") or {}).get("insightsEngine")
    if not isinstance(used, dict) or not used.get("requested"):
        return None
    return (f"insights by the {used.get('name')} engine: the {used['requested']} engine was "
            f"unavailable ({used.get('fallbackReason') or 'no reason given'})")


def collect(client: SymblClient, conversation_id: str, *, summary: bool = False,
            trackers: bool = False) -> Insights:
    notes = []
    conversation = client.conversation(conversation_id)
    got = {route: tuple(client.insight(conversation_id, route.tail, **params))
           for route, params in ((api.MESSAGES, {"sentiment": True}), (api.TOPICS, {}),
                                 (api.ACTION_ITEMS, {}), (api.FOLLOW_UPS, {}),
                                 (api.QUESTIONS, {}), (api.ENTITIES, {}), (api.MEMBERS, {}))}
    summary_items: tuple = ()
    if summary:
        try:
            summary_items = tuple(client.insight(conversation_id, api.SUMMARY.tail))
        except ApiError as exc:
            # Symbl answers 404 when no summary was made (too short, or not enabled).
            if exc.status != 404:
                raise
            notes.append(f"no summary: {exc.message}")
    fallback = engine_note(conversation or {})
    if fallback:
        notes.append(fallback)
    found_trackers = tuple(client.trackers(conversation_id)) if trackers else ()
    analytics = client.analytics(conversation_id) or {}
    return Insights(conversation_id, conversation or {}, got[api.MESSAGES], got[api.TOPICS],
                    got[api.ACTION_ITEMS], got[api.FOLLOW_UPS], got[api.QUESTIONS],
                    got[api.ENTITIES], got[api.MEMBERS], found_trackers, summary_items,
                    analytics, tuple(notes))
