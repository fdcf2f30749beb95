"""The sandbox's insight engine: Conversation API insights from messages, by local heuristics.

Pure Python, no network. The methods are simple rules written for this sandbox, with a
second look (second_look.py) by a logistic regression whose weights, fitted on the sandbox's
labelled conversations, ship in the package; not Symbl's models. docs/sandbox-insights.md
says what each finds and misses.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import action_items as action_items_
from . import (
    actions,
    analytics,
    entities,
    questions,
    sentences,
    summary,
    topics,
    trackers,
)
from .conversation import build
from .people import People
from .sentiment import sentiment

__all__ = ["InsightOptions", "analyse", "phrases", "sentiment"]


@dataclass(frozen=True)
class InsightOptions:
    detect_entities: bool = False
    custom_entities: tuple[dict, ...] = ()  # [{"customType": "...", "text": "...", "value"?: "..."}]
    trackers: tuple[dict, ...] = ()  # [{"name": "...", "vocabulary": ["...", ...]}]
    enable_summary: bool = False
    detect_phrases: bool = False  # also fills action items' and follow-ups' `phrases`


def analyse(conversation_id: str, messages: list[dict], members: list[dict], *, duration: float,
            start_time: str, options: InsightOptions = InsightOptions()) -> dict:
    """Every insight of one conversation, in the Conversation API's shapes.

    Returns {"topics", "actionItems", "followUps", "questions", "entities", "trackers",
    "summary", "analytics"}; the same input always gives the same output, ids included.
    Topics carry `sentiment`: a server drops it unless the request asked for sentiment.
    """
    conversation = build(conversation_id, messages, members, duration=duration, start_time=start_time)
    people = People(conversation.members)
    names = frozenset(w.lower() for m in conversation.members for w in m.name.split())
    found_topics = topics.find(conversation, names | _addressed(conversation, people))
    action_items, follow_ups = action_items_.find(conversation, people, with_phrases=options.detect_phrases)
    found_questions = questions.find(conversation, names)
    insights = found_questions + action_items + follow_ups
    return {
        "topics": found_topics,
        "actionItems": action_items,
        "followUps": follow_ups,
        "questions": found_questions,
        "entities": entities.find(conversation, people, detect=options.detect_entities,
                                  custom=tuple(options.custom_entities or ())),
        "trackers": trackers.find(conversation, tuple(options.trackers or ()), insights),
        "summary": summary.summarise(conversation, found_topics, insights) if options.enable_summary else [],
        "analytics": analytics.analyse(conversation),
    }


def _addressed(conversation, people: People) -> frozenset[str]:
    """Names of people spoken to or about who are not members ("Bob, please ..."): not topics."""
    found, lower = set(), set()
    for sentence in conversation.sentences:
        lower.update(w for w in sentence.text.split() if w.islower())
        mention = people.addressee(sentence.text)
        for m in ([mention] if mention else []) + people.named_after_cues(sentence.text):
            found.update(w.lower() for w in m.text.split())
    return frozenset(found - lower)  # "Annual, probably." - "annual plan": a word, not a name


def phrases(text: str) -> list[dict]:
    """detectPhrases for one message: the action-like span of each sentence that has one."""
    found = []
    for span in sentences.split(text or ""):
        action = actions.detect(span.text)
        if action is not None:
            found.append({"type": "action_phrase", "text": action.phrase(span.text)})
    return found
