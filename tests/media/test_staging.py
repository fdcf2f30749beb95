"""A `prepare` stopped by SIGKILL (or the OOM killer) cannot remove its staging folder; the next
`prepare` into the same folder does, and never one a running `prepare` still holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from symbl_media.media import staging

from .conftest import run_ffmpeg

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "meeting.mkv"

# Holds a staging folder of `out` (argv[1]) until its stdin closes: a run in progress.
HOLDER = """
import sys
from pathlib import Path
from symbl_media.media.staging import Staging
held = Staging(Path(sys.argv[1]))
print(held.path, flush=True)
sys.stdin.read()
held.remove()
"""


def _staged(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.name.startswith(staging.PREFIX))


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "symbl_media", *args]


def test_a_killed_prepare_leaves_its_staging_folder_and_the_next_one_removes_it(tmp_path):
    # Ten minutes of a 48 kHz stereo tone in FLAC: long enough to kill while it decodes.
    long = tmp_path / "long.flac"
    run_ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=600",
               "-ac", "2", long)
    out = tmp_path / "out"
    proc = subprocess.Popen(_cli("prepare", str(long), "--out", str(out)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # Killed once its staging folder holds audio (the decode is under way).
        while proc.poll() is None and time.monotonic() < deadline and not (
                out.is_dir() and any(f.suffix == ".wav" and f.stat().st_size > 1 << 20
                                     for d in _staged(out) for f in d.iterdir())):
            time.sleep(0.01)
        assert proc.poll() is None, "prepare ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    left = _staged(out)
    assert len(left) == 1 and any(f.suffix == ".wav" for f in left[0].iterdir())

    done = subprocess.run(_cli("prepare", str(SAMPLE), "--out", str(out)),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _staged(out) == []
    assert (out / "manifest.json").is_file() and (out / "piece-001.wav").is_file()


def test_a_staging_folder_a_running_prepare_holds_is_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        held = Path(holder.stdout.readline().strip())
        (held / "whole.wav").write_bytes(b"\0" * 1024)
        being_made = out / f"{staging.PREFIX}justmade"  # made, not locked yet
        being_made.mkdir()
        assert staging.sweep(out) == []
        assert held.is_dir() and (held / "whole.wav").is_file() and being_made.is_dir()
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert not held.exists()  # the holder removed its own on the way out


def test_a_folder_whose_holder_died_is_swept_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    held = Path(holder.stdout.readline().strip())
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    (out / "piece-001.wav").write_bytes(b"RIFF")
    (out / "notes").mkdir()
    assert staging.sweep(out) == [held]
    assert sorted(p.name for p in out.iterdir()) == ["notes", "piece-001.wav"]
