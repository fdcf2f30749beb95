"""The pieces of a long recording are written as its audio is read (media/piece_files.py):
each is its header and exactly the samples between its cuts, hashed as the file is, the
samples read past a cut moved to the next piece; the WAV read from is given back once a piece
is closed; a piece never cut (the decode failed, was killed, the run was stopped) is removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest

from symbl_media.errors import ProcessingError
from symbl_media.media import ffmpeg, piece_files, pipeline
from symbl_media.media.extract import extraction_args
from symbl_media.media.parallel import wav_header
from symbl_media.media.piece_files import PieceFiles
from symbl_media.media.plan import PrepareOptions

from .test_cut_while_decoding import twenty_minutes  # noqa: F401 (a fixture)

RATE = 16000


class _Decoding:
    """Stands in for ``follow.Growing``: the WAV read from, and what was given back of it."""

    def __init__(self, folder: Path, data: bytes = b"") -> None:
        self.path = folder / "whole.wav"
        self.path.write_bytes(wav_header(RATE, 1, 0) + data)
        self.data_start = 44
        self.given: list[tuple[int, int]] = []

    def give_back(self, begin: int, end: int) -> int:
        self.given.append((begin, end))
        return end


def _samples(seconds: float, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(round(seconds * RATE) * 2)


def _feed(files: PieceFiles, data: bytes, upto: int, sizes=(4096, 1 << 20, 777 * 2)) -> None:
    """Add ``data`` from where it was left to byte ``upto``, in blocks of uneven sizes."""
    k = 0
    while files.read < upto:
        files.add(data[files.read:min(upto, files.read + sizes[k % len(sizes)])])
        k += 1


def _cut_all(folder: Path, data: bytes, cuts: list[int], reads: list[int], **kw):
    """Pieces cut at the samples ``cuts``, each decided once the audio is read to
    ``reads[i]`` bytes (past the cut: a cut is decided at the end of its search window)."""
    decoding = _Decoding(folder)
    files = PieceFiles(decoding, folder, "piece", RATE, 1, **kw)
    made = []
    for cut, read in zip(cuts, reads):
        _feed(files, data, read)
        made.append(files.cut(cut))
    _feed(files, data, len(data))
    made.append(files.cut(len(data) // 2))
    return files, decoding, made


def _check(made, data: bytes, cuts: list[int]) -> None:
    bounds = [0, *cuts, len(data) // 2]
    assert [path.name for path, _, _ in made] == \
        [f"piece-{k:03d}.wav" for k in range(1, len(bounds))]
    for (path, size, digest), start, end in zip(made, bounds, bounds[1:]):
        content = path.read_bytes()
        assert content == wav_header(RATE, 1, (end - start) * 2) + data[start * 2:end * 2]
        assert size == len(content) and digest == hashlib.sha256(content).hexdigest()


def test_each_piece_is_its_samples_and_its_hash_is_the_files(tmp_path):
    data = _samples(600)
    # Cuts decided 0 s, 1 s, 100 s (3.2 MB) and a block past them, one the next is decided at
    cuts = [60 * RATE, 150 * RATE, 170 * RATE, 400 * RATE]
    reads = [60 * RATE * 2, 151 * RATE * 2, 270 * RATE * 2, 400 * RATE * 2 + 4096]
    _, _, made = _cut_all(tmp_path, data, cuts, reads)
    _check(made, data, cuts)
    assert sorted(p.name for p in tmp_path.iterdir()) == \
        [p.name for p, _, _ in made] + ["whole.wav"]


@pytest.mark.parametrize("why", [errno.EXDEV, errno.EPERM])
def test_the_samples_past_a_cut_move_the_same_without_an_in_kernel_copy(tmp_path,
                                                                        monkeypatch, why):
    """Where copy_file_range is refused (another file system, an old kernel, a container's
    seccomp filter: EPERM), the samples past a cut go through this process: the same bytes."""
    tried = []

    def refused(*args, **kwargs):
        tried.append(args)
        raise OSError(why, os.strerror(why))

    monkeypatch.setattr(piece_files.os, "copy_file_range", refused, raising=False)
    data = _samples(300, seed=2)
    cuts, reads = [61 * RATE + 7, 200 * RATE], [130 * RATE * 2, 290 * RATE * 2]
    _, _, made = _cut_all(tmp_path, data, cuts, reads)
    assert tried
    _check(made, data, cuts)


def test_a_piece_that_cannot_be_finished_is_removed_with_the_next(tmp_path, monkeypatch):
    """A full disk while the samples past a cut move: the error says so, and neither the piece
    being closed nor the next one is left half written."""

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    data = _samples(200, seed=7)
    files = PieceFiles(_Decoding(tmp_path), tmp_path, "piece", RATE, 1)
    _feed(files, data, 120 * RATE * 2)
    monkeypatch.setattr(piece_files.os, "copy_file_range", full, raising=False)
    with pytest.raises(ProcessingError, match="cannot write piece-001.wav"):
        files.cut(70 * RATE)
    files.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["whole.wav"]


def test_an_mp3_target_leaves_the_pieces_unhashed(tmp_path):
    data = _samples(200, seed=3)
    _, _, made = _cut_all(tmp_path, data, [90 * RATE], [120 * RATE * 2], hashed=False)
    assert [digest for _, _, digest in made] == [None, None]
    _check([(p, s, hashlib.sha256(p.read_bytes()).hexdigest()) for p, s, _ in made], data,
           [90 * RATE])


def test_the_wav_is_kept_whole_until_a_piece_is_closed_then_given_back_behind_the_reading(
        tmp_path):
    """A recording shorter than one piece is whole.wav itself (renamed): nothing of it may go
    before the first cut. After it, what is in the pieces is given back as it is read, and
    all of it at each cut."""
    data = _samples(300, seed=4)
    decoding = _Decoding(tmp_path)
    files = PieceFiles(decoding, tmp_path, "piece", RATE, 1)
    _feed(files, data, 100 * RATE * 2)
    assert decoding.given == []
    files.cut(70 * RATE)
    assert decoding.given == [(0, 100 * RATE * 2)]
    _feed(files, data, len(data))
    assert len(data) - decoding.given[-1][1] < 1 << 20  # a MiB at a time: few system calls
    assert all(a[1] == b[0] for a, b in zip(decoding.given, decoding.given[1:]))
    files.cut(len(data) // 2)
    assert decoding.given[-1][1] == len(data)


def test_with_no_cut_expected_nothing_is_written_until_one_comes(tmp_path):
    """A recording expected to be shorter than a piece is whole.wav itself: no piece is
    written ahead. If it runs longer and is cut after all, piece 1 comes out of whole.wav."""
    data = _samples(200, seed=6)
    decoding = _Decoding(tmp_path, data)
    files = PieceFiles(decoding, tmp_path, "piece", RATE, 1, cut_expected=False)
    _feed(files, data, len(data))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["whole.wav"]
    made = [files.cut(150 * RATE), files.cut(200 * RATE)]
    _check(made, data, [150 * RATE])
    shorter = tmp_path / "shorter"
    shorter.mkdir()
    decoding = _Decoding(shorter, data)
    files = PieceFiles(decoding, shorter, "piece", RATE, 1, cut_expected=False)
    _feed(files, data, len(data))
    files.close()  # no cut: nothing was written, whole.wav kept whole
    assert sorted(p.name for p in shorter.iterdir()) == ["whole.wav"] and decoding.given == []


def test_a_cut_past_what_was_read_is_refused(tmp_path):
    files = PieceFiles(_Decoding(tmp_path), tmp_path, "piece", RATE, 1)
    files.add(_samples(10))
    with pytest.raises(ProcessingError, match="ended before sample"):
        files.cut(11 * RATE)
    files.close()


def test_a_piece_never_cut_is_removed_and_the_closed_ones_kept(tmp_path):
    data = _samples(200, seed=5)
    files = PieceFiles(_Decoding(tmp_path), tmp_path, "piece", RATE, 1)
    _feed(files, data, 120 * RATE * 2)
    first, _, _ = files.cut(70 * RATE)  # the 50 s past the cut are piece 2's already
    assert (tmp_path / "piece-002.wav").stat().st_size == 44 + 50 * RATE * 2
    files.close()
    files.close()  # twice: nothing more
    assert sorted(tmp_path.iterdir()) == [first, tmp_path / "whole.wav"]


# -- a real decode killed while the last piece is being written

def _slow_extract(plan, out, fmt, on_progress, stopper=None):
    """The one pass, its input read at 240 times real time (20 minutes in 5 s), so the last
    piece is caught while it is written however fast the machine decodes."""
    ffmpeg.run_ffmpeg(["-readrate", "240", *extraction_args(plan, out, fmt=fmt)],
                      what="extracting audio", on_progress=on_progress, stopper=stopper)


def _decoders() -> list[int]:
    kids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            kids += [int(k) for k in (task / "children").read_text().split()]
    found = []
    for pid in kids:
        with contextlib.suppress(OSError):
            if b"whole.wav" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
    return found


def test_a_decode_killed_while_the_last_piece_is_written_leaves_nothing(
        twenty_minutes, tmp_path, monkeypatch):  # noqa: F811
    """SIGKILL to the decoder (as the OOM killer might) once the last cut is decided and the
    last piece is being written from the audio as it comes: prepare fails at once, and neither
    that piece nor anything else is left in --out."""
    options = PrepareOptions(chunk_minutes=1, decoders=1)
    last = len(pipeline.prepare(twenty_minutes, tmp_path / "whole", options).pieces)
    monkeypatch.setattr(pipeline, "_extract", _slow_extract)
    out, seen, killed, stop = tmp_path / "out", [], [], threading.Event()

    def kill_in_the_last_piece() -> None:
        while not stop.is_set() and not killed:
            for piece in out.glob(f".symbl-media-*/piece-{last:03d}.wav"):
                with contextlib.suppress(OSError):
                    if piece.stat().st_size > 44 + 10 * RATE * 2:  # 10 s of it written
                        seen.append(piece.stat().st_size)
                        for pid in _decoders():
                            os.kill(pid, signal.SIGKILL)
                            killed.append(pid)
            time.sleep(0.002)

    watcher = threading.Thread(target=kill_in_the_last_piece, daemon=True)
    watcher.start()
    try:
        with pytest.raises(ProcessingError, match="SIGKILL"):
            pipeline.prepare(twenty_minutes, out, options)
    finally:
        stop.set()
        watcher.join()
    assert seen and killed, "the last piece was never seen being written"
    assert not out.exists()
    assert _decoders() == []
