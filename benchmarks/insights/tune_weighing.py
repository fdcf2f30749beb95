"""Choose each second-look weighing's C, threshold and least number of conversations a signal
is seen in, by cross-validation on tune/ alone.

    .venv/bin/python benchmarks/insights/tune_weighing.py [--kind actions|follow-ups|questions]

tune/ is cut into six folds of whole conversations (sorted by name, every sixth), each judged by
the regression fitted on the other five, as learn_questions.train fits it; the figures are over
every labelled item of tune/. Each setting of the grid below is judged so, and the best by F1 is
printed (for action items, only among those whose precision is at least 0.85: a kept item
that is wrong costs the reader more than a missed one). train/ and held_out/ are not read: the
choice is then judged once on train/ (learn_actions.py --fresh, learn_questions.py --fresh)
and written into weighings.py by hand when it lifts train/'s F1.
"""

from __future__ import annotations

import argparse
import sys

import learn_actions
import learn_questions as lq
from weighings import CHOSEN, FIRST, Weighing

FOLDS = 6
CS = (0.03, 0.1, 0.3, 1.0, 3.0)
LEAST = (1, 2, 3, 5)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
LEAST_PRECISION = {"actions": 0.85}
KINDS = {"actions": learn_actions.candidates, "follow-ups": learn_actions.follow_up_candidates,
         "questions": lq.candidates}


def folds(names: list[str]) -> list[list[str]]:
    ordered = sorted(names)
    return [ordered[i::FOLDS] for i in range(FOLDS)]


def cross_validated(tune: dict, c: float, least: int, penalty: str = "l2") -> dict[int, float]:
    """Each tune/ candidate's probability, by the regression fitted without its fold."""
    probability = {}
    for fold in folds(list(tune)):
        inside = [r for name, (rows, _) in tune.items() if name not in fold for r in rows]
        weights = lq.train(inside, "rules", Weighing(c, least, penalty=penalty))
        for name in fold:
            for r in tune[name][0]:
                probability[id(r)] = lq.probability(r["signals"], weights)
    return probability


def grid(tune: dict) -> list[tuple[Weighing, dict]]:
    rows = [r for rs, _ in tune.values() for r in rs]
    gold = sum(g for _, g in tune.values())
    judged = []
    for c in CS:
        for least in LEAST:
            probability = cross_validated(tune, c, least)
            for threshold in THRESHOLDS:
                judged.append((Weighing(c, least, threshold),
                               lq.figures(rows, gold, lambda r, t=threshold, p=probability: p[id(r)] >= t)))
    return judged


def shipped(tune: dict, weighing: Weighing) -> dict:
    """One setting's figures under the same cross-validation."""
    probability = cross_validated(tune, weighing.c, weighing.min_conversations, weighing.penalty)
    rows = [r for rs, _ in tune.values() for r in rs]
    return lq.figures(rows, sum(g for _, g in tune.values()), lambda r: probability[id(r)] >= weighing.threshold)


def best(kind: str, judged: list[tuple[Weighing, dict]]) -> tuple[Weighing, dict]:
    """The highest F1 (unrounded, from the counts) among the settings precise enough; on a tie,
    the first setting's values are preferred, then the larger threshold and the smaller C."""
    floor = LEAST_PRECISION.get(kind, 0.0)
    allowed = [(w, f) for w, f in judged if f["returned"] and f["right"] / f["returned"] >= floor]
    def f1(f: dict) -> float:
        return 2 * f["right"] / (f["returned"] + f["labelled"])
    return max(allowed, key=lambda wf: (round(f1(wf[1]), 6), wf[0] == FIRST, wf[0].threshold, -wf[0].c))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(KINDS), action="append",
                        help="which weighing (repeat for several; all three by default)")
    args = parser.parse_args(argv)
    for kind in args.kind or sorted(KINDS):
        tune = lq.load(KINDS[kind], "tune")
        judged = grid(tune)
        print(f"{kind}: tune/ ({len(tune)} conversations), {FOLDS} folds")
        for label, weighing in (("first fit", FIRST), ("shipped", CHOSEN[kind])):
            f = dict(judged).get(weighing) or shipped(tune, weighing)  # the shipped one may be off the grid (L1)
            print(f"  {label:10} {weighing}  P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}")
        weighing, f = best(kind, judged)
        print(f"  {'best':10} {weighing}  P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  "
              f"({f['right']} right of {f['returned']}, {f['labelled']} labelled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
