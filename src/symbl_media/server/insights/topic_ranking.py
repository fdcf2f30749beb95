"""Topics ranked by a learned weighing: which of a conversation's candidate phrases come first.

The hand weight (topics._weight: messages × √count, a bonus for longer phrases, rarity for a
single word) orders the candidates well enough at the top and poorly around the cut: sessions
of hand rules moved topic precision a point at a time, and fewer topics bought precision only
at three times its cost in recall. Which candidates the labels name shows in many small
signals at once (how often and how widely it is said, how rare its words are, whether it is
asked about or turned to, who says it, where it first comes, whether it is written as a name),
so they are weighed together by a logistic regression fitted on the labelled conversations of
`benchmarks/insights/` (`benchmarks/insights/fit_topic_ranking.py` writes `topic_ranking.json`;
docs/benchmarks.md, "Topics ranked by a learned weighing", has the figures). The weights are
plain numbers in a file in the package: the same candidates in, the same order out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

from .conversation import Conversation
from .lexicon import classes, noun_lemma, rarity
from .topic_runs import proper_names


class Weighed(Protocol):
    """What topics.weigh gives (topics.py imports this module, so it is named here by shape)."""
    candidates: dict
    weights: dict
    forms: Any  # topics.Forms: .first(n), the first n in the hand order
    position: dict


# The rules' own word tests (topics._weak, topics._describes), handed in by topics.py.
WordTest = Callable[[str], bool]

WEIGHTS_FILE = "topic_ranking.json"
# The fewest messages a conversation needs to be ranked by the weighing: the labelled
# conversations it is fitted on all have more, and a short chat keeps the hand order.
MIN_MESSAGES = 12
# How many forms, strongest by hand weight first, the weighing reorders; those after keep the
# hand order behind them. A labelled topic further down was almost never reached by any
# ordering (docs/benchmarks.md), and each form weighed costs a pass over the candidates.
CONSIDERED = 40


@dataclass(frozen=True)
class Ranking:
    probability: dict[tuple[str, ...], float]  # each form's chance of being a labelled topic
    threshold: float  # forms below this are not topics, however few are chosen
    # How many more topics than topic_limit() it may keep (None: as many as reach the threshold).
    extra: int | None = 0


@dataclass(frozen=True)
class Context:
    """What every candidate of one conversation is weighed against."""
    proper: frozenset[str]  # words written only with a capital (topic_runs.proper_names)
    speaker: dict[str, str]  # each message's speaker
    top: float  # the strongest form's hand weight
    weak: WordTest  # a word too common in meetings to be a topic alone
    describes: WordTest  # a word that can only describe


def context(conversation: Conversation, weighed: Weighed, weak: WordTest, describes: WordTest) -> Context:
    return Context(proper_names(conversation), {m.id: m.speaker.name for m in conversation.messages},
                   max(weighed.weights[k] for k in weighed.forms.first(CONSIDERED)), weak, describes)


def signals(conversation: Conversation, weighed: Weighed, key: tuple[str, ...], rank: int,
            around: Context) -> dict[str, float]:
    """What the weighing reads of one candidate phrase (`rank`: its place in the hand order)."""
    c = weighed.candidates[key]
    words = c.text.split()
    at = sorted(weighed.position[m] for m in c.messages)
    speakers = {around.speaker[m] for m in c.messages}
    asked = sum(1 for i in c.sentences if conversation.sentences[i].text.rstrip().endswith("?"))
    return {
        "messages": math.log1p(len(c.messages)),
        "count": math.log1p(c.count),
        "repeats": c.count / len(c.messages),  # said again in the same breath
        "words:2": float(c.n == 2),
        "words:3": float(c.n == 3),
        "rarest": max(rarity(w) for w in words),
        "commonest": min(rarity(w) for w in words),
        "single:rarity": rarity(words[0]) if c.n == 1 else 0.0,  # the hand weight's own factor
        "plural": float(noun_lemma(words[-1]) != words[-1]),
        "ing": float(words[-1].endswith("ing")),
        "raised": float(c.raised),
        "asked": float(c.asked),
        "asked:share": asked / len(c.sentences),
        "acts": float(c.acts),
        "weight": math.log(weighed.weights[key]),
        "share": weighed.weights[key] / around.top,
        "rank": min(rank, 30) / 10,
        "first": at[0],
        "spread": at[-1] - at[0],
        "speakers": float(len(speakers)),
        "name": float(any(w.removesuffix("'s") in around.proper for w in words)),
        "weak": float(any(around.weak(w) for w in words)),
        "describes": float(around.describes(words[0])),
        "noun": float(classes(words[-1]) == {"NOUN"}),
        "variants": math.log1p(sum(1 for k in weighed.candidates if len(k) > len(key) and set(key) <= set(k))),
        "sentences": math.log(len(conversation.sentences)),
        "messages:share": len(c.messages) / len(conversation.messages),
        # The word a phrase names a thing by, as its singular: words of meetings that name no
        # thing a call is about ("option", "date", "decision") come up in many conversations;
        # a weight is fitted for those seen in enough of them, none for the rest.
        "head:" + noun_lemma(words[-1]): 1.0,
    }


def probability(found: dict[str, float], weights: dict[str, float], intercept: float) -> float:
    z = intercept + sum(weights.get(s, 0.0) * v for s, v in found.items())
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def ranking(conversation: Conversation, weighed: Weighed, weak: WordTest, describes: WordTest) -> Ranking | None:
    """Each form's probability under the shipped weights; None (the hand order) for a short
    conversation or when no weights ship."""
    fitted = _weights()
    if fitted is None or len(conversation.messages) < MIN_MESSAGES or not weighed.forms:
        return None
    around = context(conversation, weighed, weak, describes)
    weights, intercept, threshold, extra = fitted
    return Ranking({key: probability(signals(conversation, weighed, key, rank, around), weights, intercept)
                    for rank, key in enumerate(weighed.forms.first(CONSIDERED))}, threshold, extra)


@cache
def _weights() -> tuple[dict[str, float], float, float, int | None] | None:
    path = resources.files(__package__).joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return data["weights"], data["intercept"], data["threshold"], data["limit"]
