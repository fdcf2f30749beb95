"""The pieces' grounded items as one conversation's insights, in the default engine's shape.

What the model does not make comes from the default engine's own result for the same
conversation: entities, trackers, analytics (and the summary when the model gave none).
Items found twice (a piece boundary, a model repeating itself) are kept once; topics are
merged by their words across pieces and scored by how many messages use them; trackers'
``insightRefs`` point at this engine's items, not the default engine's.
"""

from __future__ import annotations

import re

from symbl_media.server.insights import sentiment
from symbl_media.server.insights.ids import make_id

from . import grounding
from .items import Found
from .prompt import Line

MAX_TOPICS = 10


def result(base: dict, found: Found, lines: list[Line], conversation_id: str,
           names: frozenset[str], *, summary: bool) -> dict:
    order = {line.id: line.number for line in lines}

    def said_order(item: dict) -> tuple:
        return (min(order.get(i, 0) for i in item["messageIds"]), item["text"])

    action_items = sorted(_once(found.action_items), key=said_order)
    follow_ups = sorted(_once(found.follow_ups), key=said_order)
    questions = sorted(_once(found.questions), key=said_order)
    out = dict(base)
    out.update(actionItems=action_items, followUps=follow_ups, questions=questions,
               topics=topics(found.topics, lines, conversation_id, names),
               trackers=_trackers(base.get("trackers", []), questions + action_items + follow_ups))
    if summary and found.summary:
        text = " ".join(t for t, _ in found.summary)
        refs = list(dict.fromkeys(i for _, ids in found.summary for i in ids))
        out["summary"] = [{"id": make_id(conversation_id, "summary", text), "text": text,
                           "messageRefs": [{"id": i} for i in refs]}]
    return out


def _once(items: list[dict]) -> list[dict]:
    return list({item["id"]: item for item in reversed(items)}.values())[::-1]


def topics(named: list[tuple[str, str | None]], lines: list[Line], conversation_id: str,
           names: frozenset[str]) -> list[dict]:
    """Topics the conversation's words bear out: each phrase (1 to 4 words, said in some
    message, every content word of it in the same message) with every message that has it;
    scored by that count against the most used topic; a parent kept when it is a topic too."""
    stems = [{grounding.stem(w) for w in grounding.words(line.text)} for line in lines]
    kept: dict[str, tuple[list[str], str | None]] = {}
    for text, parent in named:
        phrase = _phrase(text)
        content = [w for w in grounding.words(phrase) if w not in grounding.GLUE
                   and w not in names]
        if not phrase or not content or len(phrase.split()) > 4 or phrase in kept:
            continue
        ids = [line.id for line, have in zip(lines, stems)
               if all(grounding.stem(w) in have for w in content)]
        if ids:
            kept[phrase] = (ids, _phrase(parent) if parent else None)
    if not kept:
        return []
    ranked = sorted(kept.items(), key=lambda kv: -len(kv[1][0]))[:MAX_TOPICS]
    top = len(ranked[0][1][0])
    texts = {line.id: line.text for line in lines}
    out = []
    for phrase, (ids, parent) in ranked:
        parent_refs = ([{"type": "topic", "text": parent}]
                       if parent and parent != phrase and parent in dict(ranked) else [])
        out.append({"id": make_id(conversation_id, "topic", phrase), "text": phrase,
                    "type": "topic", "score": round(len(ids) / top, 3), "messageIds": ids,
                    "sentiment": sentiment(" ".join(texts[i] for i in ids[:50])),
                    "parentRefs": parent_refs})
    return out


def _phrase(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'’-]", " ", text or "").lower().split())


def _trackers(trackers: list[dict], items: list[dict]) -> list[dict]:
    """The default engine's tracker matches, with insightRefs into these items."""
    out = []
    for tracker in trackers:
        matches = []
        for match in tracker.get("matches", []):
            pattern = r"\b" + r"\s+".join(map(re.escape, str(match.get("value", "")).split())) \
                + r"\b"
            refs = []
            for item in items:
                m = re.search(pattern, item["text"], re.IGNORECASE)
                if m:
                    refs.append({"id": item["id"], "type": item["type"], "text": item["text"],
                                 "offset": m.start()})
            matches.append({**match, "insightRefs": refs})
        out.append({**tracker, "matches": matches})
    return out
