"""What a run that lost its lease still does, on each backend (``store_target``): nothing.
Its insights are not written over the run that took over, it stops at the next stage
instead of computing to its next write, and a client never sees the job's status go back."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import update

from symbl_media.server import conversation_insights
from symbl_media.server.engines.chosen import Engines
from symbl_media.server.failures import LeaseLost
from symbl_media.server.faults import Faults
from symbl_media.server.model import Segment, Transcript, Word
from symbl_media.server.queue import JobQueue
from symbl_media.server.schema import jobs
from symbl_media.server.store import Store
from symbl_media.server.worker import Worker

ORDER = ("scheduled", "in_progress", "completed")


class Host:
    """What runs a job, as conversation_insights.refresh reads it (the app and the worker
    process are such hosts): the store and the engines, the built-in insights engine."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engines = Engines()

    def insight_engine(self):
        return self.engines.insights


def _message(text: str) -> list[dict]:
    return [{"id": "1000000000000001", "text": text, "start": 0.0, "end": 3.0}]


def _run_out(store: Store, job_id: str) -> None:
    """The worker holding the job was cut off longer than its lease: the lease ran out."""
    with store.transaction() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(lease_expires=0))


def test_a_run_that_lost_its_lease_writes_no_insights(stores):
    first, second = stores
    a, b = JobQueue(first, "a", 30), JobQueue(second, "b", 30)
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "text", {"enableSummary": True}, None, None)
    old = a.claim().lease
    assert first.record_job_output(cid, jid, _message("Please send the report by Friday."),
                                   3.0, lease=old)
    conversation_insights.refresh(Host(first), cid, old)  # held: written
    _run_out(first, jid)
    new = b.claim().lease  # the old run's messages undone
    assert second.record_job_output(cid, jid, _message("We will hire two engineers in May."),
                                    3.0, lease=new)
    conversation_insights.refresh(Host(second), cid, new)
    taken_over = second.conversation(cid)["insights"]
    assert "hire" in taken_over and "report" not in taken_over
    # The old run's refresh, late: refused, and the run that holds the job keeps its insights.
    with pytest.raises(LeaseLost):
        conversation_insights.refresh(Host(first), cid, old)
    assert second.conversation(cid)["insights"] == taken_over


def test_a_given_back_job_stays_in_progress_to_clients(stores):
    first, second = stores
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "text", {}, None, None)
    seen = [first.job(jid)["status"]]
    stopping = JobQueue(first, "stopping", 30)
    lease = stopping.claim().lease
    seen.append(first.job(jid)["status"])
    assert stopping.give_back(lease)
    given = second.job(jid)
    seen.append(given["status"])
    assert (given["owner"], given["lease_expires"]) == (None, None)
    assert (given["attempts"], given["given_back"]) == (1, 1)  # the fence never goes down
    assert stopping.renew([lease]) == [lease]  # the given-back run holds nothing
    claim = JobQueue(second, "next", 30).claim()  # runnable at once, not a takeover
    assert claim.job["id"] == jid and claim.taken_over is None and claim.lease.attempt == 2
    seen.append(second.job(jid)["status"])
    assert JobQueue(second, "next", 30).end(claim.lease, "completed")
    seen.append(second.job(jid)["status"])
    assert [ORDER.index(s) for s in seen] == sorted(ORDER.index(s) for s in seen)
    assert seen[0] == "scheduled" and seen[-1] == "completed"



def test_a_run_that_just_ended_its_job_is_not_taken_for_one_that_lost_it(stores):
    """The worker lists a run as running until its thread is done: a renewal between the
    job's end and that must not report the lease lost (the worker logged that the finished
    run's output was dropped). A lease another run took over still is."""
    first, second = stores
    for _ in range(3):  # one job per conversation: each runnable at once
        first.add_job(first.create_conversation(None), "text", {}, None, None)
    a = JobQueue(first, "a", 30)
    completed, failed, taken = (a.claim().lease for _ in range(3))
    assert a.end(completed, "completed") and a.end(failed, "failed", "no speech")
    _run_out(first, taken.job_id)
    assert JobQueue(second, "b", 30).claim().lease.job_id == taken.job_id
    assert a.renew([completed, failed, taken]) == [taken]


class Blocking:
    """A transcriber that holds the run until the test lets it go, as a long recording would."""

    name = "blocking"

    def __init__(self) -> None:
        self.entered, self.release = threading.Event(), threading.Event()

    def transcribe(self, wav, *, language, vocabulary):
        self.entered.set()
        assert self.release.wait(30)
        words = (Word("hello", 0.0, 0.4, 0.9), Word("there", 0.5, 0.9, 0.9))
        return Transcript((Segment("hello there", 0.0, 0.9, words),), 1.0, "blocking")


class Counting:
    """A diarizer that counts its calls: a lost run must not reach it."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def assign(self, wav, segments, speakers):
        self.calls += 1
        return [Segment(s.text, s.start, s.end, s.words, speaker=0) for s in segments]


def test_a_run_that_loses_its_lease_stops_at_the_next_stage(stores, samples, tmp_path,
                                                             caplog):
    """The lease runs out while the recording is transcribed and another worker takes the
    job: the heartbeat tells the run, which stops after transcription; no diarization, no
    speaker, no message, no insights, and nothing logged as a failure."""
    first, second = stores
    caplog.set_level(logging.INFO, logger="symbl_media.server")
    transcriber, diarizer = Blocking(), Counting()
    refreshed: list[str] = []
    (tmp_path / "work").mkdir()
    worker = Worker(first, Engines(transcriber=transcriber, diarizer=diarizer), Faults({}),
                    tmp_path, parallel=1, max_body_bytes=1 << 30, max_duration=3600,
                    fetch_timeout=5, on_messages=lambda cid, lease: refreshed.append(cid),
                    lease_seconds=0.6)
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "audio", {"enableSpeakerDiarization": True},
                        str(samples / "mono-16k.wav"), "audio/wav")
    worker.start()
    try:
        assert transcriber.entered.wait(30)
        _run_out(second, jid)
        claim = JobQueue(second, "other", 30).claim()
        assert claim.taken_over == worker.id
        deadline = time.monotonic() + 10  # the heartbeat's next renewal (every 0.2 s)
        while not any("its lease ran out" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        transcriber.release.set()
        while worker.busy:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        transcriber.release.set()
        worker.stop()
    assert diarizer.calls == 0 and refreshed == []
    assert second.members(cid) == [] and second.messages(cid) == []
    job = second.job(jid)
    assert (job["status"], job["owner"], job["attempts"]) == ("in_progress", "other", 2)
    said = [r.getMessage() for r in caplog.records if jid in r.getMessage()]
    assert any("lost its lease" in m for m in said)
    assert not any("failed" in m for m in said), said


def test_a_run_given_back_by_a_stopping_worker_stops_at_the_next_stage(stores, samples,
                                                                        tmp_path, caplog):
    """Stopped with no grace while it transcribes, the worker gives the job back and tells
    the run, which stops after transcription: no diarization, nothing written, no warning."""
    first, second = stores
    caplog.set_level(logging.INFO, logger="symbl_media.server")
    transcriber, diarizer = Blocking(), Counting()
    (tmp_path / "work").mkdir()
    worker = Worker(first, Engines(transcriber=transcriber, diarizer=diarizer), Faults({}),
                    tmp_path, parallel=1, max_body_bytes=1 << 30, max_duration=3600,
                    fetch_timeout=5, on_messages=lambda cid, lease: None, lease_seconds=30)
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "audio", {"enableSpeakerDiarization": True},
                        str(samples / "mono-16k.wav"), "audio/wav")
    worker.start()
    try:
        assert transcriber.entered.wait(30)
        worker.stop(grace=0, flush=0)
        transcriber.release.set()
        deadline = time.monotonic() + 10
        while worker.busy:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        transcriber.release.set()
    assert diarizer.calls == 0
    assert second.members(cid) == [] and second.messages(cid) == []
    job = second.job(jid)
    assert (job["status"], job["owner"], job["attempts"], job["given_back"]) == (
        "in_progress", None, 1, 1)
    warned = [r.getMessage() for r in caplog.records
              if r.levelno >= logging.WARNING and jid in r.getMessage()]
    assert warned == []
    assert any("stopped with the worker" in r.getMessage() for r in caplog.records)


def test_a_given_back_job_is_counted_as_waiting_in_the_metrics(stores):
    """Clients see it in_progress; the operator's queue depth counts it as waiting."""
    from symbl_media.server import job_figures

    first, _ = stores
    queue = JobQueue(first, "stopping", 30)
    first.add_job(first.create_conversation(None), "text", {}, None, None)
    running = first.add_job(first.create_conversation(None), "text", {}, None, None)
    given = queue.claim()
    assert queue.claim().job["id"] == running
    assert queue.give_back(given.lease)
    figures = job_figures.read(first)
    assert (figures.state("scheduled").count, figures.state("in_progress").count) == (1, 1)
    assert first.job(given.job["id"])["status"] == "in_progress"


class Failing(Blocking):
    """A transcriber that, let go, raises what a run pulled from under by a stopping worker
    raises (a shut thread pool, say): not a failure of the job."""

    def transcribe(self, wav, *, language, vocabulary):
        self.entered.set()
        assert self.release.wait(30)
        raise RuntimeError("cannot schedule new futures after shutdown")


def _worker(store: Store, transcriber, tmp_path) -> Worker:
    (tmp_path / "work").mkdir(exist_ok=True)
    return Worker(store, Engines(transcriber=transcriber, diarizer=Counting()), Faults({}),
                  tmp_path, parallel=1, max_body_bytes=1 << 30, max_duration=3600,
                  fetch_timeout=5, on_messages=lambda cid, lease: None, lease_seconds=30)


def test_a_run_that_breaks_while_its_worker_stops_is_given_back(stores, samples, tmp_path):
    """Inside the grace time the run raises something unexpected (its worker is stopping):
    it is given back at once, not left to run out its lease and be taken over as if its
    worker had died (which counts towards MAX_RUNS)."""
    first, second = stores
    transcriber = Failing()
    worker = _worker(first, transcriber, tmp_path)
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "audio", {}, str(samples / "mono-16k.wav"), "audio/wav")
    worker.start()
    stopping = threading.Thread(target=worker.stop, kwargs={"grace": 20, "flush": 0})
    try:
        assert transcriber.entered.wait(30)
        stopping.start()
        deadline = time.monotonic() + 10
        while worker.alive:  # the loop ends once the worker is stopping
            assert time.monotonic() < deadline
            time.sleep(0.02)
        transcriber.release.set()  # the run breaks inside the grace time
        stopping.join(30)
        assert not stopping.is_alive()
    finally:
        transcriber.release.set()
    job = second.job(jid)
    assert (job["status"], job["owner"], job["lease_expires"]) == ("in_progress", None, None)
    assert (job["attempts"], job["given_back"]) == (1, 1)
    claim = JobQueue(second, "next", 30).claim()  # runnable at once, not a takeover
    assert claim.job["id"] == jid and claim.taken_over is None


def _writes_held(store: Store, conn) -> None:
    """Hold the database as a slow one would: a claim waits until this transaction ends
    (SQLite: the write lock already held; PostgreSQL: a lock that conflicts with FOR UPDATE)."""
    if store.dialect == "postgresql":
        conn.exec_driver_sql("LOCK TABLE jobs IN EXCLUSIVE MODE")


def test_a_claim_still_in_flight_when_the_worker_stops_is_given_back(stores, samples,
                                                                     tmp_path):
    """The worker asks for a job while the database is slow, and is stopped before the
    answer comes: the job it gets is given back, never started unrenewed (which would leave
    it to run out its lease and be taken over as if the worker had died)."""
    first, second = stores
    transcriber = Blocking()
    worker = _worker(first, transcriber, tmp_path)
    cid = first.create_conversation(None)
    worker.start()
    try:
        with second.transaction() as conn:
            _writes_held(second, conn)
            # Added inside the held transaction: no claim can see it before it ends.
            jid = second.add_job(cid, "audio", {}, str(samples / "mono-16k.wav"),
                                 "audio/wav")
            worker.poke()
            time.sleep(0.5)  # the loop is now waiting on the database in its claim
            worker.stop(grace=0, flush=0)  # gives up waiting for the loop after 5 s
        # The claim goes through now that the database answers.
        deadline = time.monotonic() + 15
        while (job := second.job(jid))["attempts"] == 0 or job["owner"] is not None:
            assert time.monotonic() < deadline, job
            time.sleep(0.05)
    finally:
        transcriber.release.set()
    assert not transcriber.entered.is_set()
    assert (job["status"], job["lease_expires"], job["given_back"]) == (
        "in_progress", None, 1)
