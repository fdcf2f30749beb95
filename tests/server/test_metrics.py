"""GET /metrics: scraped over real HTTP, read with prometheus_client's own parser, on SQLite and
PostgreSQL. The job figures come from the database, so an API process that runs no jobs
reports the jobs another process ran; the HTTP figures are the answering process's own."""

from __future__ import annotations

import math
import os
import time
import signal
from pathlib import Path

import pytest
import requests
import soundfile as sf
from prometheus_client.parser import text_string_to_metric_families

from symbl_media.testing import running_sandbox

BOTH_BACKENDS = True


def scrape(url: str) -> dict:
    """{(sample name, sorted labels): value}, from a scrape that carries no token."""
    reply = requests.get(f"{url}/metrics", timeout=30)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(reply.text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


@pytest.fixture
def api_process(tmp_path, database):
    """An API process that runs no jobs (as with separate workers), metrics on."""
    with running_sandbox(tmp_path / "data", metrics=True, run_jobs=False,
                         max_concurrent_jobs=10, **database) as running:
        yield running


def test_job_figures_move_as_another_process_runs_real_jobs(api_process, tmp_path, database,
                                                            samples, web):
    url, _ = web
    api = api_process.client()
    first = scrape(api_process.url)
    assert value(first, "symbl_sandbox_database_up") == 1
    assert value(first, "symbl_sandbox_queue_depth") == 0
    assert value(first, "symbl_sandbox_jobs", state="completed") == 0
    assert math.isnan(value(first, "symbl_sandbox_realtime_factor"))

    audio = api.post("/v1/process/audio", data=(samples / "mono-16k.wav").read_bytes())
    text = api.post("/v1/process/text", json={"messages": [
        {"payload": {"content": "Please send the budget by Friday."}}]})
    missing = api.post("/v1/process/audio/url", json={"url": f"{url}/no-such-file.wav"})
    jobs = [r.json()["jobId"] for r in (audio, text, missing)]
    queued = scrape(api_process.url)
    assert value(queued, "symbl_sandbox_queue_depth") == 3
    assert value(queued, "symbl_sandbox_jobs", state="scheduled") == 3
    assert value(queued, "symbl_sandbox_queue_oldest_seconds") >= 0

    time.sleep(3)  # they wait in the queue: not part of their run time
    # A second process on the same database runs them (the worker's part of a deployment).
    with running_sandbox(tmp_path / "data", clean_start=False, **database):
        assert [api.wait(j) for j in jobs] == ["completed", "completed", "failed"]
    done = scrape(api_process.url)
    assert value(done, "symbl_sandbox_queue_depth") == 0
    assert value(done, "symbl_sandbox_jobs", state="completed") == 2
    assert value(done, "symbl_sandbox_jobs", state="failed") == 1
    assert value(done, "symbl_sandbox_job_seconds_count", state="completed") == 2
    assert value(done, "symbl_sandbox_job_seconds_count", state="failed") == 1
    buckets = sorted((float(dict(labels)["le"]), v) for (name, labels), v in done.items()
                     if name == "symbl_sandbox_job_seconds_bucket"
                     and dict(labels)["state"] == "completed")
    counts = [v for _, v in buckets]
    assert counts == sorted(counts) and counts[-1] == 2  # cumulative, +Inf holds them all
    # Counted from when a worker took the job (started_at), not from its submission: the
    # sum is the completed jobs' runs as their rows record them, without the 3 s they waited.
    # (Read from the rows, not against a bound in seconds: under load a run is as long as it
    # takes.)
    from sqlalchemy import select

    from symbl_media.server.schema import jobs as job_table
    with api_process.app.store.transaction() as conn:
        rows = conn.execute(select(job_table).where(job_table.c.id.in_(jobs))).mappings().all()
    ran = [r for r in rows if r["status"] == "completed"]
    assert all(r["started_at"] - r["created_at"] >= 3 for r in ran)  # they did wait
    job_seconds = value(done, "symbl_sandbox_job_seconds_sum", state="completed")
    assert job_seconds == pytest.approx(sum(r["updated_at"] - r["started_at"] for r in ran),
                                        abs=0.01)
    assert job_seconds > 0
    # Only the recording counts as audio; the realtime factor is audio / media job seconds.
    length = sf.info(str(samples / "mono-16k.wav")).duration
    assert value(done, "symbl_sandbox_audio_seconds_total") == pytest.approx(length, abs=0.5)
    media = value(done, "symbl_sandbox_media_job_seconds_total")
    assert 0 < media <= job_seconds
    assert value(done, "symbl_sandbox_realtime_factor") == pytest.approx(
        value(done, "symbl_sandbox_audio_seconds_total") / media)


def _monotonic(url: str) -> dict:
    """A scrape's samples of the counter and histogram families (what only goes up)."""
    text = requests.get(f"{url}/metrics", timeout=30).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            if family.type in ("counter", "histogram")
            and family.name.startswith(("symbl_sandbox_job", "symbl_sandbox_audio",
                                        "symbl_sandbox_media"))
            for s in family.samples}


def test_deleting_a_conversation_never_takes_a_counter_down(tmp_path, database, samples):
    """Prometheus counters only go up: the job counters and the job-seconds histogram are
    running totals kept in the database, which a delete leaves as they are; the jobs by
    state are a gauge, and drop."""
    with running_sandbox(tmp_path / "data", metrics=True, **database) as running:
        api = running.client()
        audio = api.post("/v1/process/audio",
                         data=(samples / "mono-16k.wav").read_bytes()).json()
        text = api.post("/v1/process/text", json={"messages": [
            {"payload": {"content": "Please send the budget by Friday."}}]}).json()
        assert [api.wait(i["jobId"]) for i in (audio, text)] == ["completed", "completed"]
        before, counted = scrape(running.url), _monotonic(running.url)
        assert value(before, "symbl_sandbox_job_seconds_count", state="completed") == 2
        assert value(before, "symbl_sandbox_audio_seconds_total") > 0
        for ids in (audio, text):
            deleted = api.delete(f"/v1/conversations/{ids['conversationId']}")
            assert deleted.status_code == 200, deleted.text
        after, still = scrape(running.url), _monotonic(running.url)
    assert set(still) == set(counted) and len(counted) > 20
    went_down = {k: (counted[k], still[k]) for k in counted if still[k] < counted[k]}
    assert went_down == {}
    assert still == counted  # nothing ran meanwhile: exactly as they were
    assert value(after, "symbl_sandbox_jobs", state="completed") == 0  # the gauge: none left
    assert value(after, "symbl_sandbox_realtime_factor") == pytest.approx(
        value(before, "symbl_sandbox_realtime_factor"))


def test_http_figures_count_route_templates_and_statuses(api_process):
    api = api_process.client()
    ids = api.post("/v1/process/text", json={"messages": [
        {"payload": {"content": "Hello there."}}]}).json()
    for _ in range(3):
        assert api.get(f"/v1/job/{ids['jobId']}").status_code == 200
    assert api.get("/v1/conversations/1234/messages").status_code == 404
    assert requests.get(f"{api_process.url}/no/such/route", timeout=10).status_code == 404
    samples = scrape(api_process.url)
    assert value(samples, "symbl_sandbox_http_requests_total", method="GET",
                 route="/v1/job/{jid}", status="200") == 3
    assert value(samples, "symbl_sandbox_http_requests_total", method="GET",
                 route="/v1/conversations/{cid}/messages", status="404") == 1
    assert value(samples, "symbl_sandbox_http_requests_total", method="GET",
                 route="unmatched", status="404") == 1
    assert value(samples, "symbl_sandbox_http_request_duration_seconds_count", method="GET",
                 route="/v1/job/{jid}") == 3
    assert value(samples, "symbl_sandbox_process_resident_memory_bytes") > 0
    # No id, token or secret in any label: routes are templates.
    text = requests.get(f"{api_process.url}/metrics", timeout=30).text
    assert ids["jobId"] not in text and ids["conversationId"] not in text
    assert api.token not in text and "sandbox-app-secret" not in text
    # The scrape itself is counted once it has been answered.
    again = scrape(api_process.url)
    assert value(again, "symbl_sandbox_http_requests_total", method="GET", route="/metrics",
                 status="200") == 2


def test_metrics_are_off_unless_asked_and_never_in_the_openapi_document(tmp_path, database,
                                                                        api_process):
    with running_sandbox(tmp_path / "plain", **database) as plain:
        assert requests.get(f"{plain.url}/metrics", timeout=10).status_code == 404
    document = requests.get(f"{api_process.url}/openapi.json", timeout=10).json()
    assert "/metrics" not in document["paths"]
    refused = requests.post(f"{api_process.url}/metrics", timeout=10)
    assert (refused.status_code, refused.headers.get("Allow")) == (405, "GET, HEAD")
    # A route's 405 names its methods too (RFC 9110 asks it of every 405).
    wrong = requests.delete(f"{api_process.url}/oauth2/token:generate", timeout=10)
    assert (wrong.status_code, wrong.headers.get("Allow")) == (405, "POST")


def _api_processes(parent: int) -> list[int]:
    """The API processes `serve --workers N` started (multiprocessing's spawned children)."""
    found = []
    for task in Path(f"/proc/{parent}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmdline:
                found.append(int(child))
    return found


def test_with_two_api_processes_every_scrape_counts_both(tmp_path):
    from .serve_process import Served

    def answered_root(samples: dict) -> float:
        return value(samples, "symbl_sandbox_http_requests_total", method="GET", route="/",
                     status="200")

    with Served(tmp_path / "data", "--workers", 2, "--metrics") as served:
        before = answered_root(scrape(served.url))
        first, second = _api_processes(served.proc.pid)
        # Each process answers 20 of them for sure: the other is stopped meanwhile (briefly:
        # the supervisor restarts a process that does not answer its health check for 5 s).
        for paused in (first, second):
            os.kill(paused, signal.SIGSTOP)
            try:
                for _ in range(20):  # a new connection each, taken by the running process
                    assert requests.get(served.url + "/", timeout=10).status_code == 200
            finally:
                os.kill(paused, signal.SIGCONT)
        after = [answered_root(scrape(served.url)) for _ in range(8)]
        code, _, err = served.stop()
    assert after == [before + 40] * 8, after
    assert code == 0, err


def test_a_job_whose_worker_stopped_renewing_its_lease_is_counted(api_process):
    from symbl_media.server.queue import JobQueue

    api = api_process.client()
    job = api.post("/v1/process/text", json={"messages": [
        {"payload": {"content": "Hello there."}}]}).json()["jobId"]
    assert value(scrape(api_process.url), "symbl_sandbox_jobs_lease_expired") == 0
    # A worker takes it with a short lease and is never heard of again (as if SIGKILLed).
    # Two seconds: with 0.5 s, a scrape on a loaded machine came after the lease had lapsed.
    lease = 2.0
    claimed = time.monotonic()
    claim = JobQueue(api_process.app.store, "gone-host:1:dead", lease).claim()
    assert claim is not None and claim.job["id"] == job
    taken = scrape(api_process.url)
    assert value(taken, "symbl_sandbox_jobs", state="in_progress") == 1
    assert value(taken, "symbl_sandbox_jobs_lease_expired") == 0
    time.sleep(max(0.0, claimed + lease + 0.3 - time.monotonic()))
    lapsed = scrape(api_process.url)
    assert value(lapsed, "symbl_sandbox_jobs_lease_expired") == 1
    assert value(lapsed, "symbl_sandbox_queue_depth") == 0


def test_a_scrape_while_the_database_is_down_says_so_and_still_answers(tmp_path, postgres):
    with running_sandbox(tmp_path / "data", metrics=True, run_jobs=False,
                         database=postgres.url(postgres.new_database()),
                         database_password=postgres.password) as running:
        running.client().post("/v1/process/text", json={"messages": [
            {"payload": {"content": "Hello there."}}]})
        assert value(scrape(running.url), "symbl_sandbox_database_up") == 1
        postgres.stop()  # as a crash leaves it: connections cut, nothing listening
        try:
            down = scrape(running.url)  # 200, not a 500 or a hang
        finally:
            postgres.start()
        back = scrape(running.url)
    assert value(down, "symbl_sandbox_database_up") == 0
    assert not [name for name, _ in down if name.startswith("symbl_sandbox_jobs")]
    assert value(down, "symbl_sandbox_http_requests_total", method="POST",
                 route="/v1/process/text", status="201") == 1  # this process's own figures
    assert value(back, "symbl_sandbox_database_up") == 1
    assert value(back, "symbl_sandbox_queue_depth") == 1
