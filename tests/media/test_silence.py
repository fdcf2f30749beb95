"""Pauses are found where they are, in a quiet studio and in a noisy room alike."""

from __future__ import annotations

import subprocess

import pytest

from symbl_media.media.silence import find_silences

# Speech-like bursts (a tone at -21 dBFS RMS) with known gaps between them.
BURSTS = [(0.0, 2.0), (3.0, 5.5), (6.0, 9.0), (11.0, 12.0)]
GAPS = [(2.0, 3.0), (5.5, 6.0), (9.0, 11.0)]


def make(path, noise_amplitude: float) -> None:
    gate = "+".join(f"between(t,{a},{b})" for a, b in BURSTS)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
         "sine=f=440:r=16000:d=12:samples_per_frame=160", "-f", "lavfi", "-i",
         f"anoisesrc=r=16000:d=12:c=white:a={noise_amplitude}:seed=7",
         "-filter_complex",
         f"[0]volume='({gate})':eval=frame[s];[s][1]amix=inputs=2:normalize=0",
         "-ac", "1", "-c:a", "pcm_s16le", str(path)], check=True)


@pytest.mark.parametrize("noise", [0.0, 0.01, 0.05], ids=["digital silence", "-40 dB room",
                                                          "-26 dB room"])
def test_pauses_are_found_at_the_gaps(noise, tmp_path):
    path = tmp_path / "bursts.wav"
    make(path, noise)
    found = [(s.start, s.end) for s in find_silences(path)]
    assert len(found) == len(GAPS), found
    for (start, end), (gap_start, gap_end) in zip(found, GAPS):
        assert start == pytest.approx(gap_start, abs=0.05)
        assert end == pytest.approx(gap_end, abs=0.05)
