"""The cluster of issue 16 on one machine, all real processes: two API processes
(``serve --workers 2 --no-jobs``) and three ``sandbox worker`` processes on the throwaway
PostgreSQL, twenty client threads submitting text and audio, with appends to their own
conversations; meanwhile a worker running a job is SIGKILLed, one API process is restarted
(SIGTERM: uvicorn's supervisor starts another) and every database connection is dropped once
(pg_terminate_backend). Every job completes exactly once (each recording's received bytes,
messages and insights equal a quiet run's), appends stay in order, nothing but the dropped
connections' 503s is a 5xx, and nothing is left in progress or locked.

The issue's size, always: 200 submissions from 20 clients, each a text job, 8 appends to it
and a recording. Its time, measured on a shared 2-core machine (load 3-6): 17-30 s, against
9-18 s for the 64 submissions the suite ran before (docs/deploy.md, "Testing it").
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from pathlib import Path

import requests

from deployment import Deployment
from symbl_media.server.leases import owner_pid
from symbl_media.server.store import Store

CLIENTS = 20
APPENDS = 8  # text appends per client after its first text job
RECORDINGS = 20  # clients that also send a recording (one each): 20 × 9 + 20 = 200


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.codes: dict[int, int] = {}
        self.jobs: list[str] = []

    def saw(self, code: int) -> None:
        with self.lock:
            self.codes[code] = self.codes.get(code, 0) + 1


def _call(tally: Tally, method: str, url: str, token: str, **kwargs) -> requests.Response:
    """One request on a new connection; a 503 (a dropped database connection: nothing was
    changed, says its body) is tried again, as a client would."""
    for _ in range(100):
        reply = requests.request(method, url, timeout=60, headers={
            "x-api-key": token, "Connection": "close"}, **kwargs)
        tally.saw(reply.status_code)
        if reply.status_code != 503:
            return reply
        assert "database cannot be reached" in reply.json()["message"]
        time.sleep(0.2)
    raise AssertionError(f"{method} {url}: 503 a hundred times")


def _client(n: int, base: str, token: str, speech: bytes, tally: Tally, out: dict) -> None:
    def submit(method: str, path: str, **kwargs) -> dict:
        reply = _call(tally, method, base + path, token, **kwargs)
        assert reply.status_code == 201, (reply.status_code, reply.text)
        with tally.lock:
            tally.jobs.append(reply.json()["jobId"])
        return reply.json()

    def text(content: str) -> dict:
        return {"messages": [{"payload": {"content": content}}]}

    first = submit("POST", "/v1/process/text", json=text(f"Client {n} says 0."))
    cid = first["conversationId"]
    for i in range(1, APPENDS + 1):
        submit("PUT", f"/v1/process/text/{cid}", json=text(f"Client {n} says {i}."))
    out[n] = {"texts": cid}
    if n < RECORDINGS:
        out[n]["audio"] = submit("POST", "/v1/process/audio", data=speech)["conversationId"]


def _drop_database_connections(postgres, name: str) -> int:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=postgres.port, user="symbl",
                         password=postgres.password, dbname="postgres",
                         autocommit=True) as conn:
        return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = %s", (name,)).fetchall())


def test_a_cluster_under_load_and_faults_runs_every_job_once(tmp_path, postgres, samples):
    name = postgres.new_database()
    deployment = Deployment(tmp_path / "data", postgres.url(name), postgres.password)
    store = None
    try:
        api = deployment.api("--workers", "2", "--max-jobs", "1000")
        workers = [deployment.worker("--lease-seconds", "2", "--parallel", "2")
                   for _ in range(3)]
        store = Store(deployment.database, postgres.password)
        client = deployment.client()
        speech = (samples / "mono-16k.wav").read_bytes()
        quiet = client.audio(speech)
        assert client.wait(quiet["jobId"]) == "completed", store.job(quiet["jobId"])
        reference = client.messages(quiet["conversationId"])
        reference_insights = _insights(client, quiet["conversationId"])
        assert reference and any(reference_insights.values())
        token = client.session.headers["x-api-key"]
        api_children = _api_processes(api.proc.pid)
        assert len(api_children) == 2

        tally, out = Tally(), {}
        errors: list[BaseException] = []

        def run(n: int) -> None:
            try:
                _client(n, deployment.url, token, speech, tally, out)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        # The faults, while the clients submit and the workers run.
        killed = None
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline:
            # A worker running a recording (a second or more; a text job takes milliseconds
            # and may end before the signal lands, leaving nothing to take over).
            owners = {j["owner"] for j in _in_progress(store) if j["kind"] != "text"}
            pids = {owner_pid(o) for o in owners if o}
            killed = next((w for w in workers if w.proc.pid in pids), None)
            time.sleep(0.02)
        assert killed is not None, "no worker was seen running a job"
        killed.signal(signal.SIGKILL)
        taken = {j["id"] for j in _in_progress(store)
                 if j["owner"] and owner_pid(j["owner"]) == killed.proc.pid}
        os.kill(sorted(api_children)[0], signal.SIGTERM)  # its supervisor starts another
        time.sleep(0.5)
        assert _drop_database_connections(postgres, name) > 0
        for t in threads:
            t.join(120)
        assert not errors, errors[0]

        for jid in tally.jobs:
            deadline = time.monotonic() + 180
            while store.job(jid)["status"] not in ("completed", "failed"):
                assert time.monotonic() < deadline, store.job(jid)
                time.sleep(0.1)
            assert store.job(jid)["status"] == "completed", store.job(jid)
        for n, conversations in out.items():
            assert [m["text"] for m in store.messages(conversations["texts"])] == [
                f"Client {n} says {i}." for i in range(APPENDS + 1)]
            if "audio" in conversations:
                # What a quiet run made of the same recording: the bytes received, the
                # messages (text and times), the insights.
                cid = conversations["audio"]
                (job,) = store.jobs(cid)
                assert hashlib.sha256(Path(job["upload"]).read_bytes()).digest() == \
                    hashlib.sha256(speech).digest()
                assert client.messages(cid) == reference
                assert _insights(client, cid) == reference_insights
        expected = CLIENTS * (APPENDS + 1) + RECORDINGS
        assert len(tally.jobs) == expected == 200
        assert len(client.get("/v1/conversations?limit=1000").json()["conversations"]) == \
            CLIENTS + RECORDINGS + 1  # the quiet one: nothing submitted twice
        assert set(tally.codes) <= {201, 503}, tally.codes
        assert _in_progress(store) == []
        # The killed worker's jobs were taken over (a second run), and each ran once.
        assert taken and all(store.job(jid)["attempts"] == 2 for jid in taken)
        print(f"replies: {tally.codes}; jobs: {len(tally.jobs)}; taken over: {len(taken)}")
        assert killed.wait() == -signal.SIGKILL
        assert _api_processes(api.proc.pid) != api_children
        assert _locks_left(postgres, name) == []
    finally:
        deployment.close()
        if store is not None:
            store.close()


def _insights(client, cid: str) -> dict:
    """A conversation's insights as what they say (ids differ between conversations)."""
    said = {}
    for route, key in (("topics", "topics"), ("questions", "questions"),
                       ("action-items", "actionItems"), ("follow-ups", "followUps")):
        reply = client.get(f"/v1/conversations/{cid}/{route}")
        assert reply.status_code == 200, reply.text
        said[route] = sorted(item["text"] for item in reply.json()[key])
    return said


def _api_processes(parent: int) -> set[int]:
    """The uvicorn processes ``serve --workers N`` started (multiprocessing's spawned
    children; its resource tracker is not one)."""
    from pathlib import Path

    pids = set()
    for listing in Path(f"/proc/{parent}/task").glob("*/children"):
        for pid in listing.read_text().split():
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in argv:
                pids.add(int(pid))
    return pids


def _in_progress(store: Store) -> list[dict]:
    from sqlalchemy import select

    from symbl_media.server.schema import jobs

    with store.transaction() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(jobs.c.id, jobs.c.owner, jobs.c.kind).where(jobs.c.status == "in_progress"))]


def _locks_left(postgres, name: str) -> list[tuple]:
    """Advisory locks held, or sessions left inside a transaction, once everything ended."""
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=postgres.port, user="symbl",
                         password=postgres.password, dbname=name, autocommit=True) as conn:
        return conn.execute(
            "SELECT l.locktype, a.state FROM pg_locks l JOIN pg_stat_activity a "
            "ON a.pid = l.pid WHERE a.datname = %s AND a.pid <> pg_backend_pid() AND "
            "(l.locktype = 'advisory' OR a.state LIKE 'idle in transaction%%')",
            (name,)).fetchall()

