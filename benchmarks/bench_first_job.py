"""A worker's first job, with its engines loaded as it takes the job (as `sandbox worker`
does) against loaded before it takes any (``Engines.load``), in the same run.

Each measurement is a fresh Python process (so nothing is loaded or cached in it yet: the
model, its files' hashes, the libraries): it checks the default engines, loads them only in
the "loaded at start" configuration (that time is reported apart, as the worker's start), then
runs a `server.worker.Worker` on a data folder's SQLite file and hands it one job of the 15 s
sample (`samples/mono-16k.wav`), then a second. A job's seconds are its row's, from its claim
(`started_at`) to its end (`updated_at`). The configurations alternate lazy, loaded, loaded,
lazy (ABBA) per round, so a change in the machine's load hits both alike; medians reported.

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


def measure(load_first: bool) -> dict:
    """In this (fresh) process: the start's seconds and the first two jobs' seconds."""
    from symbl_media.server.engines.chosen import Engines
    from symbl_media.server.faults import Faults
    from symbl_media.server.store import Store
    from symbl_media.server.worker import Worker, wait_for

    data = Path(tempfile.mkdtemp(prefix="bench-first-job-"))
    try:
        (data / "work").mkdir()
        (data / "uploads").mkdir()
        started = time.perf_counter()
        engines = Engines()
        engines.check()
        if load_first:
            engines.load()
        start_seconds = time.perf_counter() - started
        store = Store(data / "sandbox.sqlite3")
        worker = Worker(store, engines, Faults({}), data, parallel=1,
                        max_body_bytes=1 << 30, max_duration=3600, fetch_timeout=30,
                        on_messages=lambda cid, lease: None)
        worker.start()
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


def run_child(load_first: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", "loaded" if load_first else "lazy"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=("lazy", "loaded"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child == "loaded")))
        return
    runs: dict[str, list[dict]] = {"lazy": [], "loaded": []}
    for _ in range(args.rounds):
        for name in ("lazy", "loaded", "loaded", "lazy"):
            runs[name].append(run_child(name == "loaded"))
    med = {name: {key: statistics.median(r[key] for r in rs) for key in rs[0]}
           for name, rs in runs.items()}
    print(f"{'engines':<22}{'start s':>9}{'first job s':>13}{'second job s':>14}")
    for name, label in (("lazy", "loaded by job 1"), ("loaded", "loaded at start")):
        m = med[name]
        print(f"{label:<22}{m['start']:>9.2f}{m['first']:>13.2f}{m['second']:>14.2f}")
    print(f"first job, loaded at start / loaded by job 1 (same run): "
          f"{med['loaded']['first'] / med['lazy']['first']:.2f}")
    print("runs (first job s): " + "; ".join(
        f"{name} " + ", ".join(f"{r['first']:.2f}" for r in rs) for name, rs in runs.items()))


if __name__ == "__main__":
    main()
