#!/usr/bin/env python3
"""Benchmark `symbl-media submit`: its peak memory against `prepare`, and when uploads start.

    .venv/bin/python benchmarks/bench_submit.py [--hours 2 8] [--chunk-minutes 30] [--runs 1]
                                                [--quick] [--no-timing]

Two budgets of the submit design are measured, for each length in --hours:

1. Peak RSS of the `submit` command's process tree (`python -m symbl_media submit IN.mkv
   --chunk-minutes 30` and its ffmpeg children), sampled every 20 ms exactly like
   bench_prepare.py, next to `symbl-media prepare IN.mkv --out DIR` (and the same with
   `--chunk-minutes 30`, "prepare-cut": the pieces submit makes) on the same input in the same
   run. Target: submit's tree peak <= 150 MB, the same budget as prepare's; the ratios
   submit / prepare are reported.
2. Overlap of cutting and sending: `Submitter.submit()` is run in this process with an
   on_event hook that timestamps every event. The time of the first "upload" event (piece 1's
   POST starts) is compared with the time of the last "piece" event (the last piece has been
   cut and hashed). The design says the first must come before the second.

The server is the project's sandbox, run in a separate process (so the client's RSS is
measured alone) with a **no-op transcriber**: every job returns no words at once. The real
speech engine would take about 0.1 x real time per job, which would only add waiting between
appends; the benchmark measures the client, not the server. A consequence: the client's
collect step fetches empty transcripts and insights, so the memory a real 8-hour transcript
takes in the client is not part of these figures.

Inputs are generated with bench_prepare.py's functions (the same H.264+AAC mkv) into a
temporary folder, which is removed at the end together with everything else the runs wrote
(private XDG_STATE_HOME / XDG_CACHE_HOME / XDG_DATA_HOME / TMPDIR, the sandbox's data).
Results go to stdout and into benchmarks/results.json under the key "submit" (other keys are
kept). docs/benchmarks.md explains them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_prepare as bp  # generators, measure(), machine info

ROOT = bp.ROOT
RESULTS = bp.RESULTS
PYTHON = sys.executable  # the venv's: `python -m symbl_media` measures this checkout
SYMBL = bp.SYMBL
APP_ID, APP_SECRET = "sandbox-app-id", "sandbox-app-secret"
TARGET_RSS_MB = bp.TARGET_RSS_MB

# The sandbox, with a transcriber that hears nothing. Prints its URL, serves until SIGTERM.
SERVER = """\
import signal, sys, wave
from pathlib import Path
from symbl_media.server.app import Sandbox
from symbl_media.server.config import SandboxConfig
from symbl_media.server.model import Transcript


class NoWords:
    \"\"\"A transcriber (sandbox/engines/__init__.py) that returns no words, at once.\"\"\"
    name = "no-op (bench_submit.py)"

    def transcribe(self, wav, *, language="en-US", vocabulary=()):
        with wave.open(str(wav)) as fh:  # the sandbox made it: 16 kHz mono PCM
            seconds = fh.getnframes() / fh.getframerate()
        return Transcript(segments=(), duration=seconds, engine=self.name)


def stop(*_):
    raise KeyboardInterrupt


signal.signal(signal.SIGTERM, stop)
config = SandboxConfig(data_dir=Path(sys.argv[1]), port=0, app_id="APP_ID", app_secret="APP_SECRET",
                       transcriber=NoWords(), log_requests=False, max_body_bytes=64 << 30,
                       max_duration_seconds=24 * 3600.0)
try:
    Sandbox(config).serve_forever(on_ready=lambda app: print(app.url, flush=True))
except KeyboardInterrupt:
    pass
""".replace("APP_ID", APP_ID).replace("APP_SECRET", APP_SECRET)


class Server:
    """The sandbox in its own process; its CPU time is reported apart from the client's."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.proc = subprocess.Popen([PYTHON, "-c", SERVER, str(data_dir)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.proc.kill()
            raise SystemExit(f"the sandbox did not start (said {self.url!r})")
        self.ps = psutil.Process(self.proc.pid)

    def cpu_s(self) -> float:
        """CPU time of the server and its children (ffmpeg per job) so far."""
        t = self.ps.cpu_times()
        return t.user + t.system + t.children_user + t.children_system

    def jobs(self, cid: str) -> list[dict]:
        """When each piece's body had fully arrived (the job row is made then), by seq."""
        db = sqlite3.connect(f"file:{self.data_dir / 'sandbox.sqlite3'}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT seq, created_at, updated_at, status, duration FROM jobs "
                              "WHERE conversation_id = ? ORDER BY seq", (cid,)).fetchall()
        finally:
            db.close()
        return [dict(zip(("seq", "created_at", "updated_at", "status", "duration"), r))
                for r in rows]

    def forget(self, cid: str) -> None:
        """Delete the conversation, and with it the uploads (about 1 GB for 8 hours)."""
        from symbl_media.testing import ApiClient

        ApiClient(self.url, APP_ID, APP_SECRET).delete(f"/v1/conversations/{cid}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def private_env(tmp: Path, name: str) -> Path:
    """Fresh per-run state/cache/data/tmp folders, inherited by every child started next."""
    base = tmp / "env" / name
    for var, sub in (("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("TMPDIR", "tmp")):
        (base / sub).mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(base / sub)
    tempfile.tempdir = None  # let tempfile see the new TMPDIR in this process too
    return base


def record_of(env_base: Path) -> dict:
    found = list((env_base / "state" / "symbl-media" / "submissions").glob("*.json"))
    if len(found) != 1:
        raise SystemExit(f"expected one submission record in {env_base}, found {found}")
    return json.loads(found[0].read_text())


def prepare_argv(src: Path, out_dir: Path, chunk_minutes: float | None) -> list[str]:
    chunk = ["--chunk-minutes", f"{chunk_minutes:g}"] if chunk_minutes else []
    return [SYMBL, "prepare", str(src), "--out", str(out_dir), *chunk]


def run_prepare(src: Path, tmp: Path, label: str, chunk_minutes: float | None) -> dict:
    private_env(tmp, label)
    out_dir = tmp / "prepared"
    result = bp.measure(prepare_argv(src, out_dir, chunk_minutes))
    pieces = json.loads((out_dir / "manifest.json").read_text())["pieces"]
    result.update(pieces=len(pieces), audio_s=round(sum(p["duration"] for p in pieces), 2))
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.rmtree(tmp / "env" / label, ignore_errors=True)
    return result


def submit_argv(src: Path, chunk_minutes: float) -> list[str]:
    return [PYTHON, "-m", "symbl_media", "submit", str(src), "--chunk-minutes",
            f"{chunk_minutes:g}"]


def run_submit(src: Path, tmp: Path, label: str, server: Server, chunk_minutes: float
               ) -> dict:
    """The CLI, measured like prepare; what it sent is read back from its own record."""
    env = private_env(tmp, label)
    cpu0 = server.cpu_s()
    start = time.time()
    result = bp.measure(submit_argv(src, chunk_minutes))
    server_cpu = server.cpu_s() - cpu0
    record = record_of(env)
    if record["stage"] != "done" or not all(p["state"] == "completed"
                                            for p in record["pieces"]):
        raise SystemExit(f"submit did not finish: stage {record['stage']}")
    jobs = server.jobs(record["conversation_id"])
    sent = [p["sent_at"] - start for p in record["pieces"]]
    result.update(
        pieces=len(record["pieces"]),
        audio_s=round(sum(p["duration"] for p in record["pieces"]), 2),
        # the sandbox's CPU, which the generic "others" column would otherwise count
        server_cpu_s=round(server_cpu, 1),
        others_cpu_s=round(result["others_cpu_s"] - server_cpu, 1),
        first_upload_s=round(sent[0], 2), last_upload_s=round(sent[-1], 2),
        first_arrived_s=round(jobs[0]["created_at"] - start, 2),
        jobs=len(jobs), sandbox_audio_s=round(sum(j["duration"] or 0 for j in jobs), 2))
    server.forget(record["conversation_id"])
    shutil.rmtree(env, ignore_errors=True)
    return result


def run_timing(src: Path, tmp: Path, label: str, server: Server, chunk_minutes: float
               ) -> dict:
    """Submitter.submit() in this process, every event timestamped from the call."""
    from symbl_media.submission.records import Store
    from symbl_media.media.plan import PrepareOptions
    from symbl_media.client.service import connect
    from symbl_media.submission.submitter import Request, Source, Submitter

    env = private_env(tmp, label)
    events: list[tuple[float, str, dict]] = []
    lock = threading.Lock()

    def on_event(kind: str, data: dict) -> None:
        with lock:
            events.append((time.perf_counter() - t0, kind, data))

    request = Request(Source("file", path=src),
                      prepare=PrepareOptions(chunk_minutes=chunk_minutes))
    with connect(api_url=server.url, app_id=APP_ID, app_secret=APP_SECRET) as service:
        submitter = Submitter(service.client, service.name, Store(), on_event=on_event)
        t0 = time.perf_counter()
        outcome = submitter.submit(request)
        submitted = time.perf_counter() - t0
        record, _ = submitter.finish(outcome.record)
        finished = time.perf_counter() - t0

    def first(kind: str, **match) -> float | None:
        return next((t for t, k, d in events if k == kind
                     and all(d.get(a) == b for a, b in match.items())), None)

    pieces = [t for t, k, _ in events if k == "piece"]
    uploads = {}  # index -> when its upload started (the event with sent == 0)
    for t, k, d in events:
        if k == "upload" and d.get("sent") == 0:
            uploads.setdefault(d["index"], t)
    sent = {d["index"]: t for t, k, d in events if k == "sent"}
    done = {d["index"]: t for t, k, d in events if k == "job" and d["status"] == "completed"}
    last_piece, first_upload = max(pieces), min(uploads.values())

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 2)

    result = {
        "pieces": len(pieces),
        "plan_s": r(first("plan")),
        # The decode's end: its last progress event (a long recording is cut while it runs).
        "extract_done_s": r(max((t for t, k, d in events if k == "progress"
                                 and d.get("stage") == "extract"), default=None)),
        "first_piece_s": r(min(pieces)),
        "first_upload_s": r(first_upload),
        "last_piece_s": r(last_piece),
        "first_upload_before_last_piece_s": r(last_piece - first_upload),
        "uploads_started_before_last_piece": sum(t < last_piece for t in uploads.values()),
        "first_byte_s": r(next((t for t, k, d in events if k == "upload"
                                and d.get("index") == 0 and d.get("sent", 0) > 0), None)),
        "first_sent_s": r(sent.get(0)),
        "last_upload_s": r(max(uploads.values())),
        "last_job_done_s": r(max(done.values())),
        "submit_returned_s": r(submitted),
        "finished_s": r(finished),
        "piece_s": [r(t) for t in pieces],
        "upload_start_s": [r(uploads[i]) for i in sorted(uploads)],
        "job_done_s": [r(done[i]) for i in sorted(done)],
    }
    server.forget(record.conversation_id)
    shutil.rmtree(env, ignore_errors=True)
    print(f"  {'timing':<14} " + json.dumps({k: v for k, v in result.items()
                                             if not isinstance(v, list)}), flush=True)
    return result


def summarise(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float))]
    out = {k: round(statistics.median(r[k] for r in runs), 3) for k in keys}
    return {**out, "runs": len(runs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hours", type=float, nargs="+", default=[2.0, 8.0])
    ap.add_argument("--quick", action="store_true", help="0.5 and 1 hour: to try it out")
    ap.add_argument("--chunk-minutes", type=float, default=None,
                    help="piece length for submit (default 30; 10 with --quick)")
    ap.add_argument("--runs", type=int, default=1, help="prepare/submit pairs per length")
    ap.add_argument("--no-timing", action="store_true", help="skip the in-process timing run")
    ap.add_argument("--no-save", action="store_true", help="do not touch results.json")
    args = ap.parse_args()
    hours = [0.5, 1.0] if args.quick else sorted(args.hours)
    if args.chunk_minutes is None:
        args.chunk_minutes = 10.0 if args.quick else 30.0
    code = bp.code_version()
    tmp = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    saved_env = dict(os.environ)
    os.environ.update(SYMBL_APP_ID=APP_ID, SYMBL_APP_SECRET=APP_SECRET)
    server = None
    runs: dict[str, list[dict]] = {}
    timing: dict[str, dict] = {}
    inputs: dict[str, dict] = {}
    commands: dict[str, list[str]] = {}
    try:
        bp.WORK = tmp / "inputs"  # bench_prepare's generators and measure() write there
        private_env(tmp, "server")
        server = Server(tmp / "sandbox")
        os.environ["SYMBL_API_URL"] = server.url
        print(f"sandbox (no-op transcriber) at {server.url}; work in {tmp}")
        for h in hours:
            _, src = bp.make_inputs(hours[0], h)
            n = f"{h:g}h"
            inputs[src.name] = {"seconds": bp.duration(src), "bytes": src.stat().st_size}
            commands[f"prepare {n}"] = prepare_argv(src, Path("DIR"), None)
            commands[f"prepare-cut {n}"] = prepare_argv(src, Path("DIR"), args.chunk_minutes)
            commands[f"submit {n}"] = submit_argv(src, args.chunk_minutes)
            print(f"{n} input: {src.name}")
            # Warm the page cache (and the sandbox) so neither measured command pays for it.
            bp.measure(bp.baseline_argv(src, tmp / "warm.wav"))
            (tmp / "warm.wav").unlink(missing_ok=True)
            cases = ["prepare", "prepare-cut", "submit"]
            for i in range(args.runs):
                for case in cases[i % 3:] + cases[:i % 3]:  # rotate: drift hits all alike
                    label = f"{case} {n}"
                    if case.startswith("prepare"):
                        result = run_prepare(src, tmp, f"{case}-{n}-{i}",
                                             args.chunk_minutes if case == "prepare-cut"
                                             else None)
                    else:
                        result = run_submit(src, tmp, f"{case}-{n}-{i}", server,
                                            args.chunk_minutes)
                    runs.setdefault(label, []).append(result)
                    print(f"  {label:<14} {result}", flush=True)
            if not args.no_timing:
                timing[n] = run_timing(src, tmp, f"timing-{n}", server, args.chunk_minutes)
            if h != hours[0]:  # longer inputs are made from the shortest one: keep that
                src.unlink()
    finally:
        if server is not None:
            server.stop()
        os.environ.clear()
        os.environ.update(saved_env)
        shutil.rmtree(tmp, ignore_errors=True)

    summary = {name: summarise(r) for name, r in runs.items()}
    names = [f"{h:g}h" for h in hours]
    ratios = {f"submit/{base} tree_rss_mb {n}": round(
        summary[f"submit {n}"]["tree_rss_mb"] / summary[f"{base} {n}"]["tree_rss_mb"], 3)
        for n in names for base in ("prepare", "prepare-cut")}
    targets = {**{f"submit {n} peak tree RSS <= {TARGET_RSS_MB:g} MB":
                  summary[f"submit {n}"]["tree_rss_mb"] <= TARGET_RSS_MB for n in names},
               **{f"submit {n}: first upload starts before the last piece is cut":
                  timing[n]["first_upload_before_last_piece_s"] > 0
                  for n in timing if timing[n]["pieces"] > 1}}
    report(summary, ratios, targets, timing)
    if bp.code_version() != code:
        print(f"WARNING: src/ changed during the run ({code} -> {bp.code_version()}); run again")
        code += f" -> changed during the run: {bp.code_version()}"
    if args.no_save:
        return
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing["submit"] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code, "machine": bp.machine(),
        "argv": sys.argv[1:], "chunk_minutes": args.chunk_minutes,
        "server": "sandbox in its own process, no-op transcriber (returns no words at once)",
        "inputs": inputs, "commands": commands, "summary": summary, "ratios": ratios,
        "timing": timing, "targets_met": targets, "runs": runs,
    }
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)} (key \"submit\")")


def report(summary: dict, ratios: dict, targets: dict, timing: dict) -> None:
    row = "{:<15} {:>4} {:>7} {:>6} {:>8} {:>9} {:>9} {:>6} {:>6}  {}".format
    print("\n" + row("case", "runs", "wall s", "CPU s", "tree MB", "1-proc MB", "kernel MB",
                     "others", "server", "output"))
    for name, s in summary.items():
        print(row(name, s["runs"], f"{s['wall_s']:.2f}", f"{s['cpu_s']:.1f}", s["tree_rss_mb"],
                  s["single_rss_mb"], s["kernel_maxrss_mb"], s["others_cpu_s"],
                  s.get("server_cpu_s", ""), f"{s['pieces']:g} piece(s), {s['audio_s']:.0f} s"))
    print("(medians; columns as in bench_prepare.py; server: CPU s of the sandbox process, "
          "taken out of others)\n")
    for n, t in timing.items():
        print(f"{n}: extract done {t['extract_done_s']} s, first piece {t['first_piece_s']} s, "
              f"first upload {t['first_upload_s']} s, last piece {t['last_piece_s']} s "
              f"(first upload {t['first_upload_before_last_piece_s']} s earlier; "
              f"{t['uploads_started_before_last_piece']} of {t['pieces']} uploads started "
              f"before it), last job done {t['last_job_done_s']} s")
    for k, v in ratios.items():
        print(f"{k}: {v:.3f}")
    for k, ok in targets.items():
        print(f"{'met   ' if ok else 'MISSED'} {k}")


if __name__ == "__main__":
    main()
