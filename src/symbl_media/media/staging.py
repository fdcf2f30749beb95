"""The hidden staging folder `prepare` writes into, and the sweep of folders a killed run left.

A failure or Ctrl-C removes the staging folder (pipeline.prepare), but a run stopped by
SIGKILL or the OOM killer cannot: it leaves ``.symbl-media-XXXX`` in DIR, with a partial WAV of
up to the whole recording in it (921 MB for 8 hours). So each run holds an exclusive ``flock``
on a file in its folder for as long as it lives. The kernel drops the lock when the process
dies, however it dies; the next `prepare` into the same DIR removes every staging folder whose
lock it can take. A folder still locked belongs to a run in progress (another terminal, a
`submit` of the same output) and is left alone, as is one without the lock file yet (a run
between making its folder and locking it).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

PREFIX = ".symbl-media-"
LOCK = ".owner.lock"


class Staging:
    """A staging folder in ``out``, locked by this process until ``remove``."""

    def __init__(self, out: Path) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=out))
        self._fd: int | None = os.open(self.path / LOCK, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC,
                                       0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)  # a new file: nobody else can hold it

    def remove(self) -> None:
        """Delete the folder, then let go of it (in this order, so a sweep never sees it
        unlocked while it still holds files this run may write)."""
        shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def sweep(out: Path) -> list[Path]:
    """Remove the staging folders in ``out`` that no living run holds; returns them."""
    removed = []
    try:
        entries = list(out.iterdir())
    except OSError:
        return removed  # not made yet, or not readable: prepare says so itself
    for folder in entries:
        if not folder.name.startswith(PREFIX) or not folder.is_dir() or folder.is_symlink():
            continue
        try:
            fd = os.open(folder / LOCK, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue  # no lock file: being made right now (or not ours to judge)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a run in progress holds it
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(fd)
    return removed
