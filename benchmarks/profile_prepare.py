#!/usr/bin/env python3
"""Where does `prepare` spend its time beyond the one ffmpeg pass? Stage by stage.

    .venv/bin/python benchmarks/profile_prepare.py benchmarks/.work/meeting-2h.mkv

Runs pipeline.prepare() in this process with its stages wrapped in timers, after timing the
bare ffmpeg baseline and the CLI's start-up. Stage names follow src/symbl_media/media/pipeline.py;
a stage that has been renamed or removed there is simply not reported.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

SYMBL = str(Path(sys.executable).parent / "symbl-media")
stages: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0.0])
# per stage: wall s, child (ffmpeg) CPU s, calls, this process's RSS high-water mark after it


def child_cpu() -> float:
    # ffmpeg does the heavy lifting in child processes; their CPU shows which stages decode.
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(name: str, fn):
    def wrapper(*args, **kwargs):
        t, c = time.perf_counter(), child_cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            s = stages[name]
            s[0] += time.perf_counter() - t
            s[1] += child_cpu() - c
            s[2] += 1
            s[3] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return wrapper


def timed_iter(name: str, fn):
    """Generators do their work on each next(), not when called."""
    def wrapper(*args, **kwargs):
        it = iter(fn(*args, **kwargs))
        while True:
            try:
                item = timed(name, next)(it)
            except StopIteration:
                stages[name][2] -= 1  # the last, empty next() is not a piece
                return
            yield item
    return wrapper


def wall(argv: list[str], n: int = 1) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    src = Path(sys.argv[1]).resolve()
    work = Path(tempfile.mkdtemp(prefix="profile-", dir=src.parent))
    try:
        base = wall(["ffmpeg", "-y", "-nostdin", "-loglevel", "error", "-i", str(src), "-vn",
                     "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", str(work / "b.wav")])
        startup = wall([SYMBL, "--version"], 5)
        t = time.perf_counter()
        from symbl_media.media import pipeline
        from symbl_media.media import levels
        imports = time.perf_counter() - t

        for name in ("probe", "extract", "media_duration", "find_silences", "_describe",
                     "_commit", "_ensure_folder"):
            if hasattr(pipeline, name):
                setattr(pipeline, name, timed(name.strip("_"), getattr(pipeline, name)))
        if hasattr(pipeline, "cut_wav"):
            pipeline.cut_wav = timed_iter("cut_wav", pipeline.cut_wav)
        levels.measure = timed("measure channels", levels.measure)

        t = time.perf_counter()
        result = timed("prepare() total", pipeline.prepare)(src, work / "out")
        total = time.perf_counter() - t
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{src.name}: {len(result.pieces)} piece(s), {result.duration:.0f} s of audio")
    print(f"{'stage':<20} {'calls':>5} {'wall s':>8} {'ffmpeg CPU s':>13} {'Python maxRSS MB':>17}")
    print(f"{'baseline ffmpeg':<20} {1:>5} {base:>8.2f}")
    print(f"{'CLI start-up':<20} {1:>5} {startup:>8.2f}   (symbl-media --version, median of 5)")
    print(f"{'import pipeline':<20} {1:>5} {imports:>8.2f}")
    accounted = 0.0
    for name, (w, c, n, rss) in stages.items():
        if name != "prepare() total":
            accounted += w
            print(f"{name:<20} {n:>5} {w:>8.2f} {c:>13.2f} {rss:>17.0f}")
    print(f"{'other (in prepare)':<20} {'':>5} {total - accounted:>8.2f}")
    print(f"{'prepare() total':<20} {1:>5} {total:>8.2f}")


if __name__ == "__main__":
    main()
