"""Judge the second look on action items (second_look.py) against the rules alone.

    .venv/bin/python benchmarks/insights/learn_actions.py --fresh          # on train/, the figure that counts
    .venv/bin/python benchmarks/insights/learn_actions.py [--apart NAME ...]  # on tune/
    .venv/bin/python benchmarks/insights/learn_actions.py --follow-ups --misses  # tune/'s flags, each miss
    .venv/bin/python benchmarks/insights/learn_actions.py --misses           # tune/: what is lost, item by item

Candidates are the action items the rules find, before the second look (action_items.
by_the_rules); one is right when it pairs with a labelled one as the scorer pairs them. A
logistic regression over second_look.signals (the kind of action, its trigger, verb, date,
whether it was taken on, its words and the reply that follows) says keep or drop. --fresh:
each train/ conversation judged by a model fitted on the others and on tune/. Without it:
leave-one-conversation-out on tune/ (where the rules were written, so they are hard to beat),
then the batch --apart. --misses (tune/ only; train/ is read as aggregates alone) lists the
labelled items no rule finds, the right items the weighing drops and the wrong ones it keeps
(KEPT-WRONG) under leave-one-out; with
--apart, those of the batch apart too, judged by a model trained on the rest (as
learn_questions.py --misses --apart does).
held_out/ is never read. fit_second_look.py fits the shipped weights.
"""

from __future__ import annotations

import argparse
import json
import sys

import learn_questions as lq
import matching
from weighings import CHOSEN

from symbl_media.server.insights import (
    action_items,
    month_days,
    second_look,
    weekday_dates,
)
from symbl_media.server.insights.people import People


def _rows(name: str, doc: dict, *, follow_ups: bool) -> list[dict]:
    """Every action item the rules find (before the second look), after its dates are settled
    as the engine settles them, with the signals the weighing reads; for follow-ups, with the
    rules' own follow-up verdict as "rules" and among the signals."""
    conversation = lq.conversation_of(name, doc)
    people = People(conversation.members)
    names = action_items.names_in(conversation)
    rows = []
    found = action_items.by_the_rules(conversation, people, names)
    for f in month_days.resolve(conversation, weekday_dates.resolve(conversation, found)):
        item = action_items._item(conversation, people, names, f, False)
        by_rules = bool(action_items.follows_up_by_rules(conversation, f)) if follow_ups else True
        signals = second_look.follow_up_signals(conversation, f, names, by_rules) if follow_ups else \
            second_look.signals(conversation, f, names)
        rows.append({"messages": [int(i) for i in item["messageIds"]], "text": item["text"], "conversation": name,
                     "rules": by_rules, "signals": signals, "said": f.sentence.text})
    return rows


def candidates(name: str, doc: dict) -> tuple[list[dict], int]:
    """Every action item the rules find, labelled right when it pairs with a labelled one."""
    rows = _rows(name, doc, follow_ups=False)
    gold = doc["gold"]["actionItems"]
    paired = {id(p.found) for p in matching.pair(gold, rows)}
    return [dict(r, label=id(r) in paired) for r in rows], len(gold)


def follow_up_candidates(name: str, doc: dict) -> tuple[list[dict], int]:
    """The action items the rules find that pair with a labelled one, each labelled as the
    labels flag it (follow-up or not); and how many labelled follow-ups there are."""
    rows = _rows(name, doc, follow_ups=True)
    gold = doc["gold"]["actionItems"]
    flagged = {id(p.found): p.gold["followUp"] for p in matching.pair(gold, rows)}
    return [dict(r, label=flagged[id(r)]) for r in rows if id(r) in flagged], sum(g["followUp"] for g in gold)


def verdicts(everything: dict, apart_names: list[str], kind: str = "actions") -> dict[int, bool]:
    """Each tune/ candidate's verdict: leave-one-out over the conversations not set apart, and
    for the batch --apart, the model trained on the rest (learn_questions.judge's split)."""
    inside = {n: v for n, v in everything.items() if n not in apart_names}
    apart = {n: v for n, v in everything.items() if n in apart_names}
    verdict = lq.leave_one_out(inside, "rules", weighing=CHOSEN[kind])
    if apart:
        verdict.update(lq.trained_apart(inside, apart, "rules", CHOSEN[kind]))
    return verdict


def list_misses(by_name: dict, verdict: dict[int, bool], *, follow_ups: bool) -> None:
    """Each candidate the weighing gets wrong (with the rules' verdict and the sentence it was
    found in), then, for follow-ups, each labelled follow-up no candidate pairs with (the item
    itself is missing). Only for tune/: train/'s misses are never read."""
    flag = "flag" if follow_ups else "item"
    for name, (rows, _) in by_name.items():
        for r in rows:
            if verdict[id(r)] != r["label"]:
                kind = f"missed {flag}" if r["label"] else f"false {flag}"
                print(f"{name}: {kind} (rules {r['rules']}): {r['text']!r}  <- {r['said']!r}")
        if follow_ups:
            doc = json.loads((lq.HERE / "tune" / f"{name}.json").read_text())
            gold = doc["gold"]["actionItems"]
            paired = {id(p.gold) for p in matching.pair(gold, rows)}
            for g in gold:
                if g["followUp"] and id(g) not in paired:
                    print(f"{name}: item missing: {g['text']!r}  <- messages {g['messages']}")


def list_lost(everything: dict, verdict: dict[int, bool]) -> None:
    """On tune/: (a) each labelled item no candidate pairs with (the rules never find it), with
    the messages it is labelled on and, as NEAR, each candidate on one of them (found, but
    written or merged so that it does not pair); (b) each right candidate the weighing, fitted
    without its conversation, drops; and, to tell them apart, the wrong ones it drops; (c) each
    wrong candidate it keeps (precision's share)."""
    for name, (rows, _) in everything.items():
        doc = json.loads((lq.HERE / "tune" / f"{name}.json").read_text())
        messages = doc["request"]["messages"]
        paired = {id(p.gold) for p in matching.pair(doc["gold"]["actionItems"], rows)}
        for g in doc["gold"]["actionItems"]:
            if id(g) not in paired:
                said = " | ".join(messages[i]["payload"]["content"] for i in g["messages"])
                print(f"UNFOUND\t{name}\t{g['messages']}\t{g['text']}\t<<{said}>>")
                for r in rows:
                    if set(r["messages"]) & set(g["messages"]):
                        print(f"  NEAR\t{r['messages']}\t{r['text']}")
        for r in rows:
            if r["rules"] and not (verdict[id(r)] and r["label"]):
                tag = "KEPT-WRONG" if verdict[id(r)] else "DROPPED-RIGHT" if r["label"] else "DROPPED-WRONG"
                said = " | ".join(messages[i]["payload"]["content"] for i in r["messages"])
                print(f"{tag}\t{name}\t{r['messages']}\t{r['text']}\t<<{said}>>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apart", nargs="*", default=[])
    parser.add_argument("--fresh", action="store_true",
                        help="judge on train/ (never read for rules), training also on tune/")
    parser.add_argument("--follow-ups", action="store_true",
                        help="judge the follow-up flag of the items that pair with a labelled one")
    parser.add_argument("--misses", action="store_true",
                        help="on tune/ (leave one out), list the labelled items no rule finds, the items "
                             "the weighing drops and the wrong ones it keeps; with --follow-ups, each flag judged wrong and each labelled "
                             "follow-up whose item is not found")
    args = parser.parse_args(argv)
    if args.misses and args.fresh:
        parser.error("--misses lists tune/'s misses only (train/ is judged in aggregate)")
    find = follow_up_candidates if args.follow_ups else candidates
    kind = "follow-ups" if args.follow_ups else "actions"
    if args.fresh:
        lq.judge_fresh(lq.load(find), lq.load(find, "train"), "rules", CHOSEN[kind])
    elif args.misses and args.follow_ups:
        everything = lq.load(find)
        list_misses(everything, verdicts(everything, args.apart, kind), follow_ups=True)
    elif args.misses:
        everything = lq.load(find)
        list_lost(everything, verdicts(everything, args.apart, kind))
    else:
        lq.judge(lq.load(find), args.apart, "rules", weighing=CHOSEN[kind])
    return 0


if __name__ == "__main__":
    sys.exit(main())
