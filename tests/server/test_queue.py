"""The job queue on each backend (``store_target``: a SQLite file or a fresh PostgreSQL
database): who may take a job, a lease that runs out and is taken over, a run that lost its
lease writing nothing, appends in order whoever takes them."""

from __future__ import annotations

import threading
import time

import pytest

from symbl_media.server.failures import LeaseLost
from symbl_media.server.queue import JobQueue
from symbl_media.server.store import Store

HALF = [{"id": "m1", "text": "half", "start": 0, "end": 1}]


@pytest.fixture
def stores(store_target):
    opened = [Store(*store_target), Store(*store_target)]
    yield opened
    for store in opened:
        store.close()


def test_an_expired_lease_is_taken_over_and_the_old_run_writes_nothing(stores):
    first, second = stores
    a, b = JobQueue(first, "a", 0.5), JobQueue(second, "b", 30)
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "audio", {}, None, None)
    old = a.claim().lease
    member = first.add_member(cid, "Speaker 1", job_id=jid, lease=old)
    assert first.record_job_output(cid, jid, HALF, 1.0, lease=old)
    assert b.claim() is None  # live: nobody else may take it
    time.sleep(0.6)
    claim = b.claim()
    assert claim.taken_over == "a" and claim.lease.attempt == 2
    # The dead run's output is undone, and nothing it still tries lands.
    assert second.messages(cid) == [] and second.members(cid) == []
    assert member["id"] not in {m["id"] for m in second.members(cid)}
    with pytest.raises(LeaseLost):
        first.record_job_output(cid, jid, HALF, 1.0, lease=old)
    with pytest.raises(LeaseLost):
        first.add_member(cid, "Speaker 1", job_id=jid, lease=old)
    assert a.end(old, "completed") is False and a.give_back(old) is False
    assert a.renew([old]) == [old]
    assert b.renew([claim.lease]) == []
    assert second.record_job_output(cid, jid, HALF, 1.0, lease=claim.lease)
    assert b.end(claim.lease, "completed") is True
    job = second.job(jid)
    assert (job["status"], job["owner"], job["attempts"]) == ("completed", "b", 2)
    assert [m["text"] for m in second.messages(cid)] == ["half"]


def test_a_renewed_lease_is_kept_and_a_job_left_without_one_is_taken_at_once(stores):
    first, second = stores
    a, b = JobQueue(first, "a", 0.6), JobQueue(second, "b", 30)
    cid = first.create_conversation(None)
    first.add_job(cid, "text", {}, None, None)
    lease = a.claim().lease
    for _ in range(4):
        time.sleep(0.3)
        assert a.renew([lease]) == []
        assert b.claim() is None
    # As an older version left it: in progress, no lease.
    other = first.add_job(first.create_conversation(None), "text", {}, None, None)
    first.set_job_status(other, "in_progress")
    assert b.claim().job["id"] == other


def test_appends_run_in_submission_order_whichever_worker_asks(stores):
    first, second = stores
    queues = [JobQueue(first, "a", 30), JobQueue(second, "b", 30)]
    cid = first.create_conversation(None)
    order = [first.add_job(cid, "text", {}, None, None) for _ in range(6)]
    other = first.add_job(first.create_conversation(None), "text", {}, None, None)
    ran: list[str] = []
    lock = threading.Lock()

    def work(queue: JobQueue) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with lock:
                if len(ran) == 7:
                    return
            claim = queue.claim()
            if claim is None:
                time.sleep(0.01)
                continue
            with lock:
                ran.append(claim.job["id"])
            time.sleep(0.02)
            assert queue.end(claim.lease, "completed")

    threads = [threading.Thread(target=work, args=(q,)) for q in queues]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [j for j in ran if j != other] == order and other in ran
    assert {j["attempts"] for j in first.jobs(cid)} == {1}


def test_two_conversations_run_at_once_but_one_conversation_never_twice(stores):
    first, second = stores
    a, b = JobQueue(first, "a", 30), JobQueue(second, "b", 30)
    one, two = first.create_conversation(None), first.create_conversation(None)
    j1 = first.add_job(one, "text", {}, None, None)
    first.add_job(one, "text", {}, None, None)
    j3 = first.add_job(two, "text", {}, None, None)
    assert {a.claim().job["id"], b.claim().job["id"]} == {j1, j3}
    assert a.claim() is None and b.claim() is None


def test_a_job_whose_worker_dies_every_time_is_failed_on_the_third_takeover(stores):
    first, _ = stores
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "audio", {}, None, None)
    given = JobQueue(first, "stopping", 30)
    assert given.give_back(given.claim().lease)  # a stopping worker's run does not count
    for run in range(1, 4):
        claim = JobQueue(first, f"w{run}", 0.2).claim()
        assert claim.lease.attempt == run + 1  # the fence counts it all the same
        first.record_job_output(cid, jid, HALF, 1.0, lease=claim.lease)
        time.sleep(0.3)  # the worker dies: its lease runs out
    claim = JobQueue(first, "w4", 30).claim()
    assert claim.lease is None and "3 times" in claim.abandoned
    job = first.job(jid)
    assert (job["status"], job["error"]) == ("failed", claim.abandoned)
    assert first.messages(cid) == []
    assert JobQueue(first, "w5", 30).claim() is None


def test_a_restarted_worker_takes_back_at_once_what_a_dead_process_of_its_machine_held(stores):
    import socket
    import subprocess

    first, _ = stores
    host = socket.gethostname()
    dead = subprocess.Popen(["true"])  # its pid is free once it has been waited for
    dead.wait()
    alive = subprocess.Popen(["sleep", "30"])
    try:
        owners = {f"{host}:{dead.pid}:aa": None, f"{host}:{alive.pid}:bb": None,
                  f"elsewhere:{dead.pid}:cc": None}
        for owner in owners:
            first.add_job(first.create_conversation(None), "text", {}, None, None)
            owners[owner] = JobQueue(first, owner, 30).claim().job["id"]
        queue = JobQueue(first, f"{host}:1:new", 30)
        assert queue.expire_the_dead_here() == [owners[f"{host}:{dead.pid}:aa"]]
        claim = queue.claim()
        assert claim.job["id"] == owners[f"{host}:{dead.pid}:aa"]
        assert queue.claim() is None  # the live one and the other machine's keep theirs
    finally:
        alive.kill()
        alive.wait()


def test_a_job_given_back_and_claimed_again_by_the_same_worker_fences_the_old_run(stores):
    """The run number only goes up: a worker that gives a job back and claims it again
    (its old run still alive) holds a new number, and the old run's writes are refused."""
    first, second = stores
    queue = JobQueue(first, "same", 30)
    cid = first.create_conversation(None)
    jid = first.add_job(cid, "audio", {}, None, None)
    old = queue.claim().lease
    assert queue.give_back(old)
    new = queue.claim().lease
    assert (new.owner, new.attempt) == (old.owner, old.attempt + 1)
    with pytest.raises(LeaseLost):
        first.record_job_output(cid, jid, HALF, 1.0, lease=old)
    assert queue.end(old, "completed") is False and queue.renew([old]) == [old]
    assert queue.give_back(old) is False
    assert second.record_job_output(cid, jid, HALF, 1.0, lease=new)
    assert queue.end(new, "completed")
    job = second.job(jid)
    assert (job["status"], job["attempts"], job["given_back"]) == ("completed", 2, 1)
