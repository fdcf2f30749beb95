"""Workers on other machines, as real processes: ``sandbox serve --no-jobs`` and ``sandbox
worker`` started through the CLI on one data folder and one database (the throwaway
PostgreSQL cluster; SQLite where one machine is meant). A worker SIGKILLed mid-job loses it
to the other within the lease time, and the job's messages are there exactly once; appends
run in order; SIGTERM finishes a job or gives it back; nothing is left in progress."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from deployment import Deployment
from symbl_media.server.leases import owner_pid
from symbl_media.server.store import Store

LEASE = 2.0  # seconds: short, so a takeover is quick


@pytest.fixture(scope="module")
def speech(samples):
    """15 s of speech: a job of a second or more, long enough to be caught half-way (a
    worker's first job also loads its model)."""
    return (samples / "mono-16k.wav").read_bytes()


@pytest.fixture
def cluster(tmp_path, postgres):
    deployment = Deployment(tmp_path / "data", postgres.url(postgres.new_database()),
                            postgres.password)
    store = None
    try:
        deployment.api("--max-jobs", "50")
        store = Store(deployment.database, postgres.password)
        deployment.store = store
        yield deployment
    finally:
        deployment.close()
        if store is not None:
            store.close()


def _owner_pid(store: Store, job_id: str, timeout: float = 60) -> int:
    """The pid of the worker that runs the job, once one does (leases.worker_id)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.job(job_id)
        if job["status"] == "in_progress" and job["owner"]:
            return owner_pid(job["owner"])
        assert job["status"] in ("scheduled", "in_progress"), job  # waiting, or given back
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} was not taken")


def _nothing_in_progress(store: Store, cids: list[str]) -> None:
    for cid in cids:
        assert {j["status"] for j in store.jobs(cid)} == {"completed"}


def test_a_killed_workers_job_is_taken_over_once_and_appends_stay_in_order(cluster,
                                                                           speech):
    workers = [cluster.worker("--lease-seconds", str(LEASE), "--parallel", "1")
               for _ in range(2)]
    api = cluster.client()
    quiet = api.audio(speech)
    assert api.wait(quiet["jobId"]) == "completed"
    expected = api.messages(quiet["conversationId"])
    assert expected

    ids = api.audio(speech)
    cid = ids["conversationId"]
    appends = [api.text(f"Append number {i}.", cid)["jobId"] for i in range(3)]
    pid = _owner_pid(cluster.store, ids["jobId"])
    killed = next(w for w in workers if w.proc.pid == pid)
    survivor = next(w for w in workers if w is not killed)
    killed.signal(signal.SIGKILL)
    down = time.monotonic()
    # The survivor takes it over within the lease and one look at the queue (0.5 s).
    while (job := cluster.store.job(ids["jobId"]))["attempts"] < 2:
        assert time.monotonic() - down < LEASE + 3, job
        time.sleep(0.05)
    assert owner_pid(job["owner"]) == survivor.proc.pid
    assert api.wait(ids["jobId"]) == "completed"
    for jid in appends:
        assert api.wait(jid) == "completed"
    got = api.messages(cid)
    assert got[:len(expected)] == expected  # once, as in the quiet run
    assert [m[0] for m in got[len(expected):]] == [f"Append number {i}." for i in range(3)]
    assert [j["attempts"] for j in cluster.store.jobs(cid)] == [2, 1, 1, 1]
    _nothing_in_progress(cluster.store, [cid, quiet["conversationId"]])
    assert f"job {ids['jobId']}: the lease of" in survivor.output


def test_sigterm_finishes_the_running_job_or_gives_it_back(cluster, speech):
    api = cluster.client()
    patient = cluster.worker("--lease-seconds", str(LEASE), "--parallel", "1")
    finished = api.audio(speech)
    _owner_pid(cluster.store, finished["jobId"])
    patient.signal(signal.SIGTERM)  # the default grace (30 s) is time enough to finish
    assert patient.wait() == 0
    assert cluster.store.job(finished["jobId"])["status"] == "completed"
    assert cluster.store.job(finished["jobId"])["attempts"] == 1

    hasty = cluster.worker("--lease-seconds", str(LEASE), "--parallel", "1",
                           "--grace-seconds", "0")
    given = api.audio(speech)
    _owner_pid(cluster.store, given["jobId"])
    hasty.signal(signal.SIGTERM)
    assert hasty.wait() == 0
    assert "given back unfinished" in hasty.output
    job = cluster.store.job(given["jobId"])
    assert (job["status"], job["owner"]) == ("in_progress", None)  # statuses never go back
    assert cluster.store.messages(given["conversationId"]) == []
    cluster.worker("--lease-seconds", str(LEASE))  # another one runs it from the start
    assert api.wait(given["jobId"]) == "completed"
    assert api.messages(given["conversationId"]) == api.messages(finished["conversationId"])
    _nothing_in_progress(cluster.store, [given["conversationId"], finished["conversationId"]])


def test_a_worker_waits_out_a_database_outage_and_runs_its_job_once(cluster, postgres,
                                                                     speech):
    """The database stops while a worker transcribes (longer than the lease): the worker
    neither crashes nor fails the job; it runs once the database is back, messages once."""
    worker = cluster.worker("--lease-seconds", str(LEASE), "--parallel", "1")
    api = cluster.client()
    quiet = api.audio(speech)
    assert api.wait(quiet["jobId"]) == "completed"
    ids = api.audio(speech)
    _owner_pid(cluster.store, ids["jobId"])
    postgres.stop()
    try:
        time.sleep(LEASE + 3)
        assert worker.proc.poll() is None
    finally:
        postgres.start()
    assert api.wait(ids["jobId"]) == "completed"
    assert api.messages(ids["conversationId"]) == api.messages(quiet["conversationId"])
    assert worker.proc.poll() is None
    assert "jobs wait until it answers" in worker.output
    assert f"job {ids['jobId']}: " in worker.output and "runs again once" in worker.output
    _nothing_in_progress(cluster.store, [ids["conversationId"]])


def test_the_429_cap_counts_the_jobs_of_the_whole_deployment(tmp_path, postgres):
    """Two API processes, no worker: the cap of 2 holds whichever process takes a job."""
    deployment = Deployment(tmp_path / "data", postgres.url(postgres.new_database()),
                            postgres.password)
    try:
        deployment.api("--workers", "2", "--max-jobs", "2")
        api = deployment.client()
        codes = []
        for i in range(6):
            api.session.close()  # a new connection each time: either process may take it
            codes.append(api.post("/v1/process/text", json={
                "messages": [{"payload": {"content": f"Hello {i}."}}]}).status_code)
        assert codes == [201, 201, 429, 429, 429, 429]
    finally:
        deployment.close()


def test_a_worker_beside_serve_on_one_machine_uses_the_sqlite_file(tmp_path):
    """...and takes the job fault of the fault matrix (--faults fail_job): the next job it
    runs fails, as on serve, and the client sees it failed."""
    deployment = Deployment(tmp_path / "data")
    try:
        deployment.api()
        deployment.worker("--lease-seconds", str(LEASE), "--faults", '{"fail_job": 1}')
        api = deployment.client()
        failed = api.text("This one fails on purpose.")
        assert api.wait(failed["jobId"]) == "failed"
        first = api.text("Please send the report by Friday.")
        then = api.text("And the invoice.", first["conversationId"])
        assert api.wait(then["jobId"]) == "completed"
        assert [m[0] for m in api.messages(first["conversationId"])] == [
            "Please send the report by Friday.", "And the invoice."]
    finally:
        deployment.close()


def test_one_machine_carries_on_at_once_after_serve_is_killed_mid_job(tmp_path, speech):
    """``serve`` runs jobs itself; SIGKILLed mid-job and started again, it takes the job
    back at once (its dead predecessor's lease is not waited out) and runs it once."""
    deployment = Deployment(tmp_path / "data")
    try:
        # A lease far longer than a restart under any load: were it waited out, the job
        # would take minutes; taken back at once, it takes the restart and one transcription.
        first = deployment.api("--lease-seconds", "300", jobs=True)
        api = deployment.client()
        ids = api.audio(speech)
        while api.status(ids["jobId"]) != "in_progress":
            time.sleep(0.02)
        first.signal(signal.SIGKILL)
        first.wait()
        restarted = time.monotonic()
        deployment.api("--lease-seconds", "300", jobs=True)
        api = deployment.client()
        assert api.wait(ids["jobId"]) == "completed"
        assert time.monotonic() - restarted < 150  # well inside the 300 s lease
        store = Store(tmp_path / "data" / "sandbox.sqlite3")
        try:
            assert store.job(ids["jobId"])["attempts"] == 2
        finally:
            store.close()
        assert api.messages(ids["conversationId"])  # once: a second run would double them
        again = api.audio(speech)
        assert api.wait(again["jobId"]) == "completed"
        assert api.messages(ids["conversationId"]) == api.messages(again["conversationId"])
    finally:
        deployment.close()


def test_a_worker_fetches_a_url_job_under_its_own_size_limit(tmp_path, samples):
    import functools
    import http.server
    import threading

    served = tmp_path / "served"
    served.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-stream_loop", "3", "-i",
                    str(samples / "mono-16k.wav"), "-c", "copy", str(served / "long.wav")],
                   check=True)  # 1.9 MB
    (served / "short.wav").write_bytes((samples / "mono-16k.wav").read_bytes())  # 0.5 MB
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    deployment = Deployment(tmp_path / "data")
    try:
        deployment.api()
        deployment.worker("--max-body-mb", "1")
        api = deployment.client()
        base = f"http://127.0.0.1:{web.server_address[1]}"
        big = api.post("/v1/process/audio/url", json={"url": f"{base}/long.wav"}).json()
        small = api.post("/v1/process/audio/url", json={"url": f"{base}/short.wav"}).json()
        assert api.wait(big["jobId"]) == "failed"
        assert api.wait(small["jobId"]) == "completed"
        assert not list((tmp_path / "data" / "uploads").glob(".fetching-*"))
        store = Store(tmp_path / "data" / "sandbox.sqlite3")
        try:
            assert "larger than 1048576 bytes" in store.job(big["jobId"])["error"]
        finally:
            store.close()
    finally:
        deployment.close()
        web.shutdown()


def _worker(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "worker", *args],
                          capture_output=True, text=True, timeout=60, env=env)


def test_a_worker_refuses_a_missing_data_folder_and_an_unreachable_database(tmp_path):
    import os
    import socket

    missing = _worker("--data", str(tmp_path / "nowhere"))
    assert missing.returncode == 8 and missing.stderr.count("\n") == 1
    assert "no such folder" in missing.stderr and "Traceback" not in missing.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "data" / "uploads").mkdir(parents=True)  # as `sandbox serve` leaves it
    env = {**os.environ, "SYMBL_SANDBOX_DATABASE":
           f"postgresql://team:Hunter2-secret@127.0.0.1:{port}/symbl"}
    down = _worker("--data", str(tmp_path / "data"), env=env)
    assert down.returncode == 24 and down.stderr.count("\n") == 1
    assert "unavailable" in down.stderr and "Hunter2-secret" not in down.stderr
    on_argv = _worker("--data", str(tmp_path / "data"), "--database",
                      f"postgresql://team:Hunter2-secret@127.0.0.1:{port}/symbl")
    assert on_argv.returncode == 2 and "Hunter2-secret" not in on_argv.stderr
    http_fault = _worker("--data", str(tmp_path / "data"), "--faults", '{"status500": 1}')
    assert http_fault.returncode == 2 and "Traceback" not in http_fault.stderr
    assert "sandbox serve --faults" in http_fault.stderr



def test_a_worker_on_a_folder_no_sandbox_made_waits_and_fills_nothing(tmp_path):
    """An empty --data (a share not mounted yet, a worker started before the API): the worker
    says so once and waits, making nothing there (it used to make uploads/ and a SQLite file
    of its own, then wait for jobs nobody could send it); a stop while it waits is a clean
    exit 0; once `sandbox serve` has made the folder, it goes on."""
    import os
    import signal

    folder = tmp_path / "share"
    folder.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "worker", "--data",
                             str(folder)], stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items()
                                 if not k.startswith("SYMBL_SANDBOX_")})
    try:
        line = proc.stderr.readline()
        assert "holds no sandbox data yet" in line, line
        assert list(folder.iterdir()) == []
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, rest
    assert "stopped before taking any job" in rest and "Traceback" not in rest
    assert list(folder.iterdir()) == []

    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "worker", "--data",
                             str(folder)], stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items()
                                 if not k.startswith("SYMBL_SANDBOX_")})
    try:
        assert "holds no sandbox data yet" in proc.stderr.readline()
        (folder / "uploads").mkdir()  # what `sandbox serve` makes at start
        lines = [proc.stderr.readline() for _ in range(2)]
        assert "is a sandbox's data folder now" in lines[0], lines
        assert "taking jobs from" in lines[1], lines
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, rest


def _signal_thread(pid: int, tid: int, signum: int) -> None:
    """Send ``signum`` to one thread of another process (tgkill), as the kernel does when it
    delivers a process's signal to a thread other than the main one."""
    import ctypes
    import os

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.tgkill(pid, tid, signum) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def test_sigterm_delivered_to_another_thread_stops_the_worker(cluster):
    """The kernel hands a process's SIGTERM to any thread that does not block it: with the
    engines loaded, most of a worker's threads are native ones. Python runs the handler on
    the main thread only, so a main thread asleep for good (``Event.wait()`` without a
    timeout) never ran it: the worker hung after a job, the rare abort of docs/deploy.md
    (the test harness's SIGABRT after 60 s). Sent to one of the worker's other threads, it
    must stop all the same."""
    from pathlib import Path

    worker = cluster.worker("--lease-seconds", str(LEASE), "--parallel", "1")
    worker.until("taking jobs from")
    pid = worker.proc.pid
    deadline = time.monotonic() + 30
    while True:  # its job loop and lease heartbeat start just after that line
        others = sorted(int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()
                        if int(t.name) != pid)
        if len(others) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert others, "a worker runs threads besides its main one"
    _signal_thread(pid, others[0], signal.SIGTERM)
    assert worker.wait(15) == 0
    assert "sandbox worker: stopped" in worker.output
