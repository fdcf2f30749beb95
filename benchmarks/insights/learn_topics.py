"""Rank topics by a learned weighing (src/symbl_media/server/insights/topic_ranking.py), and judge it.

    .venv/bin/python benchmarks/insights/learn_topics.py            # tune/: the hand order, then the grid by folds
    .venv/bin/python benchmarks/insights/learn_topics.py --fresh    # fitted on tune/, scored on train/ (aggregates)
    .venv/bin/python benchmarks/insights/learn_topics.py --weights  # the weights fitted on tune/ + train/

Candidates are the phrases the topic finder may show (topics.weigh: each candidate's longest
form, said enough and not only at the ends), the first topic_ranking.CONSIDERED in the hand
order, each with the signals topic_ranking.signals reads; a candidate is right when its text
names a labelled topic as score.py pairs them (matching.topic_matches). The figures are the
scorer's: the topics topics.choose returns under each ordering (children by parentRefs
included), precision over those returned, recall over the labels named.

On tune/ each setting of the grid (the regression's C; topic_limit() kept or not; a threshold
on the probability) is judged by six folds of whole conversations (file name order, every
sixth), each fold ranked by a model fitted on the other five. --fresh fits on all of tune/ and
scores train/ (never read for rules) as aggregates only. held_out/ is never read here.
Logistic regression from scikit-learn (lbfgs, deterministic); the runtime reads plain weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import learn_questions as lq
import matching
import numpy as np
from sklearn.linear_model import LogisticRegression

from symbl_media.server.insights import _addressed, topic_ranking, topics
from symbl_media.server.insights.people import People

HERE = Path(__file__).parent
WORDS = ("head:",)  # the prefixes of the signals named by a word
FOLDS = 6


@dataclass(frozen=True)
class Setting:
    c: float = 1.0          # inverse L2 strength
    limit: int | None = 0   # topics kept: topic_limit() + this; None for no limit but the threshold
    threshold: float = 0.0  # a form below this probability is not a topic


# The setting fit_topic_ranking.py fits with (docs/benchmarks.md, "Topics ranked by a learned
# weighing"). First chosen by the folds on tune/ alone, before train/ was scored: of the grid's
# settings whose recall stayed at 0.62 or more, the most precise, a probability of 0.6 and no
# count (0.727 / 0.626). On train/ it kept too few (0.715 / 0.608): a threshold on the
# probability does not carry to conversations no rule was read from, whose probabilities run
# lower. A count does carry (it asks only for the order), and of the counts the folds judged,
# one topic fewer than topic_limit() is the most precise with recall over 0.62 on tune/
# (0.716 / 0.631), and on train/ 0.693 / 0.663 against the hand order's 0.689 / 0.661 at the
# same count and 0.660 / 0.687 at today's: the targets ask precision 0.70 and recall
# only 0.60, and recall has room to give on every set.
CHOSEN = Setting(c=0.3, limit=-1)


# Settings also scored by --fresh, beside the chosen one: the other points of the folds'
# frontier near the targets, so that train/ shows the trade-off and not one point of it.
ALSO: tuple[Setting, ...] = (Setting(c=0.3, limit=0), Setting(c=0.3, limit=None, threshold=0.6),
                             Setting(c=0.3, limit=None, threshold=0.55))


@dataclass
class Loaded:
    conversation: object
    weighed: object
    keys: list
    rows: list  # the signals of each form weighed
    y: np.ndarray  # whether each names a labelled topic
    gold: list


def load_one(name: str, doc: dict) -> Loaded | None:
    conversation = lq.conversation_of(name, doc)
    people = People(conversation.members)
    names = frozenset(w.lower() for m in conversation.members for w in m.name.split())
    weighed = topics.weigh(conversation, names | _addressed(conversation, people))
    gold = doc["gold"]["topics"]
    if weighed is None or not weighed.forms:
        return Loaded(conversation, weighed, [], [], np.zeros(0), gold)
    around = topic_ranking.context(conversation, weighed, topics._weak, topics._describes)
    keys = weighed.forms.first(topic_ranking.CONSIDERED)
    rows = [topic_ranking.signals(conversation, weighed, k, rank, around) for rank, k in enumerate(keys)]
    y = np.array([any(matching.topic_matches(weighed.candidates[k].text, v) for v in gold) for k in keys], dtype=int)
    return Loaded(conversation, weighed, keys, rows, y, gold)


def _signal_names() -> list[str]:
    doc = {"request": {"messages": [{"payload": {"content": t}, "from": {"name": "A"},
                                     "duration": {"startTime": "2026-01-01T00:00:00Z", "endTime": "2026-01-01T00:00:01Z"}}
                                    for t in ("The boiler is old.", "The boiler again.")]},
           "gold": {"topics": []}}
    conversation = lq.conversation_of("x", doc)
    weighed = topics.weigh(conversation, frozenset())
    return list(topic_ranking.signals(conversation, weighed, weighed.forms.first(1)[0], 0,
                                      topic_ranking.context(conversation, weighed, topics._weak, topics._describes)))


SIGNALS = [s for s in _signal_names() if ":" not in s or not s.startswith(WORDS)]
# Signals named by a word, read only when seen in at least this many conversations.
MIN_CONVERSATIONS = 3


def matrix(rows: list[dict], vocab: list[str]) -> np.ndarray:
    return np.array([[r.get(s, 0.0) for s in vocab] for r in rows]) if rows else np.zeros((0, len(vocab)))


@dataclass
class Model:
    vocab: list[str]
    regression: LogisticRegression

    def probability(self, rows: list[dict]) -> np.ndarray:
        return self.regression.predict_proba(matrix(rows, self.vocab))[:, 1]


def load(folder: str) -> dict[str, Loaded]:
    return {f.stem: load_one(f.stem, json.loads(f.read_text())) for f in sorted((HERE / folder).glob("*.json"))}


def fit(loaded: list[Loaded], c: float, words: bool = True) -> Model:
    seen = Counter(s for d in loaded for s in {s for r in d.rows for s in r if s.startswith(WORDS)})
    vocab = SIGNALS + (sorted(s for s, n in seen.items() if n >= MIN_CONVERSATIONS) if words else [])
    rows = [r for d in loaded for r in d.rows]
    y = np.concatenate([d.y for d in loaded if len(d.keys)])
    return Model(vocab, LogisticRegression(C=c, solver="lbfgs", max_iter=5000).fit(matrix(rows, vocab), y))


def returned(d: Loaded, model: Model | None, setting: Setting) -> list[str]:
    if d.weighed is None or not d.weighed.forms:
        return []
    base = topics.topic_limit(len(d.conversation.sentences))
    if model is None:
        return [t["text"] for t in topics.choose(d.conversation, d.weighed, base + (setting.limit or 0))]
    p = model.probability(d.rows)
    ranking = topic_ranking.Ranking(dict(zip(d.keys, map(float, p))), setting.threshold)
    limit = 10 ** 6 if setting.limit is None else base + setting.limit
    return [t["text"] for t in topics.choose(d.conversation, d.weighed, limit, ranking)]


def tally(items: list[tuple[Loaded, list[str]]]) -> dict:
    gold = found = right = named = 0
    for d, texts in items:
        gold += len(d.gold)
        found += len(texts)
        right += sum(1 for t in texts if any(matching.topic_matches(t, v) for v in d.gold))
        named += sum(1 for v in d.gold if any(matching.topic_matches(t, v) for t in texts))
    p, r = right / found if found else 0.0, named / gold if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "returned": found, "right": right, "named": named, "labelled": gold}


def show(label: str, f: dict) -> None:
    print(f"  {label:34} P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  "
          f"({f['right']} right of {f['returned']}, {f['named']} of {f['labelled']} labels named)")


def by_folds(data: dict[str, Loaded], setting: Setting) -> dict:
    names = sorted(data)
    items = []
    for fold in range(FOLDS):
        inside = [data[n] for i, n in enumerate(names) if i % FOLDS != fold]
        model = fit(inside, setting.c)
        items += [(data[n], returned(data[n], model, setting)) for i, n in enumerate(names) if i % FOLDS == fold]
    return tally(items)


GRID = [Setting(c, limit, t) for c in (0.3, 1.0)
        for limit, t in ((0, 0.0), (-1, 0.0), (1, 0.0), (1, 0.5), (None, 0.5), (None, 0.55), (None, 0.6))]


def without_sentiment() -> None:
    """A topic's sentiment is no part of what is scored here, and scoring every message's takes
    most of the time of a choice of topics: the many choices of the grid go without it. Only
    this script's own runs do this (never on import: the fit and the tests import this module)."""
    topics.sentiment_.score = lambda text: 0.0


def main(argv: list[str] | None = None) -> int:
    without_sentiment()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="fit on tune/, score train/ as aggregates")
    parser.add_argument("--weights", action="store_true", help="print the weights fitted on tune/ + train/")
    args = parser.parse_args(argv)
    tune = load("tune")
    if args.weights:
        model = fit(list(tune.values()) + list(load("train").values()), CHOSEN.c)
        weighed = sorted(zip(model.vocab, model.regression.coef_[0]), key=lambda sw: -abs(sw[1]))
        words = [(s, w) for s, w in weighed if s.startswith(WORDS)]
        print(f"signals ({len(weighed) - len(words)}), then the 30 strongest of {len(words)} head words")
        for s, w in [(s, w) for s, w in weighed if not s.startswith(WORDS)] + words[:30]:
            print(f"  {s:16} {w:+.3f}")
        print(f"  {'intercept':16} {model.regression.intercept_[0]:+.3f}")
        return 0
    if args.fresh:
        train = load("train")
        print(f"train/ ({len(train)} conversations), fitted on tune/ ({len(tune)})")
        for offset in (-1, 0, 1):
            show(f"hand order, limit {offset:+d}",
                 tally([(d, returned(d, None, Setting(limit=offset))) for d in train.values()]))
        for setting in (CHOSEN, *ALSO):
            model = fit(list(tune.values()), setting.c)
            show(f"C {setting.c} limit {setting.limit} t {setting.threshold}" + (" (chosen)" if setting == CHOSEN else ""),
                 tally([(d, returned(d, model, setting)) for d in train.values()]))
        return 0
    print(f"tune/ ({len(tune)} conversations, {sum(len(d.keys) for d in tune.values())} forms weighed, "
          f"{sum(int(d.y.sum()) for d in tune.values())} naming a label)")
    for offset in (-1, 0, 1):
        show(f"hand order, limit {offset:+d}", tally([(d, returned(d, None, Setting(limit=offset))) for d in tune.values()]))
    for setting in GRID:
        show(f"C {setting.c} limit {setting.limit} t {setting.threshold}", by_folds(tune, setting))
    return 0


if __name__ == "__main__":
    sys.exit(main())
