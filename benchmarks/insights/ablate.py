"""Switch the engine's rules off one at a time and score a labelled set again.

    .venv/bin/python benchmarks/insights/ablate.py tune                   # every rule
    .venv/bin/python benchmarks/insights/ablate.py tune --only NAME ...   # some conversations
    .venv/bin/python benchmarks/insights/ablate.py tune --rules narration._NOW topics.rarity

Each rule is a compiled pattern of the default insights engine (or one reason question_acts
gives for leaving a question out, or the topic finder's rarity weight); switched off, its
pattern never matches. The sandbox runs in this process, so the switch reaches its jobs. A
rule whose switching off raises precision without losing recall, or raises recall, does not
pay on that set. For reading on tune/ only: held_out/ is scored, never tuned on.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
from pathlib import Path

import score

from symbl_media.server.engines.settings import EngineSettings
from symbl_media.server.insights import (action_items, actions, assignees, narration, non_commitments, question_acts,
                                         question_forms, question_moves, question_self, replies, topics)
from symbl_media.testing import running_sandbox

NEVER = re.compile(r"(?!)")
PATTERNS = {
    question_forms: ["_CHIT_CHAT", "_ROOM", "_GUESS", "_REQUEST"],
    question_moves: ["_RUNNING", "_REACTION", "_ECHO", "_SUGGESTION", "_ROOM_CHECK", "_STORY_OPENER", "_OFFER",
                     "_SHOULD_I"],
    question_acts: ["_SMALL_TALK", "_RHETORICAL", "_FLOOR", "_HEDGE", "_REQUEST_OR_SUGGESTION", "_PRESENCE",
                    "_AGREEMENT_TAG", "_TO_BE_DONE", "_TAKES_ON", "_ABOUT_THE_QUESTION", "_WHY_NOT"],
    narration: ["_NOW", "_ALWAYS", "_PLEASANTRY", "_ON_SCREEN", "_RIGHT_HERE", "_NOT_WORK", "_AGREEING", "_SCENE",
                "_BOARD"],
    non_commitments: ["_REPORTED", "_DOUBT", "_SOMEDAY", "_STANDING", "_HEARSAY", "_HEDGED_ADVICE"],
    action_items: ["_CONTINGENT", "_PLAN_B", "_REASSURING", "_DANGLING", "_AVAILABLE", "_OPTION", "_LET_ME", "_IF",
                   "_REASON"],
    actions: ["_PREDICTION", "_REQUIRES", "_RECEIVE", "_TELL_SOMEONE", "_BARE_DO", "_AS_EVER"],
    assignees: ["_DAY_BEFORE"],
    replies: ["_DONE"],
}
SELF_REASONS = ["searching for one's own words", "someone else's question, reported", "answered by its own speaker",
                "rewording the question before it"]
REASONS = ["small talk", "the call itself", "seeking agreement", "rhetorical or a reaction", "an offer",
           "checking the room", "taking or passing the floor", "a guess or a proposal", "a request or a suggestion",
           "a proposal taken up", "part of the question before it", "a suggestion", "opening a story",
           "an echo or a guess"]


@contextlib.contextmanager
def _swapped(module, name: str, value):
    old = getattr(module, name)
    setattr(module, name, value)
    question_forms.is_question.cache_clear()
    try:
        yield
    finally:
        setattr(module, name, old)
        question_forms.is_question.cache_clear()


def _without_reason(reason: str):
    asks = question_acts.not_asking
    return _swapped(question_acts, "not_asking", lambda *a, **k: None if asks(*a, **k) == reason else asks(*a, **k))


def _without_self_reason(reason: str):
    asked = question_self.not_asked
    return _swapped(question_self, "not_asked", lambda *a, **k: None if asked(*a, **k) == reason else asked(*a, **k))


def switches() -> dict:
    found = {"none": contextlib.nullcontext}
    for reason in REASONS:
        found[f"q:{reason}"] = lambda r=reason: _without_reason(r)
    for reason in SELF_REASONS:
        found[f"q:{reason}"] = lambda r=reason: _without_self_reason(r)
    for module, names in PATTERNS.items():
        for name in names:
            found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = lambda m=module, n=name: _swapped(m, n, NEVER)
    found["topics.rarity"] = lambda: _swapped(topics, "rarity", lambda word: 1.0)
    # A group intention someone takes on at once, and an offer welcomed, merged (replies.py).
    found["replies._group_taken_on"] = lambda: _swapped(replies, "_group_taken_on", lambda conversation, found: found)
    found["replies._welcomed"] = lambda: _swapped(replies, "_welcomed", lambda conversation, offer: None)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=("tune",))  # held_out/ is scored, never tuned on
    parser.add_argument("--only", nargs="+", metavar="NAME", default=None)
    parser.add_argument("--rules", nargs="+", default=None)
    args = parser.parse_args(argv)
    every = switches()
    chosen = ["none", *(args.rules or [k for k in every if k != "none"])]
    docs = [(s, d) for s, d in score.load(args.set) if args.only is None or s in args.only]
    print("| switched off | actions P / R (returned) | questions P / R (returned) | topics P / R |")
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp, \
            running_sandbox(Path(tmp), engines=EngineSettings.from_environment()) as sandbox:
        api = sandbox.client()
        for name in chosen:
            with every[name]():
                tally = score.Score()
                for stem, doc in docs:
                    cid, seconds = score.submit(api, doc)
                    tally.conversation(f"{args.set}/{stem}", doc, score.fetch(api, cid))
                f = tally.figures()
            a, q, t = f["actionItems"], f["questions"], f["topics"]
            print(f"| {name} | {a['precision']:.3f} / {a['recall']:.3f} ({a['found']}) | "
                  f"{q['precision']:.3f} / {q['recall']:.3f} ({q['found']}) | "
                  f"{t['precision']:.3f} / {t['recall']:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
