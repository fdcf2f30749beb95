"""A long recording is cut while it is decoded (pipeline.produce, follow, cut_points): piece 1
exists, complete and hashed, while ffmpeg is still decoding the rest; the pieces are the same
bytes with one decoder or two, and the same cuts as the rule gives on the finished audio."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from symbl_media.media import pipeline
from symbl_media.media.cut_points import CutPoints
from symbl_media.media.follow import Meter
from symbl_media.media.parts import MIN_PART_ENV
from symbl_media.media.plan import PrepareOptions
from symbl_media.media.silence import find_silences

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SPEECH = SAMPLES / "meeting.flac"  # 15 s of real speech: two voices, 44.1 kHz stereo FLAC


@pytest.fixture(scope="module")
def twenty_minutes(tmp_path_factory) -> Path:
    """20 minutes of real speech as FLAC (the 15 s meeting, 80 times): long enough that its
    decode is still running when the first one-minute piece is cut."""
    out = tmp_path_factory.mktemp("long") / "twenty.flac"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-stream_loop", "79", "-i",
                    str(SPEECH), "-c:a", "flac", str(out)], check=True)
    return out


def _ffmpeg_children() -> list[int]:
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    alive = []
    for pid in found:
        try:
            if "ffmpeg" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                alive.append(pid)
        except OSError:
            pass
    return alive


def test_the_first_piece_is_cut_while_the_rest_is_still_decoding(twenty_minutes, tmp_path):
    plan = pipeline.inspect(twenty_minutes, PrepareOptions(chunk_minutes=1, decoders=1))
    extracted: list[float] = []

    def progress(stage, done, total):
        if stage == "extract":
            extracted.append(done)

    pieces = pipeline.produce(plan, tmp_path, progress)
    first = next(pieces)
    decoding = _ffmpeg_children()
    whole = (tmp_path / "whole.wav").stat().st_size
    rest = list(pieces)
    assert decoding, "ffmpeg had finished before the first piece was cut"
    assert whole < 0.5 * sum(p.bytes for p in [first, *rest])
    # Complete and hashed when handed on: the file is what the manifest says.
    data = (tmp_path / first.file).read_bytes()
    assert len(data) == first.bytes and hashlib.sha256(data).hexdigest() == first.sha256
    assert 60 <= first.duration <= 60 + 15 and first.cut_in_silence
    assert len(rest) >= 15 and not (tmp_path / "whole.wav").exists()
    assert extracted[-1] == pytest.approx(20 * 60, abs=0.1)


def test_giving_up_after_the_first_piece_stops_the_decode(twenty_minutes, tmp_path):
    plan = pipeline.inspect(twenty_minutes, PrepareOptions(chunk_minutes=1, decoders=1))
    pieces = pipeline.produce(plan, tmp_path)
    next(pieces)
    assert _ffmpeg_children(), "ffmpeg had finished before the first piece was cut"
    pieces.close()
    deadline = time.monotonic() + 5
    while _ffmpeg_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _ffmpeg_children()


def test_one_decoder_or_two_cut_the_same_bytes(twenty_minutes, tmp_path, monkeypatch):
    monkeypatch.setenv(MIN_PART_ENV, "0")
    got = {}
    for n in (1, 2):
        result = pipeline.prepare(twenty_minutes, tmp_path / f"out{n}",
                                  PrepareOptions(decoders=n, chunk_minutes=1))
        assert result.plan.decoding.parts == n
        got[n] = [(p.file, p.bytes, p.sha256, p.cut_in_silence) for p in result.pieces]
        for p in result.pieces:  # hashed while written: the same as hashing the file
            data = (tmp_path / f"out{n}" / p.file).read_bytes()
            assert hashlib.sha256(data).hexdigest() == p.sha256
    assert len(got[1]) >= 15 and got[1] == got[2]


def test_what_each_piece_took_from_the_growing_wav_is_given_back(twenty_minutes, tmp_path):
    """Once a piece is written, its audio is punched out of whole.wav (follow.release): on
    disk and in the page cache once, not twice. Only whole blocks go, so the pieces joined are
    still exactly the single pass's samples."""
    from symbl_media.media.extract import extract
    from symbl_media.media.follow import _data_start

    plan = pipeline.inspect(twenty_minutes, PrepareOptions(chunk_minutes=1, decoders=1))
    staging = tmp_path / "staging"
    staging.mkdir()
    pieces = pipeline.produce(plan, staging)
    first, second = next(pieces), next(pieces)
    held = (staging / "whole.wav").stat()
    taken = first.bytes + second.bytes - 2 * 44
    assert held.st_blocks * 512 <= held.st_size - taken + 4 * 4096, \
        f"{held.st_blocks * 512} bytes held of {held.st_size}, {taken} of them cut already"
    written = [first, second, *pieces]
    joined = b"".join((staging / p.file).read_bytes()[44:] for p in written)
    whole = tmp_path / "one-pass.wav"  # the same recording in one piece, the single pass
    extract(pipeline.inspect(twenty_minutes, PrepareOptions(decoders=1)), whole)
    with whole.open("rb") as fh:
        start = _data_start(fh)
    assert len(written) >= 15 and joined == whole.read_bytes()[start:]


def test_the_cuts_are_the_rule_on_the_finished_audio_and_fall_in_real_pauses(
        twenty_minutes, tmp_path):
    result = pipeline.prepare(twenty_minutes, tmp_path / "out",
                              PrepareOptions(decoders=1, chunk_minutes=1))
    whole = tmp_path / "whole.wav"
    with sf.SoundFile(whole, "w", samplerate=16000, channels=1, subtype="PCM_16") as out:
        for p in result.pieces:
            out.write(sf.read(tmp_path / "out" / p.file, dtype="int16")[0])
    # The same rule on the finished recording, fed in one block: the same cuts.
    audio = whole.read_bytes()[44:]
    cutter = CutPoints(60.0, result.plan.expected_duration())
    cuts = cutter.feed(Meter(16000, 1).feed(audio))
    cuts += cutter.finish(len(audio) / 2 / 16000)
    bounds = np.cumsum([round(p.duration * 16000) for p in result.pieces])[:-1]
    assert [round(c.at * 16000) for c in cuts] == list(bounds)
    # Each cut is inside a pause that the whole-recording search (find_silences) finds too.
    pauses = find_silences(whole)
    for cut in cuts:
        assert cut.in_silence
        assert any(s.start <= cut.at <= s.end for s in pauses), cut
