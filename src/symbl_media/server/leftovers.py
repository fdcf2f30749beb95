"""What a stopped process left half-written in the data folder, told apart from what a live
process, on this machine or another sharing the folder, is writing now.

A body being received (``.receiving-…``) and a URL being fetched for a job (``.fetching-…``)
are named with their process (``PID.PLACE@host@``, processes.py). At start a server removes
those of processes of its own host, boot and PID namespace that are gone, and anyone's left
untouched for ``STALE_SECONDS`` (a live transfer writes more often than that: a body that
stops for 300 s is dropped, a fetch that stalls for its timeout fails), so it never deletes
what another machine, or another container on this one, is receiving. A name of an earlier
version (``pid@host@``) or one without a place is left to its age.

A job's scratch folder in ``work/`` (a server that runs jobs decodes there) is named the same
way (``job-ID-PID.PLACE@host@…``): a server starting removes those of its own dead processes,
and another's only once nothing in it has changed for ``STALE_WORK_SECONDS`` (a job decodes
its recording into it at the start, so a long job leaves it alone for a long time). Two
servers running jobs on one shared data folder no longer delete each other's scratch while
it is used; a folder named by an earlier version (no process) is removed, as it always was.
"""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

from symbl_media.server import processes

STALE_SECONDS = 15 * 60
STALE_WORK_SECONDS = 24 * 3600  # longer than any job runs (the job-seconds buckets end at 4 h)
PATTERNS = (".receiving-*", ".fetching-*", "*.part")  # *.part: older versions' downloads


def tag() -> str:
    """This process, as the files it is writing are named: ``PID.PLACE@host@``."""
    return f"{processes.name()}@{socket.gethostname()}@"


def stale(path: Path, now: float | None = None) -> bool:
    parts = path.name.partition("-")[2].split("@")
    if len(parts) >= 3 and processes.gone(parts[1], parts[0]):
        return True
    try:
        idle = (now or time.time()) - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return idle > STALE_SECONDS


def sweep(uploads: Path) -> list[Path]:
    """Remove what stopped processes left half-written in ``uploads``; returns it."""
    removed = []
    for pattern in PATTERNS:
        for path in uploads.glob(pattern):
            if stale(path):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def sweep_work(work: Path, now: float | None = None) -> list[Path]:
    """Remove the job scratch folders in ``work`` that stopped processes left; returns them."""
    now = now or time.time()
    removed = []
    for path in work.iterdir():
        rest = path.name.split("-", 2)[2] if path.name.count("-") >= 2 else ""
        parts = rest.split("@")
        if len(parts) >= 3:  # named with its process
            gone = processes.gone(parts[1], parts[0]) or _idle(path, now) > STALE_WORK_SECONDS
        else:
            gone = True  # an earlier version's: only its own server ever used work/
        if gone:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _idle(folder: Path, now: float) -> float:
    """Seconds since anything in ``folder`` (or the folder itself) last changed."""
    try:
        times = [folder.stat().st_mtime] + [p.stat().st_mtime for p in folder.iterdir()]
    except (FileNotFoundError, NotADirectoryError):
        return 0.0
    return now - max(times)
