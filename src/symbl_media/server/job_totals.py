"""The deployment's running totals of ended jobs: what ``/metrics``' counters and job-seconds
histogram say.

Prometheus counters only go up. Read off the jobs table at scrape time they went down
whenever a conversation (and so its jobs) was deleted. So each job that ends adds its figures
to a small table (``schema.job_totals``: one row per figure, a name and a value), in the
transaction that ends it (``queue.JobQueue.end``, and ``claim`` failing a job that killed its
workers): a job is counted once, when it ends, whichever worker ends it; every API process
reads the same totals; deleting a conversation changes none of them. The gauges (queue depth,
jobs by state) are still read off the jobs table (``job_figures.py``): they say what is there.

The figures, by name (``STATE`` is ``completed`` or ``failed``):

- ``STATE:count``, ``STATE:seconds``: jobs ended so, and their run time added up;
- ``STATE:le:BOUND``: jobs whose run time was at most BOUND and above the bound before it
  (``+Inf`` past the last): one row per job end, added up into Prometheus' cumulative
  buckets when read;
- ``media:seconds``, ``media:audio``: run time and audio length of completed media jobs
  (audio, video, URLs), whose ratio is the realtime factor.

A job's run time is from ``started_at`` (when its last run was claimed) to its end; a job
that had none (ended by a version before leases) counts from ``created_at``. The bucket
bounds are part of the stored figures: changing them needs a migration step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from symbl_media.contract import endpoints as api
from symbl_media.server.schema import job_totals

# Upper bounds of the job-seconds histogram: a text job takes well under a second, an hour
# of audio on tiny.en about four minutes on two cores, a larger model on a CPU far longer.
JOB_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
               4 * 3600.0)


def bound_name(bound: float) -> str:
    return f"{bound:g}"


def bucket_of(seconds: float) -> str:
    """The name of the histogram bucket a run time falls in (non-cumulative)."""
    for bound in JOB_BUCKETS:
        if seconds <= bound:
            return bound_name(bound)
    return "+Inf"


def of_job(job, status: str, ended_at: float) -> dict[str, float]:
    """What one job ending ``status`` at ``ended_at`` adds. ``job``: its row (kind,
    duration, started_at, created_at)."""
    seconds = max(0.0, ended_at - (job["started_at"] or job["created_at"]))
    amounts = {f"{status}:count": 1.0, f"{status}:seconds": seconds,
               f"{status}:le:{bucket_of(seconds)}": 1.0}
    if status == api.COMPLETED and job["kind"] != "text":
        amounts["media:seconds"] = seconds
        amounts["media:audio"] = float(job["duration"] or 0.0)
    return amounts


def add(store, amounts: dict[str, float]) -> None:
    """Add ``amounts`` to the totals, in the store's current transaction (or one of its
    own). One statement, rows in name order, so enders that meet lock them in one order."""
    if not amounts:
        return
    rows = [{"name": name, "value": value} for name, value in sorted(amounts.items())]
    statement = store.insert(job_totals).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[job_totals.c.name],
        set_={"value": job_totals.c.value + statement.excluded.value})
    with store.transaction() as conn:
        conn.execute(statement)


@dataclass(frozen=True)
class Ended:
    """The jobs ever ended in one state: how many, their run time, and per bucket bound how
    many took at most that long (cumulative, as Prometheus wants them)."""

    count: int = 0
    seconds: float = 0.0
    buckets: tuple[int, ...] = (0,) * len(JOB_BUCKETS)


@dataclass(frozen=True)
class Totals:
    ended: dict[str, Ended] = field(default_factory=dict)
    media_seconds: float = 0.0
    audio_seconds: float = 0.0

    def state(self, name: str) -> Ended:
        return self.ended.get(name, Ended())


def read(conn) -> Totals:
    """The totals as they stand (a handful of rows, whatever the number of jobs)."""
    values = {r.name: float(r.value) for r in conn.execute(select(job_totals))}
    ended = {}
    for state in api.ENDED:
        running, buckets = 0, []
        for bound in JOB_BUCKETS:
            running += int(values.get(f"{state}:le:{bound_name(bound)}", 0))
            buckets.append(running)
        ended[state] = Ended(count=int(values.get(f"{state}:count", 0)),
                             seconds=values.get(f"{state}:seconds", 0.0),
                             buckets=tuple(buckets))
    return Totals(ended, values.get("media:seconds", 0.0), values.get("media:audio", 0.0))
