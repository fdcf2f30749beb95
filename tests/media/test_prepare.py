"""prepare on real files: formats, pass-through, pieces, the manifest, atomic output."""

from __future__ import annotations

import hashlib
import json
import subprocess

import numpy as np
import pytest
import soundfile as sf

from conftest import wav_frames

CONTAINERS = ["meeting.mkv", "meeting.mp4", "meeting.m4a", "meeting.webm", "meeting.ogg",
              "meeting.flac", "meeting.mp3", "meeting-stereo.wav"]


def decoded_seconds(path) -> float:
    """Length of what a decoder gets out of a file (honours MP3 gapless headers)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", f"file:{path}",
                          "-map", "0:a:0", "-ac", "1", "-ar", "16000", "-f", "s16le", "pipe:1"],
                         capture_output=True, check=True).stdout
    return len(raw) / 2 / 16000


def prepare(cli, src, out, *options):
    run = cli("prepare", src, "--out", out, "--json", *options)
    assert run.code == 0, run.err
    return json.loads(run.out)


@pytest.mark.parametrize("name", CONTAINERS)
def test_every_container_becomes_one_mono_16k_wav(name, samples, tmp_path, cli):
    manifest = prepare(cli, samples / name, tmp_path)
    (piece,) = manifest["pieces"]
    info = sf.info(str(tmp_path / piece["file"]))
    assert (info.channels, info.samplerate, info.subtype, info.format) == (1, 16000, "PCM_16",
                                                                          "WAV")
    assert piece["content_type"] == "audio/wav"
    assert piece["duration"] == pytest.approx(decoded_seconds(samples / name), abs=0.05)


@pytest.mark.parametrize("name,content_type", [("mono-16k.wav", "audio/wav"),
                                               ("mono.mp3", "audio/mpeg")])
def test_an_acceptable_mono_file_passes_through_byte_identical(name, content_type, samples,
                                                               tmp_path, cli):
    manifest = prepare(cli, samples / name, tmp_path)
    (piece,) = manifest["pieces"]
    assert (tmp_path / piece["file"]).read_bytes() == (samples / name).read_bytes()
    assert piece["content_type"] == content_type
    assert manifest["decisions"]["target"]["passthrough"] is True


def test_manifest_pieces_describe_the_files_exactly(samples, tmp_path, cli):
    manifest = prepare(cli, samples / "meeting.mkv", tmp_path)
    for piece in manifest["pieces"]:
        data = (tmp_path / piece["file"]).read_bytes()
        assert piece["bytes"] == len(data)
        assert piece["sha256"] == hashlib.sha256(data).hexdigest()
        assert set(piece) >= {"file", "content_type", "offset", "duration", "bytes", "sha256"}
    assert manifest["source"]["path"].endswith("meeting.mkv")
    assert {"stream", "channels", "target", "pieces"} <= set(manifest["decisions"])


def test_mp3_format_gives_mono_mpeg_audio(samples, tmp_path, cli):
    manifest = prepare(cli, samples / "meeting.m4a", tmp_path, "--format", "mp3")
    (piece,) = manifest["pieces"]
    assert piece["file"].endswith(".mp3") and piece["content_type"] == "audio/mpeg"
    probe = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json",
                                       str(tmp_path / piece["file"])],
                                      capture_output=True, text=True).stdout)
    assert probe["streams"][0]["codec_name"] == "mp3" and probe["streams"][0]["channels"] == 1


def test_as_video_makes_an_mp4_for_the_video_api(samples, tmp_path, cli):
    manifest = prepare(cli, samples / "meeting.webm", tmp_path, "--as-video")
    (piece,) = manifest["pieces"]
    assert piece["content_type"] == "video/mp4"
    assert manifest["decisions"]["target"]["endpoint"] == "video"


def test_as_video_passes_an_h264_aac_mp4_through(samples, tmp_path, cli):
    manifest = prepare(cli, samples / "meeting.mp4", tmp_path, "--as-video")
    (piece,) = manifest["pieces"]
    assert (tmp_path / piece["file"]).read_bytes() == (samples / "meeting.mp4").read_bytes()


def test_separate_channels_keeps_stereo(samples, tmp_path, cli):
    manifest = prepare(cli, samples / "trap-call-8k.wav", tmp_path, "--separate-channels")
    (piece,) = manifest["pieces"]
    assert sf.info(str(tmp_path / piece["file"])).channels == 2
    assert manifest["parameters"]["enableSeparateRecognitionPerChannel"] is True


# ----------------------------------------------------------------------------- pieces

@pytest.fixture(scope="module")
def long_recording(tmp_path_factory, samples):
    """About 3.5 minutes of the meeting, looped: long enough for one-minute pieces."""
    path = tmp_path_factory.mktemp("long") / "long meeting.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-stream_loop", "13", "-i",
                    str(samples / "meeting-stereo.wav"), "-c", "copy", str(path)], check=True)
    return path


@pytest.mark.parametrize("fmt", ["wav", "mp3"])
def test_piece_durations_add_up_to_the_source(fmt, long_recording, tmp_path, cli):
    manifest = prepare(cli, long_recording, tmp_path, "--chunk-minutes", "1", "--format", fmt)
    pieces = manifest["pieces"]
    assert len(pieces) >= 3
    assert sum(p["duration"] for p in pieces) == pytest.approx(
        decoded_seconds(long_recording), abs=0.05)
    for piece in pieces:  # read back from the files, never assumed
        assert piece["duration"] == pytest.approx(decoded_seconds(tmp_path / piece["file"]),
                                                  abs=0.03)
    offsets = [p["offset"] for p in pieces]
    assert offsets[0] == 0
    assert offsets[1:] == pytest.approx(np.cumsum([p["duration"] for p in pieces])[:-1])


def test_no_piece_is_shorter_than_a_minute(long_recording, tmp_path, cli):
    manifest = prepare(cli, long_recording, tmp_path, "--chunk-minutes", "1")
    assert all(p["duration"] >= 60 for p in manifest["pieces"])


def test_cuts_land_in_silence(long_recording, tmp_path, cli):
    manifest = prepare(cli, long_recording, tmp_path, "--chunk-minutes", "1")
    pieces = manifest["pieces"]
    for before, after in zip(pieces, pieces[1:]):
        assert before["cut_in_silence"] is True
        end = wav_frames(tmp_path / before["file"])[-1600:, 0]  # last 100 ms
        start = wav_frames(tmp_path / after["file"])[:1600, 0]  # first 100 ms
        for edge in (end, start):
            assert 20 * np.log10(np.sqrt(np.mean(edge.astype("float64") ** 2)) + 1e-9) < -45


def test_pieces_concatenate_back_to_the_whole(long_recording, tmp_path, cli):
    whole = prepare(cli, long_recording, tmp_path / "whole")
    cut = prepare(cli, long_recording, tmp_path / "cut", "--chunk-minutes", "1")
    joined = np.concatenate([wav_frames(tmp_path / "cut" / p["file"]) for p in cut["pieces"]])
    original = wav_frames(tmp_path / "whole" / whole["pieces"][0]["file"])
    assert np.array_equal(joined, original)


def test_a_second_run_into_the_same_folder_replaces_the_first(long_recording, tmp_path, cli):
    out = tmp_path / "out"
    prepare(cli, long_recording, out, "--chunk-minutes", "1")
    manifest = prepare(cli, long_recording, out)
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["manifest.json", *(p["file"] for p in manifest["pieces"])])


def test_dry_run_prints_the_plan_and_writes_nothing(samples, tmp_path, cli, isolated_tmp):
    out = tmp_path / "never"
    run = cli("prepare", samples / "meeting.mkv", "--out", out, "--dry-run")
    assert run.code == 0, run.err
    assert "plan" in run.out and "nothing written" in run.out
    assert not out.exists()
    assert list(isolated_tmp.iterdir()) == []


def test_dry_run_needs_no_out(samples, tmp_path, cli, isolated_tmp):
    run = cli("prepare", samples / "mono-16k.wav", "--dry-run", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "plan" in run.out and "nothing written" in run.out
    assert list(tmp_path.iterdir()) == [isolated_tmp]
    assert list(isolated_tmp.iterdir()) == []


def test_channel_names_go_into_the_manifests_parameters(samples, tmp_path, cli):
    run = cli("prepare", samples / "meeting-stereo.wav", "--out", tmp_path / "out",
              "--separate-channels", "--channel", "1=Alice:alice@example.com",
              "--channel", "2=Bob", "--json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["parameters"]["channelMetadata"] == [
        {"channel": 1, "speaker": {"name": "Alice", "email": "alice@example.com"}},
        {"channel": 2, "speaker": {"name": "Bob"}}]


def test_nothing_temporary_is_left_after_success(samples, tmp_path, cli, isolated_tmp):
    prepare(cli, samples / "meeting.mkv", tmp_path / "out", "--chunk-minutes", "1")
    assert list(isolated_tmp.iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("codec, ext", [("aac", "aac"), ("ac3", "ac3")])
def test_a_raw_stream_whose_length_is_only_estimated_is_not_called_truncated(
        codec, ext, samples, tmp_path, cli):
    # A raw ADTS (.aac) or AC-3 file states no length: ffprobe estimates one from the first
    # frames' bitrate (26.4 s for these 15 s of ffmpeg's own variable-bitrate AAC), and
    # prepare once refused it as "truncated or damaged: it declares 0:26.4".
    src = tmp_path / f"plain.{ext}"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(samples / "meeting-stereo.wav"),
                    "-c:a", codec, str(src)], check=True)
    manifest = prepare(cli, src, tmp_path / "out")
    (piece,) = manifest["pieces"]
    assert piece["duration"] == pytest.approx(decoded_seconds(src), abs=0.05)
