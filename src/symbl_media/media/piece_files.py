"""The WAV pieces of a long recording, written as its audio is read behind the decode.

Each block read from the growing whole.wav (``follow.Growing``) is written at once into the
piece it begins in, from the block already in hand, instead of being copied out of whole.wav
once the piece's cut is decided. The copy used to be what was left when the decoder ended: the
last piece (2 h 40 min, 307 MB on 8 hours) was copied only after the last sample, as its end
is the recording's. Now only the last block or two remain to be written then.

A cut is decided a few minutes after the point it falls at (``cut_points``: at the end of its
search window), so by then the open piece holds samples past its cut: they move to the next
piece (at most the window and the block read past it, 19 MB of 16 kHz mono, and a minimum
piece more when the length is unknown; copied inside the kernel where it allows it) and the
piece is cut back.
Only then is its length known, and with it the header, which comes first in the file: the
piece is hashed once it is closed, read back from the page cache (the read of whole.wav the
copy used to make, now of the piece). Exactly the bytes the copy wrote.

Once the first piece is closed, whole.wav is read no more: what has been read into the pieces
is given back behind the reading (``Growing.give_back``). Until then it is kept whole, since a
recording shorter than one piece is whole.wav itself (cutting.py).
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

from symbl_media.errors import ProcessingError
from symbl_media.media import follow
from symbl_media.media.parallel import wav_header

HEADER = 44  # bytes of the header every piece has (``wav_header``)
CHUNK = 1 << 20


class PieceFiles:
    """``stem-001.wav``, ``stem-002.wav``... in ``folder``, written from the samples of
    ``decoding``'s WAV as they are read (``add``), each closed at its cut (``cut``)."""

    def __init__(self, decoding: follow.Growing, folder: Path, stem: str, rate: int,
                 channels: int, *, hashed: bool = True, cut_expected: bool = True) -> None:
        self.decoding, self.folder, self.stem = decoding, folder, stem
        self.rate, self.channels, self.align = rate, channels, 2 * channels
        self.hashed = hashed  # an MP3 target hashes its encoded pieces, not these
        # No cut expected (the recording should be shorter than a piece): whole.wav will be
        # the one piece, so nothing is written ahead; a cut after all (the recording longer
        # than it said) copies piece 1 out of whole.wav, still whole then.
        self.ahead = cut_expected
        self.count = 0  # pieces closed
        self.start = 0  # the open piece's first sample
        self.read = 0  # bytes of the WAV's samples added so far
        self.written = 0  # of those, in the open piece (or closed ones)
        self.given_back: int | None = None  # of those, given back; None: the WAV kept whole
        self.fd: int | None = None  # the open piece, its header a placeholder until its cut

    def _path(self, number: int) -> Path:
        return self.folder / f"{self.stem}-{number:03d}.wav"

    def add(self, data: bytes) -> None:
        """The next bytes of the WAV's samples (whole frames), in order."""
        self.read += len(data)
        if not self.ahead:
            return
        try:
            _write_all(self._open_piece(), data)
        except OSError as exc:
            raise ProcessingError(f"cannot write {self._path(self.count + 1).name}: "
                                  f"{follow.why_not_written(self.folder, exc)}") from None
        self.written = self.read
        if self.given_back is not None and self.read - self.given_back >= CHUNK:
            self.given_back = self.decoding.give_back(self.given_back, self.read)

    def cut(self, end: int) -> tuple[Path, int, str | None]:
        """Close the open piece at sample ``end`` (a cut, or the recording's end); the samples
        past it, read already, begin the next one. Returns its path, bytes and sha256 (None
        when not ``hashed``), which are those of the file as it now is."""
        path = self._path(self.count + 1)
        keep = (end - self.start) * self.align
        have = self.read - self.start * self.align
        if not 0 <= keep <= have:
            raise ProcessingError(f"{self.decoding.path.name} ended before sample {end}")
        try:
            fd = self._open_piece()
            self.fd = None  # this piece's now: removed here if it cannot be finished
            try:
                if self.written < self.read:  # not written ahead: from whole.wav, still whole
                    with self.decoding.path.open("rb") as whole:
                        _copy(whole.fileno(), self.decoding.data_start + self.written, fd,
                              self.read - self.written)
                    self.written = self.read
                self.ahead = True
                self.count, self.start = self.count + 1, end
                if have > keep:
                    _copy(fd, HEADER + keep, self._open_piece(), have - keep)
                os.ftruncate(fd, HEADER + keep)
                os.pwrite(fd, wav_header(self.rate, self.channels, keep), 0)
                digest = _sha256(fd, HEADER + keep) if self.hashed else None
            except BaseException:
                path.unlink(missing_ok=True)
                raise
            finally:
                os.close(fd)
        except OSError as exc:
            raise ProcessingError(f"cannot write {path.name}: "
                                  f"{follow.why_not_written(self.folder, exc)}") from None
        if self.given_back is None:  # a piece is closed: the WAV is not needed whole again
            self.given_back = 0
        self.given_back = self.decoding.give_back(self.given_back, self.read)
        return path, HEADER + keep, digest

    def close(self) -> None:
        """Stop: the open piece, never cut, is removed (a file only ever exists complete once
        it is handed on)."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)
            self._path(self.count + 1).unlink(missing_ok=True)

    def _open_piece(self) -> int:
        """The open piece's file, made (with a placeholder header) if there is none."""
        if self.fd is None:
            fd = os.open(self._path(self.count + 1), os.O_RDWR | os.O_CREAT | os.O_TRUNC,
                         0o644)
            try:
                _write_all(fd, wav_header(self.rate, self.channels, 0))
            except BaseException:
                os.close(fd)
                self._path(self.count + 1).unlink(missing_ok=True)
                raise
            self.fd = fd
        return self.fd


def _write_all(fd: int, data) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# copy_file_range refused: across file systems (before Linux 5.19), not by this kernel or
# file system, or by a container's system call filter (seccomp: EPERM, as older Docker
# profiles do; a file truly not writable fails the copy through this process as itself).
# Anything else (a full disk) is the copy's own failure.
_NO_COPY_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}


def _copy(src: int, offset: int, dst: int, count: int) -> None:
    """Bytes [offset, offset + count) of ``src`` appended to ``dst``: in the kernel where it
    can (``copy_file_range``), else through this process, 1 MiB at a time."""
    while count > 0:
        try:
            sent = os.copy_file_range(src, dst, min(count, CHUNK * 16), offset)
        except AttributeError:  # not Linux
            sent = None
        except OSError as exc:
            if exc.errno not in _NO_COPY_RANGE:
                raise
            sent = None
        if not sent:
            data = os.pread(src, min(count, CHUNK), offset)
            if not data:
                raise OSError(0, "the piece is shorter than what was written to it")
            _write_all(dst, data)
            sent = len(data)
        offset, count = offset + sent, count - sent


def _sha256(fd: int, size: int) -> str:
    digest, at = hashlib.sha256(), 0
    while at < size:
        data = os.pread(fd, min(size - at, CHUNK), at)
        if not data:
            raise OSError(0, "the piece is shorter than what was written to it")
        digest.update(data)
        at += len(data)
    return digest.hexdigest()
