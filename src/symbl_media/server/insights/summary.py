"""Summary: an extractive digest, a handful of the most informative sentences.

A local heuristic, not Symbl's abstractive model: sentences are scored by the weight of the
topic words they contain, with a bonus for action items (and a smaller one for questions) and a penalty for very
short sentences; the best are kept in the order they were said, grouped in up to five
consecutive parts of the conversation (one per twenty sentences), and quoted with their speakers' names.
"""

from __future__ import annotations

import math
from collections import Counter

from .conversation import Conversation, Sentence
from .ids import make_id
from .words import STOPWORDS, stem, tokens

_MAX_PARTS = 5
_SENTENCES_PER_PART = 20
_MIN_WORDS = 4


def summarise(conversation: Conversation, topics: list[dict], insights: list[dict]) -> list[dict]:
    sentences = conversation.sentences
    if not sentences:
        return []
    scores = _scores(conversation, topics, insights)
    keep = max(1, min(_MAX_PARTS * 3, round(math.sqrt(len(sentences)))))
    best = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))[:keep]
    chosen = sorted(i for i in best if scores[i] > 0) or sorted(best[:1])
    parts = _parts(len(sentences), min(_MAX_PARTS, math.ceil(len(sentences) / _SENTENCES_PER_PART)))
    summary = []
    for lo, hi in parts:
        picked = [sentences[i] for i in chosen if lo <= i < hi]
        if not picked:
            continue
        text = _quote(picked)
        ids = list(dict.fromkeys(s.message.id for s in picked))
        summary.append({"id": make_id(conversation.id, "summary", text), "text": text,
                        "messageRefs": [{"id": i} for i in ids]})
    return summary


def _scores(conversation: Conversation, topics: list[dict], insights: list[dict]) -> list[float]:
    counts = Counter(stem(t.text) for s in conversation.sentences for t in tokens(s.text)
                     if t.lower not in STOPWORDS)
    topic_words = {stem(t.text): topic["score"] for topic in topics for t in tokens(topic["text"])}
    bonus = {(mid, i["text"]): 0.5 if i["type"] == "question" else 1.0
             for i in insights for mid in i["messageIds"]}
    scores = []
    for s in conversation.sentences:
        words = [stem(t.text) for t in tokens(s.text) if t.lower not in STOPWORDS]
        if not words:
            scores.append(0.0)
            continue
        value = sum(topic_words.get(w, 0.0) * 2 + math.log1p(counts[w]) for w in set(words))
        value /= math.sqrt(len(set(words)))
        value += bonus.get((s.message.id, s.text), 0.0)
        if len(tokens(s.text)) < _MIN_WORDS:
            value *= 0.3
        scores.append(round(value, 6))
    return scores


def _parts(n: int, k: int) -> list[tuple[int, int]]:
    k = max(k, 1)
    bounds = [round(i * n / k) for i in range(k + 1)]
    return [(bounds[i], bounds[i + 1]) for i in range(k)]


def _quote(picked: list[Sentence]) -> str:
    pieces, last = [], None
    for s in picked:
        name = s.message.speaker.name
        pieces.append(s.text if name == last else f"{name}: {s.text}")
        last = name
    return " ".join(pieces)
