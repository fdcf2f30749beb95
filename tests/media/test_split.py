"""AAC and AC-3 with two decoders allowed: the one pass split between a decoder process and a
converter (split.py) gives the single pass's bytes, on every container, layout, pre-processor
and output; a killed process, a stop or Ctrl-C ends both and leaves nothing behind.

SYMBL_MEDIA_MIN_PART_SECONDS=0 lets the split run on short files. Every case checks that the
plan really says split, so the two-process path is the one compared with the single pass.
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
from symbl_media.media import ffmpeg, pipeline, split
from symbl_media.media.extract import extract
from symbl_media.media.parts import MIN_PART_ENV, ONE_PASS, plan_decoding
from symbl_media.media.plan import PrepareOptions
from symbl_media.plugins import manager

from .conftest import run_ffmpeg

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SPEECH = SAMPLES / "meeting-stereo.wav"  # 15 s of real speech, 16 kHz stereo
SURROUND = ("pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0*c0|BL=0.2*c0|BR=0.2*c1")


# Every test here runs with parts allowed on short files (conftest.py).
pytestmark = pytest.mark.usefixtures("parts_on_short_files")


# name -> ffmpeg arguments that make it from the speech
MADE = {
    "aac-mono.m4a": ["-i", SPEECH, "-ac", "1", "-ar", "48000", "-c:a", "aac"],
    "aac-44k.mp4": ["-i", SPEECH, "-ar", "44100", "-c:a", "aac"],
    "aac-5.1.mkv": ["-i", SPEECH, "-af", SURROUND, "-ar", "48000", "-c:a", "aac"],
    "aac-5.1.m4a": ["-i", SPEECH, "-af", SURROUND, "-ar", "48000", "-c:a", "aac"],
    "aac-odd.mkv": ["-i", SPEECH, "-t", "9.0007", "-ar", "22050", "-c:a", "aac"],
    "ac3-5.1.ac3": ["-i", SPEECH, "-af", SURROUND, "-ar", "48000", "-c:a", "ac3"],
    "ac3-stereo.mkv": ["-i", SPEECH, "-ar", "44100", "-c:a", "ac3"],
    "eac3-stereo.mka": ["-i", SPEECH, "-ar", "48000", "-c:a", "eac3"],
    "video-aac.mkv": ["-i", SAMPLES / "meeting.mkv", "-map", "0:v", "-map", "0:a", "-c:v",
                      "copy", "-c:a", "aac", "-ar", "32000"],
}
INPUTS = ["meeting.m4a", "meeting.mkv", "meeting.mp4", "trap-centre-5.1.mkv",
          "trap-two-tracks.mkv", *MADE]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("split")
    for name, args in MADE.items():
        run_ffmpeg(*args, folder / name)
    return folder


def _source(name: str, made: Path) -> Path:
    return made / name if name in MADE else SAMPLES / name


def _both(source: Path, folder: Path, fmt: str = "wav", **options):
    """(the plan, the single pass's bytes, the split's bytes)."""
    plan = pipeline.inspect(source, PrepareOptions(decoders=2, **options),
                            preprocessors=manager.preprocessors())
    one, two = folder / f"one.{fmt}", folder / f"two.{fmt}"
    extract(replace(plan, decoding=ONE_PASS), one, fmt=fmt)
    split.extract(plan, two, fmt=fmt)
    return plan, one.read_bytes(), two.read_bytes()


@pytest.mark.parametrize("name", INPUTS)
def test_the_split_gives_the_single_pass_bytes(name, made, tmp_path):
    plan, one, two = _both(_source(name, made), tmp_path)
    assert plan.decoding.split and plan.decoding.parts == 1, plan.decoding.reason
    assert len(one) > 44 * 1000 and two == one
    assert sorted(os.listdir(tmp_path)) == ["one.wav", "two.wav"]  # nothing else left


@pytest.mark.parametrize("options", [
    {"preprocess": ("loudnorm",)},
    {"preprocess": ("highpass:f=100", "denoise")},
    {"preprocess": ("trim:pad=0.2",)},
    {"separate_channels": True},
], ids=["loudnorm", "highpass+denoise", "trim", "kept-channels"])
def test_pre_processors_and_kept_channels_run_in_the_converter_and_give_the_same_bytes(
        options, tmp_path):
    # Stateful pre-processors still keep FLAC in one pass (no parts), but the converter runs
    # them on the whole recording in order, as the single pass does.
    plan, one, two = _both(SAMPLES / "meeting.m4a", tmp_path, **options)
    assert plan.decoding.split, plan.decoding.reason
    assert two == one


def test_a_converter_that_ends_before_the_decoder_gives_the_single_pass_bytes(tmp_path):
    """trim cuts 40 s of silence at the end: the converter's atrim ends its output and the
    converter stops reading long before the decoder is done, so the decoder fails on the
    broken pipe. That is the converter's choice, as the single pass stops reading the file
    there: not a failed decode."""
    source = tmp_path / "tail.m4a"
    run_ffmpeg("-i", SPEECH, "-af", "apad=pad_dur=40", "-ar", "48000", "-c:a", "aac", source)
    plan, one, two = _both(source, tmp_path, preprocess=("trim",))
    assert plan.decoding.split, plan.decoding.reason
    assert "end=" in plan.preprocess_filter and two == one
    assert len(one) < 44 + 16000 * 2 * 20  # the trailing silence really was cut


def test_mp3_output_is_encoded_by_the_converter_with_the_same_bytes(made, tmp_path):
    plan, one, two = _both(made / "aac-5.1.mkv", tmp_path, fmt="mp3", format="mp3")
    assert plan.target.format == "mp3" and plan.decoding.split
    assert two == one


@pytest.fixture(scope="module")
def long_aac(tmp_path_factory) -> Path:
    """135 s of real speech as AAC stereo: cut into one-minute pieces."""
    out = tmp_path_factory.mktemp("long") / "long.m4a"
    run_ffmpeg("-stream_loop", "8", "-i", SPEECH, "-ar", "48000", "-c:a", "aac", out)
    return out


def test_pieces_and_their_hashes_are_those_of_one_decoder(long_aac, tmp_path):
    got = {}
    for n in (1, 2):
        result = pipeline.prepare(long_aac, tmp_path / f"out{n}",
                                  PrepareOptions(decoders=n, chunk_minutes=1))
        assert result.plan.decoding.split == (n == 2)
        got[n] = [(p.file, p.bytes, p.sha256, p.cut_in_silence) for p in result.pieces]
    assert len(got[1]) >= 2 and got[1] == got[2]
    assert sorted(os.listdir(tmp_path / "out2")) == sorted(os.listdir(tmp_path / "out1"))


def _decoded(plan, folder: Path) -> tuple[Path, dict]:
    """What the decoder writes on the pipe, written to a file, and ffprobe's view of it read
    as the converter reads it (its streams and packets)."""
    import json

    wav = folder / "decoded.wav"
    args = split.decoder_args(plan)
    assert args[-1] == "pipe:1"
    run_ffmpeg(*args[:-1], wav)
    reading = split.converter_input(plan)
    assert reading[-2:] == ["-i", "pipe:0"]
    shown = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_packets",
         *reading[:-2], str(wav)], check=True, capture_output=True).stdout)
    return wav, shown


def test_the_converter_reads_the_decoders_wav_in_big_packets(made, tmp_path):
    """The pipe carries a 32-bit float WAV in the decoder's own layout, and the converter's
    options make ffmpeg's WAV demuxer cut it into packets of PACKET_BYTES, not the 1,024
    samples of the raw f32le demuxer: each packet is a frame through the whole filter graph,
    and that per-frame cost was most of the converter's CPU (docs/benchmarks.md)."""
    plan = pipeline.inspect(made / "ac3-5.1.ac3",
                            PrepareOptions(decoders=2, separate_channels=True))
    assert plan.decoding.split and plan.channels.pan is None  # all six channels cross
    wav, shown = _decoded(plan, tmp_path)
    stream = shown["streams"][0]
    assert (stream["codec_name"], stream["channel_layout"], int(stream["sample_rate"])) == \
        ("pcm_f32le", "5.1(side)", 48000)  # the decoder's layout, from the header
    sizes = [int(p["size"]) for p in shown["packets"]]
    data = wav.stat().st_size
    assert max(sizes) <= split.PACKET_BYTES and sum(sizes) >= data - 4096
    # 15 s of 5.1 float is 17 MiB: 17 or 18 packets, not 2,813 of 1,024 samples
    assert len(sizes) <= data // split.PACKET_BYTES + 1


@pytest.mark.parametrize("name", ["meeting.m4a", "ac3-5.1.ac3"])
def test_the_decoder_makes_the_mix_and_the_pipe_carries_mono(name, made, tmp_path):
    """The plan's mix (pan) runs in the decoder, on the decoder's own samples as in the single
    pass, so one channel crosses the pipe, not two or six; the converter does not mix again.
    (The bytes are the single pass's: test_the_split_gives_the_single_pass_bytes.)"""
    plan = pipeline.inspect(_source(name, made), PrepareOptions(decoders=2))
    assert plan.decoding.split and plan.channels.pan and plan.stream.stream.channels > 1
    _, shown = _decoded(plan, tmp_path)
    assert shown["streams"][0]["channels"] == 1
    converter = split.converter_args(plan, tmp_path / "out.wav", "wav")
    assert not any(arg.startswith("pan=") for arg in converter), converter


# -------------------------------------------------------------------------- the rule

COMMON = {"decoders": None, "duration": 7200.0, "codec": "aac", "source_rate": 48000,
          "out_rate": 16000, "out_channels": 1, "target_format": "wav",
          "passthrough": False, "preprocessed": False, "layout": "stereo"}


def test_the_split_is_chosen_with_cpus_to_spare_and_said_why(monkeypatch):
    from symbl_media.media import parts

    monkeypatch.setattr(parts, "available_cpus", lambda: 2)
    said = plan_decoding(**COMMON, load=0.0)  # two idle CPUs: measured slower than one pass
    assert not said.split and "2 CPUs: a second ffmpeg gains only with 3" in said.reason
    monkeypatch.setattr(parts, "available_cpus", lambda: 4)
    said = plan_decoding(**COMMON, load=1.4)
    assert said.split and said.parts == 1 and "two processes (CPUs to spare)" in said.reason
    said = plan_decoding(**COMMON, load=1.7)  # less than 2.5 CPUs idle over the last minute
    assert not said.split and "no CPUs to spare for a second process (load 1.7 on 4 CPUs)" \
        in said.reason
    said = plan_decoding(**{**COMMON, "decoders": 2}, load=7.0)  # asked for: load or not
    assert said.split and "as asked (--decoders)" in said.reason
    assert not plan_decoding(**{**COMMON, "decoders": 1}, load=0.0).split
    monkeypatch.setattr(parts, "available_cpus", lambda: 1)
    said = plan_decoding(**COMMON, load=0.0)
    assert not said.split and "one CPU available" in said.reason


@pytest.mark.parametrize("change, words", [
    ({"layout": ""}, "channel layout is not stated"),
    ({"layout": "6 channels"}, "channel layout is not stated"),
    ({"duration": 30.0}, "too short to gain from a second process"),
    ({"codec": "wmav2"}, "wmav2 cannot be decoded in parts"),  # not tested for the split
    ({"passthrough": True}, "sent as it is"),
    ({"target_format": "mp4"}, "--as-video"),
])
def test_one_pass_where_the_split_is_not_safe_or_not_worth_it(change, words, monkeypatch):
    monkeypatch.setenv(MIN_PART_ENV, "120")
    said = plan_decoding(**{**COMMON, "decoders": 2, **change}, load=0.0)
    assert not said.split and said.parts == 1 and words in said.reason


def test_probe_shows_the_split(monkeypatch):
    from click.testing import CliRunner

    from symbl_media.cli.main import cli

    shown = CliRunner().invoke(cli, ["probe", str(SAMPLES / "meeting.m4a"), "--decoders", "2"])
    assert shown.exit_code == 0, shown.output
    assert "decoding   one pass in two processes (as asked (--decoders)): aac decoded" \
        in shown.output
    monkeypatch.setenv(MIN_PART_ENV, "120")
    shown = CliRunner().invoke(cli, ["probe", str(SAMPLES / "meeting.m4a"), "--decoders", "2"])
    assert "too short to gain from a second process (under 120 s)" in shown.output


# -------------------------------------------------------------------------- faults

@pytest.fixture(scope="module")
def half_hour(tmp_path_factory) -> Path:
    """30 minutes of AAC (two independent noises, so the likely mix, averaged, is the plan's
    and the head start's decode is the one kept): a minute encoded, its packets repeated."""
    folder = tmp_path_factory.mktemp("half")
    minute, out = folder / "minute.m4a", folder / "half-hour.m4a"
    run_ffmpeg("-f", "lavfi", "-i", "anoisesrc=r=48000:d=60:a=0.1:seed=1", "-f", "lavfi",
               "-i", "anoisesrc=r=48000:d=60:a=0.1:seed=2", "-filter_complex",
               "[0][1]amerge=inputs=2", "-c:a", "aac", "-b:a", "48k", minute)
    run_ffmpeg("-stream_loop", "29", "-i", minute, "-c", "copy", out)
    return out


def _children() -> dict[int, bytes]:
    found = {}
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            for pid in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    found[int(pid)] = Path(f"/proc/{pid}/cmdline").read_bytes()
    return found


# what tells each of the two processes apart on its command line (the channel measurement
# also decodes to float, with its options in another order)
ROLE = {"decoder": b"-c:a\x00pcm_f32le\x00-flush_packets", "converter": b"pipe:0"}


def _kill(role: str, stop: threading.Event, killed: list) -> None:
    """SIGKILL the first ffmpeg of the split in ``role`` (as the OOM killer might)."""
    while not stop.is_set() and not killed:
        for pid, argv in _children().items():
            if b"ffmpeg" in argv and ROLE[role] in argv:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    break
        time.sleep(0.002)


@pytest.mark.parametrize("role", ["decoder", "converter"])
def test_a_killed_process_stops_the_other_and_leaves_nothing(role, half_hour, tmp_path):
    assert pipeline.inspect(half_hour).channels.mix == "average"
    stop, killed = threading.Event(), []
    watcher = threading.Thread(target=_kill, args=(role, stop, killed), daemon=True)
    watcher.start()
    out = tmp_path / "out"
    try:
        with pytest.raises(ProcessingError) as caught:
            pipeline.prepare(half_hour, out, PrepareOptions(decoders=2))
    finally:
        stop.set()
        watcher.join()
    assert killed, f"the {role} ended before it could be killed"
    message = str(caught.value)
    # The one killed is named, not the other's broken pipe or a short stream
    assert "ffmpeg was killed (SIGKILL)" in message and "\n" not in message
    assert ("decoding audio" in message) == (role == "decoder"), message
    assert not out.exists()  # the staging folder and the WAV: all gone
    assert [pid for pid, argv in _children().items() if b"ffmpeg" in argv] == [], \
        "an ffmpeg of the run is still running"


def _inspected(source: Path):
    """The split's plan, once the channel measurement's stderr reader has closed its pipe: it
    drains and closes in a thread of its own, which (seen at load 10) could still hold its fd
    when a test took its "before" list of open fds, and closed it after."""
    threads = threading.active_count()
    plan = pipeline.inspect(source, PrepareOptions(decoders=2))
    assert plan.decoding.split
    deadline = time.monotonic() + 10
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.01)
    return plan


def _open_pipes() -> set[str]:
    """The pipes this process holds open ("pipe:[inode]"). Compared by inode, not by fd
    number: another test's thread in this worker may close an fd meanwhile (a count of fds
    failed so), and a leaked pipe could take the number it freed."""
    pipes = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith("pipe:"):
                pipes.add(target)
    return pipes


def test_no_ffmpeg_on_path_leaves_no_pipe_open(monkeypatch, tmp_path):
    """ffmpeg gone between the plan and the pass: ToolMissing, and neither end of the pipe
    made for the two processes is left open (a long-lived server would run out of fds)."""
    from symbl_media.errors import ToolMissing

    plan = _inspected(SAMPLES / "meeting.m4a")
    monkeypatch.setenv("PATH", str(tmp_path))
    before = _open_pipes()
    for _ in range(3):
        with pytest.raises(ToolMissing):
            split.extract(plan, tmp_path / "out.wav", fmt="wav")
    assert _open_pipes() - before == set()


def test_no_thread_left_for_the_decoders_stderr_leaves_no_pipe_open(monkeypatch, tmp_path):
    """Out of threads between the two processes (Python's "can't start new thread"): the
    decoder is stopped and the pipe's read end, never handed to a converter, is closed."""
    import threading as threads

    plan = _inspected(SAMPLES / "meeting.m4a")
    before = _open_pipes()

    def no_thread(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threads.Thread, "start", no_thread)
    with pytest.raises(RuntimeError):
        split.extract(plan, tmp_path / "out.wav", fmt="wav")
    monkeypatch.undo()
    assert _open_pipes() - before == set()
    assert [pid for pid, argv in _children().items() if b"ffmpeg" in argv] == []


def test_a_stop_kills_both_processes_and_removes_the_output(half_hour, tmp_path):
    plan = pipeline.inspect(half_hour, PrepareOptions(decoders=2))
    stopper = ffmpeg.Stopper()

    def progress(seconds: float) -> None:
        if seconds > 60 and not stopper.stopped:
            stopper.stop()

    out = tmp_path / "out.wav"
    with pytest.raises(ProcessingError, match="ffmpeg was killed"):
        split.extract(plan, out, fmt="wav", on_progress=progress, stopper=stopper)
    assert os.listdir(tmp_path) == []
    assert [pid for pid, argv in _children().items() if b"ffmpeg" in argv] == []


def test_giving_up_after_the_first_piece_stops_both_processes(long_aac, tmp_path):
    plan = pipeline.inspect(long_aac, PrepareOptions(decoders=2, chunk_minutes=1))
    assert plan.decoding.split
    pieces = pipeline.produce(plan, tmp_path)
    next(pieces)
    pieces.close()
    deadline = time.monotonic() + 5
    while [p for p, a in _children().items() if b"ffmpeg" in a] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid, argv in _children().items() if b"ffmpeg" in argv] == []


def test_ctrl_c_stops_both_processes_and_leaves_nothing(half_hour, tmp_path):
    """SIGINT to the CLI while both run: exit 130, one line, neither left, nothing in --out."""
    out = tmp_path / "out"
    cli = [sys.executable, "-m", "symbl_media", "prepare", str(half_hour), "-o", str(out),
           "--decoders", "2"]
    proc = subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, MIN_PART_ENV: "0"}, preexec_fn=interruptible)

    def split_running() -> list[int]:
        kids = []
        with contextlib.suppress(OSError):
            for pid in Path(f"/proc/{proc.pid}/task").glob("*/children"):
                kids += [int(k) for k in pid.read_text().split()]
        argv = {k: Path(f"/proc/{k}/cmdline").read_bytes() for k in kids
                if Path(f"/proc/{k}/cmdline").exists()}
        both = [k for k, a in argv.items() if any(r in a for r in ROLE.values())]
        return both if len(both) == 2 else []

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (kids := split_running()):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)
    assert kids, "the two processes were never seen running"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert len(err.decode().strip().splitlines()) == 1
    assert list(out.glob("**/*")) == []
    for pid in kids:
        assert not Path(f"/proc/{pid}").exists() or \
            Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_a_wrong_guess_stops_the_head_starts_split_and_the_bytes_are_the_plans(tmp_path):
    """A dead right channel: the pass started on the average (head_start) is split too, and is
    stopped (both processes) when the measurement says to keep the left side alone."""
    source = tmp_path / "dead-side.m4a"
    run_ffmpeg("-i", SAMPLES / "trap-dead-channel.wav", "-ar", "48000", "-c:a", "aac", source)
    got = {}
    for n in (1, 2):
        result = pipeline.prepare(source, tmp_path / f"out{n}", PrepareOptions(decoders=n))
        assert result.plan.channels.mix != "average"  # the guess was wrong
        assert result.plan.decoding.split == (n == 2)
        got[n] = [(p.file, p.sha256) for p in result.pieces]
        assert sorted(os.listdir(tmp_path / f"out{n}")) == ["manifest.json", "piece-001.wav"]
    assert got[1] == got[2]
    assert [pid for pid, argv in _children().items() if b"ffmpeg" in argv] == []
