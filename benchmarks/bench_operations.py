#!/usr/bin/env python3
"""What the operations features cost: /metrics and JSON logs per request, and a scrape's query
against the size of the job table.

    .venv/bin/python benchmarks/bench_operations.py [--seconds 10] [--clients 8] [--rounds 2]
                                                    [--jobs 1000 10000 100000] [--postgres]
                                                    [--no-save]

Requests: `sandbox serve` as users run it, twice in the same run, in ABBA order (--rounds
times): "plain" (the default text log, no metrics) and "ops" (SYMBL_SANDBOX_METRICS=1 and
SYMBL_SANDBOX_LOG_FORMAT=json: every request counted, timed and logged as JSON). The load is
benchmarks/bench_web_stack.py's (``--clients`` keep-alive connections calling a job's status,
a conversation's messages and ``GET /``); reported: requests per second and p99 latency, the
median of each variant's runs, and ops/plain.

Scrapes: a store with ``--jobs`` rows in its job table (90% completed, 5% failed, 5%
scheduled, half of them audio), on SQLite (and on a throwaway PostgreSQL cluster with
``--postgres``, tests/pg_cluster.py); the median time of the job figures' query
(``job_figures.read``, what each scrape runs) against the median of the plainest query of the
same table that a scrape could not do without, the jobs by state (``SELECT status, count(*)
FROM jobs GROUP BY status``, which the status index answers), in the same run.

Results go to stdout and into benchmarks/results.json under "operations" (other keys kept);
docs/benchmarks.md explains them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import bench_prepare as bp  # machine(), code_version()  # noqa: E402
import bench_sandbox_upload as up  # Server  # noqa: E402
import bench_web_stack as ws  # api_load, environment  # noqa: E402

VARIANTS = {"plain": {}, "ops": {"SYMBL_SANDBOX_METRICS": "1",
                                 "SYMBL_SANDBOX_LOG_FORMAT": "json"}}


def request_load(tmp: Path, args) -> dict:
    runs: dict[str, list[dict]] = {name: [] for name in VARIANTS}
    order = [n for _ in range(args.rounds) for n in ("plain", "ops", "ops", "plain")]
    for i, name in enumerate(order):
        env = {**ws.environment(tmp, f"{name}{i}", None), **VARIANTS[name]}
        server = up.Server(tmp / f"data-{name}{i}", env)
        try:
            result = ws.api_load(server, args.seconds, args.clients)
            if name == "ops":  # the figures are there, and the log is JSON
                with urllib.request.urlopen(f"{server.url}/metrics", timeout=30) as reply:
                    assert b"symbl_sandbox_http_requests_total" in reply.read()
        finally:
            server.stop()
        if name == "ops":  # one JSON object per request line
            assert any(json.loads(line)["event"] == "request" for line in server.lines
                       if line.startswith("{"))
        print(f"  {name}: {result}", flush=True)
        runs[name].append(result)
    medians = {name: {key: statistics.median(r[key] for r in results)
                      for key in ("requests_per_s", "p50_ms", "p99_ms")}
               for name, results in runs.items()}
    return {"runs": runs, "medians": medians, "ops_over_plain": {
        key: round(medians["ops"][key] / medians["plain"][key], 3)
        for key in ("requests_per_s", "p50_ms", "p99_ms")}}


def fill(store, count: int) -> None:
    """``count`` jobs as a busy deployment's table holds them."""
    from symbl_media.server.schema import jobs

    rng = random.Random(7)
    now = time.time()
    rows = []
    for n in range(count):
        pick = rng.random()
        status = "completed" if pick < 0.90 else "failed" if pick < 0.95 else "scheduled"
        created = now - rng.uniform(0, 30 * 86400)
        started = None if status == "scheduled" else created + rng.uniform(0, 60)
        rows.append({"id": f"job-{n}", "conversation_id": f"conv-{n}", "seq": 1,
                     "kind": "audio" if n % 2 else "text", "status": status, "options": "{}",
                     "created_at": created, "started_at": started, "attempts": 1,
                     "updated_at": (started or created) + rng.uniform(0.2, 600),
                     "duration": rng.uniform(10, 3600) if status == "completed" else None})
    with store.transaction() as conn:
        for start in range(0, count, 5000):
            conn.execute(jobs.insert(), rows[start:start + 5000])


def timed(fn, repeats: int) -> float:
    fn()  # warm: the statement cache, the pages
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def scrape_cost(target, password, sizes: list[int], repeats: int) -> list[dict]:
    from sqlalchemy import func, select

    from symbl_media.server import job_figures
    from symbl_media.server.schema import jobs
    from symbl_media.server.store import Store

    out = []
    for size in sizes:
        store = Store(target() if callable(target) else target, password)
        try:
            fill(store, size)

            def count() -> None:
                with store.transaction() as conn:
                    conn.execute(select(jobs.c.status, func.count())
                                 .group_by(jobs.c.status)).all()

            figures = timed(lambda: job_figures.read(store), repeats)
            baseline = timed(count, repeats)
        finally:
            store.close()
        row = {"jobs": size, "figures_ms": round(figures * 1000, 2),
               "by_state_ms": round(baseline * 1000, 2),
               "figures_over_by_state": round(figures / baseline, 2)}
        print(f"  {row}", flush=True)
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-operations-"))
    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": bp.machine(),
              "code": bp.code_version(), "load_average": os.getloadavg(),
              "settings": {k: v for k, v in vars(args).items() if k != "no_save"}}
    print("requests (plain: text log; ops: --metrics and --log-format json)", flush=True)
    result["requests"] = request_load(tmp, args)
    print("scrape query on SQLite", flush=True)
    counter = iter(range(len(args.jobs)))
    result["scrape_sqlite"] = scrape_cost(
        lambda: tmp / f"figures-{next(counter)}.sqlite3", None, args.jobs, args.repeats)
    if args.postgres:
        from pg_cluster import Cluster, find_bindir

        cluster = Cluster(find_bindir())
        cluster.start()
        try:
            print("scrape query on PostgreSQL", flush=True)
            result["scrape_postgresql"] = scrape_cost(
                lambda: cluster.url(cluster.new_database()), cluster.password, args.jobs,
                args.repeats)
        finally:
            cluster.stop()
            cluster.remove()
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1))
    if not args.no_save:
        path = HERE / "results.json"
        saved = json.loads(path.read_text()) if path.exists() else {}
        saved["operations"] = result
        path.write_text(json.dumps(saved, indent=2) + "\n")


if __name__ == "__main__":
    main()
