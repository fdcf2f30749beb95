#!/usr/bin/env python3
"""`prepare` on every core against the plain ffmpeg one-liner, and when `submit` starts uploading.

    .venv/bin/python benchmarks/bench_parallel.py [--hours 2] [--long-hours 8] [--runs 5]
                                                  [--long-runs 2] [--no-flac] [--no-long]
                                                  [--no-submit] [--busy N]
                                                  [--submit-only] [--submit-runs 1]

The inputs are bench_prepare.py's H.264+AAC mkv files (benchmarks/.work/, generated once),
and the short one's audio as FLAC (48 kHz stereo). AAC is not decoded in parts (they cannot
join exactly): with two decoders its one pass is split between a decoder process and a
converter. The FLAC copy is where the parts show.
In one run, alternating (the order rotates every round so drift hits every case alike):

- baseline: ffmpeg -i IN -vn -ac 1 -ar 16000 -c:a pcm_s16le OUT.wav
- prepare: symbl-media prepare IN --out DIR (--decoders left to its default: the CPUs; on AAC
  the split only when the load average leaves a CPU idle, the "split" column says if it ran)
- prepare-2: the same with --decoders 2 (AAC: always split; FLAC: two parts)
- prepare-1: the same with --decoders 1, the single pass as it was

`--busy N` keeps N processes of this bench spinning on the CPU all through the cases: the
split's cost on a machine with no core to spare, measured (docs/benchmarks.md).

Targets (issue 15): prepare / baseline wall time <= 0.80 on the 2-hour input, <= 0.85 on the
8-hour one; every process <= 150 MB (the tree's peak is reported too). Then `submit` of the
8-hour input against the sandbox (its own process, a no-op transcriber) in this process,
events timestamped: seconds from the call to the first upload's first byte.

`--submit-only` runs just that (and `--submit-runs N` repeats it): seconds from the call to the
first upload's first byte against the seconds to the end of the decode, in the same run.

A ratio taken while other work shares the CPUs says little about two decoders on two cores:
the "others" column (CPU seconds anything else used during the run) says how contended it was.
Results go to stdout and to benchmarks/results.json under "parallel".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_prepare as bp  # noqa: E402

TARGETS = bp.TARGET_WALL_RATIOS


def flac_copy(src: Path) -> Path:
    path = src.with_suffix(".flac")
    if not path.exists():
        tmp = path.with_name(f".partial-{path.name}")
        bp.subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(src),
                           "-map", "0:a:0", "-c:a", "flac", "-f", "flac", str(tmp)], check=True)
        tmp.rename(path)
    return path


def cases_for(src: Path, n: str) -> dict:
    wav, out = bp.WORK / "baseline.wav", bp.WORK / "prepared"
    return {f"baseline {n}": (bp.baseline_argv(src, wav), wav),
            f"prepare {n}": ([bp.SYMBL, "prepare", str(src), "--out", str(out)], out),
            f"prepare-2 {n}": ([bp.SYMBL, "prepare", str(src), "--out", str(out),
                                "--decoders", "2"], out),
            f"prepare-1 {n}": ([bp.SYMBL, "prepare", str(src), "--out", str(out),
                                "--decoders", "1"], out)}


@contextlib.contextmanager
def spinning(count: int):
    """``count`` processes of this bench busy on the CPU meanwhile (other work, made on
    purpose), stopped by their own ids when done."""
    procs = [bp.subprocess.Popen([sys.executable, "-c", "while True: pass"])
             for _ in range(count)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def alternate(cases: dict, rounds: int, runs: dict) -> None:
    names = list(cases)
    for i in range(rounds):
        print(f"round {i + 1}/{rounds}", flush=True)
        for name in names[i % len(names):] + names[:i % len(names)]:
            bp.run_case(name, *cases[name], runs.setdefault(name, []))


def first_upload(src: Path) -> dict:
    """submit of ``src`` in this process: when the first upload starts sending."""
    from benchmarks import bench_submit as bs

    tmp = Path(tempfile.mkdtemp(prefix="bench-parallel-"))
    saved = dict(os.environ)
    server = None
    try:
        bs.private_env(tmp, "server")
        server = bs.Server(tmp / "sandbox")
        os.environ.update(SYMBL_APP_ID=bs.APP_ID, SYMBL_APP_SECRET=bs.APP_SECRET,
                          SYMBL_API_URL=server.url)
        timing = bs.run_timing(src, tmp, "submit", server, None)
        return {k: timing[k] for k in ("pieces", "plan_s", "extract_done_s", "first_piece_s",
                                       "first_upload_s", "first_byte_s", "first_sent_s",
                                       "last_piece_s")}
    finally:
        if server is not None:
            server.stop()
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(tmp, ignore_errors=True)


def submit_only(long: Path, name: str, runs: int) -> None:
    """submit of ``long``, ``runs`` times: the first upload byte against the decode's end."""
    code = bp.code_version()
    load0 = os.getloadavg()[0]
    busy0, t0 = bp.busy_cpu()[0], time.perf_counter()
    timings = []
    for i in range(runs):
        print(f"submit {name} ({i + 1}/{runs}, in this process, sandbox with a no-op "
              f"transcriber)", flush=True)
        timings.append(first_upload(long))
        t = timings[-1]
        print(f"  first byte {t['first_byte_s']} s, decode done {t['extract_done_s']} s: "
              f"{t['first_byte_s'] / t['extract_done_s']:.2f} of the decode", flush=True)
    # CPU seconds the whole machine used (this run's ffmpeg and sandbox included) per wall
    # second: 2.0 is both cores busy; above that, other work was waiting for them.
    busy, wall = bp.busy_cpu()[0] - busy0, time.perf_counter() - t0
    saved = json.loads(bp.RESULTS.read_text()) if bp.RESULTS.exists() else {}
    saved["first_upload"] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code, "machine": bp.machine(),
        "input": name, "load_1min_at_end": os.getloadavg()[0],
        "wall_s": round(wall, 1), "machine_cpu_s": round(busy, 1),
        "load_1min_at_start": load0, "runs": timings,
        "first_byte_over_decode": [round(t["first_byte_s"] / t["extract_done_s"], 3)
                                   for t in timings]}
    bp.RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    print(f"\nwrote {bp.RESULTS.relative_to(bp.ROOT)} (key 'first_upload')")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--long-hours", type=float, default=8.0)
    ap.add_argument("--runs", type=int, default=5, help="rounds on the short input")
    ap.add_argument("--long-runs", type=int, default=2, help="rounds on the long input")
    ap.add_argument("--no-flac", action="store_true")
    ap.add_argument("--no-long", action="store_true", help="skip the long input")
    ap.add_argument("--no-submit", action="store_true")
    ap.add_argument("--busy", type=int, default=0,
                    help="processes kept spinning on the CPU during the cases")
    ap.add_argument("--submit-only", action="store_true",
                    help="only submit's first upload against its decode, --submit-runs times")
    ap.add_argument("--submit-runs", type=int, default=1)
    args = ap.parse_args()
    short, long = bp.make_inputs(args.hours, args.long_hours)
    if args.submit_only:
        submit_only(long, f"{args.long_hours:g}h", args.submit_runs)
        return
    flac = None if args.no_flac else flac_copy(short)
    code = bp.code_version()
    h, lh, fh = f"{args.hours:g}h", f"{args.long_hours:g}h", f"{args.hours:g}h-flac"
    print("warm-up")
    for src in (short, *([] if args.no_long else [long]), *([flac] if flac else [])):
        bp.run_case("(warm-up)", bp.baseline_argv(src, bp.WORK / "baseline.wav"),
                    bp.WORK / "baseline.wav", [])
    runs: dict[str, list[dict]] = {}
    with spinning(args.busy):
        alternate(cases_for(short, h), args.runs, runs)
        if flac:
            alternate(cases_for(flac, fh), args.runs, runs)
        if not args.no_long:
            alternate(cases_for(long, lh), args.long_runs, runs)
    summary = {name: bp.summarise(r) for name, r in runs.items()}
    lengths = (h, *([] if args.no_long else [lh]), *([fh] if flac else []))
    ratios = {f"{case}/baseline wall_s {n}": round(summary[f"{case} {n}"]["wall_s"]
                                                  / summary[f"baseline {n}"]["wall_s"], 3)
              for n in lengths for case in ("prepare", "prepare-2", "prepare-1")}
    ratios.update({f"{case}/baseline cpu_s {n}": round(summary[f"{case} {n}"]["cpu_s"]
                                                      / summary[f"baseline {n}"]["cpu_s"], 3)
                   for n in lengths for case in ("prepare", "prepare-2", "prepare-1")})
    aac = [n for n in (h, lh) if n in lengths]
    targets = {f"prepare/baseline wall_s {n} <= {TARGETS.get(n, 0.8)}":
               ratios[f"prepare/baseline wall_s {n}"] <= TARGETS.get(n, 0.8) for n in aac}
    targets.update({f"prepare{c} {n} largest process <= {bp.TARGET_RSS_MB:g} MB":
                    summary[f"prepare{c} {n}"]["kernel_maxrss_mb"] <= bp.TARGET_RSS_MB
                    for n in aac for c in ("", "-2")})
    bp.report(summary, ratios, targets)
    submit = None
    if not args.no_submit and not args.no_long:
        print(f"\nsubmit {lh} (in this process, sandbox with a no-op transcriber)")
        submit = first_upload(long)
        print(f"first upload starts {submit['first_upload_s']} s after the call, its first "
              f"byte at {submit['first_byte_s']} s (first piece cut at "
              f"{submit['first_piece_s']} s, whole recording decoded at "
              f"{submit['extract_done_s']} s)")
    if bp.code_version() != code:
        print(f"WARNING: src/ changed during the run ({code} -> {bp.code_version()})")
        code += f" -> changed during the run: {bp.code_version()}"
    saved = json.loads(bp.RESULTS.read_text()) if bp.RESULTS.exists() else {}
    saved["parallel"] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code, "machine": bp.machine(),
        "load_1min_at_end": os.getloadavg()[0], "busy_processes": args.busy,
        "commands": {name: argv for name, (argv, _) in {
            **cases_for(short, h), **({} if args.no_long else cases_for(long, lh)),
            **(cases_for(flac, fh) if flac else {})}.items()},
        "summary": summary, "ratios": ratios, "targets_met": targets, "submit": submit,
        "runs": runs}
    bp.RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    print(f"\nwrote {bp.RESULTS.relative_to(bp.ROOT)} (key 'parallel')")


if __name__ == "__main__":
    main()
