"""Ctrl-C (or SIGTERM) during prepare leaves nothing behind and says so in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import interruptible


@pytest.fixture(scope="module")
def ten_minutes(tmp_path_factory):
    path = tmp_path_factory.mktemp("src") / "ten minutes.flac"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
                    "sine=f=300:d=600:r=48000", "-f", "lavfi", "-i", "sine=f=500:d=600:r=48000",
                    "-filter_complex", "[0][1]amerge=inputs=2", "-c:a", "flac", str(path)],
                   check=True)
    return path


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_during_extraction_removes_everything(signum, ten_minutes, tmp_path,
                                                          isolated_tmp):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "prepare", str(ten_minutes),
                             "--out", str(out), "--format", "mp3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy(), preexec_fn=interruptible)
    deadline = time.monotonic() + 60
    # Wait until the extraction is writing into its staging folder, then interrupt.
    while not (out.exists() and any(out.glob(".symbl-media-*/*"))):
        assert proc.poll() is None and time.monotonic() < deadline, "never started writing"
        time.sleep(0.02)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip().splitlines() == [
        "symbl-media: error: interrupted; nothing half-written was left behind"]
    assert not out.exists()
    assert list(isolated_tmp.iterdir()) == []
