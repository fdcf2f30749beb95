"""What each item of a Conversation API reply is made of: the JSON key of every field, once.

Each shape is a frozen dataclass whose attributes are the field names the Python API uses
(``MESSAGE.start_time``) and whose values are the keys on the wire (``"startTime"``). The
server builds its replies with these keys and the SDK reads them with the same ones, so a key
is spelled in one place; a misspelt attribute is an AttributeError (and a mypy error), not a
field that silently goes missing. ``PARTS`` says which field holds a smaller shape, so a whole
item can be checked against the contract (``unknown_keys``).

Pure data: no I/O, nothing of the package but this folder.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class PersonKeys:  # a speaker (a message's "from"), a member, an assignee
    id: str = "id"
    name: str = "name"
    email: str = "email"
    user_id: str = "userId"


@dataclass(frozen=True)
class PolarityKeys:
    score: str = "score"  # -1 to 1


@dataclass(frozen=True)
class SentimentKeys:
    polarity: str = "polarity"
    suggested: str = "suggested"  # "positive", "neutral" or "negative"


@dataclass(frozen=True)
class PhraseKeys:
    type: str = "type"
    text: str = "text"


@dataclass(frozen=True)
class WordKeys:
    word: str = "word"
    start_time: str = "startTime"
    end_time: str = "endTime"
    speaker_tag: str = "speakerTag"
    score: str = "score"
    time_offset: str = "timeOffset"
    duration: str = "duration"


@dataclass(frozen=True)
class MessageKeys:
    id: str = "id"
    text: str = "text"
    from_: str = "from"
    start_time: str = "startTime"
    end_time: str = "endTime"
    time_offset: str = "timeOffset"
    duration: str = "duration"
    conversation_id: str = "conversationId"
    phrases: str = "phrases"
    sentiment: str = "sentiment"
    words: str = "words"


@dataclass(frozen=True)
class RefKeys:  # a pointer to a message or an insight: messageRefs, insightRefs, parentRefs
    id: str = "id"
    type: str = "type"
    text: str = "text"
    offset: str = "offset"


@dataclass(frozen=True)
class TopicKeys:
    id: str = "id"
    text: str = "text"
    type: str = "type"
    score: str = "score"
    message_ids: str = "messageIds"
    sentiment: str = "sentiment"
    parent_refs: str = "parentRefs"


@dataclass(frozen=True)
class MentionKeys:  # what an action item or follow-up names in its text: a person, a date
    type: str = "type"
    text: str = "text"
    offset: str = "offset"
    value: str = "value"  # a string, or an object ({"name", "assignee"?}) for a person


@dataclass(frozen=True)
class InsightKeys:
    """An action item, a follow-up or a question."""

    id: str = "id"
    text: str = "text"
    type: str = "type"
    score: str = "score"
    message_ids: str = "messageIds"
    from_: str = "from"
    assignee: str = "assignee"
    due_by: str = "dueBy"
    definitive: str = "definitive"
    phrases: str = "phrases"
    entities: str = "entities"


@dataclass(frozen=True)
class EntityKeys:
    type: str = "type"
    value: str = "value"  # a string, or an object for some types
    text: str = "text"
    custom_type: str = "customType"
    message_refs: str = "messageRefs"


@dataclass(frozen=True)
class TrackerMatchKeys:
    type: str = "type"
    value: str = "value"
    message_refs: str = "messageRefs"
    insight_refs: str = "insightRefs"


@dataclass(frozen=True)
class TrackerKeys:
    id: str = "id"
    name: str = "name"
    matches: str = "matches"


@dataclass(frozen=True)
class SummaryItemKeys:
    id: str = "id"
    text: str = "text"
    message_refs: str = "messageRefs"


@dataclass(frozen=True)
class MetricKeys:
    type: str = "type"  # "total_silence", "total_talk_time", "total_overlap"
    percent: str = "percent"
    seconds: str = "seconds"


@dataclass(frozen=True)
class TimeShareKeys:  # a member's talkTime or listenTime
    percentage: str = "percentage"
    seconds: str = "seconds"


@dataclass(frozen=True)
class PaceKeys:
    wpm: str = "wpm"


@dataclass(frozen=True)
class OverlapKeys:
    overlap_duration: str = "overlapDuration"
    overlapping_members: str = "overlappingMembers"


@dataclass(frozen=True)
class OverlappingMemberKeys:
    id: str = "id"
    name: str = "name"
    user_id: str = "userId"
    percent: str = "percent"
    seconds: str = "seconds"


@dataclass(frozen=True)
class MemberStatsKeys:
    id: str = "id"
    name: str = "name"
    user_id: str = "userId"
    pace: str = "pace"
    talk_time: str = "talkTime"
    listen_time: str = "listenTime"
    overlap: str = "overlap"


@dataclass(frozen=True)
class AnalyticsKeys:
    metrics: str = "metrics"
    members: str = "members"


@dataclass(frozen=True)
class ConversationKeys:
    """``GET /v1/conversations/{id}``: the conversation's own record."""

    id: str = "id"
    type: str = "type"
    name: str = "name"
    start_time: str = "startTime"
    end_time: str = "endTime"
    members: str = "members"
    metadata: str = "metadata"  # free-form: whatever the user put there


@dataclass(frozen=True)
class InsightsKeys:
    """Every insight of a conversation at once, as the sandbox keeps them: each list under
    its reply key (contract/endpoints.py), plus the trackers and analytics."""

    topics: str = "topics"
    action_items: str = "actionItems"
    follow_ups: str = "followUps"
    questions: str = "questions"
    entities: str = "entities"
    trackers: str = "trackers"
    summary: str = "summary"
    analytics: str = "analytics"


PERSON = PersonKeys()
POLARITY = PolarityKeys()
SENTIMENT = SentimentKeys()
PHRASE = PhraseKeys()
WORD = WordKeys()
MESSAGE = MessageKeys()
REF = RefKeys()
TOPIC = TopicKeys()
MENTION = MentionKeys()
INSIGHT = InsightKeys()
ENTITY = EntityKeys()
TRACKER_MATCH = TrackerMatchKeys()
TRACKER = TrackerKeys()
SUMMARY_ITEM = SummaryItemKeys()
METRIC = MetricKeys()
TIME_SHARE = TimeShareKeys()
PACE = PaceKeys()
OVERLAP = OverlapKeys()
OVERLAPPING_MEMBER = OverlappingMemberKeys()
MEMBER_STATS = MemberStatsKeys()
ANALYTICS = AnalyticsKeys()
CONVERSATION = ConversationKeys()
INSIGHTS = InsightsKeys()

# The values of ``type`` the Conversation API uses for its items.
ACTION_ITEM, FOLLOW_UP, QUESTION, TOPIC_TYPE = "action_item", "follow_up", "question", "topic"
ACTION_PHRASE = "action_phrase"

# Which field of a shape holds a smaller shape (an object, or a list of them). Fields not
# named here hold plain values, or free-form ones (metadata, an entity's value) left unchecked.
PARTS: dict[Any, dict[str, Any]] = {
    SENTIMENT: {SENTIMENT.polarity: POLARITY},
    MESSAGE: {MESSAGE.from_: PERSON, MESSAGE.phrases: PHRASE, MESSAGE.sentiment: SENTIMENT,
              MESSAGE.words: WORD},
    TOPIC: {TOPIC.sentiment: SENTIMENT, TOPIC.parent_refs: REF},
    INSIGHT: {INSIGHT.from_: PERSON, INSIGHT.assignee: PERSON, INSIGHT.phrases: PHRASE,
              INSIGHT.entities: MENTION},
    ENTITY: {ENTITY.message_refs: REF},
    TRACKER_MATCH: {TRACKER_MATCH.message_refs: REF, TRACKER_MATCH.insight_refs: REF},
    TRACKER: {TRACKER.matches: TRACKER_MATCH},
    SUMMARY_ITEM: {SUMMARY_ITEM.message_refs: REF},
    MEMBER_STATS: {MEMBER_STATS.pace: PACE, MEMBER_STATS.talk_time: TIME_SHARE,
                   MEMBER_STATS.listen_time: TIME_SHARE, MEMBER_STATS.overlap: OVERLAP},
    OVERLAP: {OVERLAP.overlapping_members: OVERLAPPING_MEMBER},
    ANALYTICS: {ANALYTICS.metrics: METRIC, ANALYTICS.members: MEMBER_STATS},
    CONVERSATION: {CONVERSATION.members: PERSON},
    INSIGHTS: {INSIGHTS.topics: TOPIC, INSIGHTS.action_items: INSIGHT,
               INSIGHTS.follow_ups: INSIGHT, INSIGHTS.questions: INSIGHT,
               INSIGHTS.entities: ENTITY, INSIGHTS.trackers: TRACKER,
               INSIGHTS.summary: SUMMARY_ITEM, INSIGHTS.analytics: ANALYTICS},
}


def keys(shape: Any) -> frozenset[str]:
    """Every key a shape's JSON may have."""
    return frozenset(f.default for f in fields(shape) if isinstance(f.default, str))


def unknown_keys(shape: Any, value: Any, where: str = "") -> list[str]:
    """Where ``value`` (an item of ``shape``, or a list of them) has a key the contract does
    not name, as paths (``actionItems[0].from.nickname``); [] when it keeps to the contract."""
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in unknown_keys(shape, v, f"{where}[{i}]")]
    if not isinstance(value, dict):
        return []
    known = keys(shape)
    parts = PARTS.get(shape, {})
    found = []
    for key, inner in value.items():
        path = f"{where}.{key}" if where else key
        if key not in known:
            found.append(path)
        elif key in parts:
            found += unknown_keys(parts[key], inner, path)
    return found
