#!/usr/bin/env python3
"""What the channel measurement costs `prepare`, and what starting the pass beside it saves.

    .venv/bin/python benchmarks/bench_head_start.py --before REV [--rounds 5] [INPUT ...]

REV is a commit from before the head start (pipeline.inspect_ahead): its src/ is exported to
a temporary folder and run with PYTHONPATH, in the same venv, so the two differ only in the
code. For each input (default: samples/meeting.mkv, samples/meeting.flac, samples/trap-dual-
mono.wav where the guess is wrong, and when generated bench_prepare.py's 2-hour mkv and its
FLAC copy), first the measurement alone (levels.measure in this process, 3 times), then in
rounds, the order rotating every round:

- baseline: ffmpeg -i IN -vn -ac 1 -ar 16000 -c:a pcm_s16le OUT.wav
- before: python -m symbl_media prepare IN --out DIR, at REV
- now: the same with this checkout's src/

Before the rounds, prepare in a process of its own at REV and now, alternating: when the
pass's ffmpeg starts and when the measuring ffmpeg ends, from the call (what the head start
moves, whatever the load). Wall and CPU seconds of each (the process and everything it waited for), the CPU the rest of
the machine used meanwhile ("others") and the load average: the machine may be shared.
Results go to stdout and to benchmarks/results.json under "head_start".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_prepare as bp  # noqa: E402


def export(rev: str, into: Path) -> Path:
    """``rev``'s src/ as files, to run with PYTHONPATH."""
    archive = subprocess.run(["git", "-C", str(bp.ROOT), "archive", rev, "src"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def measurement_alone(src: Path) -> list[float]:
    from symbl_media.media import levels, plan as planning
    from symbl_media.media.plan import PrepareOptions
    from symbl_media.media.probe import probe

    info = probe(src)
    stream = planning.choose_stream(info, PrepareOptions()).stream
    times = []
    for _ in range(3):
        t = time.perf_counter()
        levels.measure(info, stream)
        times.append(round(time.perf_counter() - t, 3))
    return times


def timeline(src: Path, out: Path) -> None:
    """prepare in this process (whichever src/ PYTHONPATH gives), printing as JSON when the
    pass's ffmpeg (the one writing the piece) was first seen and when the measuring one (its
    f32le pipe) was last seen, in seconds from the call: what the head start moves."""
    import threading

    from symbl_media.media import pipeline

    seen: dict[str, float] = {}
    done = threading.Event()
    start = time.perf_counter()

    def watch() -> None:
        while not done.is_set():
            for pid in bp.tree(os.getpid())[1:]:
                try:
                    argv = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                at = time.perf_counter() - start
                if b"f32le" in argv:
                    seen["measuring_last_seen_s"] = at
                elif b"piece-001" in argv or b"whole.wav" in argv:
                    seen.setdefault("pass_first_seen_s", at)
            done.wait(0.002)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    pipeline.prepare(src, out)
    seen["total_s"] = time.perf_counter() - start
    done.set()
    watcher.join()
    print(json.dumps({k: round(v, 3) for k, v in seen.items()}))


def timelines(src: Path, before_src: Path, rounds: int) -> dict:
    out = bp.WORK / "prepared"
    found: dict[str, list] = {"before": [], "now": []}
    for i in range(rounds):
        for name in ("before", "now") if i % 2 == 0 else ("now", "before"):
            env = {**os.environ, **({"PYTHONPATH": str(before_src)} if name == "before" else {})}
            bp.clear(out)
            done = subprocess.run([sys.executable, __file__, "--timeline", str(src), str(out)],
                                  env=env, check=True, capture_output=True, text=True)
            found[name].append(json.loads(done.stdout))
    bp.clear(out)
    return {name: {key: statistics.median(r[key] for r in runs if key in r)
                   for key in runs[0]} for name, runs in found.items()}


def main() -> None:
    if sys.argv[1:2] == ["--timeline"]:
        return timeline(Path(sys.argv[2]), Path(sys.argv[3]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", required=True, help="a commit without the head start")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("inputs", nargs="*", type=Path)
    args = ap.parse_args()
    inputs = args.inputs or [p for p in (bp.ROOT / "samples" / "meeting.mkv",
                                         bp.ROOT / "samples" / "meeting.flac",
                                         bp.ROOT / "samples" / "trap-dual-mono.wav",
                                         bp.WORK / "meeting-2h.mkv", bp.WORK / "meeting-2h.flac")
                             if p.exists()]
    bp.WORK.mkdir(parents=True, exist_ok=True)
    code = bp.code_version()
    with tempfile.TemporaryDirectory() as tmp:
        before_src = export(args.before, Path(tmp))
        wav, out = bp.WORK / "baseline.wav", bp.WORK / "prepared"
        prepare = [sys.executable, "-m", "symbl_media", "prepare"]
        results: dict = {"before": args.before, "code": code, "machine": bp.machine(),
                         "load_start": os.getloadavg(), "inputs": {}}
        for src in inputs:
            alone = measurement_alone(src)
            print(f"{src.name}: the measurement alone {alone} s", flush=True)
            moved = timelines(src, before_src, args.rounds)
            print(f"{src.name}: in-process, medians: {json.dumps(moved)}", flush=True)
            cases = {"baseline": (bp.baseline_argv(src, wav), wav),
                     "before": (["env", f"PYTHONPATH={before_src}", *prepare, str(src),
                                 "--out", str(out)], out),
                     "now": ([*prepare, str(src), "--out", str(out)], out)}
            bp.run_case("(warm-up)", bp.baseline_argv(src, wav), wav, [])
            runs: dict[str, list[dict]] = {name: [] for name in cases}
            names = list(cases)
            for i in range(args.rounds):
                for name in names[i % 3:] + names[:i % 3]:
                    bp.run_case(name, *cases[name], runs[name])
            summary = {name: bp.summarise(r) for name, r in runs.items()}
            wall = {n: summary[n]["wall_s"] for n in cases}
            ratios = {"now/before wall": round(wall["now"] / wall["before"], 3),
                      "before/baseline wall": round(wall["before"] / wall["baseline"], 3),
                      "now/baseline wall": round(wall["now"] / wall["baseline"], 3),
                      "now-before wall s": round(wall["now"] - wall["before"], 3),
                      "now/before cpu": round(summary["now"]["cpu_s"] /
                                              summary["before"]["cpu_s"], 3)}
            # Paired by round: each round ran the three back to back.
            paired = [round(a["wall_s"] - b["wall_s"], 3)
                      for a, b in zip(runs["now"], runs["before"])]
            ratios["now-before wall s, per round"] = paired
            ratios["now-before wall s, median of rounds"] = statistics.median(paired)
            results["inputs"][src.name] = {"measurement_alone_s": alone, "timeline": moved,
                                           "summary": summary,
                                           "ratios": ratios, "runs": runs}
            print(f"{src.name}: " + json.dumps(ratios), flush=True)
            for name in cases:
                s = summary[name]
                print(f"  {name:<9} wall {s['wall_s']:.3f} s ({s['wall_min_s']:.3f}-"
                      f"{s['wall_max_s']:.3f})  cpu {s['cpu_s']:.2f} s  others "
                      f"{s['others_cpu_s']:.1f} s", flush=True)
        results["load_end"] = os.getloadavg()
    print(f"load average at the start {results['load_start']}, at the end {results['load_end']}")
    if bp.code_version() != code:
        print(f"WARNING: src/ changed during the run ({code} -> {bp.code_version()})")
    saved = json.loads(bp.RESULTS.read_text()) if bp.RESULTS.exists() else {}
    saved["head_start"] = results
    bp.RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    print(f"wrote {bp.RESULTS.relative_to(bp.ROOT)} (key 'head_start')")


if __name__ == "__main__":
    main()
