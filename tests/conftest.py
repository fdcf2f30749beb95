"""Shared fixtures: the sample recordings, the real CLI as a subprocess, level measurement."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def isolated_tmp(tmp_path, monkeypatch) -> Path:
    """A private TMPDIR, so a test can prove nothing temporary was left behind."""
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


@pytest.fixture
def cli(isolated_tmp):
    """Run the real command line in a child process."""

    def run(*args, cwd=None) -> Run:
        done = subprocess.run([sys.executable, "-m", "symbl_media", *map(str, args)],
                              capture_output=True, text=True, cwd=cwd, env=os.environ.copy(),
                              timeout=300)
        return Run(done.returncode, done.stdout, done.stderr)

    return run


def decode(path: Path, rate: int = 16000) -> np.ndarray:
    """All channels of a (short) file as float32 frames, decoded by ffmpeg."""
    info = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                           "stream=channels", "-of", "csv=p=0", f"file:{path}"],
                          capture_output=True, text=True, check=True)
    channels = int(info.stdout.strip())
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", f"file:{path}",
                          "-map", "0:a:0", "-ar", str(rate), "-f", "f32le", "pipe:1"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<f4").reshape(-1, channels)


def active_level_db(signal: np.ndarray, rate: int = 16000, gate_db: float = -45.0) -> float:
    """Speech level of one channel: RMS over 50 ms frames louder than the gate (P.56-like)."""
    frame = rate // 20
    usable = len(signal) - len(signal) % frame
    power = (signal[:usable].astype("float64").reshape(-1, frame) ** 2).mean(axis=1)
    loud = power[power > 10 ** (gate_db / 10)]
    if not len(loud):
        return -120.0
    return float(10 * np.log10(loud.mean()))


def wav_frames(path: Path) -> np.ndarray:
    data, _ = sf.read(str(path), dtype="float32", always_2d=True)
    return data
