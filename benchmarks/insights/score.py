"""Score the sandbox's insights against the labelled conversations in this folder.

    .venv/bin/python benchmarks/insights/score.py                 # both halves, held_out reported
    .venv/bin/python benchmarks/insights/score.py --set tune -v   # one half, every miss listed
    .venv/bin/python benchmarks/insights/score.py --insights NAME # another insights engine
    .venv/bin/python benchmarks/insights/score.py --set tune --only bug-triage sprint-planning --no-hour

Each conversation is submitted as it is stored (a Text API body) to a real sandbox on
127.0.0.1 over HTTP, the job waited for, and the insights read back from the Conversation
API. Figures per type (precision, recall, F1), assignee and due-date accuracy, the share of
action items rewritten, the time per transcript, and the time of one hour of conversation
through the engine alone, pinned to one core. Results go to stdout and to
benchmarks/insights/results.json. README.md in this folder says how the set is labelled.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import matching
from matching import Share, Tally

from symbl_media.server.engines.settings import EngineSettings
from symbl_media.testing import running_sandbox

HERE = Path(__file__).resolve().parent
SETS = ("tune", "held_out")  # what --set all scores
# train/: conversations written blind and never read for rules, only to fit and judge a learned
# decision (learn_questions.py --fresh); scored on request.
OTHER_SETS = ("train",)
HOUR = 3600.0


def load(name: str) -> list[tuple[str, dict]]:
    return [(p.stem, json.loads(p.read_text())) for p in sorted((HERE / name).glob("*.json"))]


def submit(api, doc: dict) -> tuple[str, float]:
    began = time.perf_counter()
    reply = api.post("/v1/process/text", json=doc["request"])
    reply.raise_for_status()
    ids = reply.json()
    if api.wait(ids["jobId"]) != "completed":
        raise SystemExit(f"the job for {doc['request']['name']} failed")
    return ids["conversationId"], time.perf_counter() - began


def fetch(api, cid: str) -> dict:
    got = {}
    for path, key in (("messages", "messages"), ("action-items", "actionItems"),
                      ("follow-ups", "followUps"), ("questions", "questions"),
                      ("topics", "topics"), ("members", "members")):
        reply = api.get(f"/v1/conversations/{cid}/{path}")
        reply.raise_for_status()
        got[key] = reply.json()[key]
    got["conversation"] = api.get(f"/v1/conversations/{cid}").json()
    return got


def as_found(items: list[dict], position: dict[str, int]) -> list[dict]:
    """Returned items with their message ids as positions in the submitted body."""
    return [{**i, "messages": [position[m] for m in i.get("messageIds", []) if m in position]}
            for i in items]


class Score:
    def __init__(self) -> None:
        self.types = {k: Tally() for k in ("actionItems", "followUps", "questions")}
        self.topics = {"gold": 0, "found": 0, "right": 0, "named": 0}
        self.assignee = Share()
        self.due = Share()
        self.rewritten = Share()
        self.seconds: list[float] = []
        self.misses: list[str] = []
        self.fallbacks: list[str] = []

    def conversation(self, name: str, doc: dict, got: dict) -> None:
        used = (got["conversation"].get("metadata") or {}).get("insightsEngine") or {}
        if used.get("requested"):  # the chosen engine failed: another one made these
            self.fallbacks.append(f"{name}: {used.get('fallbackReason')}")
        position = {m["id"]: i for i, m in enumerate(got["messages"])}
        texts = [m["payload"]["content"] for m in doc["request"]["messages"]]
        names = [m["name"] for m in doc["members"]]
        gold = doc["gold"]
        gold_follow = [a for a in gold["actionItems"] if a["followUp"]]
        for key, wanted in (("actionItems", gold["actionItems"]), ("followUps", gold_follow),
                            ("questions", gold["questions"])):
            found = as_found(got[key], position)
            pairs = matching.pair(wanted, found)
            self.types[key].add(len(wanted), len(found), len(pairs))
            self._misses(name, key, wanted, found, pairs)
            if key != "actionItems":
                continue
            for p in pairs:
                if p.gold["assignee"] is not None:
                    right = (p.found.get("assignee") or {}).get("name", "").casefold() == \
                        p.gold["assignee"].casefold()
                    self.assignee.add(right)
                    if not right:
                        self.misses.append(f"{name}: assignee {p.found.get('assignee')} for "
                                           f"{p.gold['text']!r}")
                due = (p.found.get("dueBy") or "")[:10] or None
                if due or p.gold["dueDate"]:
                    self.due.add(due == p.gold["dueDate"])
                    if due != p.gold["dueDate"]:
                        self.misses.append(f"{name}: due {due} not {p.gold['dueDate']} for "
                                           f"{p.gold['text']!r}")
            for item in found:
                sources = [texts[i] for i in item["messages"]] or texts
                self.rewritten.add(not matching.is_copy(item["text"], sources, names))
        topics = [t["text"] for t in got["topics"]]
        right = [t for t in topics if any(matching.topic_matches(t, v) for v in gold["topics"])]
        named = [v for v in gold["topics"] if any(matching.topic_matches(t, v) for t in topics)]
        # Topics: precision counts returned topics naming a label, recall the labels named.
        for key, n in (("gold", len(gold["topics"])), ("found", len(topics)),
                       ("right", len(right)), ("named", len(named))):
            self.topics[key] += n
        for t in topics:
            if t not in right:
                self.misses.append(f"{name}: topic {t!r} is none of the labelled ones")
        for v in gold["topics"]:
            if v not in named:
                self.misses.append(f"{name}: topic {v[0]!r} not found")

    def _misses(self, name, key, wanted, found, pairs) -> None:
        paired_gold = {id(p.gold) for p in pairs}
        paired_found = {id(p.found) for p in pairs}
        for g in wanted:
            if id(g) not in paired_gold:
                self.misses.append(f"{name}: {key} missed {g['text']!r}")
        for f in found:
            if id(f) not in paired_found:
                self.misses.append(f"{name}: {key} extra {f['text']!r}")

    def figures(self) -> dict:
        out = {k: t.figures() for k, t in self.types.items()}
        t = self.topics
        p = t["right"] / t["found"] if t["found"] else 0.0
        r = t["named"] / t["gold"] if t["gold"] else 0.0
        out["topics"] = {"precision": round(p, 3), "recall": round(r, 3),
                         "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, **t}
        out["assignee"] = self.assignee.figures()
        out["dueDate"] = self.due.figures()
        out["rewritten"] = self.rewritten.figures()
        out["fallbacks"] = self.fallbacks
        out["secondsPerTranscript"] = {
            "median": round(statistics.median(self.seconds), 3) if self.seconds else None,
            "max": round(max(self.seconds), 3) if self.seconds else None}
        return out


def one_hour(docs: list[dict], app) -> dict:
    """One hour of conversation (the labelled ones, one after another, again and again) through
    the engine alone, pinned to one core; the best of three runs, start-up not counted."""
    messages, members, clock, n = [], {}, 0.0, 0
    start = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    while clock < HOUR:
        for doc in docs:
            first = None
            for m in doc["request"]["messages"]:
                t0 = datetime.fromisoformat(m["duration"]["startTime"])
                t1 = datetime.fromisoformat(m["duration"]["endTime"])
                first = first or t0
                at = clock + (t0 - first).total_seconds()
                length = (t1 - t0).total_seconds()
                who = m["from"]["name"]
                members.setdefault(who, {"id": f"member-{len(members)}", "name": who,
                                         "email": m["from"]["userId"]})
                messages.append({"id": str(10**15 + n), "text": m["payload"]["content"],
                                 "from": {"id": members[who]["id"], "name": who},
                                 "startTime": (start + timedelta(seconds=at)).isoformat(),
                                 "endTime": (start + timedelta(seconds=at + length)).isoformat(),
                                 "timeOffset": round(at, 3), "duration": round(length, 3)})
                n += 1
            clock = messages[-1]["timeOffset"] + messages[-1]["duration"] + 2.0
            if clock >= HOUR:
                break
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    engine = app.insight_engine()
    runs = []
    for _ in range(3):
        began, cpu = time.perf_counter(), time.process_time()
        engine.analyse("one-hour", messages, list(members.values()), duration=clock,
                       start_time=start.isoformat())
        runs.append((time.perf_counter() - began, time.process_time() - cpu))
    wall, cpu = min(runs)
    return {"messages": len(messages), "words": sum(len(m["text"].split()) for m in messages),
            "seconds": round(clock), "wallSeconds": round(wall, 3), "cpuSeconds": round(cpu, 3),
            "runs": [[round(w, 3), round(c, 3)] for w, c in runs]}


def table(label: str, f: dict) -> str:
    rows = [f"{label}", "| type | precision | recall | F1 | labelled | returned |",
            "| --- | --- | --- | --- | --- | --- |"]
    for key in ("actionItems", "followUps", "questions", "topics"):
        x = f[key]
        rows.append(f"| {key} | {x['precision']:.2f} | {x['recall']:.2f} | {x['f1']:.2f} | "
                    f"{x['gold']} | {x['found']} |")
    for key in ("assignee", "dueDate", "rewritten"):
        x = f[key]
        share = "n/a" if x["share"] is None else f"{x['share']:.2f}"
        rows.append(f"| {key} | {share} ({x['right']}/{x['of']}) | | | | |")
    s = f["secondsPerTranscript"]
    rows.append(f"| seconds per transcript (HTTP, submit to insights) | median {s['median']} | "
                f"max {s['max']} | | | |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(*SETS, *OTHER_SETS, "all"), default="all")
    parser.add_argument("--insights", default=None, help="insights engine name (default: built-in)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--no-hour", action="store_true", help="skip the one-hour timing")
    parser.add_argument("--only", nargs="+", metavar="NAME", default=None,
                        help="score only these conversations of the set (file names without .json)")
    args = parser.parse_args(argv)
    chosen = SETS if args.set == "all" else (args.set,)
    results: dict = {"engine": args.insights or "default", "sets": {}}
    # An engine's endpoint, model and key as the environment gives them (SYMBL_MEDIA_LLM_URL,
    # SYMBL_MEDIA_LLM_MODEL, SYMBL_MEDIA_LLM_KEY for --insights llm).
    engines = EngineSettings.from_environment()
    with tempfile.TemporaryDirectory() as tmp, \
            running_sandbox(Path(tmp), engines=engines, insights=args.insights) as sandbox:
        api = sandbox.client()
        every = []
        for name in chosen:
            score = Score()
            chosen_docs = [(stem, doc) for stem, doc in load(name) if args.only is None or stem in args.only]
            if args.only and len(chosen_docs) != len(set(args.only)):
                raise SystemExit(f"--only: not all of {args.only} are in {name}/")
            for stem, doc in chosen_docs:
                cid, seconds = submit(api, doc)
                score.seconds.append(seconds)
                score.conversation(f"{name}/{stem}", doc, fetch(api, cid))
                every.append(doc)
            results["sets"][name] = score.figures()
            print(table(f"\n{name} ({len(chosen_docs)} conversations)", results["sets"][name]))
            for fallback in score.fallbacks:
                print(f"  fell back to the default engine: {fallback}")
            if args.verbose:
                print("\n".join(f"  - {m}" for m in score.misses))
        if not args.no_hour:
            results["oneHour"] = one_hour(every or [d for _, d in load("tune")], sandbox.app)
            h = results["oneHour"]
            print(f"\none hour ({h['messages']} messages, {h['words']} words, {h['seconds']} s): "
                  f"{h['wallSeconds']} s wall, {h['cpuSeconds']} s CPU on one core")
    named = f"results-{args.insights}.json" if args.insights else "results.json"
    (HERE / named).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
