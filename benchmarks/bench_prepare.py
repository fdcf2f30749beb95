#!/usr/bin/env python3
"""Benchmark `symbl-media prepare` against the bare ffmpeg pass it wraps, and against pydub.

    .venv/bin/python benchmarks/bench_prepare.py [--hours 2] [--long-hours 8] [--runs 5]
                                                 [--skip-pydub]

Inputs are generated once into benchmarks/.work/ (gitignored). Results go to stdout and to
benchmarks/results.json; docs/benchmarks.md explains them.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
RESULTS = ROOT / "benchmarks" / "results.json"
# The venv's own entry point, so the bench measures this checkout, not whatever is on PATH.
SYMBL = str(Path(sys.executable).parent / "symbl-media")
# 16 kHz stereo, exactly 15 s of real speech: PCM loops without the sample loss that looping
# an AAC file has (encoder priming is trimmed at every loop and leaves gaps in the timeline).
SPEECH = ROOT / "samples" / "meeting-stereo.wav"
# 120 s is a whole number of AAC frames at 48 kHz (5625 x 1024) and of video frames at 5 fps,
# so stream-copied loops of the block join without audio gaps or overlaps.
BLOCK_SECONDS = 120
# Issue 15: prepare on every core, against the one-liner (was 1.15 for the single pass).
TARGET_WALL_RATIOS = {"2h": 0.80, "8h": 0.85}
TARGET_RSS_MB = 150.0
MB = 1 << 20

PYDUB_JOB = """\
import sys
from pydub import AudioSegment
AudioSegment.from_file(sys.argv[1]).set_channels(1).set_frame_rate(16000) \\
    .set_sample_width(2).export(sys.argv[2], format="wav")
"""


def duration(path: Path) -> float:
    return float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                                 "-of", "csv=p=0", str(path)], check=True, capture_output=True,
                                text=True).stdout)


def build(path: Path, seconds: float, *args: str) -> Path:
    """ffmpeg into a temporary name, check the duration, rename: no half-made input is reused."""
    if path.exists():
        return path
    tmp = path.with_name(f".partial-{path.name}")
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args, "-f", "matroska",
                    str(tmp)], check=True)
    got = duration(tmp)
    if abs(got - seconds) > 1.0:
        raise SystemExit(f"{path.name}: expected {seconds:.0f} s, ffprobe says {got:.2f} s")
    tmp.rename(path)
    print(f"generated {path.name}: {got:.2f} s, {path.stat().st_size / MB:.0f} MB")
    return path


def make_inputs(hours: float, long_hours: float) -> tuple[Path, Path]:
    WORK.mkdir(parents=True, exist_ok=True)
    # Encoding is done once, on two minutes; the long files are only stream copies.
    block = build(WORK / f"block-{BLOCK_SECONDS}s.mkv", BLOCK_SECONDS,
                  "-f", "lavfi", "-i", "testsrc=size=320x240:rate=5",
                  "-stream_loop", "-1", "-i", str(SPEECH), "-t", str(BLOCK_SECONDS),
                  "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast",
                  "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-ar", "48000",
                  "-ac", "2")
    loops = max(1, round(hours * 3600 / BLOCK_SECONDS))
    short = build(WORK / f"meeting-{hours:g}h.mkv", loops * BLOCK_SECONDS,
                  "-stream_loop", str(loops - 1), "-i", str(block), "-c", "copy")
    copies = math.ceil(long_hours / hours)
    listing = WORK / f"concat-{hours:g}h-x{copies}.txt"
    listing.write_text(f"file '{short.name}'\n" * copies)
    long = build(WORK / f"meeting-{long_hours:g}h.mkv",
                 min(long_hours * 3600, copies * duration(short)), "-f", "concat", "-safe", "0",
                 "-i", str(listing), "-t", str(long_hours * 3600), "-c", "copy")
    return short, long


def measure(argv: list[str]) -> dict:
    """Wall time and peak RSS of one command and everything it starts.

    Tree RSS is what the machine has to hold at once (the Python process and its ffmpeg
    children together); sampling can miss a short spike, so the kernel's own high-water mark
    of the largest single process (wait4's ru_maxrss) is kept as a cross-check.
    """
    log = WORK / "last-stderr.txt"
    with log.open("wb") as err:
        busy0 = busy_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        peak, done = {"tree": 0, "single": 0}, threading.Event()

        def sample() -> None:
            while not done.is_set():
                sizes = []
                for pid in tree(proc.pid):
                    try:
                        sizes.append(psutil.Process(pid).memory_info().rss)
                    except psutil.Error:  # exited between listing and reading
                        pass
                peak["tree"] = max(peak["tree"], sum(sizes))
                peak["single"] = max(peak["single"], *sizes, 0)
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 rather than Popen.wait: it hands back the child's rusage (max RSS).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        others, steal = (b - a for a, b in zip(busy0, busy_cpu()))
        cpu = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{log.read_text()}")
    return {"wall_s": round(wall, 3), "tree_rss_mb": round(peak["tree"] / MB, 1),
            "single_rss_mb": round(peak["single"] / MB, 1),
            "kernel_maxrss_mb": round(usage.ru_maxrss * 1024 / MB, 1),  # ru_maxrss is KiB
            "cpu_s": round(cpu, 2), "others_cpu_s": round(others - cpu, 1),
            "steal_s": round(steal, 1)}


def tree(pid: int) -> list[int]:
    """pid and its descendants, from /proc/PID/task/TID/children (Linux).

    psutil's children(recursive=True) reads every process on the machine: 2.5 ms a sample,
    an eighth of a core at 50 samples a second on a 2-core machine. This costs 0.2 ms.
    """
    pids = [pid]
    for p in pids:  # grows as it goes: breadth first
        for path in glob.glob(f"/proc/{p}/task/*/children"):
            try:
                pids += map(int, Path(path).read_text().split())
            except OSError:  # that thread or process has just ended
                pass
    return pids


def busy_cpu() -> tuple[float, float]:
    """CPU seconds used so far by the machine less this process (the sampler), and stolen.

    Other people's tests may share the machine, and the hypervisor may give the CPUs to other
    guests (steal): either during a run marks its timing as contended.
    """
    t, me = psutil.cpu_times(), os.times()
    return t.user + t.nice + t.system + t.irq + t.softirq - me.user - me.system, t.steal


def clear(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def baseline_argv(src: Path, out: Path) -> list[str]:
    return ["ffmpeg", "-y", "-nostdin", "-loglevel", "error", "-i", str(src), "-vn",
            "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", str(out)]


def run_case(name: str, argv: list[str], output: Path, runs: list[dict]) -> None:
    clear(output)
    result = measure(argv)
    if (output / "manifest.json").exists():  # note what prepare made: wrong output shows up
        manifest = json.loads((output / "manifest.json").read_text())
        pieces, decoding = manifest["pieces"], manifest.get("decisions", {}).get("decoding") or {}
        result.update(pieces=len(pieces), audio_s=round(sum(p["duration"] for p in pieces), 2))
        if decoding:  # how the pass ran: in parts, split in two processes, or one
            result.update(parts=decoding.get("parts", 1), split=int(bool(decoding.get("split"))))
    clear(output)
    runs.append(result)
    print(f"  {name:<14} {result}", flush=True)


def summarise(runs: list[dict]) -> dict:
    out = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    walls = [r["wall_s"] for r in runs]
    return {**out, "runs": len(runs), "wall_min_s": min(walls), "wall_max_s": max(walls)}


def out(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True).stdout.strip()


def code_version() -> str:
    """HEAD, plus a digest of uncommitted src/ edits: the package is installed editable."""
    edits = out("git", "-C", str(ROOT), "diff", "HEAD", "--", "src")
    digest = hashlib.sha1(edits.encode()).hexdigest()[:8]
    return out("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") + (
        f" + uncommitted src/ edits {digest}" if edits else "")


def machine() -> dict:
    return {"nproc": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "ffmpeg": out("ffmpeg", "-version").splitlines()[0],
            "python": platform.python_version(), "kernel": platform.release()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--long-hours", type=float, default=8.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-pydub", action="store_true")
    args = ap.parse_args()
    short, long = make_inputs(args.hours, args.long_hours)
    code = code_version()
    wav, out_dir = WORK / "baseline.wav", WORK / "prepared"
    h, lh = f"{args.hours:g}h", f"{args.long_hours:g}h"
    cases = {
        f"baseline {h}": (baseline_argv(short, wav), wav),
        f"prepare {h}": ([SYMBL, "prepare", str(short), "--out", str(out_dir)], out_dir),
        f"baseline {lh}": (baseline_argv(long, wav), wav),
        f"prepare {lh}": ([SYMBL, "prepare", str(long), "--out", str(out_dir)], out_dir),
        f"pydub {h}": ([sys.executable, "-c", PYDUB_JOB, str(short), str(wav)], wav),
    }
    runs: dict[str, list[dict]] = {name: [] for name in cases}
    # Page cache cannot be dropped without root; read the inputs once so every run is warm.
    print("warm-up")
    for src in (short, long):
        run_case("(warm-up)", baseline_argv(src, wav), wav, [])
    pair = [f"baseline {h}", f"prepare {h}"]
    for i in range(args.runs):
        print(f"run {i + 1}/{args.runs}")
        # Alternate which goes first so drift (CPU speed, neighbours) hits both alike.
        for name in pair if i % 2 == 0 else pair[::-1]:
            run_case(name, *cases[name], runs[name])
    print(f"once each: {lh} input, pydub")
    for name in [f"baseline {lh}", f"prepare {lh}"] + [f"pydub {h}"] * (not args.skip_pydub):
        run_case(name, *cases[name], runs[name])

    summary = {name: summarise(r) for name, r in runs.items() if r}
    ratios = {f"{a}/{b} {key} {n}": round(summary[f"{a} {n}"][key] / summary[f"{b} {n}"][key], 3)
              for a, b, key, n in [("prepare", "baseline", "wall_s", h),
                                   ("prepare", "baseline", "cpu_s", h),
                                   ("prepare", "baseline", "wall_s", lh),
                                   ("pydub", "baseline", "wall_s", h),
                                   ("pydub", "prepare", "tree_rss_mb", h)]
              if f"{a} {n}" in summary}
    goal = {n: TARGET_WALL_RATIOS.get(n, 0.80) for n in (h, lh)}
    targets = {**{f"prepare/baseline wall_s {n} <= {goal[n]}":
                  ratios[f"prepare/baseline wall_s {n}"] <= goal[n] for n in (h, lh)},
               **{f"prepare {n} peak tree RSS <= {TARGET_RSS_MB:g} MB":
                  summary[f"prepare {n}"]["tree_rss_mb"] <= TARGET_RSS_MB for n in (h, lh)}}
    report(summary, ratios, targets)
    if code_version() != code:  # others edit src/ meanwhile: the runs mix two versions
        print(f"WARNING: src/ changed during the run ({code} -> {code_version()}); run again")
        code += f" -> changed during the run: {code_version()}"
    RESULTS.write_text(json.dumps({
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code, "machine": machine(),
        "inputs": {p.name: {"seconds": duration(p), "bytes": p.stat().st_size}
                   for p in (short, long)},
        "commands": {name: argv for name, (argv, _) in cases.items()},
        "summary": summary, "ratios": ratios, "targets_met": targets, "runs": runs,
    }, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


def report(summary: dict, ratios: dict, targets: dict) -> None:
    row = "{:<12} {:>4} {:>7} {:>11} {:>6} {:>8} {:>9} {:>9} {:>6} {:>5}  {}".format
    print("\n" + row("case", "runs", "wall s", "min-max", "CPU s", "tree MB", "1-proc MB",
                     "kernel MB", "others", "steal", "output"))
    for name, s in summary.items():
        made = f"{s['pieces']:g} piece(s), {s['audio_s']:.0f} s" if "pieces" in s else ""
        print(row(name, s["runs"], f"{s['wall_s']:.2f}", f"{s['wall_min_s']:.1f}-"
                  f"{s['wall_max_s']:.1f}", f"{s['cpu_s']:.1f}", s["tree_rss_mb"],
                  s["single_rss_mb"], s["kernel_maxrss_mb"], s["others_cpu_s"], s["steal_s"],
                  made))
    print("(medians. tree: the process and its descendants summed, sampled every 20 ms; "
          "1-proc: largest single process, sampled;\n kernel: the same from wait4's ru_maxrss; "
          "others: CPU s anything else used meanwhile; steal: CPU s given to other guests)\n")
    for k, v in ratios.items():
        print(f"{k}: {v:.3f}")
    for k, ok in targets.items():
        print(f"{'met   ' if ok else 'MISSED'} {k}")


if __name__ == "__main__":
    main()
