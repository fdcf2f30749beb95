"""The sandbox's transcriber: the real Whisper tiny.en model on the sample meeting, no mocks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from symbl_media.server.engines import models
from symbl_media.errors import EngineError
from symbl_media.server.engines.whisper import (
    WhisperTranscriber,
    check_language,
    clamp_words,
)
from symbl_media.server.model import Word

# Measured on this model with the engine's settings: 7 errors in 40 words (0.175), see
# docs/sandbox-engines.md. The bound leaves room for int8 kernels that differ between CPUs.
MAX_WER = 0.30
# The six turns of samples/mono-16k.wav (samples/README.md), in seconds.
TURNS = [(1.00, 2.91), (3.41, 5.47), (5.97, 7.31), (8.01, 9.58), (10.08, 12.57), (13.07, 14.59)]
SLACK = 0.5  # Whisper's word edges wander a few tenths of a second around the speech
NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
           "eighteen", "nineteen", "twenty")


def words_of(text: str) -> list[str]:
    """Lowercase words without punctuation; hyphens split; small numbers spelt out."""
    text = re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("%", " percent").replace("-", " "))
    tokens = (t.strip("'") for t in text.split())
    return [NUMBERS[int(t)] if t.isdigit() and int(t) < len(NUMBERS) else t for t in tokens if t]


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = words_of(reference), words_of(hypothesis)
    row = list(range(len(hyp) + 1))  # edit distance, one row at a time
    for i, r in enumerate(ref, 1):
        diagonal, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (r != h))
    return row[-1] / len(ref)


@pytest.fixture(scope="module")
def transcriber() -> WhisperTranscriber:
    # One model for the module. Pieces of 60 s only matter for the 5-minute file.
    return WhisperTranscriber(piece_seconds=60)


@pytest.fixture(scope="module")
def meeting(transcriber, samples):
    return transcriber.transcribe(samples / "mono-16k.wav")


def test_the_sample_meeting_is_transcribed_within_the_measured_word_error_rate(meeting,
                                                                                samples):
    lines = (samples / "transcript.txt").read_text().splitlines()
    reference = " ".join(line.split(":", 1)[1] for line in lines if ":" in line)
    hypothesis = " ".join(s.text for s in meeting.segments)
    assert word_error_rate(reference, hypothesis) < MAX_WER, hypothesis
    assert meeting.engine == "faster-whisper tiny.en int8"
    assert meeting.duration == pytest.approx(15.0)


def test_segments_are_ordered_timed_inside_the_audio_and_spell_their_words(meeting):
    words = [w for s in meeting.segments for w in s.words]
    assert words
    for segment in meeting.segments:
        assert segment.words
        assert segment.text == " ".join(w.text for w in segment.words)
        assert (segment.start, segment.end) == (segment.words[0].start, segment.words[-1].end)
    for before, after in pairwise(words):
        assert before.end <= after.start
    for w in words:
        assert 0 <= w.start < w.end <= meeting.duration
        assert w.end - w.start >= 0.03 - 1e-9
        assert 0 <= w.score <= 1


def test_every_turn_gets_its_own_segments(meeting):
    """The pauses between turns split messages, so a diarizer never sees two voices in one."""
    def turn_of(segment):
        inside = [i for i, (a, b) in enumerate(TURNS)
                  if a - SLACK <= segment.start and segment.end <= b + SLACK]
        assert inside, f"{segment} spans more than one turn"
        return inside[0]

    assert sorted({turn_of(s) for s in meeting.segments}) == list(range(len(TURNS)))


def test_custom_vocabulary_steers_recognition_toward_its_words(transcriber, samples):
    # Without it, tiny.en hears "Bob, please send..." as "Mom, please send...".
    found = transcriber.transcribe(samples / "mono-16k.wav", vocabulary=["Bob"])
    assert "bob" in words_of(" ".join(s.text for s in found.segments))


def test_a_long_recording_is_transcribed_in_pieces_on_one_clock(transcriber, meeting, samples,
                                                                tmp_path):
    wav = tmp_path / "five-minutes.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-stream_loop", "19", "-i",
                    f"file:{samples / 'mono-16k.wav'}", "-c:a", "pcm_s16le", f"file:{wav}"],
                   check=True)
    long = transcriber.transcribe(wav)
    assert long.duration == pytest.approx(300.0)
    pieces = long.details["pieces"]
    assert len(pieces) >= 4
    assert pieces[0][0] == 0 and pieces[-1][1] == pytest.approx(300.0)
    starts = [s.start for s in long.segments]
    assert starts == sorted(starts)  # no piece restarts the clock at 0
    for a, b in pieces:
        assert any(a <= t < b for t in starts), f"nothing found in the piece {a:.0f}-{b:.0f} s"
    assert long.segments[-1].end > 300.0 - 2.0
    assert max(b - a for a, b in pairwise(starts)) < 5.0
    ratio = len(long.segments) / len(meeting.segments)
    assert 16 <= ratio <= 24  # 20 loops of the same meeting


@pytest.mark.parametrize("code", ["fr-FR", "de-DE", "es-US", "ja-JP", "hi-IN"])
def test_languages_other_than_english_are_refused(transcriber, samples, code):
    with pytest.raises(EngineError, match=f"English only; languageCode {code} "):
        transcriber.transcribe(samples / "mono-16k.wav", language=code)


@pytest.mark.parametrize("code", ["en-US", "en-GB", "en-AU", "en-IE", "en-IN", "en-ZA"])
def test_every_english_code_is_accepted(code):
    check_language(code)


def test_audio_that_is_not_16k_mono_is_refused_by_name(transcriber, samples):
    with pytest.raises(EngineError, match="meeting-stereo.wav: the transcriber takes 16 kHz mono"):
        transcriber.transcribe(samples / "meeting-stereo.wav")


# ----------------------------------------------------------------------------- the model files

def model_copy(tmp_path: Path) -> Path:
    """The installed model folder in tmp: config.json copied, the big files linked."""
    source = models.load_model_dir(None)
    folder = tmp_path / "model"
    folder.mkdir()
    for name in models.PINNED_SHA256:
        if name == "config.json":
            shutil.copyfile(source / name, folder / name)
        else:
            os.symlink(source / name, folder / name)
    return folder


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.write_bytes(bytes(data))


def test_the_installed_model_matches_the_pinned_hashes():
    folder = models.load_model_dir(None)
    assert sorted(p.name for p in folder.iterdir() if p.name in models.PINNED_SHA256) == \
        sorted(models.PINNED_SHA256)


def test_a_copy_of_the_model_loads(tmp_path):
    folder = model_copy(tmp_path)
    assert models.load_model_dir(folder) == folder


def test_an_altered_model_file_is_refused_by_name(tmp_path):
    folder = model_copy(tmp_path)
    flip_a_byte(folder / "config.json")
    with pytest.raises(EngineError, match=r"config\.json does not match the pinned one"):
        models.load_model_dir(folder)


def test_the_model_folder_can_come_from_the_environment(tmp_path, monkeypatch):
    folder = model_copy(tmp_path)
    flip_a_byte(folder / "config.json")
    monkeypatch.setenv(models.ENV_VAR, str(folder))
    with pytest.raises(EngineError, match=r"config\.json"):
        models.load_model_dir(None)


def test_without_the_model_package_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.delenv(models.ENV_VAR, raising=False)
    monkeypatch.setitem(sys.modules, models.PACKAGE, None)  # what an uninstalled one looks like
    with pytest.raises(EngineError, match=r"pip install 'symbl-media\[sandbox\]'"):
        models.load_model_dir(None)


def test_a_folder_without_the_model_files_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(EngineError, match="model.bin, tokenizer.json, vocabulary.txt are missing"):
        models.load_model_dir(tmp_path)


def test_a_file_changed_after_checking_is_checked_again(tmp_path):
    folder = model_copy(tmp_path)
    models.load_model_dir(folder)
    flip_a_byte(folder / "config.json")
    os.utime(folder / "config.json", ns=(1, 1))  # a different mtime even on coarse clocks
    with pytest.raises(EngineError, match=r"config\.json"):
        models.load_model_dir(folder)


# ----------------------------------------------------------------------------- word timings

def test_word_timings_are_clamped_to_a_minimum_length_without_overlaps():
    raw = [Word("a", 1.0, 1.0, 0.9), Word("b", 0.99, 1.2, 0.9), Word("c", 1.5, 1.51, 0.9),
           Word("d", 9.99, 10.4, 0.9)]
    out = clamp_words(raw, duration=10.0)
    assert [w.text for w in out] == ["a", "b", "c", "d"]
    for before, after in pairwise(out):
        assert before.end <= after.start
    assert all(w.end - w.start >= 0.03 - 1e-9 for w in out)
    assert out[-1].end == 10.0
