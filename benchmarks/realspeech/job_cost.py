"""What a sandbox job costs beyond its transcriber, in CPU seconds, thread by thread.

    .venv/bin/python -m benchmarks.realspeech.job_cost [NAME ...] [--rounds N]

A sandbox runs in this process (``symbl_media.testing.running_sandbox``) and each recording
(default: librivox-0880 and jfk, both 16 kHz 16-bit WAVs, so no ffmpeg) is sent as a job
``--rounds`` times, polled every 50 ms as report.py polls. The CPU time of each thread that
serves the job is summed (``time.thread_time``): the HTTP requests by kind (the POST, the
status polls), the job's worker thread, and the transcriber on its model thread, whose
CTranslate2 threads are counted with it (process CPU across the call, as stages.py does, so
it also holds the polls made meanwhile).
The standard library's request handler and the server's functions are wrapped with timers;
the server itself is unchanged. A warm-up job on jfk comes first.
"""

from __future__ import annotations

import argparse
import http.server
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.realspeech.corpus import recordings
from symbl_media.server import worker
from symbl_media.server.engines import whisper
from symbl_media.testing import running_sandbox

CPU: Counter = Counter()
CALLS: Counter = Counter()


def _count(label: str, seconds: float) -> None:
    CPU[label] += seconds
    CALLS[label] += 1


def _instrument() -> None:
    handle = http.server.BaseHTTPRequestHandler.handle_one_request

    def handle_one_request(self):
        began = time.thread_time()
        try:
            return handle(self)
        finally:
            kind = getattr(self, "command", None)
            if kind:  # not the final read of a closed keep-alive connection
                route = "status poll" if kind == "GET" else f"{kind} upload"
                _count(f"HTTP {route}", time.thread_time() - began)

    run = worker.Worker._run

    def job_thread(self, job):
        began = time.thread_time()
        try:
            return run(self, job)
        finally:
            _count("job thread (waiting on the model thread excluded)",
                   time.thread_time() - began)

    transcribe = whisper.WhisperTranscriber.transcribe

    def transcriber(self, *args, **kwargs):
        began = time.process_time()
        try:
            return transcribe(self, *args, **kwargs)
        finally:
            _count("transcriber (process CPU across the call)", time.process_time() - began)

    http.server.BaseHTTPRequestHandler.handle_one_request = handle_one_request
    worker.Worker._run = job_thread
    whisper.WhisperTranscriber.transcribe = transcriber


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", default=["librivox-0880", "jfk"])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    recs = {r.name: r for r in recordings(names=(*args.names, "jfk"))}
    _instrument()
    with tempfile.TemporaryDirectory(prefix="job-cost-") as tmp, \
            running_sandbox(Path(tmp)) as sandbox:
        client = sandbox.client()

        def job(path: Path) -> None:
            reply = client.post("/v1/process/audio", data=path.read_bytes(),
                                headers={"Content-Type": "audio/wav"}).json()
            while client.get(f"/v1/job/{reply['jobId']}").json()["status"] not in (
                    "completed", "failed"):
                time.sleep(0.05)

        job(recs["jfk"].path)
        CPU.clear()
        CALLS.clear()
        jobs = 0
        for _ in range(args.rounds):
            for name in args.names:
                job(recs[name].path)
                jobs += 1
    print(f"{jobs} jobs ({', '.join(args.names)} x {args.rounds}), CPU seconds by thread:")
    for label, seconds in CPU.most_common():
        print(f"  {label:48} {1000 * seconds / jobs:8.1f} ms a job  "
              f"({CALLS[label]} calls, {1000 * seconds / CALLS[label]:.2f} ms each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
