"""Valid recordings under awkward names simply work, with probe and with prepare.

Leading dashes, colons (ffmpeg's protocol separator), spaces, quotes, shell syntax, non-ASCII,
'%' (the segment muxer's pattern character) and names that are not UTF-8, for the input and
for --out DIR. Each run is the real CLI in a subprocess, in a fresh working folder with a
private TMPDIR.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import Result, Sandbox

import pytest

# ----------------------------------------------------------------------------- helpers

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sha256(path) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def assert_ok(result: Result) -> None:
    assert result.code == 0, result
    assert "Traceback" not in result.stdout + result.stderr, result
    assert "error" not in result.stderr.lower(), result


def assert_prepared(box: Sandbox, out: Path, source: Path, result: Result) -> dict:
    """DIR holds manifest.json and exactly the pieces it lists, each as described."""
    manifest_path = out / "manifest.json"
    assert manifest_path.is_file(), f"no manifest.json in {out}\n{result}"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    pieces = manifest["pieces"]
    assert pieces, f"the manifest lists no pieces\n{result}"
    for piece in pieces:
        path = out / piece["file"]
        assert path.is_file(), f"listed piece {piece['file']!r} is missing\n{result}"
        assert path.stat().st_size == piece["bytes"] > 0, piece
        assert sha256(path) == piece["sha256"], piece
    assert sorted(os.listdir(out)) == sorted(["manifest.json", *(p["file"] for p in pieces)]), \
        f"DIR holds more than the manifest and its pieces\n{result}"
    assert Path(manifest["source"]["path"]) == source.absolute(), manifest["source"]
    left = sorted(os.listdir(box.tmp))
    assert left == [], f"left behind in TMPDIR: {left}\n{result}"
    return manifest


# name -> sample it is a copy of. Mono WAV/MP3 are passed through as is; the others are
# decoded and extracted by ffmpeg, which then reads the awkward name itself.
NAMES = {
    "-y.wav": "meeting-stereo.wav",
    "-i.mp4": "meeting.mp4",
    "-mono.wav": "mono-16k.wav",
    "a:b.wav": "meeting-stereo.wav",
    "file:c.wav": "meeting-stereo.wav",
    "with space.mkv": "meeting.mkv",
    "quote'and\"double.m4a": "meeting.m4a",
    "$(touch pwned).wav": "meeting-stereo.wav",
    "ünïcødé 会议.mp3": "meeting.mp3",
    "ünïcødé mono 会议.mp3": "mono.mp3",
    "100%.wav": "meeting-stereo.wav",
    "100%03d %s.flac": "meeting.flac",
}

# How the name is given on the command line: after '--', or behind './'; names that do not
# start with a dash are also given as they are.
SPELLINGS = [(name, how) for name in NAMES
             for how in (["after --", "./"] if name.startswith("-") else ["plain"])]


def spell(name: str, how: str) -> tuple[list[str], str]:
    """(arguments that end the command line, the file argument as the program sees it)"""
    if how == "after --":
        return ["--", name], name
    if how == "./":
        return [f"./{name}"], f"./{name}"
    return [name], name


@pytest.mark.parametrize("name,how", SPELLINGS, ids=[f"{n} ({h})" for n, h in SPELLINGS])
def test_prepare_works_with_awkward_input_name(box, name, how):
    source = box.cwd / box.put(SAMPLES / NAMES[name], name)
    tail, _ = spell(name, how)
    result = box.run("prepare", "--json", "--out", "out", *tail)
    assert_ok(result)
    manifest = assert_prepared(box, box.cwd / "out", source, result)
    assert json.loads(result.stdout) == manifest, "--json output and manifest.json differ"
    assert sha256(source) == sha256(SAMPLES / NAMES[name]), "the input was modified"


@pytest.mark.parametrize("name,how", SPELLINGS, ids=[f"{n} ({h})" for n, h in SPELLINGS])
def test_probe_works_with_awkward_input_name(box, name, how):
    source = box.cwd / box.put(SAMPLES / NAMES[name], name)
    tail, _ = spell(name, how)
    result = box.run("probe", "--json", *tail)
    assert_ok(result)
    media = json.loads(result.stdout)["media"]
    assert (box.cwd / media["path"]).resolve() == source.resolve(), media["path"]
    assert media["bytes"] == source.stat().st_size
    assert media["audio_streams"], media


@pytest.mark.parametrize("name", ["-y.wav", "with space.mkv", "ünïcødé 会议.mp3"])
def test_probe_text_names_the_awkward_file(box, name):
    box.put(SAMPLES / NAMES[name], name)
    result = box.run("probe", "--", name)
    assert_ok(result)
    assert name in result.stdout, result


@pytest.mark.parametrize("name", ["-i.mp4", "with space.mkv", "quote'and\"double.mp4",
                                  "a:b 100%.mkv"])
def test_as_video_works_with_awkward_input_name(box, name):
    sample = "meeting.mp4" if name.endswith(".mp4") else "meeting.mkv"
    source = box.cwd / box.put(SAMPLES / sample, name)
    result = box.run("prepare", "--as-video", "--out", "out", "--", name)
    assert_ok(result)
    manifest = assert_prepared(box, box.cwd / "out", source, result)
    assert manifest["pieces"][0]["content_type"] == "video/mp4"


SHELL_NAMES = ["$(touch pwned).wav", "`touch pwned`.wav", ";touch pwned;.wav",
               "|touch pwned.wav", "&& touch pwned &&.wav"]


@pytest.mark.parametrize("name", SHELL_NAMES)
def test_shell_syntax_in_names_is_never_run(box, name):
    source = box.cwd / box.put(SAMPLES / "meeting-stereo.wav", name)
    out_name = f"out {name[:-4]}"
    probed = box.run("probe", name)
    prepared = box.run("prepare", name, "--out", out_name)
    assert_ok(probed)
    assert_ok(prepared)
    assert_prepared(box, box.cwd / out_name, source, prepared)
    pwned = [p for p in box.root.rglob("*pwned*") if p.name == "pwned"]
    pwned += [p for p in (Path.cwd() / "pwned", Path("/tmp/pwned")) if p.exists()]
    assert pwned == [], f"a shell ran part of the name: {pwned}"


OUT_NAMES = [
    "out with spaces",
    "100% done",
    "ünïcødé 会议 out",
    "-out",
    "a:b out",
    "all of it 100% ü 会议 'q' \"dq\" $(touch pwned)",
    "new parent 100%/and ü child",
]


@pytest.mark.parametrize("out_name", OUT_NAMES)
def test_prepare_works_with_awkward_out_dir(box, out_name):
    source = box.cwd / box.put(SAMPLES / "meeting.mkv", "meeting.mkv")
    result = box.run("prepare", "meeting.mkv", f"--out={out_name}")
    assert_ok(result)
    assert_prepared(box, box.cwd / out_name, source, result)
    assert not any(p.name == "pwned" for p in box.root.rglob("*"))


@pytest.mark.parametrize("out_name", ["100% done", "pieces %03d %d %s %% ü"])
def test_chunked_pieces_land_in_out_dir_with_percent(box, long_mp3, out_name):
    """Chunked MP3 is cut by ffmpeg's segment muxer, which reads '%' in the whole path."""
    source = box.cwd / box.put(long_mp3, "long 100%.mp3")
    result = box.run("prepare", source.name, "--out", out_name, "--chunk-minutes", "1")
    assert_ok(result)
    manifest = assert_prepared(box, box.cwd / out_name, source, result)
    assert len(manifest["pieces"]) >= 2, manifest["pieces"]


@pytest.fixture(scope="module")
def long_mp3(tmp_path_factory) -> Path:
    """135 s of mono MP3: long enough for --chunk-minutes 1 to cut it in two."""
    path = tmp_path_factory.mktemp("long") / "long.mp3"
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-stream_loop", "8", "-i", str(SAMPLES / "mono.mp3"), "-c", "copy",
                    str(path)], check=True, capture_output=True, timeout=60)
    return path


@pytest.mark.parametrize("sample", ["meeting-stereo.wav", "mono-16k.wav"])
def test_name_that_is_not_utf8_works(box, sample):
    """Linux names are bytes: b'caf\\xe9.wav' (Latin-1 'café') is a valid file name."""
    name = b"caf\xe9 \xff.wav"
    source = os.path.join(os.fsencode(box.cwd), name)
    shutil.copyfile(SAMPLES / sample, source)
    probed = box.run("probe", name)
    prepared = box.run("prepare", name, "--out", "out")
    assert_ok(probed)
    assert_ok(prepared)
    out = box.cwd / "out"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pieces"]
    for piece in manifest["pieces"]:
        assert (out / piece["file"]).is_file()
