#!/usr/bin/env python3
"""CPU seconds of each process a command starts, to see which side of a pipeline costs what.

    .venv/bin/python benchmarks/process_cpu.py .venv/bin/symbl-media prepare \\
        benchmarks/.work/meeting-8h.mkv --out /tmp/out --decoders 2

Samples the command's process tree every 50 ms (psutil) and prints, per process, the user and
system CPU last seen (a process's last 50 ms may be missed), then the tree's total from wait4
and what everything else on the machine used meanwhile (a busy machine shows there). ffmpeg
processes are named by their role in `prepare`: the split's decoder (writes `pipe:1` with
`-flush_packets`), its converter (reads `pipe:0`), the channel measurement (`-f f32le` to a
pipe), or the single pass.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import psutil


def role(name: str, argv: list[str]) -> str:
    if name != "ffmpeg":
        return name
    if "pipe:0" in argv:
        return "ffmpeg converter"
    if "-flush_packets" in argv:
        return "ffmpeg decoder"
    if "pipe:1" in argv and "-progress" not in argv:
        return "ffmpeg measurement"
    return "ffmpeg pass"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    machine0, children0 = psutil.cpu_times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    top, seen = psutil.Process(proc.pid), {}
    while proc.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
        except psutil.Error:
            tree = []
        for p in tree:
            try:
                cpu, args = p.cpu_times(), p.cmdline()
                seen[p.pid] = (role(p.name(), args), cpu.user, cpu.system)
            except psutil.Error:
                pass
        time.sleep(0.05)
    wall = time.perf_counter() - started
    machine1, children1 = psutil.cpu_times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    tree_cpu = (children1.ru_utime - children0.ru_utime) + (children1.ru_stime
                                                             - children0.ru_stime)
    busy = sum(getattr(machine1, k) - getattr(machine0, k) for k in ("user", "system", "nice"))
    print(f"exit {proc.returncode}  wall {wall:.2f} s  load {load:.2f} at the start")
    for _pid, (what, user, system) in sorted(seen.items()):
        if user + system >= 0.05:
            print(f"  {what:20s} {user + system:6.2f} s  (user {user:.2f}, sys {system:.2f})")
    print(f"  {'all (wait4)':20s} {tree_cpu:6.2f} s;  everything else meanwhile "
          f"{busy - tree_cpu:.2f} s")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
