"""Jobs per minute with one `sandbox worker` and with two, on the same load, in the same run.

A deployment of real processes as an operator starts them (tests/deployment.py): `sandbox
serve --no-jobs` on a throwaway PostgreSQL cluster (tests/pg_cluster.py; `--sqlite` for the
data folder's SQLite file instead), and for each measurement 1 or 2 fresh `sandbox worker`
processes (`--parallel 1` each), warmed up with one job each (the model loads on a worker's
first job: bench_first_job.py), then handed the load all at once: every job submitted over HTTP from 8 client
threads, timed from the first submission until the last job has ended. Two loads: recordings
(the 15 s sample, transcribed by the default engine) and Text API jobs (a 20-message meeting
each, so the time is the store and the insights). The measurements alternate 1, 2, 2, 1
(ABBA) per round, so a change in the machine's load hits both alike; medians are reported
and written to benchmarks/results-workers.json.

    .venv/bin/python benchmarks/bench_workers.py                  # about 3 minutes here
    .venv/bin/python benchmarks/bench_workers.py --recordings 8 --texts 60 --rounds 1 --no-save
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from deployment import Deployment  # noqa: E402
from pg_cluster import Cluster, find_bindir  # noqa: E402

MEETING = [f"Speaker {i % 3} says item {i}: please send the report by Friday, thanks."
           for i in range(20)]


def _submit_all(deployment: Deployment, load: list) -> tuple[list[str], float]:
    client = deployment.client()

    def one(item) -> str:
        kind, body = item
        if kind == "audio":
            return client.audio(body)["jobId"]
        reply = client.post("/v1/process/text", json={
            "messages": [{"payload": {"content": text}} for text in body]})
        assert reply.status_code == 201, reply.text
        return reply.json()["jobId"]

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        jobs = list(pool.map(one, load))
    return jobs, started


def _until_ended(store, jobs: list[str], timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    for jid in jobs:
        while (status := store.job(jid)["status"]) not in ("completed", "failed"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {jid} still {status}")
            time.sleep(0.05)
        assert status == "completed", store.job(jid)


def measure(deployment: Deployment, store, workers: int, load: list, warm: list) -> float:
    """Jobs per minute of ``workers`` fresh workers on ``load``."""
    started = [deployment.worker("--parallel", "1") for _ in range(workers)]
    try:
        jobs, _ = _submit_all(deployment, warm[:workers])  # one each: the models load
        _until_ended(store, jobs)
        jobs, began = _submit_all(deployment, load)
        _until_ended(store, jobs)
        elapsed = time.perf_counter() - began
    finally:
        for child in started:
            child.signal(signal.SIGTERM)
        for child in started:
            child.wait()
            deployment.children.remove(child)
    return 60 * len(load) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recordings", type=int, default=16)
    parser.add_argument("--texts", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true",
                        help="the data folder's SQLite file instead of a PostgreSQL cluster")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    from symbl_media.server.store import Store

    speech = (ROOT / "samples" / "mono-16k.wav").read_bytes()
    loads = {"recordings": [("audio", speech)] * args.recordings,
             "texts": [("text", MEETING)] * args.texts}
    folder = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    cluster = None
    if args.sqlite:
        deployment = Deployment(folder / "data")
        target: tuple = (folder / "data" / "sandbox.sqlite3",)
    else:
        bindir = find_bindir()
        if bindir is None:
            sys.exit("PostgreSQL is not installed (scripts/setup installs it); or --sqlite")
        cluster = Cluster(bindir)
        cluster.start()
        url = cluster.url(cluster.new_database())
        deployment = Deployment(folder / "data", url, cluster.password)
        target = (url, cluster.password)
    results: dict = {name: {1: [], 2: []} for name in loads}
    try:
        deployment.api("--max-jobs", "1000")
        store = Store(*target)
        for _ in range(args.rounds):
            for name, load in loads.items():
                for workers in (1, 2, 2, 1):
                    rate = measure(deployment, store, workers, load, load)
                    results[name][workers].append(rate)
                    print(f"{name:10s} {workers} worker(s): {rate:7.1f} jobs/min", flush=True)
        store.close()
    finally:
        deployment.close()
        if cluster is not None:
            cluster.remove()
    summary = {}
    for name, by in results.items():
        one, two = statistics.median(by[1]), statistics.median(by[2])
        summary[name] = {"jobs": len(loads[name]), "one worker": one, "two workers": two,
                         "ratio": two / one, "runs": by}
        print(f"{name}: 1 worker {one:.1f} jobs/min, 2 workers {two:.1f} jobs/min, "
              f"ratio {two / one:.2f}")
    if not args.no_save:
        (ROOT / "benchmarks" / "results-workers.json").write_text(json.dumps({
            "database": "sqlite" if args.sqlite else "postgresql", "loads": summary,
            "cpus": os.cpu_count(), "load": os.getloadavg()}, indent=2) + "\n")


if __name__ == "__main__":
    main()
