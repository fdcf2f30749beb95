"""What a stopped process left half-written in the data folder, told apart from what a live
process, on this machine or another sharing the folder, is writing now.

A body being received (``.receiving-…``) and a URL being fetched for a job (``.fetching-…``)
are named with their process (``PID.PLACE@host@``, processes.py). At start a server removes
those of processes of its own host, boot and PID namespace that are gone, and anyone's left
untouched for ``STALE_SECONDS`` (a live transfer writes more often than that: a body that
stops for 300 s is dropped, a fetch that stalls for its timeout fails), so it never deletes
what another machine, or another container on this one, is receiving. A name of an earlier
version (``pid@host@``) or one without a place is left to its age.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

from symbl_media.server import processes

STALE_SECONDS = 15 * 60
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
