"""How long a job waits to be picked up when the API and the worker are different processes
(`sandbox serve --no-jobs` and `sandbox worker` on PostgreSQL, as docs/deploy.md runs them).

    .venv/bin/python benchmarks/bench_pickup.py [--jobs 40]
    PYTHONPATH=/tmp/base/src .venv/bin/python benchmarks/bench_pickup.py   # another tree

A throwaway PostgreSQL cluster (tests/pg_cluster.py), one API process and one worker
(`--parallel 1`); ``--jobs`` Text API jobs submitted one at a time, each after the previous one
ended and a random pause of 0–1 s (so submissions fall anywhere in the worker's half-second
pass). A job's pickup is its row's ``started_at - created_at``: from the transaction that
added it to the worker's claim. The engines are not involved (text jobs).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from deployment import Deployment  # noqa: E402
from pg_cluster import Cluster, find_bindir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=40)
    args = parser.parse_args()
    from symbl_media.server.store import Store

    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL is not installed (scripts/setup installs it)")
    random.seed(1)
    cluster = Cluster(bindir)
    cluster.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pickup-") as tmp:
            url = cluster.url(cluster.new_database())
            deployment = Deployment(Path(tmp) / "data", url, cluster.password)
            try:
                deployment.api()
                deployment.worker("--parallel", "1")
                client = deployment.client()
                store = Store(url, cluster.password)
                client.wait(client.text("warm-up")["jobId"])
                pickups = []
                for n in range(args.jobs):
                    time.sleep(random.random())
                    jid = client.text(f"Item {n}: send the report by Friday.")["jobId"]
                    client.wait(jid)
                    row = store.job(jid)
                    pickups.append(row["started_at"] - row["created_at"])
                store.close()
            finally:
                deployment.close()
    finally:
        cluster.remove()
    ms = sorted(1000 * p for p in pickups)
    print(f"{len(ms)} jobs, pickup ms: median {statistics.median(ms):.1f}, "
          f"mean {statistics.mean(ms):.1f}, p90 {ms[int(0.9 * len(ms))]:.1f}, "
          f"max {ms[-1]:.1f} (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
