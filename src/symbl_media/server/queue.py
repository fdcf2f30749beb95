"""Which job runs next, and on which worker: jobs taken from the database with a lease.

A worker claims one job at a time in one transaction, the way PostgreSQL queue libraries do
it (``SELECT ... FOR UPDATE SKIP LOCKED``: workers that look at once take different rows and
never wait for each other; on SQLite, ``BEGIN IMMEDIATE`` lets one writer in at a time, which
does the same). A job is runnable when

- it is scheduled, or in progress with a lease that ran out (its worker died or lost the
  database) or with none (given back): it is taken over, its partial output undone, and run
  again from the start;
- and every earlier job of its conversation has ended, so appends run one at a time in the
  order they were submitted, whichever worker takes them. (A later job of the conversation
  can only be in progress once this one has ended, so "no other job of the conversation is
  running" follows from it.)

Among runnable jobs the oldest goes first. The worker asks only while it runs fewer jobs
than its ``--parallel``. While a job runs its worker renews the lease (``renew``); ending
the job (``end``) or giving it back (``give_back``) happens only while this run still holds
the lease (``leases.hold``).

A job's ``status`` is what clients see (GET /v1/job/{id}), and it only moves forward:
scheduled → in_progress → completed | failed. A job given back stays in_progress (Symbl's
statuses have no "waiting to run again", and a client must never see one go back to
scheduled); who runs it is kept apart, in ``owner`` and ``lease_expires``, NULL while it waits.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select, update

from symbl_media.contract import endpoints as api
from symbl_media.server import job_signal, job_totals, processes
from symbl_media.server.failures import LeaseLost
from symbl_media.server.leases import Lease, hold
from symbl_media.server.schema import jobs
from symbl_media.server.store import Store

# A job whose worker died on it this many times is failed rather than run again: a recording
# that kills whatever runs it (out of memory, a crashing model) must not go round the workers
# for ever. Runs given back by a stopping worker do not count.
MAX_RUNS = 3


@dataclass(frozen=True)
class Claim:
    job: dict  # the job's row as claimed
    lease: Lease | None  # None: the job was failed instead (``abandoned``)
    taken_over: str | None  # the owner whose lease ran out, when the job was taken over
    abandoned: str | None = None  # why the job was failed rather than run again


def _gone(owner: str) -> bool:
    """Whether the worker an owner (``host:PID.PLACE:random``, leases.worker_id) names has
    ended in this very PID namespace of this boot; any other owner is not ours to judge."""
    parts = owner.rsplit(":", 2)
    return len(parts) == 3 and processes.gone(parts[0], parts[1])


def _runnable(now: float):
    earlier = jobs.alias("earlier")
    waits = exists().where(earlier.c.conversation_id == jobs.c.conversation_id,
                           earlier.c.seq < jobs.c.seq, earlier.c.status.in_(api.RUNNING))
    expired = or_(jobs.c.lease_expires.is_(None), jobs.c.lease_expires <= now)
    free = or_(jobs.c.status == api.SCHEDULED,
               and_(jobs.c.status == api.IN_PROGRESS, expired))
    return select(jobs).where(free, ~waits).order_by(jobs.c.created_at, jobs.c.id).limit(1)


class JobQueue:
    def __init__(self, store: Store, owner: str, lease_seconds: float) -> None:
        self.store = store
        self.owner = owner
        self.lease_seconds = lease_seconds

    def claim(self) -> Claim | None:
        """The next runnable job, now this worker's (in progress, leased); None if none. A
        job whose lease ran out for the ``MAX_RUNS``-th time is failed instead, and comes
        back with no lease (the caller tells its webhook)."""
        now = time.time()
        with self.store.transaction() as conn:
            query = _runnable(now)
            if self.store.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True, of=jobs)
            row = conn.execute(query).first()
            if row is None:
                return None
            job = dict(row._mapping)
            # In progress with an owner: a run that stopped renewing (died). Without one: given
            # back (not counted as a run), or left so by an older version.
            rerun = job["status"] == api.IN_PROGRESS
            taken_over = job["owner"] if rerun else None
            if taken_over and job["attempts"] - job["given_back"] >= MAX_RUNS:
                return self._abandon(conn, job, taken_over, now)
            attempt = job["attempts"] + 1
            # The row first, then the old run's output: a write of the old run waits on the
            # row's lock (leases.hold) and then fails, or finished before and is undone here.
            conn.execute(update(jobs).where(jobs.c.id == job["id"]).values(
                status=api.IN_PROGRESS, owner=self.owner, attempts=attempt,
                lease_expires=now + self.lease_seconds, started_at=now, error=None,
                updated_at=now))
            if rerun:
                self.store.remove_job_output(job["id"])
            job.update(status=api.IN_PROGRESS, owner=self.owner, attempts=attempt,
                       lease_expires=now + self.lease_seconds, started_at=now, error=None,
                       duration=None, origin=None)
        return Claim(job, Lease(job["id"], self.owner, attempt), taken_over)

    def _abandon(self, conn, job: dict, owner: str, now: float) -> Claim:
        died = job["attempts"] - job["given_back"]
        reason = (f"the job stopped the worker running it {died} times without "
                  f"ending (killed, out of memory?); it is not run again")
        conn.execute(update(jobs).where(jobs.c.id == job["id"]).values(
            status=api.FAILED, error=reason, lease_expires=None, updated_at=now))
        job_totals.add(self.store, job_totals.of_job(job, api.FAILED, now))
        self.store.remove_job_output(job["id"])
        job.update(status=api.FAILED, error=reason)
        return Claim(job, None, owner, abandoned=reason)

    def expire_the_dead_here(self) -> list[str]:
        """Leases held by workers of this machine that are gone (a server restarted after a
        crash): run out now rather than after the lease time, so one machine carries on at
        once. Only workers of this boot and PID namespace are judged (processes.py): one in
        another container sharing the host name, or of an earlier version's id, keeps its
        lease, as does a process of that pid that is alive (pids come back); those run out
        in their own time. Returns the jobs."""
        host = f"{socket.gethostname()}:"
        with self.store.transaction() as conn:
            rows = conn.execute(select(jobs.c.id, jobs.c.owner).where(
                jobs.c.status == api.IN_PROGRESS, jobs.c.owner.startswith(host, autoescape=True),
                jobs.c.owner != self.owner)).all()
            gone = [r.id for r in rows if _gone(r.owner)]
            for jid in gone:
                conn.execute(update(jobs).where(jobs.c.id == jid, jobs.c.status == api.IN_PROGRESS)
                             .values(lease_expires=None))
        return gone

    def renew(self, leases: list[Lease]) -> list[Lease]:
        """Push these leases' expiry on by the lease time; returns the ones that were lost.

        A lease whose run has just ended its job (``end``: still this owner and attempt, the
        job completed or failed) is not lost: the worker lists a run as running until its
        thread is done, so a renewal can come between the end and that, and taking it for a
        takeover logged that the finished run's output was dropped."""
        lost = []
        until = time.time() + self.lease_seconds
        with self.store.transaction() as conn:
            for lease in leases:
                renewed = conn.execute(update(jobs).where(
                    jobs.c.id == lease.job_id, jobs.c.owner == lease.owner,
                    jobs.c.attempts == lease.attempt, jobs.c.status == api.IN_PROGRESS)
                    .values(lease_expires=until)).rowcount
                if renewed != 1 and not conn.execute(select(jobs.c.id).where(
                        jobs.c.id == lease.job_id, jobs.c.owner == lease.owner,
                        jobs.c.attempts == lease.attempt,
                        jobs.c.status.in_(api.ENDED))).first():
                    lost.append(lease)
        return lost

    def end(self, lease: Lease, status: str, error: str | None = None) -> bool:
        """completed or failed, if this run still holds the job, and counted in the running
        totals (job_totals.py); False otherwise (lost lease, or the job is gone)."""
        with self.store.transaction() as conn:
            if not _still_held(conn, lease):
                return False
            now = time.time()
            conn.execute(update(jobs).where(jobs.c.id == lease.job_id).values(
                status=status, error=error, lease_expires=None, updated_at=now))
            # Counted in the same transaction: a job ends and is counted once, or neither.
            job = conn.execute(select(jobs.c.kind, jobs.c.duration, jobs.c.started_at,
                                      jobs.c.created_at).where(jobs.c.id == lease.job_id)).one()
            job_totals.add(self.store, job_totals.of_job(job._mapping, status, now))
            job_signal.announce(conn)  # the conversation's next job may run now, anywhere
        return True

    def give_back(self, lease: Lease) -> bool:
        """The job runnable again, its partial output undone, for any worker to run from
        the start (a worker stopping, a run that lost the database); False if this run no
        longer held it. Its status stays in_progress (statuses never go back); it has no
        owner or lease until a worker claims it."""
        with self.store.transaction() as conn:
            if not _still_held(conn, lease):
                return False
            self.store.remove_job_output(lease.job_id)
            # Counted apart (not towards MAX_RUNS); ``attempts`` is left as it is, so the
            # next claim fences this run out with a higher number whoever makes it (this
            # worker included, while this run still lives).
            conn.execute(update(jobs).where(jobs.c.id == lease.job_id).values(
                owner=None, lease_expires=None, started_at=None,
                given_back=jobs.c.given_back + 1, updated_at=time.time()))
            job_signal.announce(conn)
        return True


def _still_held(conn, lease: Lease) -> bool:
    """Whether this run still holds its job (locked for the rest of the transaction), for
    the writes that end a run: a lost lease is an answer there, not an error."""
    try:
        return bool(hold(conn, lease))
    except LeaseLost:
        return False
