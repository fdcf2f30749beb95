"""A job reads a 16 kHz mono 16-bit WAV upload as it is, instead of probing and decoding it."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
import soundfile as sf

from symbl_media.media.decode import recognition_wav_seconds, to_recognition_wav, wav_header


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


def _ffmpeg_made(src, out):
    """What ffmpeg itself makes of ``src``: the conversion the in-process one must equal."""
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f"file:{src}", "-map",
                    "0:a:0", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav",
                    f"file:{out}"], check=True)
    return sf.read(str(out), dtype="int16")[0]


@pytest.mark.parametrize("subtype", ["FLOAT", "DOUBLE"])
def test_a_16k_mono_float_wav_is_made_16_bit_without_ffmpeg(tmp_path, monkeypatch, subtype):
    rng = np.random.default_rng(7)
    audio = rng.standard_normal(16000 * 20) * 0.3  # 20 s: more than one block of 16 s
    # Full scale and past it (clipped), halves of a step (rounded to even), NaN (silence).
    audio[:9] = [1.0, -1.0, 1.7, -1.7, 0.5 / 32768, 1.5 / 32768, 2.5 / 32768, -2.5 / 32768,
                 0.999999]
    src = tmp_path / "float.wav"
    sf.write(str(src), audio, 16000, subtype=subtype)
    expected = _ffmpeg_made(src, tmp_path / "by-ffmpeg.wav")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))  # no ffmpeg to be found
    out = tmp_path / "made.wav"
    to_recognition_wav(src, out)
    assert recognition_wav_seconds(out) == pytest.approx(20.0)
    made, rate = sf.read(str(out), dtype="int16")
    assert rate == 16000
    assert np.array_equal(made, expected)


def test_other_float_wavs_still_go_through_ffmpeg(tmp_path, samples):
    stereo = _made(tmp_path, samples, "stereo-float.wav", "-ar", "16000", "-c:a", "pcm_f32le")
    rate = _made(tmp_path, samples, "rate-float.wav", "-ac", "1", "-ar", "22050",
                 "-c:a", "pcm_f32le")
    for src in (stereo, rate):
        out = tmp_path / f"{src.stem}.out.wav"
        to_recognition_wav(src, out)
        assert np.array_equal(sf.read(str(out), dtype="int16")[0],
                              _ffmpeg_made(src, tmp_path / f"{src.stem}.ff.wav"))


def test_the_header_of_any_plain_wav_is_read(tmp_path, samples):
    float_wav = _made(tmp_path, samples, "float.wav", "-ac", "1", "-ar", "16000", "-c:a",
                      "pcm_f32le")
    rate = _made(tmp_path, samples, "rate.wav", "-ac", "1", "-ar", "22050", "-c:a", "pcm_s16le")
    assert wav_header(samples / "meeting-stereo.wav").channels == 2
    assert (wav_header(float_wav).subtype, wav_header(float_wav).rate) == ("FLOAT", 16000)
    assert wav_header(rate).rate == 22050
    for path in (float_wav, rate, samples / "meeting-stereo.wav"):
        assert wav_header(path).seconds == pytest.approx(15.0, abs=0.05), path.name
    assert wav_header(_made(tmp_path, samples, "mono.flac", "-ac", "1")) is None
    assert wav_header(samples / "meeting.mp4") is None
    cut = tmp_path / "cut.wav"
    cut.write_bytes(float_wav.read_bytes()[:20000])  # its header says 15 s
    assert wav_header(cut) is None or wav_header(cut).seconds < 0.4
