"""Judge the second look on questions (second_look.py) against the rules alone.

    .venv/bin/python benchmarks/insights/learn_questions.py --fresh      # on train/, aggregates: the figure that counts
    .venv/bin/python benchmarks/insights/learn_questions.py [--variant rules|reasons|words] [--apart NAME ...]
    .venv/bin/python benchmarks/insights/learn_questions.py --misses     # list tune/'s misses under leave-one-out

Candidates are the sentences shaped like a question (question_forms); a candidate is a question
when it pairs with a labelled one as the scorer pairs them (benchmarks/insights/matching.py).
Leave-one-conversation-out: each tune conversation is scored by a model trained on the others,
against the rules on the same candidates; recall counts every labelled question, also those no
candidate reaches. With --apart, the model is also trained on the rest and scored on those
conversations (a batch written blind, untouched). Logistic regression (scikit-learn: lbfgs, or
liblinear for an L1 penalty with its order fixed; deterministic), features as named by
`features` below, kept when seen in at least two conversations (C, that number, the penalty
and the threshold per kind: weighings.py). --fresh: each train/ conversation (never read for rules) judged by a
model fitted on the others and on tune/, as fit_second_look.py fits the shipped weights on
both. held_out/ is never read here. docs/benchmarks.md has the outcome.
--misses lists, per tune/ conversation, the questions the leave-one-out weighing returns that
pair with no labelled one and the labelled ones it misses, as the scorer pairs them (tune/ only:
train/ is judged in aggregate, never read item by item); with --apart, the batch apart's too,
judged by the model trained on the rest (as learn_actions.py --misses --apart).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from collections import Counter
from pathlib import Path

import matching
import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from weighings import CHOSEN, FIRST, Weighing

from symbl_media.server.insights import (
    question_acts,
    question_self,
    questions,
    second_look,
)
from symbl_media.server.insights.conversation import build
from symbl_media.server.insights.people import People
from symbl_media.server.insights.question_forms import question_proper

HERE = Path(__file__).parent
# C, the threshold and the signals' least number of conversations are per kind: weighings.py.
# The first fit's, the same for every kind, kept under their old names for scripts that read them.
C, MIN_CONVERSATIONS, THRESHOLD = FIRST.c, FIRST.min_conversations, FIRST.threshold
# Which signals a model sees: all ("rules"), all but the rules' overall verdict ("reasons":
# each rule's reason stays), or none of the rules' ("words": shape, words and the reply only).
VARIANTS = {"rules": (), "reasons": ("rules:",), "words": ("acts:", "self:", "rules:")}


def probability(signals: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(s, 0.0) for s in signals)
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))




def conversation_of(name: str, doc: dict):
    messages = [{"id": str(i), "text": m["payload"]["content"], "from": m["from"],
                 "startTime": m["duration"]["startTime"], "endTime": m["duration"]["endTime"]}
                for i, m in enumerate(doc["request"]["messages"])]
    start = min(m["startTime"] for m in messages)
    return build(name, messages, doc.get("members", []), duration=0.0, start_time=start)


def candidates(name: str, doc: dict) -> tuple[list[dict], int]:
    """Every sentence shaped like a question, with its features, the rules' verdict and its
    label; and how many questions are labelled."""
    conversation = conversation_of(name, doc)
    people = People(conversation.members)
    names = frozenset(w.lower() for m in conversation.members for w in m.name.split())
    found = []
    for sentence in questions.candidates(conversation, names):
        acts = question_acts.not_asking(conversation, sentence, people, names)
        self_reason = question_self.not_asked(conversation, sentence)
        proper = question_proper(sentence.text, names)
        found.append({"messages": [sentence.message.position], "text": proper, "conversation": name,
                      "rules": acts is None and self_reason is None,
                      "signals": second_look.question_signals(conversation, sentence, proper, acts, self_reason, names)})
    gold = doc["gold"]["questions"]
    paired = {id(p.found) for p in matching.pair(gold, found)}
    for f in found:
        f["label"] = id(f) in paired
    return found, len(gold)


def train(rows: list[dict], variant: str, weighing: Weighing = FIRST) -> dict[str, float]:
    """The weights of a regression fitted on ``rows`` (C, the penalty and the signals' least
    number of conversations as ``weighing`` says: weighings.CHOSEN per kind; the first fit's
    setting when none is given, so that a caller not yet passing one is fitted as before)."""
    hidden = VARIANTS[variant]
    rows = [dict(r, signals=[s for s in r["signals"] if not (hidden and s.startswith(hidden))]) for r in rows]
    seen = Counter(s for s in {(r["conversation"], s) for r in rows for s in r["signals"]})
    vocab = sorted(s for s, n in Counter(s for _, s in seen).items() if n >= weighing.min_conversations)
    index = {s: i for i, s in enumerate(vocab)}
    # sparse: a row holds a few dozen of the thousands of signals (for the many fits of tune_weighing.py)
    cells = {(i, index[s]) for i, r in enumerate(rows) for s in r["signals"] if s in index}
    x = sparse.csr_matrix((np.ones(len(cells)), tuple(zip(*sorted(cells))) or ([], [])), shape=(len(rows), len(vocab)))
    y = np.array([r["label"] for r in rows], dtype=int)
    if weighing.penalty == "l1":  # liblinear's coordinate descent, its order fixed by random_state
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-learn's notice that `penalty` will be renamed
            model = LogisticRegression(C=weighing.c, penalty="l1", solver="liblinear", max_iter=5000,
                                       fit_intercept=False, random_state=0).fit(x, y)
    else:
        model = LogisticRegression(C=weighing.c, solver="lbfgs", max_iter=5000, fit_intercept=False).fit(x, y)
    return {s: float(w) for s, w in zip(vocab, model.coef_[0])}


def figures(rows: list[dict], gold: int, decide) -> dict:
    said = [r for r in rows if decide(r)]
    right = sum(r["label"] for r in said)
    p = right / len(said) if said else 0.0
    r = right / gold if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "returned": len(said), "right": right, "labelled": gold}


def leave_one_out(by_name: dict[str, tuple[list[dict], int]], variant: str,
                  also: dict | None = None, weighing: Weighing = FIRST) -> dict[int, bool]:
    """Each conversation of ``by_name`` judged by a model trained on the others (and on
    ``also``, conversations that are only ever trained on)."""
    verdict = {}
    extra = [r for rs, _ in (also or {}).values() for r in rs]
    for name, (rows, _) in by_name.items():
        weights = train([r for other, (rs, _) in by_name.items() if other != name for r in rs] + extra, variant,
                        weighing)
        for r in rows:
            verdict[id(r)] = probability(r["signals"], weights) >= weighing.threshold
    return verdict


def trained_apart(inside: dict, apart: dict, variant: str, weighing: Weighing = FIRST) -> dict[int, bool]:
    weights = train([r for rs, _ in inside.values() for r in rs], variant, weighing)
    return {id(r): probability(r["signals"], weights) >= weighing.threshold for rs, _ in apart.values() for r in rs}


def report(label: str, by_name: dict, verdict: dict[int, bool]) -> dict:
    rows = [r for rs, _ in by_name.values() for r in rs]
    gold = sum(g for _, g in by_name.values())
    result = {"rules": figures(rows, gold, lambda r: r["rules"]),
              "model": figures(rows, gold, lambda r: verdict[id(r)])}
    print(f"{label} ({len(by_name)} conversations, {len(rows)} candidates)")
    for who, f in result.items():
        print(f"  {who:5}  P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  "
              f"({f['right']} right of {f['returned']}, {f['labelled']} labelled)")
    return result


def load(find=candidates, folder: str = "tune") -> dict:
    return {f.stem: find(f.stem, json.loads(f.read_text())) for f in sorted((HERE / folder).glob("*.json"))}


def misses(by_name: dict, verdict: dict[int, bool]) -> None:
    """Each tune/ conversation's false and missed questions under the leave-one-out verdict:
    "+" returned but labelled nothing, "-" labelled but not returned (or returned with too
    different a text), with the message position and, for returned ones, the rules' verdict."""
    for name, (rows, _) in by_name.items():
        gold = json.loads((HERE / "tune" / f"{name}.json").read_text())["gold"]["questions"]
        said = [r for r in rows if verdict[id(r)]]
        pairs = matching.pair(gold, said)
        paired_found = {id(p.found) for p in pairs}
        paired_gold = {id(p.gold) for p in pairs}
        wrong = [r for r in said if id(r) not in paired_found]
        missed = [g for g in gold if id(g) not in paired_gold]
        if not wrong and not missed:
            continue
        print(f"== {name}")
        for r in wrong:
            print(f"  + [{r['messages'][0]}] {r['text']}  (rules {'ask' if r['rules'] else 'drop'})")
        for g in missed:
            near = [r for r in rows if set(r["messages"]) & set(g["messages"])]
            how = "no candidate" if not near else "dropped: " + " | ".join(
                f"{r['text']} ({'rules ask' if r['rules'] else 'rules drop'})" for r in near)
            print(f"  - [{g['messages'][0]}] {g['text']}  ({how})")


def judge_fresh(tune: dict, fresh: dict, variant: str, weighing: Weighing = FIRST) -> None:
    """The rules were written on tune/, never on train/: there they are as wrong as on any
    conversation they have not seen, which is what a model has to learn from. Each train/
    conversation is judged by a model trained on the other train/ conversations and all of tune/."""
    report(f"train/, leave one out, trained also on tune/ ({variant})", fresh,
           leave_one_out(fresh, variant, also=tune, weighing=weighing))


def judge(everything: dict, apart_names: list[str], variant: str, list_misses: bool = False,
          weighing: Weighing = FIRST) -> None:
    inside = {n: v for n, v in everything.items() if n not in apart_names}
    apart = {n: v for n, v in everything.items() if n in apart_names}
    verdict = leave_one_out(inside, variant, weighing=weighing)
    report(f"leave one out ({variant})" + (", without the batch apart" if apart else ""), inside, verdict)
    if list_misses:
        misses(inside, verdict)
    if apart:
        verdict_apart = trained_apart(inside, apart, variant, weighing)
        report(f"the batch apart, trained on the rest ({variant})", apart, verdict_apart)
        if list_misses:  # as learn_actions.py --misses --apart: the batch's misses too
            misses(apart, verdict_apart)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="rules")
    parser.add_argument("--apart", nargs="*", default=[], help="tune conversations scored by a model trained on the rest")
    parser.add_argument("--fresh", action="store_true",
                        help="judge on train/ (never read for rules), training also on tune/")
    parser.add_argument("--misses", action="store_true",
                        help="list tune/'s false and missed questions under leave-one-out (not with --fresh)")
    args = parser.parse_args(argv)
    if args.fresh and args.misses:
        parser.error("--misses lists tune/ only; train/ is judged in aggregate")
    if args.fresh:
        judge_fresh(load(), load(folder="train"), args.variant, CHOSEN["questions"])
    else:
        judge(load(), args.apart, args.variant, args.misses, CHOSEN["questions"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
