"""A job reads a 16 kHz mono 16-bit WAV upload as it is, instead of probing and decoding it."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
import soundfile as sf

from symbl_media.media.decode import recognition_wav_seconds, to_recognition_wav


def _made(tmp_path, samples, name: str, *args: str):
    out = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i",
                    f"file:{samples / 'meeting-stereo.wav'}", *args, f"file:{out}"], check=True)
    return out


def test_what_to_recognition_wav_makes_is_read_as_it_is(tmp_path, samples):
    made = tmp_path / "made.bin"  # an upload's name says nothing: the header does
    to_recognition_wav(samples / "meeting.mp4", made)
    assert recognition_wav_seconds(made) == pytest.approx(15.0, abs=0.05)
    # Decoding it once more would give the very same samples: nothing is lost by skipping.
    again = tmp_path / "again.wav"
    to_recognition_wav(made, again)
    a, rate_a = sf.read(str(made), dtype="int16")
    b, rate_b = sf.read(str(again), dtype="int16")
    assert rate_a == rate_b == 16000
    assert np.array_equal(a, b)


def test_anything_else_is_probed_and_converted(tmp_path, samples):
    others = [
        samples / "meeting-stereo.wav",  # two channels
        _made(tmp_path, samples, "float.wav", "-ac", "1", "-ar", "16000", "-c:a", "pcm_f32le"),
        _made(tmp_path, samples, "rate.wav", "-ac", "1", "-ar", "22050", "-c:a", "pcm_s16le"),
        _made(tmp_path, samples, "mono.flac", "-ac", "1", "-ar", "16000"),
        samples / "meeting.mp4",
    ]
    for path in others:
        assert recognition_wav_seconds(path) is None, path.name


def test_a_header_that_claims_more_than_the_file_holds_is_not_trusted(tmp_path, samples):
    whole = tmp_path / "whole.wav"
    to_recognition_wav(samples / "meeting.mp4", whole)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[:20000])  # an upload cut short: header says 15 s
    assert recognition_wav_seconds(cut) in (None, pytest.approx((20000 - 44) / 32000, abs=0.01))
