"""How far two labellers agree, and where the engine stands between them.

    .venv/bin/python benchmarks/insights/agreement.py

`second_labels/` holds a second, independent labelling of some `tune/` conversations: made
from the conversation alone (kind, description, members, messages) and this folder's
README guide, by a labeller who never saw the first labels, the engine's code or its output.
This script scores the second labels against the first with the same matcher and the same
figures as score.py (the second labeller standing where the engine stands), then scores the
engine against each labelling on the same conversations.

Why: the targets of issue 14 are figures against one labelling. Where two careful labellers
following one guide agree less than a target asks of the engine, the target measures the
labels as much as the engine; this says by how much. F1 is symmetric in the two labellings
(precision of one is recall of the other), so which labelling counts as "gold" only swaps
P and R.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import score as scoring

from symbl_media.testing import running_sandbox

HERE = Path(__file__).resolve().parent
SECOND = HERE / "second_labels"


def as_returned(doc: dict, labels: dict) -> dict:
    """A labelling dressed as the server's answer, so score.Score reads it as it reads ours."""
    ids = [str(i) for i in range(len(doc["request"]["messages"]))]

    def item(label: dict) -> dict:
        out = {"messageIds": [ids[i] for i in label["messages"]], "text": label["text"]}
        if "assignee" in label:
            out["assignee"] = {"name": label["assignee"]} if label["assignee"] else None
            out["dueBy"] = label["dueDate"]
        return out

    actions = [item(a) for a in labels["actionItems"]]
    return {"conversation": {"metadata": {}},
            "messages": [{"id": i} for i in ids],
            "actionItems": actions,
            "followUps": [a for a, label in zip(actions, labels["actionItems"]) if label["followUp"]],
            "questions": [item(q) for q in labels["questions"]],
            # A labelled topic's first variant is its name; the others are what it may be called.
            "topics": [{"text": variants[0]} for variants in labels["topics"]]}


def pairs() -> list[tuple[str, dict, dict]]:
    """(name, the conversation with its first labels, the second labels) for each relabelled one."""
    out = []
    for path in sorted(SECOND.glob("*.json")):
        first = json.loads((HERE / "tune" / path.name).read_text())
        out.append((path.stem, first, json.loads(path.read_text())["gold"]))
    return out


def main() -> int:
    chosen = pairs()
    if not chosen:
        raise SystemExit(f"no second labels in {SECOND}")
    between = scoring.Score()
    for name, doc, second in chosen:
        between.conversation(name, doc, as_returned(doc, second))
    engine_first, engine_second = scoring.Score(), scoring.Score()
    with tempfile.TemporaryDirectory() as tmp, running_sandbox(Path(tmp)) as sandbox:
        api = sandbox.client()
        for name, doc, second in chosen:
            cid, seconds = scoring.submit(api, doc)
            got = scoring.fetch(api, cid)
            engine_first.seconds.append(seconds)
            engine_first.conversation(name, doc, got)
            engine_second.conversation(name, {**doc, "gold": second}, got)
    n = len(chosen)
    print(scoring.table(f"\nsecond labels against the first ({n} conversations)", between.figures()))
    print(scoring.table(f"\nthe engine against the first labels ({n})", engine_first.figures()))
    print(scoring.table(f"\nthe engine against the second labels ({n})", engine_second.figures()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
