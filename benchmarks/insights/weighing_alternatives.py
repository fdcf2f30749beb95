"""Other models of the second look's signals, judged as tune_weighing.py judges the setting of
the shipped one: conjunctions of two signals, class weights, an L1 penalty, boosted trees.

    .venv/bin/python benchmarks/insights/weighing_alternatives.py --kind actions            # on tune/: six folds
    .venv/bin/python benchmarks/insights/weighing_alternatives.py --kind actions --fresh NAME  # once, on train/
    .venv/bin/python benchmarks/insights/weighing_alternatives.py --kind questions --c 0.1    # at another C

Without --fresh, each alternative below is fitted on five folds of tune/ (whole conversations)
and judged on the sixth, at the threshold that does best there (action items held to precision
>= 0.85), beside the shipped setting; tune/ only. With --fresh NAME, the one named, at the
threshold tune/ chose, judges each train/ conversation fitted on the others and all of tune/
(learn_actions.py --fresh's split): aggregates only. held_out/ is never read. Of these, only
L1 lifted a kind on train/, questions (docs/benchmarks.md); weighings.py ships it, and
second_look.py reads a plain logistic regression still.

- conjunctions: a signal for each pair of signals with the two prefixes (kind x reply, kind x
  date, ending x reply …), which a sum of single weights cannot form;
- class weights: the wrong candidates weighed less (0.5, 0.75) or more (1.5, 2, "balanced") than the right;
- L1: liblinear's lasso, which keeps few signals;
- trees: boosted regression trees of depth 2-3 on the signals (Newton steps, as gradient
  boosting does), alone or on top of the regression's margin ("hybrid"); each tree would ship
  as a nested list [signal, absent, present] with numbers at its leaves.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from collections import Counter
from dataclasses import replace

import learn_questions as lq
import numpy as np
import tune_weighing
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeRegressor
from weighings import CHOSEN

PAIRS = {
    "actions": [("kind:", "then:"), ("kind:", "accepted:"), ("kind:", "self:"), ("kind:", "again:"), ("kind:", "end:"),
                ("kind:", "definitive:"), ("kind:", "joined:"), ("due:", "then:"), ("accepted:", "then:"),
                ("self:", "then:"), ("kind:", "follows:"), ("then:", "again:"), ("end:", "then:"),
                ("self:", "accepted:"), ("kind:", "len:"), ("due:", "accepted:")],
    "follow-ups": [("rules:", "kind:"), ("rules:", "then:"), ("rules:", "before:follow-up:"), ("rules:", "self:"),
                   ("rules:", "due:"), ("kind:", "due:"), ("kind:", "then:"), ("kind:", "accepted:"), ("rules:", "end:"),
                   ("rules:", "accepted:"), ("kind:", "self:"), ("rules:", "joined:"), ("before:follow-up:", "kind:")],
    "questions": [("end:", "then:"), ("rules:", "then:"), ("end:", "back:"), ("rules:", "back:"), ("acts:", "then:"),
                  ("pos:", "then:"), ("end:", "qa:"), ("rules:", "pos:"), ("end:", "rules:"), ("self:", "then:"),
                  ("proper:", "then:"), ("end:", "pos:"), ("rules:", "qa:"), ("end:", "nwords:"), ("qa:", "back:"),
                  ("then:", "back:"), ("acts:", "back:"), ("end:", "proper:")],
}


def with_pairs(signals: list[str], pairs) -> list[str]:
    return [*signals, *(f"{a}&{b}" for x, y in pairs for a in signals if a.startswith(x)
                        for b in signals if b.startswith(y))]


def _matrix(rows, index):
    cells = {(i, index[s]) for i, r in enumerate(rows) for s in r["signals"] if s in index}
    return sparse.csr_matrix((np.ones(len(cells)), tuple(zip(*sorted(cells))) or ([], [])),
                             shape=(len(rows), len(index)))


def _vocab(rows, least):
    seen = Counter(s for _, s in {(r["conversation"], s) for r in rows for s in r["signals"]})
    return {s: i for i, s in enumerate(sorted(s for s, n in seen.items() if n >= least))}


def regression(rows, c, least, pairs=(), weight_wrong=None, l1=False):
    """A scorer: the regression's probability, over the signals and their pairs."""
    rows = [dict(r, signals=with_pairs(r["signals"], pairs)) for r in rows]
    index = _vocab(rows, least)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's notice that `penalty` will be renamed
        model = LogisticRegression(C=c, penalty="l1" if l1 else "l2", solver="liblinear" if l1 else "lbfgs",
                                   max_iter=5000, fit_intercept=False, random_state=0,
                                   class_weight=weight_wrong if weight_wrong in (None, "balanced")
                                   else {0: weight_wrong, 1: 1.0})
        model.fit(_matrix(rows, index), np.array([r["label"] for r in rows], dtype=int))
    weights = dict(zip(index, model.coef_[0]))
    return lambda signals: lq.probability(with_pairs(signals, pairs), weights)


def _nested(tree, names, rate, node=0):
    t = tree.tree_
    if t.children_left[node] == -1:
        return float(t.value[node][0][0]) * rate
    return [names[t.feature[node]], _nested(tree, names, rate, t.children_left[node]),
            _nested(tree, names, rate, t.children_right[node])]


def _walk(tree, present):
    while isinstance(tree, list):
        tree = tree[2] if tree[0] in present else tree[1]
    return tree


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


def trees(rows, c, least, n, depth, rate=0.1, hybrid=False):
    """A scorer: n boosted trees over signals seen in five conversations or more, started from
    the prior's log odds, or from the regression's margin (hybrid)."""
    y = np.array([r["label"] for r in rows], dtype=float)
    prior = math.log(y.mean() / (1 - y.mean()))
    base = regression(rows, c, least) if hybrid else None
    def start(signals):
        return _logit(base(signals)) if base else prior
    f = np.array([start(r["signals"]) for r in rows])
    index = _vocab(rows, 5)
    names, x, grown = list(index), _matrix(rows, index), []
    for _ in range(n):
        p = 1 / (1 + np.exp(-f))
        tree = DecisionTreeRegressor(max_depth=depth, min_samples_leaf=10, random_state=0).fit(x, y - p)
        leaves, hess = tree.apply(x), p * (1 - p)
        for leaf in np.unique(leaves):  # a Newton step at each leaf
            at = leaves == leaf
            tree.tree_.value[leaf][0][0] = (y - p)[at].sum() / max(hess[at].sum(), 1e-9)
        grown.append(_nested(tree, names, rate))
        f = f + rate * tree.predict(x)
    def score(signals):
        present = set(signals)
        z = start(signals) + sum(_walk(t, present) for t in grown)
        return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))
    return score


def alternatives(kind: str, c: float | None = None) -> dict:
    """name -> a function fitting a scorer on rows, at the kind's shipped C (or ``c``) and least number."""
    w = CHOSEN[kind] if c is None else replace(CHOSEN[kind], c=c)
    found = {"shipped": lambda rows: regression(rows, w.c, w.min_conversations)}
    for pair in PAIRS[kind]:
        found[f"pair {pair[0]}x{pair[1]}"] = lambda rows, p=pair: regression(rows, w.c, w.min_conversations, (p,))
    for weight in (0.5, 0.75, 1.5, 2.0, "balanced"):
        found[f"wrong weighed {weight}"] = lambda rows, k=weight: regression(rows, w.c, w.min_conversations, weight_wrong=k)
    for strength in (0.3, 1.0, 3.0, 10.0):
        found[f"L1 C={strength}"] = lambda rows, k=strength: regression(rows, k, w.min_conversations, l1=True)
    for n, depth, hybrid in ((30, 2, False), (60, 3, False), (150, 3, False), (30, 2, True), (60, 3, True)):
        found[f"trees {n}x{depth}{' on the regression' if hybrid else ''}"] = \
            lambda rows, a=n, b=depth, h=hybrid: trees(rows, w.c, w.min_conversations, a, b, hybrid=h)
    return found


def best_threshold(kind: str, tune: dict, fit) -> tuple[float, dict]:
    """The threshold doing best on tune/ under six-fold cross-validation, and its figures."""
    probability = {}
    for fold in tune_weighing.folds(list(tune)):
        score = fit([r for name, (rows, _) in tune.items() if name not in fold for r in rows])
        probability.update({id(r): score(r["signals"]) for name in fold for r in tune[name][0]})
    rows = [r for rs, _ in tune.values() for r in rs]
    gold = sum(g for _, g in tune.values())
    judged = [(tune_weighing.Weighing(threshold=t), lq.figures(rows, gold, lambda r, t=t: probability[id(r)] >= t))
              for t in tune_weighing.THRESHOLDS]
    weighing, f = tune_weighing.best(kind, judged)
    return weighing.threshold, f


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(tune_weighing.KINDS), required=True)
    parser.add_argument("--fresh", metavar="NAME", help="judge this alternative once on train/ (aggregates)")
    parser.add_argument("--c", type=float, help="the regressions' C (the kind's shipped one by default; the L1 "
                                                "ones have their own)")
    args = parser.parse_args(argv)
    tune = lq.load(tune_weighing.KINDS[args.kind], "tune")
    found = alternatives(args.kind, args.c)
    for name, fit in found.items():
        if args.fresh and name != args.fresh:
            continue
        threshold, f = best_threshold(args.kind, tune, fit)
        print(f"{args.kind}: {name:40} tune/ at {threshold}: P {f['precision']:.3f}  R {f['recall']:.3f}  "
              f"F1 {f['f1']:.3f}", flush=True)
        if args.fresh:
            fresh = lq.load(tune_weighing.KINDS[args.kind], "train")
            extra = [r for rs, _ in tune.values() for r in rs]
            verdict = {}
            for other, (rows, _) in fresh.items():
                score = fit([r for n, (rs, _) in fresh.items() if n != other for r in rs] + extra)
                verdict.update({id(r): score(r["signals"]) >= threshold for r in rows})
            lq.report(f"train/, leave one out, trained also on tune/ ({name}, at {threshold})", fresh, verdict)
    return 0


if __name__ == "__main__":
    sys.exit(main())
