"""The deployment's job figures, read from the job table in one aggregate query.

API processes and job workers are separate processes (and machines), so no one process has
counted every job: what ``GET /metrics`` says about the queue and the jobs is read from the
database at scrape time, the same answer whichever process is scraped. One ``SELECT ...
GROUP BY status, kind`` over the jobs table: no rows are fetched, whatever its size.

A job's run time is from ``started_at`` (when a worker took it) to ``updated_at`` (when it
ended); a job that ended before that column existed has none, and its time is counted from
``created_at`` (submission) instead.

The states here are the queue's, not the clients': a job given back (a worker stopping, a
run that lost the database) stays ``in_progress`` to clients (statuses never go back,
queue.py) but waits for a worker with no owner, so it is counted as scheduled: in the queue
depth, and in the jobs by state.
"""

from __future__ import annotations

from dataclasses import dataclass

import time

from sqlalchemy import and_, case, func, select

from symbl_media.contract import endpoints as api
from symbl_media.server.schema import jobs

# Upper bounds of the job-seconds histogram: a text job takes well under a second, an hour
# of audio on tiny.en about four minutes on two cores, a larger model on a CPU far longer.
JOB_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
               4 * 3600.0)


@dataclass(frozen=True)
class StateFigures:
    """The jobs in one state: how many; for ended ones, their run time in total and per
    bucket (cumulative, as Prometheus wants them), and the audio length of media jobs."""

    count: int = 0
    seconds: float = 0.0
    buckets: tuple[int, ...] = (0,) * len(JOB_BUCKETS)
    media_seconds: float = 0.0  # run time of the media (audio, video, URL) jobs
    audio_seconds: float = 0.0  # the recordings' length, for media jobs that got that far
    oldest_created: float | None = None
    lapsed: int = 0  # in progress, but the worker's lease ran out (it died or is cut off)


@dataclass(frozen=True)
class JobFigures:
    by_state: dict[str, StateFigures]

    def state(self, name: str) -> StateFigures:
        return self.by_state.get(name, StateFigures())


def read(store) -> JobFigures:
    """The figures of every job in ``store``'s database (``StoreUnavailable`` if it is down)."""
    now = time.time()
    run = jobs.c.updated_at - func.coalesce(jobs.c.started_at, jobs.c.created_at)
    lapsed = and_(jobs.c.status == api.IN_PROGRESS, jobs.c.lease_expires < now)
    waiting = and_(jobs.c.status == api.IN_PROGRESS, jobs.c.owner.is_(None))  # given back
    state = case((waiting, api.SCHEDULED), else_=jobs.c.status)
    media = jobs.c.kind != "text"
    statement = (
        select(state.label("status"), media.label("media"), func.count().label("n"),
               func.coalesce(func.sum(run), 0.0).label("seconds"),
               func.coalesce(func.sum(jobs.c.duration), 0.0).label("audio"),
               func.min(jobs.c.created_at).label("oldest"),
               func.sum(case((lapsed, 1), else_=0)).label("lapsed"),
               *[func.sum(case((run <= bound, 1), else_=0)).label(f"b{i}")
                 for i, bound in enumerate(JOB_BUCKETS)])
        .group_by(state, media))
    with store.transaction() as conn:
        rows = [dict(r._mapping) for r in conn.execute(statement)]
    by_state: dict[str, StateFigures] = {}
    for row in rows:
        before = by_state.get(row["status"], StateFigures())
        buckets = tuple(a + int(row[f"b{i}"] or 0) for i, a in enumerate(before.buckets))
        oldest = [t for t in (before.oldest_created, row["oldest"]) if t is not None]
        media_row = bool(row["media"])
        by_state[row["status"]] = StateFigures(
            count=before.count + row["n"],
            seconds=before.seconds + float(row["seconds"]),
            buckets=buckets,
            media_seconds=before.media_seconds + (float(row["seconds"]) if media_row else 0.0),
            audio_seconds=before.audio_seconds + (float(row["audio"]) if media_row else 0.0),
            oldest_created=min(oldest) if oldest else None,
            lapsed=before.lapsed + int(row["lapsed"] or 0))
    return JobFigures(by_state)

