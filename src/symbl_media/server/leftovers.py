"""What a stopped process left half-written in the data folder, told apart from what a live
process, on this machine or another sharing the folder, is writing now.

A body being received (``.receiving-…``) and a URL being fetched for a job (``.fetching-…``)
are named with their process (``pid@host@``). At start a server removes those of processes
of its own host that are gone, and anyone's left untouched for ``STALE_SECONDS`` (a live
transfer writes more often than that: a body that stops for 300 s is dropped, a fetch that
stalls for its timeout fails), so it never deletes what another machine is receiving.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

STALE_SECONDS = 15 * 60
PATTERNS = (".receiving-*", ".fetching-*", "*.part")  # *.part: older versions' downloads


def tag() -> str:
    """This process, as the files it is writing are named: ``pid@host@``."""
    return f"{os.getpid()}@{socket.gethostname()}@"


def process_gone(host: str, pid: int) -> bool:
    """Whether a process of this host has ended: another host's cannot be told (False). Our
    own pid in someone else's name is an earlier process that had it (a container's)."""
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's process: alive
    return False


def stale(path: Path, now: float | None = None) -> bool:
    parts = path.name.partition("-")[2].split("@")
    if len(parts) >= 3 and parts[0].isdigit() and process_gone(parts[1], int(parts[0])):
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
