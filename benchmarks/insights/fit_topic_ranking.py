"""Fit the learned ranking of topics (src/symbl_media/server/insights/topic_ranking.py) and write its weights.

    .venv/bin/python benchmarks/insights/fit_topic_ranking.py            # write topic_ranking.json
    .venv/bin/python benchmarks/insights/fit_topic_ranking.py --check    # exit 1 if it differs

Fitted on every conversation of tune/ and train/ (never held_out/), as the second look is:
the phrases the topic finder may show, each labelled right when it names a labelled topic
(learn_topics.py, which judges the ranking; its CHOSEN setting gives C and the threshold). Run
it again whenever the topic rules or the labelled conversations change: the weights read the
rules' own signals.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import learn_topics as lt
import weights_file

from symbl_media.server.insights import topic_ranking

TARGET = Path(topic_ranking.__file__).with_name(topic_ranking.WEIGHTS_FILE)
FOLDERS = ("tune", "train")


def fitted() -> str:
    by_folder = {folder: lt.load(folder) for folder in FOLDERS}
    model = lt.fit([d for loaded in by_folder.values() for d in loaded.values()], lt.CHOSEN.c)
    weights = {s: round(float(w), 4) for s, w in zip(model.vocab, model.regression.coef_[0]) if round(float(w), 4) != 0.0}
    data = {"about": "topic_ranking.py's weights; written by benchmarks/insights/fit_topic_ranking.py",
            "fittedOn": {f: len(loaded) for f, loaded in by_folder.items()},
            "limit": lt.CHOSEN.limit, "threshold": lt.CHOSEN.threshold,
            "intercept": round(float(model.regression.intercept_[0]), 4), "weights": dict(sorted(weights.items()))}
    return json.dumps(data, indent=0) + "\n"


def main(argv: list[str] | None = None) -> int:
    return weights_file.main(argv, __doc__.splitlines()[0], TARGET, fitted,
                             lambda data: f"{len(data['weights'])} weights")


if __name__ == "__main__":
    sys.exit(main())
