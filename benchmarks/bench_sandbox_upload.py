#!/usr/bin/env python3
"""Benchmark the sandbox receiving an upload: its peak RSS for 2 GiB against 100 MiB.

    .venv/bin/python benchmarks/bench_sandbox_upload.py [--sizes-mb 100 2048] [--runs 1]
                                                        [--no-save]

The sandbox streams a request body to a file in its data folder as it arrives, so its memory
should not grow with the size of an upload. For each size in --sizes-mb, a fresh sandbox is
started as its own process, exactly as a user starts it:

    python -m symbl_media sandbox serve --port 0 --data DIR --max-body-mb 4096 \\
        --faults '{"fail_job": {"count": 1000000000}}'

and sent one `POST /v1/process/audio` whose body is a valid WAV: a 44-byte header and then
quiet 48 kHz stereo 16-bit PCM (noise of +-2 LSB), generated on the fly from one repeated
1 MiB block with a `Content-Length`, so the client never holds the body. 48 kHz stereo keeps
2 GiB under the 4-hour limit (3.1 hours), so the upload is accepted (201) like a real one.

What is measured is the receive phase, from the first byte sent to the 201 reply: the body
streamed to disk, the format probed (ffprobe, a child process), the job row written. The
`fail_job` fault (docs/sandbox.md) then ends the job as failed at once, instead of
transcribing 3 hours of silence for many minutes. The transcription engine's memory is not
part of these figures; docs/sandbox.md gives it (414-486 MB, flat with length).

The server's RSS is sampled every 10 ms from /proc (psutil), and its kernel high-water mark
(VmHWM in /proc/PID/status) is reset before the upload (writing 5 to /proc/PID/clear_refs)
and read after it, which catches peaks between samples. After the reply the bench checks that
the server received every byte (bytes and sha256 from GET /sandbox/conversations/{id}/uploads
against the client's own digest of the same stream) and deletes the conversation, which
removes the upload. Results go to stdout and into benchmarks/results.json under the key
"sandbox_upload" (other keys are kept). docs/benchmarks.md explains them.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_prepare as bp  # machine(), code_version()

ROOT = bp.ROOT
RESULTS = bp.RESULTS
PYTHON = sys.executable
MIB = 1 << 20
RATE, CHANNELS, WIDTH = 48000, 2, 2
FAIL_JOBS = json.dumps({"fail_job": {"count": 10**9}})
TARGET_RATIO = 1.10  # peak RSS 2 GiB / 100 MiB
APP_ID, APP_SECRET = "sandbox-app-id", "sandbox-app-secret"


def server_argv(data_dir: Path) -> list[str]:
    return [PYTHON, "-m", "symbl_media", "sandbox", "serve", "--port", "0", "--data",
            str(data_dir), "--max-body-mb", "4096", "--faults", FAIL_JOBS]


class Server:
    """`symbl-media sandbox serve` in its own process; stderr drained in a thread."""

    def __init__(self, data_dir: Path, env: dict) -> None:
        self.proc = subprocess.Popen(server_argv(data_dir), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, env=env)
        self.lines: list[str] = []
        ready = threading.Event()
        self.url = ""

        def drain() -> None:
            for line in self.proc.stderr:
                self.lines.append(line.rstrip())
                if "listening on " in line and not self.url:
                    self.url = line.split("listening on ", 1)[1].split()[0]
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(60) or not self.url:
            self.stop()
            raise SystemExit("the sandbox did not start:\n" + "\n".join(self.lines[-20:]))
        self.host, self.port = self.url.removeprefix("http://").rsplit(":", 1)
        self.ps = psutil.Process(self.proc.pid)

    def rss(self) -> int:
        return self.ps.memory_info().rss

    def tree_rss(self) -> int:
        total = 0
        for p in [self.ps, *self.ps.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def status_kb(self, field: str) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def reset_peak(self) -> bool:
        """Reset VmHWM to the current RSS (Linux 4.0+); False if not allowed here."""
        try:
            Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")
            return True
        except OSError:
            return False

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wav_header(data_bytes: int) -> bytes:
    block = CHANNELS * WIDTH
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, CHANNELS, RATE, RATE * block, block,
                                    WIDTH * 8)
            + b"data" + struct.pack("<I", data_bytes))


def quiet_block() -> bytes:
    """1 MiB of 16-bit samples in -2..2: quiet, not digital silence."""
    rng = random.Random(7)
    return b"".join(struct.pack("<h", rng.randint(-2, 2)) for _ in range(MIB // 2))


def body_parts(total: int, block: bytes):
    """The WAV: header, then the block repeated, cut to ``total`` bytes in all."""
    data = (total - 44) // (CHANNELS * WIDTH) * (CHANNELS * WIDTH)
    yield wav_header(data)
    left = data
    while left:
        part = block if left >= len(block) else block[:left]
        left -= len(part)
        yield part


def token(server: Server) -> str:
    conn = http.client.HTTPConnection(server.host, int(server.port), timeout=60)
    conn.request("POST", "/oauth2/token:generate", json.dumps(
        {"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}),
        {"Content-Type": "application/json"})
    reply = conn.getresponse()
    body = json.loads(reply.read())
    conn.close()
    return body["accessToken"]


def call(server: Server, tok: str, method: str, path: str) -> dict:
    conn = http.client.HTTPConnection(server.host, int(server.port), timeout=300)
    conn.request(method, path, headers={"Authorization": f"Bearer {tok}"})
    reply = conn.getresponse()
    body = json.loads(reply.read())
    conn.close()
    if reply.status >= 300:
        raise SystemExit(f"{method} {path}: {reply.status} {body}")
    return body


def upload(server: Server, tok: str, total: int, block: bytes) -> tuple[dict, float, float]:
    """POST the generated WAV; returns the reply, seconds to the last byte sent, to the reply."""
    data = (total - 44) // (CHANNELS * WIDTH) * (CHANNELS * WIDTH)
    conn = http.client.HTTPConnection(server.host, int(server.port), timeout=600)
    conn.putrequest("POST", "/v1/process/audio")
    conn.putheader("Authorization", f"Bearer {tok}")
    conn.putheader("Content-Type", "audio/wav")
    conn.putheader("Content-Length", str(44 + data))
    conn.endheaders()
    start = time.perf_counter()
    for part in body_parts(total, block):
        conn.send(part)
    sent = time.perf_counter() - start
    reply = conn.getresponse()
    body = json.loads(reply.read())
    replied = time.perf_counter() - start
    conn.close()
    if reply.status != 201:
        raise SystemExit(f"upload of {total} bytes: {reply.status} {body}")
    return body, sent, replied


def measure(size_mb: int, tmp: Path, block: bytes, label: str) -> dict:
    data_dir = tmp / f"data-{label}"
    env = {**os.environ}
    for var, sub in (("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("TMPDIR", "tmp")):
        (tmp / f"env-{label}" / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / f"env-{label}" / sub)
    server = Server(data_dir, env)
    try:
        tok = token(server)
        # Warm-up: one small upload takes the same path once (imports, ffprobe, SQLite).
        warm, _, _ = upload(server, tok, 1 * MIB, block)
        call(server, tok, "DELETE", f"/v1/conversations/{warm['conversationId']}")
        time.sleep(0.5)
        baseline = server.rss()
        hwm_reset = server.reset_peak()
        peak = {"rss": baseline, "tree": server.tree_rss()}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                try:
                    peak["rss"] = max(peak["rss"], server.rss())
                    peak["tree"] = max(peak["tree"], server.tree_rss())
                except psutil.NoSuchProcess:
                    return
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        cpu0 = sum(server.ps.cpu_times()[:2])
        ids, sent_s, reply_s = upload(server, tok, size_mb * MIB, block)
        server_cpu = sum(server.ps.cpu_times()[:2]) - cpu0
        stop.set()
        sampler.join()
        hwm_kb = server.status_kb("VmHWM")
        after = server.rss()
        # Everything arrived: the server's own count and digest of what it stored.
        (received,) = call(server, tok, "GET",
                           f"/sandbox/conversations/{ids['conversationId']}/uploads")["uploads"]
        digest = hashlib.sha256()
        for part in body_parts(size_mb * MIB, block):
            digest.update(part)
        wanted = 44 + (size_mb * MIB - 44) // 4 * 4
        if received["bytes"] != wanted or received["sha256"] != digest.hexdigest():
            raise SystemExit(f"the sandbox stored something else: {received}")
        status = call(server, tok, "GET", f"/v1/job/{ids['jobId']}")["status"]
        call(server, tok, "DELETE", f"/v1/conversations/{ids['conversationId']}")
        left = [p.name for p in (data_dir / "uploads").iterdir()]
        if left:
            raise SystemExit(f"uploads left after the conversation was deleted: {left}")
        result = {
            "bytes": wanted,
            "audio_hours": round((wanted - 44) / (RATE * CHANNELS * WIDTH) / 3600, 2),
            "baseline_rss_mb": round(baseline / MIB, 1),
            "peak_rss_mb": round(peak["rss"] / MIB, 1),
            "peak_hwm_mb": round(hwm_kb / 1024, 1) if hwm_reset else None,
            "growth_mb": round((max(peak["rss"], hwm_kb * 1024 if hwm_reset else 0)
                                - baseline) / MIB, 1),
            "peak_tree_rss_mb": round(peak["tree"] / MIB, 1),
            "rss_after_mb": round(after / MIB, 1),
            "send_s": round(sent_s, 2), "receive_s": round(reply_s, 2),
            "mb_per_s": round(wanted / MIB / reply_s, 1),
            "server_cpu_s": round(server_cpu, 2),
            "job_status": status,
        }
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"  {label:<10} {json.dumps(result)}", flush=True)
    return result


def summarise(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float))
            and not isinstance(runs[0][k], bool)]
    return {**{k: round(statistics.median(r[k] for r in runs), 2) for k in keys},
            "runs": len(runs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes-mb", type=int, nargs="+", default=[100, 2048],
                    help="upload sizes in MiB; the first is the baseline of the ratios")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-save", action="store_true", help="do not touch results.json")
    args = ap.parse_args()
    code = bp.code_version()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sandbox-upload-"))
    block = quiet_block()
    runs: dict[str, list[dict]] = {}
    try:
        for i in range(args.runs):
            sizes = args.sizes_mb if i % 2 == 0 else list(reversed(args.sizes_mb))
            for size in sizes:
                label = f"{size}MiB"
                runs.setdefault(label, []).append(measure(size, tmp, block, f"{label}-{i}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {name: summarise(r) for name, r in runs.items()}
    base = f"{args.sizes_mb[0]}MiB"
    ratios = {f"peak_rss {name}/{base}": round(summary[name]["peak_rss_mb"]
                                                / summary[base]["peak_rss_mb"], 3)
              for name in summary if name != base}
    if all(s.get("peak_hwm_mb") for s in summary.values()):
        ratios.update({f"peak_hwm {name}/{base}": round(summary[name]["peak_hwm_mb"]
                                                        / summary[base]["peak_hwm_mb"], 3)
                       for name in summary if name != base})
    targets = {f"{k} <= {TARGET_RATIO}": v <= TARGET_RATIO for k, v in ratios.items()}
    print()
    row = "{:<10} {:>10} {:>9} {:>9} {:>9} {:>8} {:>9} {:>8} {:>9}".format
    print(row("size", "baseline", "peak RSS", "VmHWM", "growth", "recv s", "MiB/s",
              "srv CPU", "tree MB"))
    for name, s in summary.items():
        print(row(name, s["baseline_rss_mb"], s["peak_rss_mb"], s.get("peak_hwm_mb") or "-",
                  s["growth_mb"], s["receive_s"], s["mb_per_s"], s["server_cpu_s"],
                  s["peak_tree_rss_mb"]))
    for k, v in ratios.items():
        print(f"{k}: {v:.3f}")
    for k, ok in targets.items():
        print(f"{'met   ' if ok else 'MISSED'} {k}")
    if bp.code_version() != code:
        print(f"WARNING: src/ changed during the run ({code} -> {bp.code_version()})")
        code += f" -> changed during the run: {bp.code_version()}"
    if args.no_save:
        return
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing["sandbox_upload"] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code, "machine": bp.machine(),
        "argv": sys.argv[1:],
        "server": "python -m symbl_media sandbox serve, its own process; fail_job fault: "
                  "jobs end at once, nothing is transcribed",
        "body": f"WAV header + quiet PCM ({RATE} Hz, {CHANNELS} ch, {WIDTH * 8}-bit), "
                f"streamed with Content-Length from one repeated 1 MiB block",
        "command": server_argv(Path("DIR")), "summary": summary, "ratios": ratios,
        "targets_met": targets, "runs": runs,
    }
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)} (key \"sandbox_upload\")")


if __name__ == "__main__":
    main()
