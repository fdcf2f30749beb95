"""Summary: a few sentences per part of the conversation, naming who decided and will do what.

Symbl's summary is abstractive; this one is composed from the other insights, so every
sentence is grounded in what was said: who talked about which topics, the decisions stated
("we agreed to ...", by whom), and the action items, already written in the third person with
their assignee's name. Small talk never reaches it. A part with none of these falls back to
its most informative sentence, quoted with its speaker's name.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .conversation import Conversation, Sentence
from .ids import make_id
from .words import STOPWORDS, stem, tokens

_MAX_PARTS = 5
_SENTENCES_PER_PART = 20
_TOPICS_PER_PART = 3
_ITEMS_PER_PART = 4
_DECISION = re.compile(
    r"\b(?P<who>we|i)\s+(?:(?:have|'ve|just|all)\s+)?(?P<verb>decided|agreed|chose|settled\s+on|"
    r"(?:will|'ll|are\s+going\s+to)\s+go\s+with)\s+(?P<what>[^.?!]+)", re.IGNORECASE)


def summarise(conversation: Conversation, topics: list[dict], insights: list[dict]) -> list[dict]:
    sentences = conversation.sentences
    if not sentences:
        return []
    parts = _parts(len(sentences), min(_MAX_PARTS, math.ceil(len(sentences) / _SENTENCES_PER_PART)))
    position = {m.id: m.position for m in conversation.messages}
    items = [i for i in insights if i["type"] == "action_item"]
    summary = []
    for lo, hi in parts:
        first, last = sentences[lo].message.position, sentences[hi - 1].message.position

        def inside(ids, first=first, last=last):
            return bool(ids) and first <= position[ids[0]] <= last

        lines: list[tuple[str, list[str]]] = []
        part_topics = [t for t in topics if inside(t["messageIds"])][:_TOPICS_PER_PART]
        if part_topics:
            speakers = list(dict.fromkeys(s.message.speaker.name for s in sentences[lo:hi]))
            lines.append((f"{_join(speakers)} talked about {_join([t['text'] for t in part_topics])}.",
                          [t["messageIds"][0] for t in part_topics]))
        lines += [(text, [s.message.id]) for s in sentences[lo:hi] if (text := _decision(s))][:2]
        lines += [(i["text"], i["messageIds"]) for i in items if inside(i["messageIds"])][:_ITEMS_PER_PART]
        if len(lines) <= 1:
            best = _most_informative(conversation, sentences[lo:hi], topics)
            if best is not None:
                lines.append((f"{best.message.speaker.name}: {best.text}", [best.message.id]))
        if not lines:
            continue
        text = " ".join(line for line, _ in lines)
        ids = sorted(dict.fromkeys(i for _, refs in lines for i in refs), key=position.__getitem__)
        summary.append({"id": make_id(conversation.id, "summary", lo, text), "text": text,
                        "messageRefs": [{"id": i} for i in ids]})
    return summary


def _decision(sentence: Sentence) -> str | None:
    """ "We agreed to move the launch to May" by Alice -> "Alice and the team agreed to ..."."""
    m = _DECISION.search(sentence.text)
    if m is None:
        return None
    who = sentence.message.speaker.name + (" and the team" if m.group("who").lower() == "we" else "")
    verb = m.group("verb").lower()
    verb = "went with" if verb.endswith("go with") else verb
    return f"{who} {verb} {m.group('what').strip().rstrip(',;')}."


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _most_informative(conversation: Conversation, sentences, topics: list[dict]) -> Sentence | None:
    """The sentence with the most topic words and frequent content words; short ones lose."""
    counts = Counter(stem(t.text) for s in conversation.sentences for t in tokens(s.text)
                     if t.lower not in STOPWORDS)
    topic_words = {stem(t.text): topic["score"] for topic in topics for t in tokens(topic["text"])}
    best, best_score = None, 0.0
    for s in sentences:
        words = {stem(t.text) for t in tokens(s.text) if t.lower not in STOPWORDS}
        if len(words) < 3:
            continue
        value = sum(topic_words.get(w, 0.0) * 2 + math.log1p(counts[w]) for w in words) / math.sqrt(len(words))
        if value > best_score:
            best, best_score = s, value
    return best


def _parts(n: int, k: int) -> list[tuple[int, int]]:
    k = max(k, 1)
    bounds = [round(i * n / k) for i in range(k + 1)]
    return [(bounds[i], bounds[i + 1]) for i in range(k) if bounds[i] < bounds[i + 1]]
