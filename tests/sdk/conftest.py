"""Fixtures for the Python API: one sandbox for the whole folder (the speech model loads once),
short clips cut from the samples, a web server for URL submissions, and every test run with
its own state, cache and working folder, pointed at the sandbox through the environment.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.testing import running_sandbox

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CREDENTIALS = {"app_id": DEFAULT_APP_ID, "app_secret": DEFAULT_APP_SECRET}


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """The sandbox with its own speech engine, decoding greedily: the same words on these
    clean samples at less than half the CPU of the default beam search (these tests send
    some thirty recordings)."""
    from symbl_media.server.engines.whisper import WhisperTranscriber

    with running_sandbox(tmp_path_factory.mktemp("sdk-sandbox"),
                         transcriber=WhisperTranscriber(beam_size=1)) as running:
        yield running


@dataclass(frozen=True)
class Clips:
    """Three seconds of the sample meeting (Alice: "Bob, please send the budget report by
    Friday."), in the shapes the docs samples use: a mono WAV, a stereo MP3, an MP4."""

    wav: Path
    mp3: Path
    mp4: Path


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> Clips:
    folder = tmp_path_factory.mktemp("clips")
    out = Clips(folder / "clip.wav", folder / "clip.mp3", folder / "clip.mp4")
    cut = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-ss", "9.9", "-t", "3", "-i"]
    subprocess.run([*cut, str(SAMPLES / "mono-16k.wav"), str(out.wav)], check=True)
    subprocess.run([*cut, str(SAMPLES / "meeting.mp3"), "-c:a", "libmp3lame", "-b:a", "64k",
                    str(out.mp3)], check=True)
    subprocess.run([*cut, str(SAMPLES / "meeting.mp4"), "-c:v", "libx264", "-c:a", "aac",
                    "-movflags", "+faststart", str(out.mp4)], check=True)
    return out


@dataclass
class Web:
    """A local web server: ``url(name)`` for a file registered with ``serve(name, path)``."""

    base: str
    files: dict

    def serve(self, name: str, path: Path) -> str:
        self.files[name] = path
        return self.url(name)

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"


@pytest.fixture(scope="session")
def web() -> Web:
    files: dict[str, Path] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self._reply(body=False)

        def do_GET(self):
            self._reply(body=True)

        def _reply(self, body: bool) -> None:
            path = files.get(self.path.lstrip("/").split("?")[0])
            if path is None:
                self.send_error(404)
                return
            data = path.read_bytes()
            start, end = 0, len(data)
            ranged = self.headers.get("Range", "")
            if ranged.startswith("bytes="):
                first, _, last = ranged[6:].partition("-")
                start = int(first or 0)
                end = min(len(data), int(last) + 1) if last else len(data)
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(end - start))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if body:
                self.wfile.write(data[start:end])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Web(f"http://127.0.0.1:{server.server_address[1]}", files)
    server.shutdown()


@pytest.fixture(autouse=True)
def isolated(sandbox, tmp_path, monkeypatch) -> Path:
    """Each test: the sandbox through the environment, its own XDG folders and HOME (no
    symbl.conf), and a working folder of its own (returned)."""
    for name in list(os.environ):
        if name.startswith("SYMBL_"):
            monkeypatch.delenv(name)
    for name in ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        (tmp_path / "xdg" / name).mkdir(parents=True)
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SYMBL_API_URL", sandbox.url)
    monkeypatch.setenv("SYMBL_APP_ID", DEFAULT_APP_ID)
    monkeypatch.setenv("SYMBL_APP_SECRET", DEFAULT_APP_SECRET)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture(autouse=True)
def no_faults(sandbox):
    """A fault a test set and did not use up does not reach the next test."""
    yield
    reply = sandbox.client().post("/sandbox/faults", json={
        kind: {"count": 0} for kind in ("status429", "status500", "drop_after_body", "slow",
                                        "fail_job")})
    assert reply.status_code == 200, reply.text


@pytest.fixture
def python(tmp_path):
    """Run a Python script in a child process; returns (exit code, stdout, stderr, seconds)."""
    import time

    def run(script: str, *args: str, env: dict, timeout: float = 60):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                              check=False, text=True,
                              env=env, cwd=tmp_path / "work", timeout=timeout)
        return done.returncode, done.stdout, done.stderr, time.monotonic() - started

    return run


def copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
