"""Bad input, bad options and failures half-way: one clear line, a documented exit code, no mess.

Every test runs the real CLI as a subprocess (``python -m symbl_media``) in a fresh working
folder, with TMPDIR pointing at a fresh folder of its own, and checks the contract from the
issue: exit code (src/symbl_media/errors.py), exactly one line on stderr of the form
``symbl-media: error: <file>: <problem>``, nothing on stdout, no traceback, the working folder
exactly as it was (so --out DIR was not created, or was left unchanged) and TMPDIR empty.
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from conftest import Result, Sandbox

import pytest

# ----------------------------------------------------------------------------- helpers

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PREFIX = "symbl-media: error: "


def assert_clean_failure(box: Sandbox, result: Result, code: int, before: dict[str, str],
                         names: str | None) -> None:
    """The contract for a refused run: code, one-line message naming ``names``, no mess."""
    assert result.code == code, result
    assert "Traceback" not in result.stdout + result.stderr, result
    assert result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"not exactly one line on stderr\n{result}"
    assert lines[0].startswith(PREFIX), result
    if names is not None:
        assert lines[0].startswith(f"{PREFIX}{names}: "), \
            f"the message does not name {names!r} as '<file>: <problem>'\n{result}"
        assert lines[0][len(PREFIX) + len(names) + 2:].strip(), f"no problem stated\n{result}"
    assert_unchanged(box, before, result)


def assert_usage_error(box: Sandbox, result: Result, before: dict[str, str]) -> None:
    """click's own usage errors: exit 2, its own format, still no traceback and no mess."""
    assert result.code == 2, result
    assert "Traceback" not in result.stdout + result.stderr, result
    assert result.stdout == "", result
    assert result.stderr.strip(), result
    assert_unchanged(box, before, result)


def assert_unchanged(box: Sandbox, before: dict[str, str], result: Result) -> None:
    """The working folder is as it was (DIR absent or untouched) and TMPDIR is empty."""
    after = box.snapshot()
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    assert not (added or removed or changed), (
        f"the working folder changed: added {added}, removed {removed}, changed {changed}"
        f"\n{result}")
    left = sorted(p.name for p in box.tmp.iterdir())
    assert left == [], f"left behind in TMPDIR: {left}\n{result}"


def top_level_atoms(path: Path) -> list[str]:
    """The top-level boxes of an MP4, in file order (to know where moov sits)."""
    data = path.read_bytes()
    atoms, at = [], 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        if size == 1:
            size = struct.unpack(">Q", data[at + 8:at + 16])[0]
        atoms.append(kind.decode("latin-1"))
        if size < 8:
            break
        at += size
    return atoms


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args],
                   check=True, capture_output=True, timeout=60)


# ----------------------------------------------------------------------------- bad files

@pytest.fixture(scope="session")
def made(tmp_path_factory) -> dict[str, Path]:
    """Broken and odd recordings, made once per session from the samples."""
    d = tmp_path_factory.mktemp("made")
    mp4 = (SAMPLES / "meeting.mp4").read_bytes()
    assert top_level_atoms(SAMPLES / "meeting.mp4")[:2] == ["ftyp", "moov"], \
        "meeting.mp4 is expected to be faststart (moov before mdat)"

    files: dict[str, Path] = {}
    files["text"] = d / "text.mp3"
    files["text"].write_text("Minutes of the meeting\nAlice: hello\nBob: hi\n")
    files["random"] = d / "random.m4a"
    files["random"].write_bytes(random.Random(20240611).randbytes(64 * 1024))
    # Faststart: cutting the file keeps moov (the index) and loses most of mdat (the data).
    files["mp4-first-40%"] = d / "first40.mp4"
    files["mp4-first-40%"].write_bytes(mp4[:len(mp4) * 40 // 100])
    # Faststart cut inside moov itself.
    files["mp4-cut-in-moov"] = d / "cutmoov.mp4"
    files["mp4-cut-in-moov"].write_bytes(mp4[:2000])
    # Without faststart moov comes last: cutting the tail loses the index entirely.
    plain = d / "not-faststart.mp4"
    ffmpeg("-i", str(SAMPLES / "meeting.mp4"), "-map", "0", "-c", "copy", str(plain))
    atoms = top_level_atoms(plain)
    assert atoms.index("moov") > atoms.index("mdat"), atoms
    data = plain.read_bytes()
    files["mp4-moov-cut-off"] = d / "moov-cut-off.mp4"
    files["mp4-moov-cut-off"].write_bytes(data[:len(data) * 60 // 100])
    mkv = (SAMPLES / "meeting.mkv").read_bytes()
    files["mkv-first-40%"] = d / "first40.mkv"
    files["mkv-first-40%"].write_bytes(mkv[:len(mkv) * 40 // 100])
    files["video-only"] = d / "video-only.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           str(files["video-only"]))
    # 135 s of mono MP3: long enough for --chunk-minutes 1 to cut it (cut by copy).
    files["long-mono-mp3"] = d / "long-mono.mp3"
    ffmpeg("-stream_loop", "8", "-i", str(SAMPLES / "mono.mp3"), "-c", "copy",
           str(files["long-mono-mp3"]))
    return files


COMMANDS = {
    "probe": lambda f: ["probe", f],
    "prepare": lambda f: ["prepare", f, "--out", "out"],
    "prepare-dry-run": lambda f: ["prepare", f, "--out", "out", "--dry-run", "--json"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_file_is_exit_3(box, command):
    before = box.snapshot()
    result = box.run(*COMMANDS[command]("no-such-recording.wav"))
    assert_clean_failure(box, result, 3, before, names="no-such-recording.wav")


@pytest.mark.parametrize("command", COMMANDS)
def test_directory_is_exit_3(box, command):
    (box.cwd / "recordings.mp4").mkdir()
    before = box.snapshot()
    result = box.run(*COMMANDS[command]("recordings.mp4"))
    assert_clean_failure(box, result, 3, before, names="recordings.mp4")


@pytest.mark.parametrize("command", COMMANDS)
def test_empty_file_is_exit_4(box, command):
    (box.cwd / "empty.wav").write_bytes(b"")
    before = box.snapshot()
    result = box.run(*COMMANDS[command]("empty.wav"))
    assert_clean_failure(box, result, 4, before, names="empty.wav")


NOT_MEDIA = {
    "text": "notes.mp3",
    "random": "noise.m4a",
    "mp4-cut-in-moov": "cut-in-moov.mp4",
    "mp4-moov-cut-off": "moov-cut-off.mp4",
    "mp4-first-40%": "first-40-percent.mp4",
    "mkv-first-40%": "first-40-percent.mkv",
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", NOT_MEDIA)
def test_not_media_or_truncated_is_exit_4(box, made, kind, command):
    name = box.put(made[kind], NOT_MEDIA[kind])
    before = box.snapshot()
    result = box.run(*COMMANDS[command](name))
    assert_clean_failure(box, result, 4, before, names=name)


@pytest.mark.parametrize("command", COMMANDS)
def test_video_without_audio_is_exit_5(box, made, command):
    name = box.put(made["video-only"], "silent-film.mp4")
    before = box.snapshot()
    result = box.run(*COMMANDS[command](name))
    assert_clean_failure(box, result, 5, before, names=name)


# ----------------------------------------------------------------------------- bad options

PLAN_ERRORS = [
    ("mono-16k.wav", ["--audio-stream", "5"]),
    ("trap-two-tracks.mkv", ["--audio-stream", "2"]),
    ("mono-16k.wav", ["--language", "xyz"]),
    ("trap-two-tracks.mkv", ["--language", "xyz"]),
    ("mono-16k.wav", ["--as-video"]),
    ("meeting.m4a", ["--as-video"]),
    ("mono-16k.wav", ["--separate-channels"]),
    ("mono.mp3", ["--separate-channels"]),
    ("meeting-stereo.wav", ["--separate-channels", "--channel", "3=Zed"]),
]


@pytest.mark.parametrize("command", ["probe", "prepare"])
@pytest.mark.parametrize("sample,options", PLAN_ERRORS,
                         ids=[f"{s}{' '.join(o)}" for s, o in PLAN_ERRORS])
def test_option_the_file_cannot_satisfy_is_exit_6(box, sample, options, command):
    name = box.put(SAMPLES / sample, sample)
    before = box.snapshot()
    out = ["--out", "out"] if command == "prepare" else []
    result = box.run(command, name, *out, *options)
    assert_clean_failure(box, result, 6, before, names=name)


USAGE_ERRORS = [
    ["--chunk-minutes", "0.5"],
    ["--chunk-minutes", "500"],
    ["--chunk-minutes", "ten"],
    ["--format", "ogg"],
    ["--audio-stream", "-1"],
    ["--audio-stream", "1", "--language", "eng"],
    ["--no-such-option"],
]


@pytest.mark.parametrize("command", ["probe", "prepare"])
@pytest.mark.parametrize("options", USAGE_ERRORS, ids=" ".join)
def test_invalid_option_is_usage_error_exit_2(box, options, command):
    name = box.put(SAMPLES / "meeting-stereo.wav", "meeting.wav")
    before = box.snapshot()
    out = ["--out", "out"] if command == "prepare" else []
    result = box.run(command, name, *out, *options)
    assert_usage_error(box, result, before)


def test_prepare_without_out_is_usage_error_exit_2(box):
    name = box.put(SAMPLES / "meeting-stereo.wav", "meeting.wav")
    before = box.snapshot()
    assert_usage_error(box, box.run("prepare", name), before)


def test_invalid_option_is_refused_before_the_file_is_read(box):
    """A bad option on a bad file is still a usage error (2), not a file error."""
    before = box.snapshot()
    result = box.run("prepare", "no-such-file.wav", "--out", "out", "--format", "ogg")
    assert_usage_error(box, result, before)


# ----------------------------------------------------------------------------- output folder

def test_out_that_is_a_regular_file_is_exit_8(box):
    name = box.put(SAMPLES / "meeting-stereo.wav", "meeting.wav")
    (box.cwd / "taken").write_text("somebody else's file\n")
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "taken")
    assert_clean_failure(box, result, 8, before, names="taken")


def test_out_below_a_regular_file_is_exit_8(box):
    # Tests run as root, where a read-only folder does not stop writes; a folder below a
    # regular file cannot be created by anyone.
    name = box.put(SAMPLES / "meeting-stereo.wav", "meeting.wav")
    (box.cwd / "taken").write_text("somebody else's file\n")
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "taken/out")
    assert_clean_failure(box, result, 8, before, names="taken/out")


def test_out_that_cannot_take_the_manifest_is_exit_8_and_left_unchanged(box):
    """The last step fails (manifest.json is a folder): no piece may be left in DIR."""
    name = box.put(SAMPLES / "meeting.mkv", "meeting.mkv")
    (box.cwd / "out" / "manifest.json").mkdir(parents=True)
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "out")
    assert_clean_failure(box, result, 8, before, names=None)


def test_bad_input_wins_over_bad_out(box):
    """The input is checked first: a missing file is reported as such (3), DIR untouched."""
    (box.cwd / "taken").write_text("somebody else's file\n")
    before = box.snapshot()
    result = box.run("prepare", "missing.wav", "--out", "taken/out")
    assert_clean_failure(box, result, 3, before, names="missing.wav")


# ----------------------------------------------------------------------------- ffmpeg missing

@pytest.mark.parametrize("present", [(), ("ffprobe",), ("ffmpeg",)],
                         ids=["neither", "only-ffprobe", "only-ffmpeg"])
@pytest.mark.parametrize("command", ["probe", "prepare"])
def test_missing_ffmpeg_is_exit_9(box, tmp_path, command, present):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in present:
        os.symlink(shutil.which(tool), bin_dir / tool)
    name = box.put(SAMPLES / "meeting-stereo.wav", "meeting.wav")
    before = box.snapshot()
    out = ["--out", "out"] if command == "prepare" else []
    result = box.run(command, name, *out, path=str(bin_dir))
    assert_clean_failure(box, result, 9, before, names=None)
    assert "ffmpeg" in result.stderr or "ffprobe" in result.stderr, result


# ----------------------------------------------------------------------------- failing half-way

# A stand-in for ffmpeg that runs the real one, except for the one step under test, where it
# half-writes its output (as a full disk would) and fails with a last stderr line.
FAKE_FFMPEG = """#!{python}
import os, sys
args = sys.argv[1:]
if {trigger!r} in args:
    out = args[-1]
    if out.startswith("file:"):
        with open(out[5:].replace("%03d", "001"), "wb") as fh:
            fh.write(b"RIFF half-written")
    sys.stderr.write("simulated: No space left on device\\n")
    sys.exit(1)
os.execv({real!r}, [{real!r}, *args])
"""

# step -> (argument that identifies the ffmpeg run, input, options)
STEPS = {
    "extract": ("pcm_s16le", "meeting.mkv", []),
    "extract-mp3": ("libmp3lame", "meeting.mkv", ["--format", "mp3"]),
    # An MP3 we encode is measured from its LAME tag; a source sent as it is, by decoding it.
    "read-back": ("null", "mono.mp3", []),
    "cut": ("segment", "long-mono-mp3", ["--chunk-minutes", "1"]),
}


def failing_ffmpeg_path(tmp_path: Path, step: str) -> str:
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    script = bin_dir / "ffmpeg"
    script.write_text(FAKE_FFMPEG.format(python=sys.executable, trigger=STEPS[step][0],
                                         real=shutil.which("ffmpeg")))
    script.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}"


def _source(made, sample: str) -> Path:
    return made[sample] if sample in made else SAMPLES / sample


@pytest.mark.parametrize("step", STEPS)
def test_ffmpeg_failing_half_way_is_exit_7_and_leaves_nothing(box, made, tmp_path, step):
    _, sample, options = STEPS[step]
    name = box.put(_source(made, sample), "recording" + _source(made, sample).suffix)
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "out", *options,
                     path=failing_ffmpeg_path(tmp_path, step))
    assert_clean_failure(box, result, 7, before, names=name)
    assert "No space left on device" in result.stderr, "ffmpeg's last line is not carried"


def test_ffmpeg_failing_half_way_leaves_an_existing_out_unchanged(box, tmp_path):
    name = box.put(SAMPLES / "meeting.mkv", "meeting.mkv")
    first = box.run("prepare", name, "--out", "out")
    assert first.code == 0, first
    (box.cwd / "out" / "notes.txt").write_text("mine\n")
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "out", "--format", "mp3",
                     path=failing_ffmpeg_path(tmp_path, "extract-mp3"))
    assert_clean_failure(box, result, 7, before, names=name)


def test_ffmpeg_failing_half_way_removes_the_parents_it_created(box, tmp_path):
    """--out new/nested/dir where none existed: after a failure, 'new' must be gone too."""
    name = box.put(SAMPLES / "meeting.mkv", "meeting.mkv")
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "new/nested/dir",
                     path=failing_ffmpeg_path(tmp_path, "extract"))
    assert_clean_failure(box, result, 7, before, names=name)


# ----------------------------------------------------------------------------- dry run

@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("sample", ["meeting.mkv", "mono-16k.wav"])
def test_dry_run_writes_nothing(box, sample, as_json):
    name = box.put(SAMPLES / sample, sample)
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "new/out", "--dry-run",
                     *(["--json"] if as_json else []))
    assert result.code == 0, result
    assert "Traceback" not in result.stderr, result
    assert result.stdout.strip(), result
    assert_unchanged(box, before, result)


def test_dry_run_leaves_an_existing_out_unchanged(box):
    name = box.put(SAMPLES / "meeting.mkv", "meeting.mkv")
    first = box.run("prepare", name, "--out", "out")
    assert first.code == 0, first
    before = box.snapshot()
    result = box.run("prepare", name, "--out", "out", "--dry-run", "--format", "mp3")
    assert result.code == 0, result
    assert_unchanged(box, before, result)
