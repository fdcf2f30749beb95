"""Fit the second look (src/symbl_media/server/insights/second_look.py) on action items and
on questions, and write its weights.

    .venv/bin/python benchmarks/insights/fit_second_look.py            # write second_look.json
    .venv/bin/python benchmarks/insights/fit_second_look.py --check    # exit 1 if it differs

Fitted on every conversation of tune/ and train/ (never held_out/): the action items the rules
find there and the sentences shaped like a question, each labelled right when it pairs with a
labelled item as the scorer pairs them. The same logistic regressions learn_actions.py and
learn_questions.py judge, with each kind's C, threshold and least number of conversations a
signal is seen in from weighings.py (scikit-learn's lbfgs, no randomness; for the questions'
L1, liblinear with its order fixed: the same conversations and rules give the same weights). Run it again whenever the rules or the
labelled conversations change: the weights read the rules' own signals.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import learn_actions
import learn_questions as lq
import weights_file
from weighings import CHOSEN

from symbl_media.server.insights import second_look

TARGET = Path(second_look.__file__).with_name(second_look.WEIGHTS_FILE)
FOLDERS = ("tune", "train")


def _fit(find, kind: str) -> tuple[dict, dict]:
    """One kind's weights and threshold, fitted as weighings.py says for that kind."""
    weighing = CHOSEN[kind]
    by_folder = {folder: lq.load(find, folder) for folder in FOLDERS}
    rows = [r for loaded in by_folder.values() for rs, _ in loaded.values() for r in rs]
    weights = lq.train(rows, "rules", weighing)
    kept = {s: round(w, 4) for s, w in sorted(weights.items()) if round(w, 4) != 0.0}
    return {"threshold": weighing.threshold, "weights": kept}, {f: len(loaded) for f, loaded in by_folder.items()}


def fitted() -> str:
    actions, fitted_on = _fit(learn_actions.candidates, "actions")
    follow_ups, _ = _fit(learn_actions.follow_up_candidates, "follow-ups")
    questions, _ = _fit(lq.candidates, "questions")
    data = {"about": "second_look.py's weights; written by benchmarks/insights/fit_second_look.py",
            "fittedOn": fitted_on, "actionItems": actions, "followUps": follow_ups, "questions": questions}
    return json.dumps(data, indent=0) + "\n"


def main(argv: list[str] | None = None) -> int:
    return weights_file.main(
        argv, __doc__.splitlines()[0], TARGET, fitted,
        lambda data: f"{len(data['actionItems']['weights'])} weights for action items, "
                     f"{len(data['followUps']['weights'])} for follow-ups, {len(data['questions']['weights'])} for questions")


if __name__ == "__main__":
    sys.exit(main())
