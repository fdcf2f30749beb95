"""Would more labelled conversations help the second look? Its figures on train/ as the
weighing is fitted on more of it.

    .venv/bin/python benchmarks/insights/learning_curve.py [--kind actions|follow-ups|questions]

train/ (never read for rules) is cut into six folds. Each fold is judged by a weighing fitted
on all of tune/ and on k conversations drawn from the other five folds (the same draw for every
kind; k = 0 is tune/ alone, the largest k all of the other folds), with the same logistic
regression fit_second_look.py fits the shipped weights with. Figures are aggregates over all of
train/, as learn_actions.py --fresh and learn_questions.py --fresh print them (those judge each
conversation by a weighing fitted on all the others: about the largest k here). A curve still
rising at the largest k says more labelled conversations would lift the weighing; a flat one
says they would not, and the rules' candidates are the limit. held_out/ is never read.
"""

from __future__ import annotations

import argparse
import random
import sys

import learn_actions
import learn_questions as lq
from weighings import CHOSEN

FOLDS = 6
SEED = 14
KINDS = {"actions": learn_actions.candidates, "follow-ups": learn_actions.follow_up_candidates,
         "questions": lq.candidates}


def curve(find, sizes: list[int], kind: str = "questions") -> list[tuple[int, dict]]:
    tune = lq.load(find, "tune")
    fresh = lq.load(find, "train")
    names = sorted(fresh)
    order = random.Random(SEED).sample(names, len(names))
    folds = [order[i::FOLDS] for i in range(FOLDS)]
    tune_rows = [r for rs, _ in tune.values() for r in rs]
    points = []
    for k in sizes:
        verdict: dict[int, bool] = {}
        for i, fold in enumerate(folds):
            others = [n for j, f in enumerate(folds) if j != i for n in f]
            picked = random.Random(SEED + k).sample(others, min(k, len(others)))
            weights = lq.train(tune_rows + [r for n in picked for r in fresh[n][0]], "rules", CHOSEN[kind])
            for name in fold:
                for r in fresh[name][0]:
                    verdict[id(r)] = lq.probability(r["signals"], weights) >= CHOSEN[kind].threshold
        rows = [r for rs, _ in fresh.values() for r in rs]
        gold = sum(g for _, g in fresh.values())
        points.append((k, lq.figures(rows, gold, lambda r: verdict[id(r)])))
    return points


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(KINDS), action="append",
                        help="which weighing (repeat for several; all three by default)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[0, 30, 60, 90, 120],
                        help="train/ conversations the weighing is fitted on besides tune/")
    args = parser.parse_args(argv)
    for kind in args.kind or sorted(KINDS):
        print(f"{kind}: train/ ({FOLDS} folds), fitted on tune/ and k conversations of the other folds")
        for k, f in curve(KINDS[kind], args.sizes, kind):
            print(f"  k={k:3}  P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  "
                  f"({f['right']} right of {f['returned']}, {f['labelled']} labelled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
