"""The job queue on each backend (``store_target``: a SQLite file or a fresh PostgreSQL
database): who may take a job, a lease that runs out and is taken over, a run that lost its
lease writing nothing, appends in order whoever takes them."""

from __future__ import annotations

import threading
import time

import pytest

from symbl_media.server import processes
from symbl_media.server.failures import LeaseLost
from symbl_media.server.queue import JobQueue

HALF = [{"id": "m1", "text": "half", "start": 0, "end": 1}]


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
    from symbl_media.server import job_figures

    assert job_figures.read(first).totals.state("failed").count == 1  # counted as it ended
    assert first.messages(cid) == []
    assert JobQueue(first, "w5", 30).claim() is None


def test_a_restarted_worker_takes_back_at_once_what_a_dead_process_of_its_machine_held(stores):
    import socket
    import subprocess

    first, _ = stores
    host = socket.gethostname()
    here = processes.place()
    assert here is not None  # Linux with /proc: the place can be told
    dead = subprocess.Popen(["true"])  # its pid is free once it has been waited for
    dead.wait()
    alive = subprocess.Popen(["sleep", "30"])
    try:
        owners = {f"{host}:{dead.pid}.{here}:aa": None, f"{host}:{alive.pid}.{here}:bb": None,
                  f"elsewhere:{dead.pid}.{here}:cc": None,
                  f"{host}:{dead.pid}.0badcafe:dd": None,  # another container's
                  f"{host}:{dead.pid}:ee": None}  # an earlier version's id: no place
        for owner in owners:
            first.add_job(first.create_conversation(None), "text", {}, None, None)
            owners[owner] = JobQueue(first, owner, 30).claim().job["id"]
        queue = JobQueue(first, f"{host}:1.{here}:new", 30)
        assert queue.expire_the_dead_here() == [owners[f"{host}:{dead.pid}.{here}:aa"]]
        claim = queue.claim()
        assert claim.job["id"] == owners[f"{host}:{dead.pid}.{here}:aa"]
        assert queue.claim() is None  # the others keep theirs
    finally:
        alive.kill()
        alive.wait()


# A worker process's first claim, through the real code: prints its owner, then stays alive
# until its stdin closes when told to (``stay``), else ends at once. (One that stays keeps
# its connection open, as a live worker does.)
CLAIMING = """
import os, sys
from pathlib import Path
from symbl_media.server.leases import worker_id
from symbl_media.server.queue import JobQueue
from symbl_media.server.store import Store
target = sys.argv[1]
store = Store(target if "://" in target else Path(target), os.environ.get("TEST_DB_PASSWORD"))
print(JobQueue(store, worker_id(), 30).claim().lease.owner, flush=True)
if sys.argv[2] == "stay":
    sys.stdin.read()
store.close()
"""

# Run inside a new PID namespace, as its pid 1: the next pid there is made the one asked
# for (ns_last_pid), so the worker it starts has a pid that names no process out here.
IN_A_CONTAINER = """
import subprocess, sys
with open("/proc/sys/kernel/ns_last_pid", "w") as f:
    f.write(str(int(sys.argv[1]) - 1))
sys.exit(subprocess.call([sys.executable, *sys.argv[2:]]))
"""


def _worker_in_another_pid_namespace(pid: int, args: list[str], env: dict):
    """A worker in a PID namespace of its own (as in a container sharing the host's name)
    whose pid there is ``pid``; skipped where this machine cannot make one."""
    import shutil
    import subprocess
    import sys

    unshare = shutil.which("unshare")
    command = [unshare, "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
               sys.executable, "-c", IN_A_CONTAINER, str(pid), "-c", CLAIMING, *args]
    if unshare is None or subprocess.run([unshare, "--user", "--map-root-user", "--pid",
                                          "--fork", "--mount-proc", "true"],
                                         capture_output=True).returncode != 0:
        pytest.skip("no unprivileged PID namespaces here (unshare)")
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)


def test_a_live_worker_of_another_pid_namespace_keeps_its_lease_a_dead_one_here_does_not(
        stores, store_target):
    """Containers on host networking share the host name but not pids: a worker in one whose
    pid does not exist here is alive all the same, and its job is not taken over while it
    runs. A dead worker of this very namespace has its job taken over at once."""
    import os
    import socket
    import subprocess
    import sys

    first, _ = stores
    target = str(store_target[0])
    env = dict(os.environ, TEST_DB_PASSWORD=store_target[1] if len(store_target) > 1 else "")
    dead = subprocess.Popen(["true"])
    dead.wait()
    cid = first.create_conversation(None)
    theirs = first.add_job(cid, "text", {}, None, None)
    container = _worker_in_another_pid_namespace(dead.pid, [target, "stay"], env)
    try:
        owner = container.stdout.readline().strip()
        host = socket.gethostname()
        # Its id names this host and a pid that is dead here, but another place.
        assert owner.startswith(f"{host}:{dead.pid}.") and processes.place() not in owner
        assert first.job(theirs)["owner"] == owner
        ours = first.add_job(first.create_conversation(None), "text", {}, None, None)
        done = subprocess.run([sys.executable, "-c", CLAIMING, target, "end"], env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        ended = done.stdout.strip()  # a worker of this namespace, dead now
        assert f".{processes.place()}:" in ended and first.job(ours)["owner"] == ended
        queue = JobQueue(first, f"{host}:{os.getpid()}.{processes.place()}:new", 30)
        assert queue.expire_the_dead_here() == [ours]
        assert queue.claim().job["id"] == ours
        assert queue.claim() is None  # the container's worker runs its job still
        assert first.job(theirs)["owner"] == owner
    finally:
        container.stdin.close()
        container.wait(30)


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
