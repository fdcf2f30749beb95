"""An MP3 piece we encoded is read once after ffmpeg writes it: hashed for the manifest, its
length taken from its first frame (lame_tag), which says what ffmpeg's decoder gets out of it."""

from __future__ import annotations

import collections
import ctypes
import hashlib
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from symbl_media.errors import ProcessingError
from symbl_media.media import lame_tag, pipeline
from symbl_media.media.cut import encoded_mp3
from symbl_media.media.extract import encode_mp3
from symbl_media.media.plan import PrepareOptions

from .conftest import run_ffmpeg

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _decoded_samples(path: Path) -> int:
    """What ffmpeg's decoder really gets out of the file, counted in samples."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", f"file:{path}", "-map", "0:a:0",
                          "-f", "s16le", "-ac", "1", "-"], check=True,
                         capture_output=True).stdout
    return len(raw) // 2


@pytest.mark.parametrize("seconds, rate, mode", [
    (15.0, 16000, "default"),  # MPEG-2, 64 kb/s: what prepare sends
    (7.3331, 16000, "default"),  # an odd length: the last frame mostly padding
    (0.05, 16000, "default"),  # shorter than one frame
    (9.0007, 8000, "phone"),  # MPEG-2.5, 32 kb/s (mode=phone keeps 8 kHz)
    (4.2, 44100, "default"),  # MPEG-1 frames, in case a rate is ever kept
])
def test_the_first_frame_states_what_ffmpeg_decodes(seconds, rate, mode, tmp_path):
    wav, mp3 = tmp_path / "piece.wav", tmp_path / "piece.mp3"
    run_ffmpeg("-i", SAMPLES / "meeting.flac", "-t", seconds, "-ac", "1", "-ar", rate,
               "-c:a", "pcm_s16le", wav)
    encode_mp3(wav, mp3, mode)
    stated = lame_tag.decoded_length(mp3.read_bytes()[:4096])
    assert stated is not None and stated.sample_rate == rate
    assert stated.samples == _decoded_samples(mp3)
    written = encoded_mp3(mp3)
    assert written.duration == stated.samples / rate
    assert written.sha256 == hashlib.sha256(mp3.read_bytes()).hexdigest()
    assert written.size == mp3.stat().st_size


def test_without_a_lame_tag_the_length_is_not_guessed(tmp_path):
    mp3 = tmp_path / "no-tag.mp3"
    run_ffmpeg("-i", SAMPLES / "meeting.flac", "-t", "3", "-ac", "1", "-c:a", "libmp3lame",
               "-write_xing", "0", mp3)
    assert lame_tag.decoded_length(mp3.read_bytes()[:4096]) is None
    written = encoded_mp3(mp3)  # decoded instead, as before
    assert round(written.duration * 44100) == pytest.approx(_decoded_samples(mp3), abs=1)
    assert lame_tag.decoded_length(b"") is None
    assert lame_tag.decoded_length(b"ID3\x04" + bytes(600)) is None


def test_a_cut_off_first_frame_states_nothing_and_never_raises(tmp_path):
    wav, mp3 = tmp_path / "piece.wav", tmp_path / "piece.mp3"
    run_ffmpeg("-i", SAMPLES / "meeting.flac", "-t", "2", "-ac", "1", "-ar", 16000,
               "-c:a", "pcm_s16le", wav)
    encode_mp3(wav, mp3, "default")
    head = mp3.read_bytes()[:4096]
    whole = lame_tag.decoded_length(head)
    assert whole is not None
    # Every cut of the header (a file truncated on disk): no length, or the whole one; the
    # frame count cut in half once raised struct.error out of encoded_mp3.
    for n in range(len(head)):
        assert lame_tag.decoded_length(head[:n]) in (None, whole), n
    mp3.write_bytes(head[:23])
    with pytest.raises(ProcessingError):  # the one-line error of a file ffmpeg cannot read
        encoded_mp3(mp3)


IN_CLOSE_NOWRITE = 0x10  # a file opened only for reading was closed
IN_OPEN = 0x20  # watched too: inotify merges an event into an identical one before it


class _Reads:
    """Counts, per file name in a folder, the opens for reading that were closed, by this
    process or any other (ffmpeg): inotify, so nothing in the code under test is replaced."""

    def __init__(self, folder: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, os.fsencode(folder),
                                                  IN_CLOSE_NOWRITE | IN_OPEN) < 0:
            pytest.skip("inotify is not available here")

    def counts(self) -> collections.Counter:
        seen: collections.Counter = collections.Counter()
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            at = 0
            while at < len(data):
                _, mask, _, size = struct.unpack_from("iIII", data, at)
                name = data[at + 16:at + 16 + size].rstrip(b"\0").decode()
                if mask & IN_CLOSE_NOWRITE:
                    seen[name] += 1
                at += 16 + size
        os.close(self.fd)
        return seen


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
@pytest.mark.parametrize("chunk_minutes", [None, 1])
def test_each_mp3_piece_is_read_once_and_its_hash_is_the_file(chunk_minutes, tmp_path):
    source = tmp_path / "long.flac"
    run_ffmpeg("-stream_loop", "8", "-i", SAMPLES / "meeting.flac", "-c:a", "flac", source)
    plan = pipeline.inspect(source, PrepareOptions(format="mp3", chunk_minutes=chunk_minutes))
    folder = tmp_path / "pieces"
    folder.mkdir()
    reads = _Reads(folder)
    pieces = list(pipeline.produce(plan, folder))
    counts = reads.counts()
    assert len(pieces) == (1 if chunk_minutes is None else 2)
    for piece in pieces:
        data = (folder / piece.file).read_bytes()
        assert piece.sha256 == hashlib.sha256(data).hexdigest() and piece.bytes == len(data)
        assert counts[piece.file] == 1, counts  # hashed and measured in one read
        assert round(piece.duration * 16000) == _decoded_samples(folder / piece.file)
