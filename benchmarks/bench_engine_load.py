"""`submit` end to end with the embedded server's engines loaded as a recording is on its way
(the default, ``SYMBL_MEDIA_LOAD_ENGINES=start``: in the background while the client prepares
and uploads) against loaded on the first job (``first-job``), in the same run.

    .venv/bin/python benchmarks/bench_engine_load.py [--rounds 3] [INPUT ...]

Each run is a fresh `python -m symbl_media submit INPUT --sink json:OUT` (default input:
`samples/meeting.mkv`, the README's command, `samples/mono-16k.wav`, and
`samples/transcript.txt`, a text submission that must not load the model) with a private
XDG_DATA_HOME, XDG_STATE_HOME, XDG_CACHE_HOME and TMPDIR, so each starts its own embedded
sandbox with nothing loaded; no Symbl credentials, so the embedded server answers. Timed: the
command's wall-clock seconds, and its CPU seconds (the process and its ffmpeg children, from
``getrusage(RUSAGE_CHILDREN)``), and the server's job seconds, claim to end, from the
embedded sandbox's SQLite file (a job that waits for the model includes that wait). The
settings alternate ABBA per round; medians reported.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ("start", "first-job")


def _job_seconds(scratch: Path) -> float:
    """The embedded sandbox's job(s), from claim to end (its SQLite file), added up."""
    import sqlite3

    db = sqlite3.connect(scratch / "data" / "symbl-media" / "sandbox" / "sandbox.sqlite3")
    try:
        return sum(end - began for began, end in db.execute(
            "SELECT started_at, updated_at FROM jobs WHERE started_at IS NOT NULL"))
    finally:
        db.close()


def run(path: Path, setting: str) -> tuple[float, float, float]:
    scratch = Path(tempfile.mkdtemp(prefix="bench-engine-load-"))
    try:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SYMBL_", "XDG_"))}
        env.update({f"XDG_{name}_HOME": str(scratch / name.lower())
                    for name in ("DATA", "STATE", "CACHE", "CONFIG")},
                   TMPDIR=str(scratch), SYMBL_MEDIA_LOAD_ENGINES=setting)
        (scratch / "tmp").mkdir()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "symbl_media", "submit", str(path),
                               "--sink", f"json:{scratch / 'out.json'}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise SystemExit(f"submit {path.name} ({setting}) exited {done.returncode}:\n"
                             f"{done.stderr}")
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, _job_seconds(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path,
                        default=[ROOT / "samples" / "meeting.mkv",
                                 ROOT / "samples" / "mono-16k.wav",
                                 ROOT / "samples" / "transcript.txt"])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start {os.getloadavg()[0]:.1f}")
    for path in args.inputs:
        runs: dict[str, list[tuple[float, float, float]]] = {s: [] for s in SETTINGS}
        for _ in range(args.rounds):
            for setting in (*SETTINGS, *reversed(SETTINGS)):
                runs[setting].append(run(path, setting))
        med = {s: tuple(statistics.median(x[i] for x in r) for i in range(3))
               for s, r in runs.items()}
        print(f"{path.name}:")
        for setting in SETTINGS:
            wall, cpu, job = med[setting]
            print(f"  load {setting:10} wall {wall:6.2f} s  CPU {cpu:6.2f} s  job {job:5.2f} s"
                  f"   runs: " + ", ".join(f"{w:.2f}" for w, _, _ in runs[setting]))
        print(f"  start / first-job (same run): wall {med['start'][0] / med['first-job'][0]:.2f}"
              f", CPU {med['start'][1] / med['first-job'][1]:.2f}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
