#!/usr/bin/env python3
"""Benchmark the sandbox's web stack against the standard-library server it replaced.

    .venv/bin/python benchmarks/bench_web_stack.py [--old REV] [--seconds 10] [--clients 8]
                                                   [--rounds 2] [--upload-mb 100 2048]
                                                   [--no-save]

Both servers are run in the same run, on the same machine, the same way a user runs them
(``python -m symbl_media sandbox serve``): the new one from this checkout's src/, the old one
from ``git archive REV src`` (REV: the commit before the web stack replaced http.server; the
default is found from git, the parent of the commit that deleted server/handler.py), put first
on PYTHONPATH. Each gets the same data: one text conversation whose job has completed.

API: ``--clients`` threads, each on one keep-alive connection (http.client, so the client
costs little of the 2 cores it shares with the server), call for ``--seconds`` in turn
``GET /v1/job/{id}`` (a token check and one row), ``GET /v1/conversations/{id}/messages``
(a token check and a conversation's rows) and ``GET /`` (no token). Reported: requests per
second over all clients, and the 50th and 99th percentile latency of one request. The servers
take turns in ABBA order (--rounds times), and each figure is the median of a server's runs;
the ratio new/old of each is what the run shows.

Upload: the peak RSS of each server receiving ``--upload-mb`` sizes (a WAV body streamed with
a Content-Length, as benchmarks/bench_sandbox_upload.py sends it, whose code this reuses):
the memory must stay flat with the upload's size (peak 2 GiB / peak 100 MiB <= 1.10).

Results go to stdout and into benchmarks/results.json under "web_stack" (other keys kept);
docs/benchmarks.md explains them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_prepare as bp  # machine(), code_version()  # noqa: E402
import bench_sandbox_upload as up  # Server, token, upload, measure's pieces  # noqa: E402

ROOT = bp.ROOT
RESULTS = bp.RESULTS
MIB = 1 << 20


def old_revision() -> str:
    """The commit before the one that removed the http.server layer (server/handler.py)."""
    removed = subprocess.run(["git", "log", "-1", "--format=%H", "--diff-filter=D", "--",
                              "src/symbl_media/server/handler.py"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
    if not removed:
        raise SystemExit("cannot find the commit that removed server/handler.py: give --old")
    return removed + "^"


def checkout_src(rev: str, into: Path) -> Path:
    """``git archive REV src`` unpacked into ``into``; returns the src folder."""
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def environment(tmp: Path, label: str, src: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_")}
    for var, sub in (("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("TMPDIR", "tmp")):
        (tmp / f"env-{label}" / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / f"env-{label}" / sub)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _get(conn: http.client.HTTPConnection, path: str, headers: dict) -> int:
    conn.request("GET", path, headers=headers)
    reply = conn.getresponse()
    reply.read()
    return reply.status


def api_load(server: up.Server, seconds: float, clients: int) -> dict:
    tok = up.token(server)
    auth = {"Authorization": f"Bearer {tok}"}
    conn = http.client.HTTPConnection(server.host, int(server.port), timeout=60)
    conn.request("POST", "/v1/process/text", json.dumps({"messages": [
        {"payload": {"content": "Please send the budget report to finance by Friday."},
         "from": {"name": "Ann"}},
        {"payload": {"content": "Can we ship the release on Monday morning?"},
         "from": {"name": "Bob"}}]}), {**auth, "Content-Type": "application/json"})
    ids = json.loads(conn.getresponse().read())
    while json.loads(_read(conn, f"/v1/job/{ids['jobId']}", auth))["status"] not in (
            "completed", "failed"):
        time.sleep(0.1)
    conn.close()
    paths = [(f"/v1/job/{ids['jobId']}", auth),
             (f"/v1/conversations/{ids['conversationId']}/messages", auth), ("/", {})]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(n: int) -> None:
        c = http.client.HTTPConnection(server.host, int(server.port), timeout=60)
        for path, headers in paths:  # warm: the connection, the token cache
            _get(c, path, headers)
        start.wait()
        i = n
        while time.perf_counter() < deadline[0]:
            path, headers = paths[i % len(paths)]
            t0 = time.perf_counter()
            status = _get(c, path, headers)
            latencies[n].append(time.perf_counter() - t0)
            errors[n] += status != 200
            i += 1
        c.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    every = sorted(x for per in latencies for x in per)
    return {"requests": len(every), "errors": sum(errors),
            "requests_per_s": round(len(every) / elapsed, 1),
            "p50_ms": round(1000 * every[len(every) // 2], 2),
            "p99_ms": round(1000 * every[min(len(every) - 1, int(len(every) * 0.99))], 2)}


def _read(conn: http.client.HTTPConnection, path: str, headers: dict) -> bytes:
    conn.request("GET", path, headers=headers)
    return conn.getresponse().read()


def upload_peak(server: up.Server, size_mb: int, block: bytes) -> dict:
    """Peak RSS and VmHWM of the server while it takes one upload of ``size_mb``."""
    tok = up.token(server)
    time.sleep(0.3)
    baseline = server.rss()
    reset = server.reset_peak()
    peak = [baseline]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], server.rss())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    ids, _, replied = up.upload(server, tok, size_mb * MIB, block)
    stop.set()
    sampler.join()
    hwm = server.status_kb("VmHWM") * 1024 if reset else 0
    up.call(server, tok, "DELETE", f"/v1/conversations/{ids['conversationId']}")
    return {"baseline_rss_mb": round(baseline / MIB, 1),
            "peak_rss_mb": round(max(peak[0], hwm) / MIB, 1),
            "receive_s": round(replied, 2), "mb_per_s": round(size_mb / replied, 1)}


def run_stack(label: str, src: Path | None, tmp: Path, args, block: bytes,
              uploads: bool) -> dict:
    data_dir = tmp / f"data-{label}"
    server = up.Server(data_dir, environment(tmp, label, src))
    try:
        result = {"api": api_load(server, args.seconds, args.clients)}
        if uploads:
            up.upload(server, up.token(server), 1 * MIB, block)  # warm the upload path once
            result["upload"] = {f"{mb}MiB": upload_peak(server, mb, block)
                                for mb in args.upload_mb}
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"  {label:<7} {json.dumps(result)}", flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", help="the revision whose src/ is the stdlib server "
                                  "[default: the parent of the commit that removed it]")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--upload-mb", type=int, nargs="+", default=[100, 2048])
    ap.add_argument("--rounds", type=int, default=2, help="ABBA rounds of the API load")
    ap.add_argument("--no-save", action="store_true", help="do not touch results.json")
    args = ap.parse_args()
    rev = args.old or old_revision()
    old_commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
    code = bp.code_version()
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-stack-"))
    block = up.quiet_block()
    runs: dict[str, list[dict]] = {"stdlib": [], "asgi": []}
    try:
        old_src = checkout_src(rev, tmp)
        # ABBA order, --rounds times: a drift in the machine's load (other work on the same
        # cores) falls on both servers alike. The uploads run in the first round only.
        for i in range(args.rounds):
            order = ["stdlib", "asgi", "asgi", "stdlib"]
            for j, name in enumerate(order):
                uploads = i == 0 and j < 2
                runs[name].append(run_stack(f"{name}-{i}{j}", old_src if name == "stdlib"
                                            else None, tmp, args, block, uploads))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    api = {name: {key: round(statistics.median(r["api"][key] for r in rs), 2)
                  for key in ("requests_per_s", "p50_ms", "p99_ms", "errors")}
           for name, rs in runs.items()}
    upload = {name: rs[0]["upload"] for name, rs in runs.items()}
    small, big = (f"{mb}MiB" for mb in (args.upload_mb[0], args.upload_mb[-1]))
    ratios = {
        "requests_per_s asgi/stdlib": round(api["asgi"]["requests_per_s"]
                                            / api["stdlib"]["requests_per_s"], 3),
        "p99 asgi/stdlib": round(api["asgi"]["p99_ms"] / api["stdlib"]["p99_ms"], 3),
        f"peak_rss asgi {big}/{small}": round(upload["asgi"][big]["peak_rss_mb"]
                                              / upload["asgi"][small]["peak_rss_mb"], 3),
        f"peak_rss stdlib {big}/{small}": round(upload["stdlib"][big]["peak_rss_mb"]
                                                / upload["stdlib"][small]["peak_rss_mb"], 3),
        f"receive {big} asgi/stdlib": round(upload["asgi"][big]["receive_s"]
                                            / upload["stdlib"][big]["receive_s"], 3),
    }
    print()
    row = "{:<8} {:>10} {:>8} {:>8} {:>7} {:>14} {:>14} {:>12}".format
    print(row("server", "req/s", "p50 ms", "p99 ms", "errors", f"peak {small}", f"peak {big}",
              f"{big} s"))
    for name in ("stdlib", "asgi"):
        print(row(name, api[name]["requests_per_s"], api[name]["p50_ms"], api[name]["p99_ms"],
                  api[name]["errors"], upload[name][small]["peak_rss_mb"],
                  upload[name][big]["peak_rss_mb"], upload[name][big]["receive_s"]))
    print(f"(medians of {2 * args.rounds} API runs each)")
    for k, v in ratios.items():
        print(f"{k}: {v:.3f}")
    if args.no_save:
        return
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing["web_stack"] = {
        "code": code, "old": old_commit, "machine": bp.machine(),
        "settings": {"seconds": args.seconds, "clients": args.clients,
                     "upload_mb": args.upload_mb, "rounds": args.rounds},
        "api": api, "upload": upload, "runs": runs, "ratios": ratios}
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"saved to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
