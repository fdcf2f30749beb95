"""What a run of a job holds while it runs: its lease, and the check every write of the run
makes first, so a run that lost its lease writes nothing over the run that took it over.

A lease is the job's row naming this run: the worker (``owner``) and the run's number
(``attempts``, counted up at every claim and never down, not even when a run is given
back). The number is the fencing token: a worker that
takes back a job it lost (after a database outage, say) starts a run with a new number, and
the old run's writes are refused even though the owner is the same.
"""

from __future__ import annotations

import secrets
import socket
import threading
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from symbl_media.contract import endpoints as api
from symbl_media.server import processes
from symbl_media.server.failures import JobFailure, LeaseLost
from symbl_media.server.schema import jobs


@dataclass(frozen=True)
class Lease:
    job_id: str
    owner: str
    attempt: int


def worker_id() -> str:
    """Who a worker is, in a job's ``owner``: ``host:PID.PLACE:random``. The host and pid are
    for the people reading the table; PLACE (this boot and PID namespace, processes.py) lets
    a machine tell its own dead workers from live ones in other containers; the random part
    tells two processes apart that had the same pid (a pid comes back; it does not)."""
    return f"{socket.gethostname()}:{processes.name()}:{secrets.token_hex(4)}"


def owner_pid(owner: str) -> int | None:
    """The pid a worker's id names (in its own PID namespace), this version's or an earlier
    one's (``host:pid:random``); None if it names none."""
    parts = owner.rsplit(":", 2)
    pid = parts[1].partition(".")[0] if len(parts) == 3 else ""
    return int(pid) if pid.isdigit() else None


def hold(conn: Connection, lease: Lease) -> bool:
    """Lock the job's row for this transaction if ``lease`` is still its run's; False if the
    job is gone (its conversation was deleted). Raises ``LeaseLost`` when the job is there
    but another run (or none) holds it. The row stays locked until the transaction ends, so
    a worker taking the job over waits for this write to finish, and then undoes it."""
    row = conn.execute(select(jobs.c.owner, jobs.c.attempts, jobs.c.status)
                       .where(jobs.c.id == lease.job_id).with_for_update()).first()
    if row is None:
        return False
    if (row.owner, row.attempts, row.status) != (lease.owner, lease.attempt, api.IN_PROGRESS):
        raise LeaseLost(f"job {lease.job_id}: this run's lease was lost")
    return True


@dataclass(frozen=True)
class Run:
    """A run of a job as its worker follows it: the lease, and a flag raised when the run is
    to stop (the heartbeat found the lease lost, or the worker gave the job back). The run
    calls ``check`` between its stages, so a lost run stops computing at the next one
    instead of at its next write."""
    lease: Lease
    store: object = field(repr=False)  # the Store (which imports this module)
    cancelled: threading.Event = field(default_factory=threading.Event, repr=False,
                                       compare=False)

    def cancel(self) -> None:
        self.cancelled.set()

    def check(self) -> None:
        """Raise ``LeaseLost`` if this run was told to stop or no longer holds the job (one
        indexed row read under the row's lock: cheap beside any stage it sits between)."""
        if self.cancelled.is_set():
            raise LeaseLost(f"job {self.lease.job_id}: this run was stopped")
        with self.store.transaction() as conn:
            if not hold(conn, self.lease):
                raise JobFailure("the conversation was deleted while the job ran")
