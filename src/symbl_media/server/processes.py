"""Which process a name stands for, and whether it has ended: the part of a worker's id (and of
a half-written file's name) that a machine starting up reads to take over at once what one
of its own dead processes left.

A pid means something only inside the PID namespace it was given in, and only until the
machine reboots. Containers on host networking share a host name with the host and with each
other but each has its own PID namespace: a pid that does not exist here may be a live
worker next door. So a process is named ``PID.PLACE``, PLACE being a short hash of this
boot (``/proc/sys/kernel/random/boot_id``) and of this PID namespace (the inode in
``/proc/self/ns/pid``), and a process is judged gone only when its PLACE is ours. Where
either cannot be read (not Linux, /proc not mounted) the name is the bare pid, and nothing
is judged: neither our names by others, nor others' names by us. Names written by earlier
versions (the bare pid) are never judged either; their leases run out in their own time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import socket
from pathlib import Path

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
PID_NAMESPACE = Path("/proc/self/ns/pid")


@functools.cache
def place() -> str | None:
    """This boot and PID namespace as 8 hex digits; None where they cannot be read. (Fixed
    for a process's life: a process never changes PID namespace, nor a machine boot.)"""
    try:
        boot = BOOT_ID.read_text().strip()
        namespace = os.readlink(PID_NAMESPACE)  # "pid:[4026531836]"
    except OSError:
        return None
    if not boot or not namespace:
        return None
    return hashlib.sha256(f"{boot}/{namespace}".encode()).hexdigest()[:8]


def name(pid: int | None = None) -> str:
    """A process as other processes name it: ``PID.PLACE`` (this process by default), or
    the bare pid where this place cannot be told."""
    pid = os.getpid() if pid is None else pid
    here = place()
    return f"{pid}.{here}" if here else str(pid)


def gone(host: str, process: str) -> bool:
    """Whether the process named ``process`` (``PID.PLACE``) on ``host`` has ended. Only one
    of this host, boot and PID namespace can be told; any other, or a name without a place
    (an earlier version's, or one written where the place could not be read), is False."""
    pid, dot, where = process.partition(".")
    here = place()
    if (not dot or not pid.isdigit() or here is None or where != here
            or host != socket.gethostname()):
        return False
    if int(pid) == os.getpid():
        return True  # our own pid in someone else's name: an earlier process that had it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's process: alive
    return False
