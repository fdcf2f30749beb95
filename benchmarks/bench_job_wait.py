#!/usr/bin/env python3
"""`submit` of samples/meeting.mkv end to end: job polls held by the server until the status
changes, against the client's old schedule (0.5 s, then 1.3x longer each time), in the same run.

    .venv/bin/python benchmarks/bench_job_wait.py [--rounds 6]
    .venv/bin/python benchmarks/bench_job_wait.py --baseline-python /path/to/main/.venv/bin/python

Each run is the README's main command, `python -m symbl_media submit samples/meeting.mkv
--diarize 3 --sink json:OUT`, in a fresh process with private XDG folders (so a fresh embedded
sandbox, in the same process as the client, as a user without credentials gets it). The two
configurations alternate in ABBA order per round, so a change in the machine's load hits them
alike:

- "held": this checkout as it is (each job poll asks for ``wait=20``);
- "schedule": the same checkout with SYMBL_MEDIA_JOB_WAIT=0, which never asks and polls on
  the old schedule (the code path of the client before held polls), or, with
  ``--baseline-python``, another checkout's interpreter (its own client and server).

Per run: the wall time of the command; when the job ended (its row's ``updated_at`` in the
sandbox's SQLite file); and when the client saw it: the moment the command's progress line
"piece 1: job completed" reached this process's pipe. Medians are reported, and the ratios
held / schedule of the wall times, and of the wall times less the job's own (its claim to its
end: the transcription, which on a shared machine varies by seconds with the load). Results: stdout, and benchmarks/results-job-wait.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "meeting.mkv"
RESULTS = ROOT / "benchmarks" / "results-job-wait.json"
KEYS = ("wall_s", "wall_less_job_s", "submitted_s", "picked_up_s", "job_s", "seen_after_end_s",
        "after_seen_s")
SEEN = "job completed"  # the progress line's end when the client has seen the job end


def run_once(python: str, env_extra: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-job-wait-") as tmp:
        home = Path(tmp)
        env = {**os.environ, "XDG_DATA_HOME": str(home / "data"),
               "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
               **env_extra}
        for name in ("SYMBL_APP_ID", "SYMBL_APP_SECRET", "SYMBL_API_URL"):
            env.pop(name, None)  # the embedded sandbox, as in the README
        started = time.time()
        proc = subprocess.Popen(
            [python, "-m", "symbl_media", "submit", str(SAMPLE), "--diarize", "3",
             "--sink", f"json:{home / 'out.json'}"], cwd=home, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)
        seen = None
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if seen is None and line.rstrip().endswith(SEEN):
                seen = time.time()
        code = proc.wait()
        finished = time.time()
        if code != 0 or seen is None:
            raise SystemExit(f"submit failed (exit {code}): {''.join(lines)[-800:]}")
        database = home / "data" / "symbl-media" / "sandbox" / "sandbox.sqlite3"
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            created, begun, ended = db.execute(
                "SELECT created_at, started_at, updated_at FROM jobs").fetchone()
        finally:
            db.close()
    return {"wall_s": finished - started, "job_s": ended - begun,
            "wall_less_job_s": finished - started - (ended - begun),
            "seen_after_end_s": seen - ended, "submitted_s": created - started,
            "picked_up_s": begun - created, "after_seen_s": finished - seen}


def _line(values: dict) -> str:
    return (f"wall {values['wall_s']:5.2f} s = sent {values['submitted_s']:5.2f} + picked up "
            f"{values['picked_up_s']:5.3f} + job {values['job_s']:5.2f} + seen "
            f"{values['seen_after_end_s']:5.3f} + after {values['after_seen_s']:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="ABBA rounds (2 runs each side)")
    parser.add_argument("--baseline-python", help="the old schedule from another checkout's "
                                                  "interpreter instead of SYMBL_MEDIA_JOB_WAIT=0")
    args = parser.parse_args()
    configs = {"held": (sys.executable, {}),
               "schedule": (args.baseline_python, {}) if args.baseline_python
               else (sys.executable, {"SYMBL_MEDIA_JOB_WAIT": "0"})}
    runs: dict[str, list[dict]] = {name: [] for name in configs}
    run_once(sys.executable, {})  # warm the disk cache (model files, bytecode): not counted
    load = [os.getloadavg()[0]]
    for round_ in range(args.rounds):
        order = ("held", "schedule", "schedule", "held") if round_ % 2 == 0 \
            else ("schedule", "held", "held", "schedule")
        for name in order:
            python, env = configs[name]
            result = run_once(python, env)
            runs[name].append(result)
            print(f"round {round_ + 1} {name:8}  " + _line(result), flush=True)
        load.append(os.getloadavg()[0])

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    summary = {name: {key: round(median(name, key), 3)
                      for key in KEYS} for name in runs}
    ratio = median("held", "wall_s") / median("schedule", "wall_s")
    # The job itself (the transcription, on a loaded machine the noisiest part) left out:
    # what the client's side of the command took.
    ratio_less_job = median("held", "wall_less_job_s") / median("schedule", "wall_less_job_s")
    seen = {name: [round(r["seen_after_end_s"], 3) for r in runs[name]] for name in runs}
    print(f"\nmedians of {2 * args.rounds} runs each (load average {min(load):.1f}-"
          f"{max(load):.1f} on {os.cpu_count()} CPUs):")
    for name, values in summary.items():
        print(f"  {name:8}  " + _line(values))
    print(f"  wall time held / schedule: {ratio:.3f}; without the job's own time: "
          f"{ratio_less_job:.3f}")
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average": [round(v, 1) for v in load]},
              "baseline": "--baseline-python " + args.baseline_python if args.baseline_python
              else "SYMBL_MEDIA_JOB_WAIT=0", "rounds": args.rounds,
              "medians": summary, "wall_ratio_held_over_schedule": round(ratio, 3),
              "wall_less_job_ratio_held_over_schedule": round(ratio_less_job, 3),
              "seen_after_end_s": seen}
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
