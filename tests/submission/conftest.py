"""submit end to end: the real CLI in a child process against a sandbox on loopback.

The recording is made here: espeak-ng sentences with pauses, about 3 minutes 20 seconds, so
``--chunk-minutes 1`` cuts it in three pieces (pieces are at least a minute: cuts near 1:00 and 2:00).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import interruptible

from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.testing import running_sandbox

SENTENCES = [
    "Good morning everyone, let us review the launch plan for the new release.",
    "The beta build is ready, but three of the integration tests still fail.",
    "Can we still ship the release on Monday morning?",
    "Yes, if I fix the failing tests today and the review goes well.",
    "Alice, please send the budget report to finance by Friday.",
    "Sure, I will send the budget report tomorrow afternoon.",
    "The marketing team needs the screenshots before Wednesday.",
    "What about the pricing page, is the copy final?",
    "The pricing copy is final, but legal still has to approve it.",
    "Let us schedule a short call with legal on Thursday.",
    "Bob will write the release notes and share them with support.",
    "Does anyone have concerns about the database migration?",
]


# Two voices the speaker encoder tells apart well (see tests/insights/test_speakers.py), taking turns.
VOICES = ("en-us+m3", "en-us+f2")


@pytest.fixture(scope="session")
def recording(tmp_path_factory) -> Path:
    """A 16 kHz mono WAV of 200 s in three blocks of about 66 s: four sentences (two voices
    taking turns, 1.2 s apart), then quiet. Pieces are at least a minute, so --chunk-minutes 1
    cuts it in three, in the quiet; the speech engine skips quiet, so the tests stay quick."""
    if not shutil.which("espeak-ng"):
        pytest.skip("needs espeak-ng")
    folder = tmp_path_factory.mktemp("recording")
    pause = folder / "pause.wav"
    _ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "1.2", "-c:a",
            "pcm_s16le", pause)
    blocks = []
    for b in range(3):
        parts = []
        for i, text in enumerate(SENTENCES[4 * b:4 * b + 4]):
            raw = folder / f"s{b}{i}.wav"
            subprocess.run(["espeak-ng", "-v", VOICES[i % 2], "-s", "150", "-w", str(raw),
                            text], check=True, capture_output=True)
            parts += [raw, pause]
        listing = folder / f"block{b}.txt"
        listing.write_text("".join(f"file '{p}'\n" for p in parts))
        block = folder / f"block{b}.wav"
        length = 200 - 2 * 66.5 if b == 2 else 66.5
        _ffmpeg("-f", "concat", "-safe", "0", "-i", listing, "-ar", "16000", "-ac", "1",
                "-af", f"apad=whole_dur={length}", "-t", str(length), "-c:a", "pcm_s16le",
                block)
        blocks.append(block)
    listing = folder / "blocks.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in blocks))
    out = folder / "standup.wav"
    _ffmpeg("-f", "concat", "-safe", "0", "-i", listing, "-c:a", "pcm_s16le", out)
    return out


def _ffmpeg(*args) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *map(str, args)], check=True)


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """One sandbox per test module (the speech model loads once).

    Its cap on running jobs is raised from the default 2: the module's --no-wait tests leave
    jobs running, and on a busy machine a later test met 429s for longer than the client's
    retries last (the 429 behaviour itself is tested with injected faults)."""
    with running_sandbox(tmp_path_factory.mktemp("sandbox"), max_concurrent_jobs=16) as running:
        yield running


@dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    """The real command line, pointed at ``box`` with its own state, cache and temp dirs."""

    env: dict
    home: Path

    def __call__(self, *args, timeout: float = 300) -> Done:
        done = subprocess.run([sys.executable, "-m", "symbl_media", *map(str, args)],
                              capture_output=True, text=True, env=self.env, timeout=timeout)
        return Done(done.returncode, done.stdout, done.stderr)

    def start(self, *args) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "symbl_media", *map(str, args)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env, preexec_fn=interruptible)

    @property
    def submissions(self) -> Path:
        return self.home / "state" / "symbl-media" / "submissions"

    def temp_left(self) -> list[Path]:
        return list((self.home / "tmp").iterdir())


@pytest.fixture
def run(box, tmp_path) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_")}
    for sub in ("state", "cache", "data", "tmp"):
        (tmp_path / sub).mkdir()
    env.update(SYMBL_API_URL=box.url, SYMBL_APP_ID=DEFAULT_APP_ID,
               SYMBL_APP_SECRET=DEFAULT_APP_SECRET, XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_DATA_HOME=str(tmp_path / "data"),
               TMPDIR=str(tmp_path / "tmp"))
    return Cli(env, tmp_path)


@dataclass
class Ops:
    """What a test asks of the sandbox directly: faults and the bodies it received."""

    box: object

    def faults(self, **spec) -> None:
        reply = self.box.client().post("/sandbox/faults", json=spec)
        assert reply.status_code == 200, reply.text

    def receipts(self, cid: str) -> list[dict]:
        reply = self.box.client().get(f"/sandbox/conversations/{cid}/uploads")
        assert reply.status_code == 200, reply.text
        return reply.json()["uploads"]

    def messages(self, cid: str) -> list[dict]:
        return self.box.client().get(f"/v1/conversations/{cid}/messages").json()["messages"]

    def conversations(self) -> list[dict]:
        return self.box.client().get("/v1/conversations?limit=1000").json()["conversations"]


@pytest.fixture
def ops(box) -> Ops:
    yield Ops(box)
    Ops(box).faults(status429={"count": 0}, status500={"count": 0},
                    drop_after_body={"count": 0}, fail_job={"count": 0}, slow={"count": 0})


def wait_for(predicate, timeout: float = 120, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
