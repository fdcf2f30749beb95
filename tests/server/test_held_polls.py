"""GET /v1/job/{id}?wait=SECONDS, our extension: a poll held until the job's status changes,
over real HTTP on loopback, with a transcriber the test lets finish when it chooses."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from symbl_media.contract import endpoints as api
from symbl_media.server.model import Transcript
from symbl_media.testing import running_sandbox

BOTH_BACKENDS = True
MARGIN = 0.5  # seconds from a job's end to the held poll's answer, on a busy 2-core machine


class Gated:
    """A transcriber that hears nothing, once the test opens the gate."""

    name = "gated (test_held_polls.py)"

    def __init__(self) -> None:
        self.gate = threading.Event()

    def transcribe(self, wav, *, language="en-US", vocabulary=()):
        self.gate.wait(60)
        return Transcript(segments=(), duration=1.0, engine=self.name)


@pytest.fixture
def gated():
    return Gated()


@pytest.fixture
def served(tmp_path, database, gated):
    with running_sandbox(tmp_path / "data", transcriber=gated, **database) as running:
        yield running


def _submit(api_client, samples) -> str:
    reply = api_client.post("/v1/process/audio", data=(samples / "mono-16k.wav").read_bytes(),
                            headers={"Content-Type": "audio/wav"})
    assert reply.status_code == 201, reply.text
    return reply.json()["jobId"]


def _running(api_client, jid: str) -> None:
    deadline = time.monotonic() + 30
    while api_client.get(f"/v1/job/{jid}").json()["status"] != api.IN_PROGRESS:
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.02)


def test_a_held_poll_answers_within_a_small_margin_of_the_jobs_end(served, gated, samples):
    client = served.client()
    jid = _submit(client, samples)
    _running(client, jid)
    threading.Timer(1.0, gated.gate.set).start()
    asked = time.monotonic()
    reply = client.get(f"/v1/job/{jid}", params={api.JOB_WAIT: 20})
    answered, answered_at = time.monotonic(), time.time()
    assert reply.json()["status"] == api.COMPLETED
    assert reply.headers[api.JOB_HELD] == "20"
    assert answered - asked >= 0.9  # it was held, not answered at once
    ended = served.app.store.job(jid)["updated_at"]
    assert 0 <= answered_at - ended < MARGIN, answered_at - ended


def test_a_poll_on_a_server_that_runs_no_jobs_hears_of_the_end_elsewhere(
        tmp_path, database, gated, samples):
    """`serve --workers N`'s API processes run no jobs: the end is seen in the database."""
    with running_sandbox(tmp_path / "data", transcriber=gated, **database) as runner, \
            running_sandbox(tmp_path / "data", run_jobs=False, clean_start=False,
                            **database) as front:
        jid = _submit(front.client(), samples)
        _running(front.client(), jid)
        threading.Timer(1.0, gated.gate.set).start()
        reply = front.client().get(f"/v1/job/{jid}", params={api.JOB_WAIT: 20})
        answered_at = time.time()
        assert reply.json()["status"] == api.COMPLETED and reply.headers[api.JOB_HELD] == "20"
        ended = runner.app.store.job(jid)["updated_at"]
        assert 0 <= answered_at - ended < MARGIN, answered_at - ended


def test_a_wait_that_runs_out_answers_the_same_status(served, samples):
    client = served.client()
    jid = _submit(client, samples)
    _running(client, jid)
    asked = time.monotonic()
    reply = client.get(f"/v1/job/{jid}", params={api.JOB_WAIT: 0.6})
    assert 0.55 <= time.monotonic() - asked < 0.6 + MARGIN
    assert reply.json() == {"id": jid, "status": api.IN_PROGRESS}
    assert reply.headers[api.JOB_HELD] == "0.6"


def test_the_wait_is_bounded_checked_and_absent_from_symbls_own_polls(served, gated, samples):
    client = served.client()
    jid = _submit(client, samples)
    gated.gate.set()
    assert client.wait(jid) == api.COMPLETED
    ended = client.get(f"/v1/job/{jid}", params={api.JOB_WAIT: 3600})
    assert ended.headers[api.JOB_HELD] == f"{api.JOB_WAIT_MAX:g}"  # cut to the bound
    plain = client.get(f"/v1/job/{jid}")  # as the SDK and Symbl's clients ask
    assert api.JOB_HELD not in plain.headers and plain.json()["status"] == api.COMPLETED
    for bad in ("soon", "-1", "nan", "inf"):
        refused = client.get(f"/v1/job/{jid}", params={api.JOB_WAIT: bad})
        assert refused.status_code == 400
        assert refused.json()["message"].startswith('"wait" must be a number of seconds')


def test_turned_off_the_parameter_is_ignored_as_symbl_ignores_it(tmp_path, gated, samples):
    with running_sandbox(tmp_path / "data", transcriber=gated, job_wait_max=0) as running:
        client = running.client()
        jid = _submit(client, samples)
        asked = time.monotonic()
        reply = client.get(f"/v1/job/{jid}", params={api.JOB_WAIT: 20})
        assert time.monotonic() - asked < MARGIN
        assert reply.status_code == 200 and api.JOB_HELD not in reply.headers
        gated.gate.set()


def _held_poll(url: str, token: str, jid: str, seconds: float) -> socket.socket:
    """A job poll sent on a raw socket (many at once, no thread each); read with _reply."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall(f"GET /v1/job/{jid}?{api.JOB_WAIT}={seconds:g} HTTP/1.1\r\nHost: x\r\n"
                 f"Authorization: Bearer {token}\r\n\r\n".encode())
    return sock


def _reply(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        block = sock.recv(65536)
        assert block, "the connection closed without a reply"
        data += block
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers.get("content-length", 0)):
        body += sock.recv(65536)
    sock.close()
    return int(lines[0].split()[1]), headers, body


def _until_held(running, count: int) -> None:
    """Wait (up to 20 s) until the server holds ``count`` polls."""
    deadline = time.monotonic() + 20
    while running.app.job_watch.held < count:
        assert time.monotonic() < deadline, running.app.job_watch.held
        time.sleep(0.02)


def test_many_held_polls_hold_no_route_thread_and_past_the_cap_are_answered_at_once(
        tmp_path, gated, samples):
    """More held polls than the server has route threads (256): other requests are still
    answered at once; past the cap (here 300) a poll is answered at once with "0"."""
    with running_sandbox(tmp_path / "data", transcriber=gated, max_held_polls=300) as running:
        client = running.client()
        jid = _submit(client, samples)
        _running(client, jid)
        held = [_held_poll(running.url, client.token, jid, 20) for _ in range(300)]
        _until_held(running, 300)
        asked = time.monotonic()
        assert client.get("/v1/conversations").status_code == 200
        over = _reply(_held_poll(running.url, client.token, jid, 20))
        assert time.monotonic() - asked < 2 * MARGIN
        assert over[0] == 200 and over[1][api.JOB_HELD.lower()] == "0"
        gated.gate.set()
        answers = [_reply(sock) for sock in held]
        assert {(status, headers[api.JOB_HELD.lower()]) for status, headers, _ in answers} \
            == {(200, "20")}
        assert all(b'"completed"' in body for _, _, body in answers)
        assert running.app.job_watch.held == 0


def test_stopping_with_held_polls_answers_them_at_once(tmp_path, gated, samples):
    """Held polls do not keep a stopping server for its grace time (here 20 s): each is
    answered with the status as it is and "0", and the connection closed."""
    with running_sandbox(tmp_path / "data", transcriber=gated, grace_seconds=20) as running:
        client = running.client()
        jid = _submit(client, samples)
        _running(client, jid)
        held = [_held_poll(running.url, client.token, jid, 20) for _ in range(5)]
        _until_held(running, 5)
        stopping = time.monotonic()
        running.app.stop()
        stopped = time.monotonic() - stopping
        gated.gate.set()
        answers = [_reply(sock) for sock in held]
    assert stopped < 5.0, stopped  # a loaded 2-core machine; 20 s without the drain's signal
    for status, headers, body in answers:
        assert status == 200 and headers[api.JOB_HELD.lower()] == "0"
        assert headers.get("connection") == "close" and b'"in_progress"' in body


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_to_serve_answers_held_polls_at_once_and_exits_0(tmp_path, samples, workers):
    """The real command, one API process or two: held polls do not keep the drain waiting
    for its grace time (20 s). --no-jobs: the job stays scheduled, so the polls stay held."""
    from .serve_process import Served

    with Served(tmp_path / "data", "--no-jobs", "--workers", workers) as served:
        token = served.token()
        jid = _scheduled(served.url, token, samples)
        held = [_held_poll(served.url, token, jid, 20) for _ in range(5)]
        time.sleep(2.0)  # taken and held (a loaded machine: time for the API processes)
        stopping = time.monotonic()
        code, _, err = served.stop()
        stopped = time.monotonic() - stopping
        answers = [_reply(sock) for sock in held]
    assert code == 0, err[-2000:]
    # Processes to stop and join on a loaded 2-core machine; 19 s (the 20 s grace) without
    # the drain's signal.
    assert stopped < 10.0, stopped
    for status, headers, body in answers:
        assert status == 200 and b'"scheduled"' in body
        assert headers[api.JOB_HELD.lower()] == "0" and headers.get("connection") == "close"


def test_serve_job_wait_max_bounds_the_hold_and_zero_turns_it_off(tmp_path, samples):
    import requests

    from .serve_process import Served

    for bound, header in ((0.5, "0.5"), (0, None)):
        with Served(tmp_path / f"data-{bound}", "--no-jobs", "--job-wait-max", bound) as served:
            token = served.token()
            jid = _scheduled(served.url, token, samples)
            asked = time.monotonic()
            reply = requests.get(f"{served.url}/v1/job/{jid}", params={api.JOB_WAIT: 20},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=30)
            took = time.monotonic() - asked
            served.stop()
        assert reply.json()["status"] == api.SCHEDULED
        assert reply.headers.get(api.JOB_HELD) == header
        assert 0.45 <= took < 0.5 + MARGIN if bound else took < MARGIN


def _scheduled(url: str, token: str, samples) -> str:
    import requests

    reply = requests.post(url + "/v1/process/audio", timeout=30,
                          headers={"Authorization": f"Bearer {token}"},
                          data=(samples / "mono-16k.wav").read_bytes())
    assert reply.status_code == 201, reply.text
    return reply.json()["jobId"]


def test_a_held_poll_whose_job_is_deleted_is_answered_not_found_soon(served, gated, samples):
    """Deleting the conversation removes its job's row: the held poll says so (404) within
    a look at the database, not after the rest of its wait."""
    client = served.client()
    jid = _submit(client, samples)
    _running(client, jid)
    cid = served.app.store.job(jid)["conversation_id"]
    threading.Timer(1.0, lambda: client.delete(f"/v1/conversations/{cid}")).start()
    asked = time.monotonic()
    reply = client.get(f"/v1/job/{jid}", params={api.JOB_WAIT: 20})
    took = time.monotonic() - asked
    gated.gate.set()
    assert reply.status_code == 404, reply.text
    assert api.JOB_HELD not in reply.headers
    # One look at the database after the delete (0.5 s; 1 s on PostgreSQL, whose NOTIFY is
    # for a job's end only), with room for a loaded machine: not the rest of the 20 s.
    look = served.app.job_watch.look_every
    assert 0.9 <= took < 1.0 + look + 4 * MARGIN, (took, look)
