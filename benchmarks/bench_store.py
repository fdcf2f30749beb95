"""What the server's store costs per job on SQLite: this tree against another (the baseline,
e.g. a checkout of the commit before the store moved to SQLAlchemy), in the same run.

One job's life as the server lives it: a conversation, a job added, taken, its 20 messages
stored, marked completed, then the conversation and its messages read back (what the
Conversation API does), plus a token checked. Each tree runs the workload in its own child
process (``PYTHONPATH`` names the tree's ``src``), alternating, several times; the medians
and their ratio are printed and written to benchmarks/results-store.json.

    mkdir -p /tmp/baseline && git archive 7ef016f src | tar -x -C /tmp/baseline
    .venv/bin/python benchmarks/bench_store.py --baseline /tmp/baseline/src --jobs 300 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOAD = r"""
import json, sys, tempfile, time
from pathlib import Path
from symbl_media.server.store import Store

jobs = int(sys.argv[1])
folder = Path(tempfile.mkdtemp())
store = Store(folder / "sandbox.sqlite3")
store.add_token("token-for-the-benchmark", time.time() + 3600)
messages = [{"text": f"message {i}", "start": i, "end": i + 0.5,
             "words": [{"word": "message", "startTime": i, "endTime": i + 0.5}]}
            for i in range(20)]
started = time.perf_counter()
for n in range(jobs):
    cid = store.create_conversation(f"call {n}")
    jid = store.add_job(cid, "text", {"name": "call"}, None, None)
    store.set_job_status(jid, "in_progress")
    rows = [dict(m, id=f"{n}-{i}") for i, m in enumerate(messages)]
    store.record_job_output(cid, jid, rows, 20.0)
    store.set_job_status(jid, "completed")
    store.token_expiry("token-for-the-benchmark")
    assert store.conversation(cid)["duration"] == 20.0
    assert len(store.messages(cid)) == 20
    store.jobs(cid)
elapsed = time.perf_counter() - started
store.close()
print(json.dumps({"seconds": elapsed, "jobs": jobs}))
"""


def _run(src: Path, jobs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, "-c", WORKLOAD, str(jobs)], env=env,
                          capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    return json.loads(done.stdout)["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True,
                        help="the src folder of the tree to compare against")
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    trees = {"this tree": HERE.parent / "src", "baseline": args.baseline.resolve()}
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, src in trees.items():  # alternating, so load changes hit both alike
            times[name].append(_run(src, args.jobs))
    medians = {name: statistics.median(t) for name, t in times.items()}
    ratio = medians["this tree"] / medians["baseline"]
    for name, median in medians.items():
        print(f"{name:10s} {median:7.3f} s for {args.jobs} jobs "
              f"({1000 * median / args.jobs:.2f} ms per job)  runs: "
              + ", ".join(f"{t:.3f}" for t in times[name]))
    print(f"ratio (this tree / baseline): {ratio:.3f}")
    (HERE / "results-store.json").write_text(json.dumps({
        "jobs": args.jobs, "runs": times, "medians": medians, "ratio": ratio,
        "load": os.getloadavg()}, indent=2) + "\n")


if __name__ == "__main__":
    main()
