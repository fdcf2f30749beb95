"""Shared fixtures: the sample recordings, the real CLI as a subprocess, level measurement."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def pytest_configure(config) -> None:
    """With PYTHONDONTWRITEBYTECODE set (some CI images do), each of the hundreds of CLI
    children would compile the project afresh (about 0.3 s of CPU each): let them cache the
    bytecode, in a folder of its own rather than in the source tree."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # Sandboxes load Whisper on their first audio job, not as they start: most of the
    # suite's sandboxes never transcribe, and loading in each made tests/server take 9 % more
    # CPU and its largest process 0.66 GB more memory (docs/benchmarks.md, "Loading the
    # engines at start"). The tests of loading at start ask for it (test_engine_loading.py).
    os.environ.setdefault("SYMBL_MEDIA_LOAD_ENGINES", "first-job")
    os.environ.setdefault("PYTHONPYCACHEPREFIX", os.path.join(
        tempfile.gettempdir(), f"symbl-media-test-pycache-{os.getuid()}"))


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


def _two_language_tracks(path: Path, first: str, second: str) -> Path:
    """Two tagged mono tracks of 2 s: ``first`` at 8 kHz, ``second`` at 16 kHz (so the plan's
    mode, phone or default, also tells which one was taken)."""
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y",
                    "-f", "lavfi", "-i", "sine=f=300:d=2:r=8000",
                    "-f", "lavfi", "-i", "sine=f=600:d=2:r=16000",
                    "-map", "0:a", "-map", "1:a", "-c:a", "aac", "-b:a", "32k",
                    "-metadata:s:a:0", f"language={first}",
                    "-metadata:s:a:1", f"language={second}", str(path)], check=True)
    return path


@pytest.fixture(scope="session")
def two_languages():
    """``two_languages(path, first, second)`` writes a file with two tagged audio tracks."""
    return _two_language_tracks


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


# ----------------------------------------------------------------------------- a CLI sandbox

@dataclass(frozen=True, repr=False)
class Result:
    argv: list
    code: int
    stdout: str
    stderr: str

    def __repr__(self) -> str:  # shown by pytest when an assertion fails
        argv = " ".join(os.fsdecode(a) for a in self.argv)
        return (f"$ symbl-media {argv}\nexit {self.code}\n"
                f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}")


class Sandbox:
    """A working folder and a private TMPDIR for one run of the CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cwd = root / "work"
        self.tmp = root / "tmp"
        self.cwd.mkdir()
        self.tmp.mkdir()
        self.env = {k: v for k, v in os.environ.items() if k != "SYMBL_MEDIA_DEBUG"}
        self.env["TMPDIR"] = str(self.tmp)

    def run(self, *args: str, path: str | None = None) -> Result:
        env = dict(self.env)
        if path is not None:
            env["PATH"] = path
        proc = subprocess.run([sys.executable, "-m", "symbl_media", *args], cwd=self.cwd,
                              env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=120)
        return Result(list(args), proc.returncode,
                      proc.stdout.decode("utf-8", "replace"),
                      proc.stderr.decode("utf-8", "replace"))

    def put(self, source: Path, name: str) -> str:
        shutil.copyfile(source, self.cwd / name)
        return name

    def snapshot(self) -> dict[str, str]:
        """Every file and folder under the working folder, hidden ones included, with content."""
        return _tree(self.cwd)


def _tree(top: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(top):
        for d in dirs:
            found[os.path.relpath(os.path.join(folder, d), top)] = "folder"
        for f in files:
            full = os.path.join(folder, f)
            with open(full, "rb") as fh:
                found[os.path.relpath(full, top)] = hashlib.sha256(fh.read()).hexdigest()
    return found


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def interruptible() -> None:
    """preexec_fn for a child that a test will Ctrl-C: a shell that started the test run in
    the background (``cmd &``) leaves SIGINT ignored, and children inherit that, so Python
    would never see the signal. The child gets the default disposition back."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster (tests/pg_cluster.py), one per pytest-xdist worker,
    removed at the end. Skipped only where PostgreSQL is not installed (scripts/setup
    installs the distribution's ``postgresql`` package)."""
    from pg_cluster import Cluster, find_bindir, sweep_orphans

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed: no initdb from pg_config --bindir or in "
                    "/usr/lib/postgresql/*/bin (scripts/setup installs the postgresql package)")
    pytest.importorskip("psycopg", reason="psycopg is not installed (the sandbox extra)")
    sweep_orphans(bindir)
    cluster = Cluster(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """What ``Store(*store_target)`` opens: the data folder's SQLite file, or a fresh
    database of the throwaway PostgreSQL cluster and its password."""
    if request.param == "sqlite":
        return (tmp_path / "sandbox.sqlite3",)
    cluster = request.getfixturevalue("postgres")
    return (cluster.url(cluster.new_database()), cluster.password)
