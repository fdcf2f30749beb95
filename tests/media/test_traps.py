"""Every trap recording comes out as mono speech within 3 dB of the speech level in the source."""

from __future__ import annotations

import json

import pytest

from conftest import active_level_db, decode, wav_frames

TRAPS = {
    # file: (expected mix, extra options)
    "trap-phase-inverted.wav": ({"left", "right"}, []),
    "trap-dead-channel.wav": ({"left"}, []),
    "trap-dual-mono.wav": ({"first"}, []),
    "trap-centre-5.1.mkv": ({"centre"}, []),
    "trap-call-8k.wav": ({"sum"}, []),
    "trap-two-tracks.mkv": ({"average"}, []),
}


def source_speech_level(path) -> float:
    """The level of the speech as recorded: its loudest channel, speech frames only."""
    frames = decode(path)
    return max(active_level_db(frames[:, c]) for c in range(frames.shape[1]))


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_trap_becomes_mono_at_the_source_speech_level(name, samples, tmp_path, cli):
    mixes, extra = TRAPS[name]
    out = tmp_path / "out"
    run = cli("prepare", samples / name, "--out", out, "--json", *extra)
    assert run.code == 0, run.err
    manifest = json.loads(run.out)
    assert manifest["decisions"]["channels"]["mix"] in mixes
    piece = out / manifest["pieces"][0]["file"]
    audio = wav_frames(piece)
    assert audio.shape[1] == 1
    rate = manifest["decisions"]["target"]["sample_rate"]
    got = active_level_db(audio[:, 0], rate)
    want = source_speech_level(samples / name)
    assert abs(got - want) <= 3.0, f"{name}: {got:.1f} dBFS out vs {want:.1f} in"


def test_naive_averaging_really_would_silence_the_phase_inverted_trap(samples):
    # Guards the sample itself: if this stops holding, the trap test above proves nothing.
    frames = decode(samples / "trap-phase-inverted.wav")
    assert active_level_db(frames.mean(axis=1)) < -90


def test_the_second_track_is_used_when_asked_by_language(samples, tmp_path, cli):
    run = cli("prepare", samples / "trap-two-tracks.mkv", "--out", tmp_path, "--json",
              "--language", "fra")
    assert run.code == 0, run.err
    decisions = json.loads(run.out)["decisions"]
    assert decisions["stream"]["audio_index"] == 1
    assert decisions["stream"]["language"] == "fra"


def test_the_8k_call_keeps_its_rate_and_is_marked_for_phone_mode(samples, tmp_path, cli):
    run = cli("prepare", samples / "trap-call-8k.wav", "--out", tmp_path, "--json")
    manifest = json.loads(run.out)
    assert manifest["decisions"]["target"]["sample_rate"] == 8000
    assert manifest["parameters"]["mode"] == "phone"
