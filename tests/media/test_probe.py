"""probe: what a file holds and what will be done with it, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from symbl_media.errors import NotMedia
from symbl_media.media.probe import parse_probe

EXPECTED = {
    # file: (container contains, codec, channels, has video)
    "meeting.mkv": ("matroska", "aac", 2, True),
    "meeting.mp4": ("mp4", "aac", 2, True),
    "meeting.m4a": ("m4a", "aac", 2, False),
    "meeting.webm": ("webm", "opus", 2, True),
    "meeting.ogg": ("ogg", "vorbis", 2, False),
    "meeting.flac": ("flac", "flac", 2, False),
    "meeting.mp3": ("mp3", "mp3", 2, False),
    "meeting-stereo.wav": ("wav", "pcm_s16le", 2, False),
    "trap-centre-5.1.mkv": ("matroska", "aac", 6, True),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_probe_json_describes_the_container_and_streams(name, samples, cli):
    container, codec, channels, video = EXPECTED[name]
    run = cli("probe", samples / name, "--json")
    assert run.code == 0, run.err
    media = json.loads(run.out)["media"]
    assert container in media["container"]
    assert media["has_video"] is video
    first = media["audio_streams"][0]
    assert (first["codec"], first["channels"]) == (codec, channels)
    assert media["duration"] == pytest.approx(15.0, abs=0.1)


def test_probe_lists_every_audio_stream_with_language_and_title(samples, cli):
    run = cli("probe", samples / "trap-two-tracks.mkv", "--json")
    streams = json.loads(run.out)["media"]["audio_streams"]
    assert [(s["language"], s["title"]) for s in streams] == [("eng", "Meeting"),
                                                               ("fra", "Commentaire")]


def test_probe_text_shows_the_plan_and_why(samples, cli):
    run = cli("probe", samples / "trap-phase-inverted.wav")
    assert run.code == 0, run.err
    assert "phase-inverted" in run.out
    assert "audio/wav" in run.out and "/v1/process/audio" in run.out
    assert "pieces" in run.out and "<- chosen" in run.out


def test_probe_plan_json_carries_the_decisions(samples, cli):
    plan = json.loads(cli("probe", samples / "trap-call-8k.wav", "--json").out)["plan"]
    assert plan["channels"]["mix"] == "sum"
    assert plan["channels"]["measured"]["correlation"] == pytest.approx(0, abs=0.1)
    assert plan["target"] == {"format": "wav", "content_type": "audio/wav", "endpoint": "audio",
                              "passthrough": False, "sample_rate": 8000, "channels": 1,
                              "mode": "phone", "reason": plan["target"]["reason"]}
    assert plan["pieces"]["estimated"] == 1


@pytest.fixture(scope="module")
def spanish_then_english(tmp_path_factory, two_languages) -> Path:
    return two_languages(tmp_path_factory.mktemp("tracks") / "spa-eng.mkv", "spa", "eng")


def test_probe_previews_the_stream_in_the_default_language_and_says_why(spanish_then_english,
                                                                         cli):
    run = cli("probe", spanish_then_english, "--json")
    assert run.code == 0, run.err
    stream = json.loads(run.out)["plan"]["stream"]
    assert (stream["audio_index"], stream["language"]) == (1, "eng")
    assert "en-US" in stream["reason"] and "warning" not in stream
    text = cli("probe", spanish_then_english).out
    assert "audio 1: " in text and "en-US" in text


@pytest.mark.parametrize("language", ["spa", "es-ES"])
def test_probe_and_prepare_language_take_a_tag_or_an_api_code(spanish_then_english, cli,
                                                              language):
    for command in (("probe",), ("prepare", "--dry-run")):
        run = cli(*command, spanish_then_english, "--language", language, "--json")
        assert run.code == 0, run.err
        stream = json.loads(run.out)["plan"]["stream"]
        assert (stream["audio_index"], stream["language"]) == (0, "spa")


def test_no_stream_in_the_default_language_warns_which_was_taken(tmp_path, cli,
                                                                two_languages):
    path = two_languages(tmp_path / "spa-fra.mkv", "spa", "fra")
    run = cli("prepare", path, "--dry-run")
    assert run.code == 0, run.err
    warning = [line for line in run.err.splitlines() if "warning" in line]
    assert len(warning) == 1 and "audio stream 0" in warning[0] and "en-US" in warning[0]
    assert "audio 0: the first of 2" in run.out


def test_help_version_and_module_entry_work(cli):
    assert cli("--version").out.strip() == "symbl-media, version 0.1.0"
    run = cli("--help")
    assert run.code == 0 and "probe" in run.out and "prepare" in run.out


# ffprobe output is untrusted: whatever shape it has, parsing gives MediaInfo or NotMedia.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)
stream_dicts = st.fixed_dictionaries({}, optional={
    "codec_type": st.sampled_from(["audio", "video", "data", 3, None]),
    "channels": json_values, "sample_rate": json_values, "index": json_values,
    "codec_name": json_values, "channel_layout": json_values, "tags": json_values,
    "disposition": json_values, "width": json_values})


@settings(max_examples=300, deadline=None)
@given(fmt=st.one_of(json_values, st.fixed_dictionaries({}, optional={
    "format_name": json_values, "duration": json_values, "size": json_values})),
       streams=st.one_of(json_values, st.lists(stream_dicts, max_size=4)))
def test_parsing_any_ffprobe_output_gives_media_info_or_not_media(fmt, streams, tmp_path_factory):
    path = Path(__file__)
    try:
        info = parse_probe(path, {"format": fmt, "streams": streams})
    except NotMedia:
        return
    for a in info.audio:
        assert a.channels > 0 and a.sample_rate > 0
    assert info.duration is None or info.duration > 0
