"""A worker's first job with its engines loaded on that job (``--load-engines first-job``)
against loaded before it (the default, ``start``), in the same run.

Each measurement is a fresh Python process (so nothing is loaded or cached in it yet: the
model, its files' hashes, the libraries): it checks the default engines, then runs a
`server.worker.Worker` on a data folder's SQLite file, which starts loading the engines in the
background unless told ``first-job``; in the "loaded" configuration the job is handed over
once that load has ended (a worker that has been up a while; the time to that point is
reported as the worker's start), in the other two at once, then a second job. The job is one
of the 15 s sample (`samples/mono-16k.wav`). A job's seconds are its row's, from its claim
(`started_at`) to its end (`updated_at`). The configurations alternate in ABBA order per
round, so a change in the machine's load hits them alike; medians reported.

    .venv/bin/python benchmarks/bench_first_job.py              # about 1 minute here
    .venv/bin/python benchmarks/bench_first_job.py --rounds 1
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "mono-16k.wav"


MODES = {"lazy": "first job loads", "background": "loading, job at once",
         "loaded": "loaded at start"}


def measure(mode: str) -> dict:
    """In this (fresh) process: the start's seconds and the first two jobs' seconds."""
    from symbl_media.server.engines.chosen import Engines
    from symbl_media.server.engines.settings import EngineSettings
    from symbl_media.server.faults import Faults
    from symbl_media.server.store import Store
    from symbl_media.server.worker import Worker, wait_for

    data = Path(tempfile.mkdtemp(prefix="bench-first-job-"))
    try:
        (data / "work").mkdir()
        (data / "uploads").mkdir()
        started = time.perf_counter()
        engines = Engines(EngineSettings(
            load_engines="first-job" if mode == "lazy" else "start"))
        engines.check()
        store = Store(data / "sandbox.sqlite3")
        worker = Worker(store, engines, Faults({}), data, parallel=1,
                        max_body_bytes=1 << 30, max_duration=3600, fetch_timeout=30,
                        on_messages=lambda cid, lease: None)
        worker.start()
        if mode == "loaded":
            while not engines.transcriber.loaded:
                time.sleep(0.01)
        start_seconds = time.perf_counter() - started
        seconds = []
        try:
            for n in range(2):
                upload = data / "uploads" / f"job-{n}.wav"
                shutil.copy(SAMPLE, upload)
                jid = store.add_job(store.create_conversation(None), "audio", {},
                                    str(upload), "audio/wav")
                worker.poke()
                assert wait_for(store, jid, timeout=600) == "completed"
                job = store.job(jid)
                seconds.append(job["updated_at"] - job["started_at"])
        finally:
            worker.stop()
            store.close()
        return {"start": start_seconds, "first": seconds[0], "second": seconds[1]}
    finally:
        shutil.rmtree(data, ignore_errors=True)


def run_child(mode: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=tuple(MODES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for _ in range(args.rounds):
        for name in (*MODES, *reversed(MODES)):
            runs[name].append(run_child(name))
    med = {name: {key: statistics.median(r[key] for r in rs) for key in rs[0]}
           for name, rs in runs.items()}
    print(f"{'engines':<22}{'start s':>9}{'first job s':>13}{'second job s':>14}")
    for name, label in MODES.items():
        m = med[name]
        print(f"{label:<22}{m['start']:>9.2f}{m['first']:>13.2f}{m['second']:>14.2f}")
    for name in ("background", "loaded"):
        print(f"first job, {MODES[name]} / {MODES['lazy']} (same run): "
              f"{med[name]['first'] / med['lazy']['first']:.2f}")
    print("runs (first job s): " + "; ".join(
        f"{name} " + ", ".join(f"{r['first']:.2f}" for r in rs) for name, rs in runs.items()))


if __name__ == "__main__":
    main()
