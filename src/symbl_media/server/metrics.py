"""What ``GET /metrics`` answers: the Prometheus text format, written by ``prometheus_client``.

Two kinds of figures, because API processes and job workers are separate processes:
- the deployment's jobs are read from the database when scraped (``JobsCollector``,
  ``job_figures.py``), so every API process gives the same answer: the gauges (queue depth,
  jobs by state) off the jobs there now, the counters and the job-seconds histogram (job
  seconds, audio seconds, the realtime factor) off running totals that each job's end adds
  to (``job_totals.py``), so they only go up, whatever is deleted;
- the API's HTTP traffic (requests by route template and status, their latency) is counted
  by the API process that answers each request, and this process's CPU, memory and file
  descriptors are its own.

Each ``Sandbox`` has its own registry, not the library's global one: the test kit and the
Python API start several sandboxes in one process, and each must count only its own. Names and
labels carry no ids, names, tokens or URLs: a route is its template (``/v1/job/{jid}``).

With ``serve --workers N`` the HTTP figures are the N API processes' together: the library's
multi-process mode (``shared_between_processes``) keeps each process's counts in a file of a
private temporary folder, and a scrape, whichever process answers it, adds them up.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import tempfile
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from symbl_media.contract import endpoints as api
from symbl_media.errors import StoreUnavailable
from symbl_media.server import job_figures, job_totals

PATH = "/metrics"
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the classic text format every scraper reads
PREFIX = "symbl_sandbox"
UNROUTED = "unmatched"  # the route label of a request no route took (404, 501, ...)
# Request latency: the token and reads take milliseconds; an upload as long as its body.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                   60.0, 300.0)


class Metrics:
    """This process's registry: its HTTP figures and the database's job figures."""

    def __init__(self, store) -> None:
        self.registry = CollectorRegistry()  # what a scrape reads
        shared = os.environ.get(SHARED)
        # In multi-process mode the counts live in the shared folder's files, read back by
        # the MultiProcessCollector: registering them here as well would count them twice.
        counting = None if shared else self.registry
        self.requests = Counter(
            f"{PREFIX}_http_requests", "HTTP requests answered by the API processes, by "
            "method, route template and status", ("method", "route", "status"),
            registry=counting)
        self.latency = Histogram(
            f"{PREFIX}_http_request_duration_seconds", "Time from a request's arrival to the "
            "end of its reply", ("method", "route"), buckets=LATENCY_BUCKETS,
            registry=counting)
        if shared:
            MultiProcessCollector(self.registry, path=shared)
        else:
            ProcessCollector(namespace=PREFIX, registry=self.registry)
        self.registry.register(JobsCollector(store))

    def observe(self, method: str, route: str, status: int | str, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def exposition(self) -> bytes:
        """The text a scrape gets (blocks on the database: call it off the event loop)."""
        return generate_latest(self.registry)


SHARED = "PROMETHEUS_MULTIPROC_DIR"  # the library's switch to multi-process mode


@contextlib.contextmanager
def shared_between_processes():
    """For the API processes started inside: an empty private folder for their counts, named
    in the environment they inherit (the library reads it when first imported, so it must be
    set before they start), removed afterwards with the counts in it."""
    folder = tempfile.mkdtemp(prefix="symbl-sandbox-metrics-")
    before = os.environ.get(SHARED)
    os.environ[SHARED] = folder
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(SHARED, None)
        else:
            os.environ[SHARED] = before
        shutil.rmtree(folder, ignore_errors=True)


class JobsCollector:
    """The deployment's job figures, read from the database on each scrape."""

    def __init__(self, store) -> None:
        self.store = store

    def describe(self):
        return []  # figures come from the database at scrape time, not at registration

    def collect(self):
        up = GaugeMetricFamily(f"{PREFIX}_database_up", "1 if the job figures could be read "
                               "from the database at this scrape, else 0")
        started = time.monotonic()
        try:
            figures = job_figures.read(self.store)
        except StoreUnavailable:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily(f"{PREFIX}_jobs_query_seconds", "How long the job figures' "
                                "query took at this scrape", value=time.monotonic() - started)
        yield from _job_families(figures, time.time())


def _job_families(figures: job_figures.JobFigures, now: float):
    scheduled = figures.state(api.SCHEDULED)
    yield GaugeMetricFamily(f"{PREFIX}_queue_depth", "Jobs waiting for a worker (scheduled, "
                            "or given back to run again), across the deployment",
                            value=scheduled.count)
    oldest = scheduled.oldest_created
    yield GaugeMetricFamily(f"{PREFIX}_queue_oldest_seconds", "Age of the oldest scheduled "
                            "job (0 when none waits)",
                            value=max(0.0, now - oldest) if oldest is not None else 0.0)
    yield GaugeMetricFamily(f"{PREFIX}_jobs_lease_expired", "Jobs in progress whose "
                            "worker stopped renewing its lease (died, or cut off from the "
                            "database): another worker takes each over",
                            value=figures.state(api.IN_PROGRESS).lapsed)
    states = GaugeMetricFamily(f"{PREFIX}_jobs", "Jobs in the database by state",
                               labels=("state",))
    for state in api.JOB_STATUSES:
        states.add_metric([state], figures.state(state).count)
    yield states
    # Counters and the histogram: running totals of every job that ever ended, kept in the
    # database (job_totals.py), so they only go up, whatever is deleted.
    totals = figures.totals
    seconds = HistogramMetricFamily(
        f"{PREFIX}_job_seconds", "Run time of ended jobs, from start to end, by outcome",
        labels=("state",))
    for state in api.ENDED:
        ended = totals.state(state)
        buckets = [(_bound(b), n) for b, n in zip(job_totals.JOB_BUCKETS, ended.buckets)]
        buckets.append(("+Inf", ended.count))
        seconds.add_metric([state], buckets, ended.seconds)
    yield seconds
    yield CounterMetricFamily(f"{PREFIX}_audio_seconds", "Length of the audio of completed "
                              "media jobs (audio, video, URLs)", value=totals.audio_seconds)
    yield CounterMetricFamily(f"{PREFIX}_media_job_seconds", "Run time of completed media "
                              "jobs: audio_seconds / media_job_seconds is the realtime factor",
                              value=totals.media_seconds)
    factor = (totals.audio_seconds / totals.media_seconds if totals.media_seconds > 0
              else math.nan)
    yield GaugeMetricFamily(f"{PREFIX}_realtime_factor", "Audio seconds per second of job "
                            "run time over every completed media job (NaN before the first)",
                            value=factor)


def _bound(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{value:.1f}"
