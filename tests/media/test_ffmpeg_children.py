"""How ffmpeg is started: never through fork(), and never outliving a killed parent.

The sandbox (and a CLI running it embedded) runs faster-whisper in some threads while others
start ffmpeg. ffmpeg used to be started with a ``preexec_fn``, which makes ``subprocess`` call
a real ``fork()``; OpenBLAS's at-fork handler then joins its worker threads while the GIL is
held and the whole process stopped for good (issue: the served sandbox hung on overlapping
jobs). Each test runs its scenario in a child Python, so a hang is seen as a timeout here
instead of hanging the test run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the parent-death guarantee is Linux's")


def _python(code: str, *, timeout: float, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_starting_ffmpeg_runs_no_fork_handlers():
    # A fork() runs the at-fork handlers every library registered (OpenBLAS's among them);
    # vfork/posix_spawn run none. Python's own handlers are called for the same forks.
    done = _python(
        "import os\n"
        "from symbl_media.media import ffmpeg\n"
        "forks = []\n"
        "os.register_at_fork(before=lambda: forks.append(1))\n"
        "ffmpeg.run_ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=d=0.1', '-f', 'null', '-'],"
        " what='silence')\n"
        "print(len(forks))\n", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


STRESS = """
import sys, threading, time
import numpy as np
from symbl_media.media import ffmpeg

stop = threading.Event()
spawned = []

def multiply():  # what faster-whisper's feature extractor does: OpenBLAS, many threads
    a = np.random.default_rng(0).random((300, 300), dtype=np.float32)
    while not stop.is_set():
        a @ a

def start_ffmpeg():
    while len(spawned) < RUNS:
        ffmpeg.run_ffmpeg(["-f", "lavfi", "-i", "anullsrc=d=0.05", "-f", "null", "-"],
                          what="silence")
        spawned.append(1)

threads = [threading.Thread(target=multiply, daemon=True) for _ in range(2)]
starter = threading.Thread(target=start_ffmpeg, daemon=True)
for t in [*threads, starter]:
    t.start()
starter.join(float(sys.argv[1]) if len(sys.argv) > 1 else 80)
stop.set()
for t in threads:
    t.join(20)
print("alive" if any(t.is_alive() for t in [*threads, starter]) else "stopped", len(spawned))
"""


def test_ffmpeg_started_while_other_threads_multiply_matrices_never_hangs():
    # Before the fix this hung within 5 s in each of 3 runs on a 2-core machine (the child
    # never printed). A number of runs, not a number of seconds: on a busy machine 8 s held
    # fewer than 10 runs and the test failed without anything hanging. 40 runs is more than
    # those 5 s held on an idle one; 80 s without them all is a hang.
    done = _python(STRESS.replace("RUNS", "40"), timeout=120)
    assert done.returncode == 0, done.stderr
    state, count = done.stdout.split()
    assert state == "stopped"
    assert int(count) == 40  # ffmpeg really ran again and again


KILLED = """
import sys, threading
from symbl_media.media import ffmpeg

def report(seconds):
    if seconds > 0 and not report.done:
        report.done = True
        print("running", flush=True)
report.done = False
ffmpeg.run_ffmpeg(["-re", "-f", "lavfi", "-i", "anullsrc=d=600", "-f", "wav", sys.argv[1]],
                  what="a long silence", on_progress=report)
"""


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rpartition(")")[2].split()
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.parametrize("setpriv", [True, False], ids=["setpriv", "without-setpriv"])
def test_ffmpeg_dies_with_a_parent_killed_by_sigkill(tmp_path, setpriv):
    env = os.environ.copy()
    if not setpriv:
        # A machine without util-linux's setpriv: a PATH with ffmpeg and nothing else.
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        for tool in ("ffmpeg", "ffprobe"):
            (bin_dir / tool).symlink_to(shutil.which(tool))
        env["PATH"] = str(bin_dir)
    elif shutil.which("setpriv") is None:
        pytest.skip("setpriv is not installed")
    out = tmp_path / "long.wav"
    parent = subprocess.Popen([sys.executable, "-c", KILLED, str(out)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert parent.stdout.readline().strip() == "running", parent.stderr.read()
        children = _children_of(parent.pid)
        assert len(children) == 1
        ffmpeg_pid = children[0]
        assert Path(f"/proc/{ffmpeg_pid}/exe").resolve().name.startswith("ffmpeg")
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(ffmpeg_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(ffmpeg_pid), "ffmpeg outlived the process that started it"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
