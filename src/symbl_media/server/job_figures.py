"""The deployment's job figures: the jobs there now, by state, in one aggregate query over the
job table; and the running totals of the jobs that ever ended (job_totals.py).

API processes and job workers are separate processes (and machines), so no one process has
counted every job: what ``GET /metrics`` says about the queue and the jobs is read from the
database at scrape time, the same answer whichever process is scraped. The gauges (queue
depth, jobs by state, lapsed leases, the oldest waiting job) are one ``SELECT ... GROUP BY
status`` over the jobs table, no rows fetched whatever its size; the counters and the
job-seconds histogram are the totals table's few rows, read in the same transaction.

The states here are the queue's, not the clients': a job given back (a worker stopping, a
run that lost the database) stays ``in_progress`` to clients (statuses never go back,
queue.py) but waits for a worker with no owner, so it is counted as scheduled: in the queue
depth, and in the jobs by state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select

from symbl_media.contract import endpoints as api
from symbl_media.server import job_totals
from symbl_media.server.schema import jobs


@dataclass(frozen=True)
class StateFigures:
    """The jobs in one state now: how many, the oldest one's submission, and (in progress)
    how many whose worker's lease ran out (it died or is cut off)."""

    count: int = 0
    oldest_created: float | None = None
    lapsed: int = 0


@dataclass(frozen=True)
class JobFigures:
    by_state: dict[str, StateFigures]
    totals: job_totals.Totals = field(default_factory=job_totals.Totals)

    def state(self, name: str) -> StateFigures:
        return self.by_state.get(name, StateFigures())


def read(store) -> JobFigures:
    """The figures of ``store``'s database (``StoreUnavailable`` if it is down)."""
    now = time.time()
    lapsed = and_(jobs.c.status == api.IN_PROGRESS, jobs.c.lease_expires < now)
    waiting = and_(jobs.c.status == api.IN_PROGRESS, jobs.c.owner.is_(None))  # given back
    state = case((waiting, api.SCHEDULED), else_=jobs.c.status)
    statement = (
        select(state.label("status"), func.count().label("n"),
               func.min(jobs.c.created_at).label("oldest"),
               func.sum(case((lapsed, 1), else_=0)).label("lapsed"))
        .group_by(state))
    with store.transaction() as conn:
        rows = conn.execute(statement).all()
        totals = job_totals.read(conn)
    return JobFigures({r.status: StateFigures(count=r.n, oldest_created=r.oldest,
                                              lapsed=int(r.lapsed or 0)) for r in rows},
                      totals)
