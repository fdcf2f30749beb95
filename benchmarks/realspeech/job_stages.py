"""Where a sandbox job's time goes besides its transcriber: each stage, wall clock and CPU.

    .venv/bin/python -m benchmarks.realspeech.job_stages [NAME ...] [--rounds N] [--no-quiet]
                                                         [--poll SECONDS]

A sandbox runs in this process (``symbl_media.testing.running_sandbox``: uvicorn on
127.0.0.1, the worker, the default engines) and each recording (default: all of corpus.py,
and the quiet float copies report.py makes) is POSTed as a job over real HTTP, then polled
every ``--poll`` seconds (0.05, as report.py polls) until it has ended, as report.py does.
The server's own functions are wrapped with timers; the server is unchanged. Per stage:
wall-clock seconds, and CPU seconds of the thread that ran it (``time.thread_time``, with
the child processes it waited for: ffprobe, ffmpeg), except
the transcriber, whose work is on its model thread and CTranslate2's: there the process's
CPU across the call (so it also holds this process's polls made meanwhile, ~0.5 ms each).

Two stages are gaps between timestamps, wall clock only: **pickup** (the POST's job
committed and the worker poked, to the job's thread starting) and **seen** (the job ended
in the database, to the client's next status reply saying so). A warm-up job on jfk first.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.realspeech.corpus import recordings  # noqa: E402
from benchmarks.realspeech.report import QUIET_OF, quiet_variant  # noqa: E402
from symbl_media.server import processing, routes_async, worker  # noqa: E402
from symbl_media.server.engines import whisper  # noqa: E402
from symbl_media.server.queue import JobQueue  # noqa: E402
from symbl_media.testing import running_sandbox  # noqa: E402

# One job at a time: the stage it is in, by label -> [wall, cpu, calls].
STAGES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
MARKS: dict[str, float] = {}  # the current job's timestamps (perf_counter)
ORDER: list[str] = []


def _add(label: str, wall: float, cpu: float | None) -> None:
    if label not in ORDER:
        ORDER.append(label)
    row = STAGES[label]
    row[0] += wall
    row[1] += cpu or 0.0
    row[2] += 1


def _children_cpu() -> float:
    """CPU seconds of the ended child processes waited for (ffmpeg, ffprobe)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(owner, name: str, label: str, *, process_cpu: bool = False,
           mark: str | None = None) -> None:
    inner = getattr(owner, name, None)
    if inner is None:  # not in the tree measured (an older commit's, on PYTHONPATH)
        return

    def clock() -> float:  # the thread's (or process's) CPU, and its children's
        return (time.process_time() if process_cpu else time.thread_time()) + _children_cpu()

    def wrapper(*args, **kwargs):
        began, cpu = time.perf_counter(), clock()
        try:
            return inner(*args, **kwargs)
        finally:
            done = time.perf_counter()
            _add(label, done - began, clock() - cpu)
            if mark:
                MARKS[mark] = done

    setattr(owner, name, wrapper)


def _instrument() -> None:
    _timed(routes_async, "_receive", "POST: body received to disk")
    _timed(routes_async, "_check_upload", "POST: upload checked (header or ffprobe)")
    _timed(routes_async, "_submit", "POST: job added (transaction), worker poked",
           mark="submitted")
    run = worker.Worker._run

    def job_thread(self, claim):
        MARKS["running"] = time.perf_counter()
        return run(self, claim)

    worker.Worker._run = job_thread
    _timed(JobQueue, "claim", "worker: claim (queue query)")
    _timed(processing, "wav_header", "job: WAV header read")
    _timed(processing, "recognition_wav_seconds", "job: WAV header read")  # before 2026-12-07
    _timed(processing, "probe", "job: ffprobe")
    _timed(processing, "to_recognition_wav", "job: to the recognition WAV")
    _timed(whisper.WhisperTranscriber, "transcribe", "job: transcriber (process CPU)",
           process_cpu=True)
    _timed(worker.Store, "record_job_output", "job: messages stored")
    _timed(worker.Run, "check", "job: lease checks")
    _timed(worker.Worker, "_end", "job: ended (transaction), webhooks", mark="ended")


def _insights(sandbox) -> None:
    app = sandbox.app
    refresh = app.refresh_insights

    def timed(cid, lease=None):
        began, cpu = time.perf_counter(), time.thread_time()
        try:
            return refresh(cid, lease)
        finally:
            _add("job: insights made and stored", time.perf_counter() - began,
                 time.thread_time() - cpu)

    app.refresh_insights = timed
    app.worker.on_messages = timed


def _job(client, path: Path, poll: float) -> tuple[float, float]:
    """One job: its wall-clock seconds from the POST to its ``completed`` seen, and the
    process's CPU seconds meanwhile."""
    body = path.read_bytes()
    began, cpu = time.perf_counter(), time.process_time()
    reply = client.post("/v1/process/audio", data=body, headers={"Content-Type": "audio/wav"})
    reply.raise_for_status()
    posted = time.perf_counter()
    job = reply.json()["jobId"]
    polls = 0
    while True:
        polls += 1
        status = client.get(f"/v1/job/{job}").json()["status"]
        if status in ("completed", "failed"):
            break
        time.sleep(poll)
    seen = time.perf_counter()
    if status != "completed":
        raise RuntimeError(f"the job for {path.name} failed")
    _add("client: POST, request to reply", posted - began, None)
    _add("gap: poked -> job thread runs (pickup)", MARKS["running"] - MARKS["submitted"], None)
    _add("gap: job ended -> client sees it (poll)", seen - MARKS["ended"], None)
    _add("client: status polls (count)", 0.0, None)
    STAGES["client: status polls (count)"][1] += polls
    return seen - began, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-quiet", action="store_true")
    parser.add_argument("--poll", type=float, default=0.05)
    args = parser.parse_args(argv)
    recs = recordings(names=tuple({*args.names, "jfk"}) if args.names else None)
    _instrument()
    total = cpu_total = audio = 0.0
    jobs = 0
    with tempfile.TemporaryDirectory(prefix="job-stages-") as tmp:
        work = Path(tmp)
        if not args.no_quiet:
            recs += [quiet_variant(r, work) for r in recs if r.name in QUIET_OF]
        chosen = [r for r in recs if not args.names or r.name in args.names
                  or r.name.removeprefix("quiet-") in args.names]
        import soundfile as sf

        with running_sandbox(work / "sandbox", max_concurrent_jobs=1) as sandbox:
            _insights(sandbox)
            client = sandbox.client()
            _job(client, next(r for r in recs if r.name == "jfk").path, args.poll)  # warm-up
            STAGES.clear()
            for _ in range(args.rounds):
                for r in chosen:
                    wall, cpu = _job(client, r.path, args.poll)
                    seconds = sf.info(str(r.path)).duration
                    total, cpu_total, audio = total + wall, cpu_total + cpu, audio + seconds
                    jobs += 1
                    print(f"  {r.name:24} {seconds:6.1f} s audio  job {wall:6.2f} s "
                          f"({cpu:5.2f} CPU)", flush=True)
    threads = threading.active_count()
    print(f"{jobs} jobs, {audio:.1f} s of audio: {total:.2f} s wall, {cpu_total:.2f} CPU s "
          f"(x{audio / total:.1f} realtime), load average {os.getloadavg()[0]:.1f}, "
          f"{threads} threads left")
    print(f"  {'stage':48} {'wall s':>8} {'CPU s':>8} {'calls':>6}  per job (wall, ms)")
    for label in ORDER:
        wall, cpu, calls = STAGES[label]
        if label.startswith("client: status polls"):
            print(f"  {label:48} {'':8} {'':8} {int(cpu):6d}")
            continue
        print(f"  {label:48} {wall:8.3f} {cpu:8.3f} {int(calls):6d}  {1000 * wall / jobs:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
