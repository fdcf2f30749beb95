"""A job reads a 16 kHz mono 16-bit WAV upload as it is, instead of decoding it again."""

from __future__ import annotations

import subprocess

import numpy as np
import soundfile as sf

from symbl_media.media.decode import is_recognition_wav, to_recognition_wav
from symbl_media.media.probe import probe


def _made(tmp_path, samples, name: str, *args: str):
    out = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i",
                    f"file:{samples / 'meeting-stereo.wav'}", *args, f"file:{out}"], check=True)
    return out


def test_what_to_recognition_wav_makes_is_read_as_it_is(tmp_path, samples):
    made = tmp_path / "made.wav"
    to_recognition_wav(samples / "meeting.mp4", made)
    assert is_recognition_wav(probe(made))
    # And decoding it once more would give the very same samples: nothing is lost by skipping.
    again = tmp_path / "again.wav"
    to_recognition_wav(made, again)
    a, rate_a = sf.read(str(made), dtype="int16")
    b, rate_b = sf.read(str(again), dtype="int16")
    assert rate_a == rate_b == 16000
    assert np.array_equal(a, b)


def test_anything_else_is_converted(tmp_path, samples):
    others = [
        samples / "meeting-stereo.wav",  # two channels
        _made(tmp_path, samples, "float.wav", "-ac", "1", "-ar", "16000", "-c:a", "pcm_f32le"),
        _made(tmp_path, samples, "rate.wav", "-ac", "1", "-ar", "22050", "-c:a", "pcm_s16le"),
        _made(tmp_path, samples, "mono.flac", "-ac", "1", "-ar", "16000"),
        samples / "meeting.mp4",
    ]
    for path in others:
        assert not is_recognition_wav(probe(path)), path.name
