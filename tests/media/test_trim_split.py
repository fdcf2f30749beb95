"""trim on a source whose container rounds timestamps (Matroska keeps milliseconds): the cut is
counted in samples, so the split pass (which reads the decoded samples through a pipe, with
timestamps of its own) and the single pass cut at the same sample and give the same bytes."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from symbl_media.media import pipeline, split
from symbl_media.media.extract import extract
from symbl_media.media.parts import ONE_PASS
from symbl_media.media.pipeline import PrepareOptions
from symbl_media.plugins import manager

SPEECH = Path(__file__).resolve().parents[2] / "samples" / "meeting-stereo.wav"

pytestmark = pytest.mark.usefixtures("parts_on_short_files")


@pytest.mark.parametrize("made", [
    # a 1,536-sample frame is 34.83 ms at 44.1 kHz: its 1 ms timestamps jitter
    ["-ar", "44100", "-c:a", "ac3", "speech.mkv"],
    ["-t", "9.0007", "-ar", "22050", "-c:a", "aac", "speech.mkv"],
    ["-af", "adelay=1500:all=1,apad=pad_dur=2", "-ar", "48000", "-c:a", "aac", "speech.mkv"],
    ["-ar", "48000", "-c:a", "aac", "speech.m4a"],  # exact timestamps: always agreed
], ids=["ac3-44k-mkv", "aac-22k-odd-mkv", "aac-48k-padded-mkv", "aac-48k-m4a"])
def test_trim_cuts_the_same_samples_split_or_in_one_pass(made, tmp_path):
    source = tmp_path / made[-1]
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(SPEECH), *made[:-1],
                    str(source)], check=True)
    plan = pipeline.inspect(source, PrepareOptions(decoders=2, preprocess=("trim:pad=0.2",)),
                            preprocessors=manager.preprocessors())
    assert plan.decoding.split, plan.decoding.reason
    assert "atrim=start=" in plan.preprocess_filter
    one, two = tmp_path / "one.wav", tmp_path / "two.wav"
    extract(replace(plan, decoding=ONE_PASS), one, fmt="wav")
    split.extract(plan, two, fmt="wav")
    assert two.read_bytes() == one.read_bytes()
