"""A worker in another process than the API is told of a new job at once on PostgreSQL
(LISTEN/NOTIFY, server/job_signal.py), instead of finding it at its next look."""

from __future__ import annotations

import time

from symbl_media.server.engines.chosen import Engines
from symbl_media.server.engines.settings import EngineSettings
from symbl_media.server.faults import Faults
from symbl_media.server.store import Store
from symbl_media.server.worker import Worker
from symbl_media.testing import running_sandbox

TEXT = {"messages": [{"payload": {"content": "Let's meet on Friday."},
                      "from": {"name": "Ann"}}]}


def _worker(store: Store, data, look_every: float) -> Worker:
    return Worker(store, Engines(EngineSettings(load_engines="first-job")), Faults({}), data,
                  parallel=1, max_body_bytes=1 << 20, max_duration=3600, fetch_timeout=10,
                  on_messages=lambda cid, lease: None, look_every=look_every)


def _ended_within(api, job_id: str, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = api.get(f"/v1/job/{job_id}").json()["status"]
        if status in ("completed", "failed"):
            return status
        time.sleep(0.05)
    return None


def test_a_job_added_by_an_api_process_wakes_a_worker_elsewhere(tmp_path, postgres):
    """The worker would look only every 10 minutes: each job (three submissions, two of
    them appends, run in order) must still start as soon as it is added or runnable."""
    url, password = postgres.url(postgres.new_database()), postgres.password
    with running_sandbox(tmp_path / "data", database=url, database_password=password,
                         run_jobs=False) as api_process:
        store = Store(url, password)
        worker = _worker(store, tmp_path / "data", look_every=600)
        worker.start()
        try:
            time.sleep(1.0)  # the listener is connected (and its first look is over)
            api = api_process.client()
            first = api.post("/v1/process/text", json=TEXT).json()
            assert _ended_within(api, first["jobId"], 30) == "completed"
            cid = first["conversationId"]
            appends = [api.put(f"/v1/process/text/{cid}", json=TEXT).json()["jobId"]
                       for _ in range(2)]
            for jid in appends:
                assert _ended_within(api, jid, 30) == "completed"
            jobs = [store.job(j) for j in (first["jobId"], *appends)]
            assert [j["seq"] for j in jobs] == [1, 2, 3]
        finally:
            worker.stop()
            store.close()
