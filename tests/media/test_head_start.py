"""The one pass starts on the likely mix while the channels are measured (head_start): it runs
at the same time as the measurement, the bytes are the measured plan's either way, and a wrong
guess or a refusal while measuring leaves no process and no file behind."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from symbl_media.errors import NotMedia
from symbl_media.media import pipeline
from symbl_media.media.plan import PrepareOptions

from .conftest import run_ffmpeg

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def twenty_minutes(tmp_path_factory) -> Path:
    """20 minutes of real speech, 44.1 kHz stereo FLAC: the measurement takes 8 windows."""
    out = tmp_path_factory.mktemp("long") / "twenty.flac"
    run_ffmpeg("-stream_loop", "79", "-i", SAMPLES / "meeting.flac", "-c:a", "flac", out)
    return out


def _children() -> list[str]:
    """The command lines of this process's children (ffmpeg, through its guard)."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            for pid in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    found.append(Path(f"/proc/{pid}/cmdline").read_bytes().decode(
                        errors="replace"))
    return [argv for argv in found if "ffmpeg" in argv]


class _Watch:
    """Samples the running ffmpegs until stopped: was the pass seen beside the measurement?"""

    def __init__(self) -> None:
        self.together = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set() and not self.together:
            running = _children()
            measuring = any("f32le" in argv for argv in running)  # levels.measure's pipe
            passing = any("piece-001.wav" in argv or "whole.wav" in argv for argv in running)
            self.together = measuring and passing
            time.sleep(0.001)

    def __enter__(self) -> _Watch:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def _without_head_start(source: Path, folder: Path, options: PrepareOptions) -> list:
    """The pieces as the flow made them before: measured, then the pass."""
    plan = pipeline.inspect(source, options)
    folder.mkdir()
    return [(p.file, p.bytes, p.sha256) for p in pipeline.produce(plan, folder)]


@pytest.mark.parametrize("chunk_minutes", [None, 5])
def test_the_pass_runs_while_the_channels_are_measured(twenty_minutes, tmp_path,
                                                       chunk_minutes):
    options = PrepareOptions(decoders=1, chunk_minutes=chunk_minutes)
    with _Watch() as watch:
        result = pipeline.prepare(twenty_minutes, tmp_path / "out", options)
    assert watch.together, "the pass did not start before the measurement ended"
    assert result.plan.channels.mix == "average"  # the guess held
    made = [(p.file, p.bytes, p.sha256) for p in result.pieces]
    assert made == _without_head_start(twenty_minutes, tmp_path / "before", options)
    assert len(made) == (1 if chunk_minutes is None else 4)
    assert sorted(os.listdir(tmp_path / "out")) == sorted([*(m[0] for m in made),
                                                           "manifest.json"])


@pytest.mark.parametrize("name, mix", [("trap-dead-channel.wav", "left"),
                                       ("trap-dual-mono.wav", "first"),
                                       ("trap-phase-inverted.wav", "left")])
def test_a_wrong_guess_is_stopped_and_the_pass_starts_again(name, mix, tmp_path):
    source = SAMPLES / name
    result = pipeline.prepare(source, tmp_path / "out", PrepareOptions(decoders=1))
    assert result.plan.channels.mix == mix
    made = [(p.file, p.bytes, p.sha256) for p in result.pieces]
    assert made == _without_head_start(source, tmp_path / "before", PrepareOptions(decoders=1))
    data = (tmp_path / "out" / made[0][0]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == made[0][2]
    assert sorted(os.listdir(tmp_path / "out")) == ["manifest.json", "piece-001.wav"]


def test_a_refusal_while_measuring_stops_the_head_start(twenty_minutes, tmp_path):
    """A FLAC cut at 40 %: its header states 20 minutes, the measurement finds less and
    refuses it while the pass (started on the guess) is decoding; nothing is left."""
    cut = tmp_path / "cut.flac"
    data = twenty_minutes.read_bytes()
    cut.write_bytes(data[:len(data) * 4 // 10])
    out = tmp_path / "out"
    with pytest.raises(NotMedia, match="truncated or damaged"):
        pipeline.prepare(cut, out, PrepareOptions(decoders=1))
    assert not out.exists()
    assert _children() == []
