"""Decoding in parts gives the single pass's bytes, on every kind of input the pipeline takes.

SYMBL_MEDIA_MIN_PART_SECONDS=0 forces parts on short files; two parts at most, as the suite
runs in parallel workers. Each case really runs the parallel path: the plan says 2 parts and
the decode reports its join found, not the restart from the first sample.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import interruptible

from symbl_media.errors import ProcessingError
from symbl_media.media import ffmpeg, parallel, pipeline
from symbl_media.media.extract import extract
from symbl_media.media.parts import MIN_PART_ENV, Decoding
from symbl_media.media.plan import PrepareOptions

from .conftest import run_ffmpeg

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SPEECH = SAMPLES / "meeting-stereo.wav"  # 15 s of real speech, 16 kHz stereo


# Every test here runs with parts allowed on short files (conftest.py).
pytestmark = pytest.mark.usefixtures("parts_on_short_files")


# name -> ffmpeg arguments that make it from the speech (None: a file of samples/ as it is)
MADE = {
    "alac-48k.m4a": ["-i", SPEECH, "-ar", "48000", "-c:a", "alac"],
    "pcm24-44k.wav": ["-i", SPEECH, "-ar", "44100", "-c:a", "pcm_s24le"],
    "pcm-float.wav": ["-i", SPEECH, "-ar", "32000", "-c:a", "pcm_f32le"],
    "flac-5.1.flac": ["-i", SPEECH, "-af", ("pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0*c0|"
                                            "BL=0.2*c0|BR=0.2*c1"), "-ar", "48000", "-c:a", "flac"],
    "tiny-2.5s.flac": ["-i", SPEECH, "-t", "2.5", "-c:a", "flac"],  # parts start at 0 s
    "odd-44k.flac": ["-i", SPEECH, "-t", "7.3331", "-ar", "44100", "-c:a", "flac"],
    "odd-22k.mp3": ["-i", SPEECH, "-t", "9.0007", "-ar", "22050", "-c:a", "libmp3lame"],
    # 13 s from 0.5 s in: the two parts meet at 7.0 s of the speech, in the middle of a word
    "speech-join.flac": ["-ss", "0.5", "-t", "13", "-i", SPEECH, "-ar", "48000", "-c:a", "flac"],
    "mono-opus.ogg": ["-i", SPEECH, "-ac", "1", "-c:a", "libopus", "-b:a", "24k"],
    "video-mp3.mkv": ["-i", SAMPLES / "meeting.mkv", "-map", "0:v", "-map", "0:a", "-c:v",
                      "copy", "-c:a", "libmp3lame"],
    "video-pcm.mov": ["-i", SAMPLES / "meeting.mkv", "-map", "0:v", "-map", "0:a", "-c:v",
                      "copy", "-c:a", "pcm_s16le"],
}
SPLIT = ["meeting.flac", "meeting.mp3", "meeting.ogg", "meeting.webm", "meeting-stereo.wav",
         "trap-call-8k.wav", "trap-dead-channel.wav", "trap-phase-inverted.wav", *MADE]
# AAC is not decoded in parts: a seeked AAC decoder never matches a decode from the start.
ONE_PASS = ["meeting.mkv", "meeting.mp4", "meeting.m4a", "trap-centre-5.1.mkv",
            "trap-two-tracks.mkv"]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parallel")
    for name, args in MADE.items():
        run_ffmpeg(*args, folder / name)
    return folder


def _source(name: str, made: Path) -> Path:
    return made / name if name in MADE else SAMPLES / name


def _both(source: Path, tmp_path: Path, **options):
    """(single pass's bytes, the parallel decode's bytes, how it went)."""
    plan = pipeline.inspect(source, PrepareOptions(decoders=2, **options))
    one, two = tmp_path / "one.wav", tmp_path / "two.wav"
    extract(replace(plan, decoding=Decoding(1, "one pass")), one, fmt="wav")
    decoded = parallel.decode(plan, two)
    return plan, one.read_bytes(), two.read_bytes(), decoded


@pytest.mark.parametrize("name", SPLIT)
def test_two_parts_give_the_single_pass_bytes(name, made, tmp_path):
    plan, one, two, decoded = _both(_source(name, made), tmp_path)
    assert plan.decoding.parts == 2, plan.decoding.reason
    assert decoded == parallel.Decoded(parts=2, joined=1, restarted_at=None)
    assert len(two) == len(one) and two == one
    assert sorted(os.listdir(tmp_path)) == ["one.wav", "two.wav"]  # nothing else left


@pytest.mark.parametrize("name", ONE_PASS)
def test_aac_is_not_decoded_in_parts_and_probe_says_why(name):
    """Not in parts: in one pass, split between a decoder and a converter (test_split.py)."""
    plan = pipeline.inspect(SAMPLES / name, PrepareOptions(decoders=2))
    assert plan.decoding.parts == 1 and plan.decoding.split
    assert "no parts: its decoder's state runs on from the first frame" in plan.decoding.reason


def test_a_seeked_aac_part_never_matches_a_decode_from_the_start(tmp_path):
    """Why AAC is in one pass: decoded from 5.5 s, meeting.m4a's samples stay close to the
    decode from the start, never equal (its noise substitution draws from a random state)."""
    import numpy as np

    def decode(*seek):
        raw = subprocess.run(["ffmpeg", "-v", "error", *seek, "-i", SAMPLES / "meeting.m4a",
                              "-af", "pan=mono|c0=0.5*c0+0.5*c1", "-f", "f32le", "-"],
                             check=True, capture_output=True).stdout
        return np.frombuffer(raw, dtype="<f4")

    whole, part = decode(), decode("-ss", "5.5")
    at = round(5.5 * 48000)
    settled = part[48000:]  # a second in: long past any priming
    near = whole[at + 48000:at + 48000 + len(settled)]
    assert np.median(np.abs(near - settled)) < 1e-4  # the same audio, sample-aligned...
    assert (near != settled).mean() > 0.5  # ...yet most samples differ in their last bits


def test_kept_channels_split_too(tmp_path):
    plan, one, two, decoded = _both(SPEECH, tmp_path, separate_channels=True)
    assert plan.channels.channels == 2 and decoded.joined == 1 and two == one


def test_the_join_falls_inside_speech_and_is_exact_there(made, tmp_path):
    import numpy as np

    _, one, two, decoded = _both(made / "speech-join.flac", tmp_path)
    samples = np.frombuffer(one[44:], dtype="<i2")
    join = len(samples) // 2  # the two parts of a 15 s file meet half way
    around = samples[join - 800:join + 800].astype(float)
    assert np.sqrt((around ** 2).mean()) > 300, "the join is not in speech: move it"
    assert decoded.joined == 1 and two == one


def test_a_join_in_digital_silence_is_not_guessed(tmp_path):
    """Nothing tells two stretches of zeros apart: the rest is decoded from the start."""
    source = tmp_path / "gap.flac"
    run_ffmpeg("-i", SPEECH, "-f", "lavfi", "-i", "anullsrc=r=16000:cl=stereo:d=6", "-i", SPEECH,
               "-filter_complex", "[0][1][2]concat=n=3:v=0:a=1", "-c:a", "flac", source)
    out = tmp_path / "out"
    out.mkdir()
    _, one, two, decoded = _both(source, out)
    assert decoded == parallel.Decoded(parts=2, joined=0, restarted_at=1)
    assert two == one


def test_prepare_with_pieces_writes_the_same_manifest_hashes(made, tmp_path):
    long = tmp_path / "long.flac"
    run_ffmpeg("-stream_loop", "8", "-i", SPEECH, "-c:a", "flac", long)  # 135 s
    hashes = {}
    for n in (1, 2):
        result = pipeline.prepare(long, tmp_path / f"out{n}",
                                  PrepareOptions(decoders=n, chunk_minutes=1))
        assert result.plan.decoding.parts == n
        hashes[n] = [(p.file, p.sha256, p.bytes) for p in result.pieces]
    assert len(hashes[1]) >= 2 and hashes[1] == hashes[2]


@pytest.mark.parametrize("name, options, words", [
    ("meeting.mkv", {"decoders": 1}, "as asked (--decoders 1)"),
    ("meeting.flac", {"format": "mp3"}, "MP3 output"),  # AAC to MP3: split (test_split)
    ("meeting.mkv", {"as_video": True}, "--as-video"),
])
def test_one_pass_by_rule_and_probe_says_why(name, options, words):
    plan = pipeline.inspect(SAMPLES / name, PrepareOptions(**options))
    assert plan.decoding.parts == 1
    assert words in plan.decoding.reason


def test_pre_processors_and_streams_without_a_length_run_in_one_pass():
    from symbl_media.media.parts import plan_decoding

    common = {"decoders": 2, "duration": 600.0, "codec": "flac", "source_rate": 44100,
              "out_rate": 16000, "out_channels": 1, "target_format": "wav",
              "passthrough": False, "preprocessed": False}
    assert plan_decoding(**common).parts == 2
    said = plan_decoding(**{**common, "preprocessed": True})
    assert said.parts == 1 and "pre-processors (--pre)" in said.reason
    said = plan_decoding(**{**common, "duration": None})
    assert said.parts == 1 and "without an index" in said.reason
    said = plan_decoding(**{**common, "out_channels": 4})
    assert said.parts == 1 and "more than two channels" in said.reason
    said = plan_decoding(**{**common, "source_rate": 11025})
    assert said.parts == 1 and "11025 Hz has no whole sample every 1/50 s" in said.reason


def test_probe_shows_the_decoding(monkeypatch):
    from click.testing import CliRunner

    from symbl_media.cli.main import cli

    shown = CliRunner().invoke(cli, ["probe", str(SAMPLES / "meeting.flac"), "--decoders", "2"])
    assert shown.exit_code == 0, shown.output
    assert "decoding   2 parts decoded at once (as asked (--decoders))" in shown.output
    monkeypatch.setenv(MIN_PART_ENV, "120")
    shown = CliRunner().invoke(cli, ["probe", str(SAMPLES / "meeting.flac")])
    assert "decoding   one pass: too short to gain (under 120 s)" in shown.output
    bad = CliRunner().invoke(cli, ["prepare", str(SAMPLES / "meeting.flac"), "-o", "x",
                                   "--decoders", "0"])
    assert bad.exit_code == 2 and "--decoders" in bad.output


@pytest.fixture(scope="module")
def half_hour(tmp_path_factory) -> Path:
    """Long enough for a part to be caught running: ten minutes decoded in well under a second
    on an idle machine, and a CI run once finished before its SIGINT arrived."""
    path = tmp_path_factory.mktemp("long") / "half-hour.mp3"
    # Two independent noises: ordinary stereo, averaged, the mix the pass starts on while
    # the channels are measured (head_start), so the part killed is one of the pass kept.
    run_ffmpeg("-f", "lavfi", "-i", "anoisesrc=r=22050:d=1800:a=0.1:seed=1", "-f", "lavfi",
               "-i", "anoisesrc=r=22050:d=1800:a=0.1:seed=2", "-filter_complex",
               "[0][1]amerge=inputs=2", "-c:a", "libmp3lame", "-b:a", "32k", path)
    return path


def _kill_a_part(stop: threading.Event, killed: list) -> None:
    """SIGKILL the first ffmpeg writing a part file (as the OOM killer might)."""
    me = os.getpid()
    while not stop.is_set() and not killed:
        for task in Path(f"/proc/{me}/task").iterdir():
            with contextlib.suppress(OSError):
                for pid in (task / "children").read_text().split():
                    argv = Path(f"/proc/{pid}/cmdline").read_bytes()
                    if b".parts/part-1" in argv and b"ffmpeg" in argv:
                        os.kill(int(pid), signal.SIGKILL)
                        killed.append(int(pid))
        time.sleep(0.002)


def test_a_killed_part_stops_the_others_and_leaves_nothing(half_hour, tmp_path):
    assert pipeline.inspect(half_hour).channels.mix == "average"
    stop, killed, written = threading.Event(), [], [0.0]
    watcher = threading.Thread(target=_kill_a_part, args=(stop, killed), daemon=True)
    watcher.start()
    out = tmp_path / "out"
    try:
        with pytest.raises(ProcessingError) as caught:
            pipeline.prepare(half_hour, out, PrepareOptions(decoders=2),
                             lambda stage, done, total: written.__setitem__(0, done))
    finally:
        stop.set()
        watcher.join()
    assert killed, "the part ended before it could be killed"
    # Part 2 was killed as it started: the run ended then, not once part 1 (the first
    # 900 s) had been decoded and written out.
    assert written[0] < 0.9 * 900
    assert "ffmpeg was killed (SIGKILL)" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not out.exists()  # the staging folder, the part files: all gone
    me = os.getpid()
    left = [pid for task in Path(f"/proc/{me}/task").iterdir()
            for pid in (task / "children").read_text().split()]
    assert left == [], "an ffmpeg of the run is still running"


def test_ctrl_c_stops_every_decoder_and_removes_the_part_files(half_hour, tmp_path):
    """SIGINT to the CLI: exit 130, no ffmpeg left, no partial file left in --out."""
    out = tmp_path / "out"
    cli = [sys.executable, "-m", "symbl_media", "prepare", str(half_hour), "-o", str(out),
           "--decoders", "2"]
    proc = subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, MIN_PART_ENV: "0"}, preexec_fn=interruptible)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.glob(".symbl-media-*/.*.parts/*")):
        time.sleep(0.005)
    assert list(out.glob(".symbl-media-*/.*.parts/*")), "no part file seen"
    kids = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text()
            .split()]
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert len(err.decode().strip().splitlines()) == 1
    assert list(out.glob("**/*")) == []
    for pid in kids:
        assert not Path(f"/proc/{pid}").exists() or \
            Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_a_stop_while_the_parts_are_copied_ends_the_run_and_leaves_nothing(half_hour,
                                                                            tmp_path):
    """Both decoders are done once part 2 is copied into the WAV: only the stop itself can end
    that copy (the reader of a growing WAV gave up, Ctrl-C). Stopped mid-copy, the run fails
    at once and leaves no WAV and no part file."""
    plan = pipeline.inspect(half_hour, PrepareOptions(decoders=2))
    join = parallel.plan_parts(plan)[1].start / plan.target.sample_rate
    stopper, stopped_at = ffmpeg.Stopper(), []

    def progress(seconds: float) -> None:
        if seconds > join and not stopper.stopped:  # part 2 is being copied in
            stopped_at.append(seconds)
            stopper.stop()

    out = tmp_path / "out.wav"
    with pytest.raises(ProcessingError, match="decoding was stopped"):
        parallel.decode(plan, out, on_progress=progress, stopper=stopper)
    assert stopped_at and stopped_at[0] < plan.info.duration - 60, "copied before the stop"
    assert os.listdir(tmp_path) == []
