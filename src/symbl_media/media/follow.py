"""The WAV a decode is writing, read while it grows (the pieces are written from what is read
as it comes, ``piece_files``): piece 1 exists, complete and hashed, while the rest is still
decoding.

The decode (the one ffmpeg pass, or its parts: ``parallel.py``) runs in a thread, unchanged,
into the same file it always wrote; this reads behind it. Both write the WAV front to back and
rewrite only the header at the end, so every byte past the header and before the file's end
is final when read. Stopping (the consumer gave up, Ctrl-C, a failure here) kills the decode's
ffmpeg processes at once and waits for its thread: nothing runs on after the generator.
"""

from __future__ import annotations

import functools
import os
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Self

from symbl_media.errors import ProcessingError
from symbl_media.media import ffmpeg

CHUNK = 1 << 20  # bytes read at a time behind the decode (32 s of 16 kHz mono)
POLL_SECONDS = 0.02  # how often to look for more while the decode is ahead of nothing
FULL_SCALE = 32768.0 ** 2


class Growing:
    """``decode(stopper, on_progress)`` in a thread, writing ``path``; ``blocks()`` reads it."""

    def __init__(self, path: Path, channels: int,
                 decode: Callable[[ffmpeg.Stopper, Callable[[float], None]], None]) -> None:
        self.path, self.block_align = path, 2 * channels
        self.stopper = ffmpeg.Stopper()
        self.decoded = 0.0  # seconds, as the decode last reported
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.data_start: int | None = None
        self.data_bytes = 0  # read so far
        self._decode = decode
        self.thread = threading.Thread(target=self._run, name="symbl-media-decode", daemon=True)

    def _run(self) -> None:
        try:
            self._decode(self.stopper, self._progress)
        except BaseException as exc:  # re-raised by the reading thread
            self.error = exc
        finally:
            self.done.set()

    def _progress(self, seconds: float) -> None:
        self.decoded = seconds

    def __enter__(self) -> Self:
        if self.thread.ident is None:  # not yet started (a head start enters it first)
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopper.stop()
        self.thread.join()

    def give_back(self, begin: int, end: int) -> int:
        """Give back sample bytes [begin, end) of the WAV (counted from its first sample),
        which nothing reads again (``release``); returns where the next give-back begins."""
        return release(self.path, self.data_start + begin, self.data_start + end) \
            - self.data_start

    def blocks(self) -> Iterator[bytes]:
        """Sample bytes (whole frames) as the decode writes them, to the end; raises the
        decode's error, if it failed."""
        with self._open() as fh:
            while True:
                finished = self.done.is_set()  # before looking: then what is there is all
                if self.error is not None:
                    raise self.error
                end = self._end(fh, finished)
                if end > self.data_bytes:
                    size = min(end - self.data_bytes, CHUNK)
                    data = os.pread(fh.fileno(), size, self.data_start + self.data_bytes)
                    if not data:
                        raise ProcessingError(f"{self.path.name} shrank while being read")
                    data = data[:len(data) - len(data) % self.block_align]
                    self.data_bytes += len(data)
                    yield data
                elif finished:
                    return
                else:
                    time.sleep(POLL_SECONDS)

    def _open(self):
        while True:
            if self.error is not None:
                raise self.error
            finished = self.done.is_set()
            try:
                fh = self.path.open("rb")
            except FileNotFoundError:
                if finished:
                    raise ProcessingError(f"the decode wrote no {self.path.name}") from None
                time.sleep(POLL_SECONDS)
                continue
            self.data_start = _data_start(fh)
            if self.data_start is not None:
                return fh
            fh.close()
            if finished:
                raise ProcessingError(f"{self.path.name}: no WAV header") from None
            time.sleep(POLL_SECONDS)

    def _end(self, fh, finished: bool) -> int:
        """How many data bytes are readable: to the file's end while the decode runs (whole
        frames); once it is done, what its header says the data holds."""
        size = os.fstat(fh.fileno()).st_size - self.data_start
        if finished:
            stated = _stated_bytes(fh, self.data_start)
            if stated is not None:
                size = min(size, stated)
        return size - size % self.block_align


def _data_start(fh) -> int | None:
    """Where the samples start: just past the 'data' chunk's header; None if not yet written."""
    head = os.pread(fh.fileno(), 4096, 0)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    at = 12
    while at + 8 <= len(head):
        tag, size = head[at:at + 4], struct.unpack_from("<I", head, at + 4)[0]
        if tag == b"data":
            return at + 8
        at += 8 + size + (size & 1)
    return None


def _stated_bytes(fh, data_start: int) -> int | None:
    """The data chunk's size from the finished header (None: unset or too big to state)."""
    raw = os.pread(fh.fileno(), 4, data_start - 4)
    stated = struct.unpack("<I", raw)[0] if len(raw) == 4 else 0
    return stated if 0 < stated < 0xFFFFFFFF else None


class Meter:
    """16-bit samples in, mean power of each 20 ms frame out (full scale 1.0), exactly: the
    squares are summed as integers, so block boundaries never change a frame's value."""

    def __init__(self, rate: int, channels: int) -> None:
        self.channels = channels
        self.frame = round(rate * 0.02) * channels  # samples per frame, all channels
        self.tail = b""

    def feed(self, data: bytes):
        import numpy as np

        # No copy of the block, and no array the size of it: each 1 MiB read used to be
        # joined to the last one's tail, sliced, and squared as int64 (two 4 MiB arrays), all
        # fresh pages from the kernel every time (1.7 million page faults, 2.6 s of system
        # CPU on the 8-hour benchmark). The frame the tail begins is completed on its own.
        size = 2 * self.frame
        view, first = memoryview(data), None
        if self.tail:
            need = size - len(self.tail)
            first, self.tail = self.tail + bytes(view[:need]), b""
            view = view[need:]
            if len(first) < size:  # still not a whole frame
                self.tail = first
                return np.zeros(0)
        whole = len(view) - len(view) % size
        self.tail = bytes(view[whole:])
        energy = _squares(np.frombuffer(view[:whole], dtype="<i2").reshape(-1, self.frame))
        if first is not None:
            energy = np.concatenate([_squares(np.frombuffer(first, dtype="<i2")[None, :]),
                                     energy])
        return energy / (self.frame * FULL_SCALE)


def _squares(frames):
    """Each row's sum of squares, in int64 (exact), cast by einsum in small buffers of its own."""
    import numpy as np

    return np.einsum("ij,ij->i", frames, frames, dtype=np.int64)


def release(path: Path, begin: int, end: int) -> int:
    """Give back the disk blocks and page cache of bytes [begin, end) of ``path``, which nothing
    reads again (a hole punched, the file's length kept); a no-op where that is not possible.
    Returns where the next release should begin: past the last whole block given back, so a
    block that one release leaves (it holds bytes still wanted) the next one takes.

    A long recording is decoded into whole.wav and written into its pieces, so every byte was
    on disk twice until the last piece: 921 MB each for 8 hours, pages the kernel had to find
    (reclaim) for the pieces while whole.wav's stayed dirty in memory and were written back
    for nothing. Freed once they are in a piece, they are reused for the next ones: system
    CPU of an 8-hour cut 2.4-4.3 s -> 0.8-1.3 s (docs/benchmarks.md), and the staging folder
    holds about one copy of the audio, not two. Only whole blocks go: a partial block would
    be zeroed, and its other bytes belong to the next piece (or the header ffmpeg rewrites)."""
    punch = _fallocate() if sys.platform.startswith("linux") else None
    if punch is None:
        return end
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return end
    try:
        block = max(4096, os.fstat(fd).st_blksize)
        first, last = -(-begin // block) * block, end // block * block
        if last <= first:
            return begin
        punch(fd, _PUNCH_HOLE | _KEEP_SIZE, first, last - first)  # errors ignored
        return last
    finally:
        os.close(fd)


_KEEP_SIZE, _PUNCH_HOLE = 0x01, 0x02  # linux/falloc.h


@functools.cache
def _fallocate():
    """libc's fallocate(2), None without one; Python's os module has only posix_fallocate,
    which cannot punch."""
    try:
        import ctypes

        call = ctypes.CDLL(None, use_errno=True).fallocate
    except (ImportError, OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    call.restype = ctypes.c_int
    return call


def why_not_written(folder: Path, exc: OSError) -> str:
    """Say "no space left" when that is why (the usual cause of a failed piece write)."""
    try:
        free = os.statvfs(folder)
        if free.f_bavail * free.f_frsize < 1 << 20:
            return "no space left on the device"
    except OSError:
        pass
    return exc.strerror or str(exc)
