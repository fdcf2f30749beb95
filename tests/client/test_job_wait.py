"""SymblClient.wait: held polls against our server, the old schedule against a server that
has no such thing (a loopback stand-in answering as Symbl's Job API does), over real HTTP."""

from __future__ import annotations

import http.server
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from symbl_media.client.calls import SymblClient
from symbl_media.client.settings import resolve
from symbl_media.client.transport import Transport
from symbl_media.contract import endpoints as api
from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.server.model import Transcript
from symbl_media.testing import running_sandbox

from .json_standin import JsonHandler


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def client_for(url: str, **options) -> SymblClient:
    settings = resolve(url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
    return SymblClient(settings, Transport(settings, backoff=0.01), **options)


class Gated:
    name = "gated (test_job_wait.py)"

    def __init__(self) -> None:
        self.gate = threading.Event()

    def transcribe(self, wav, *, language="en-US", vocabulary=()):
        self.gate.wait(60)
        return Transcript(segments=(), duration=1.0, engine=self.name)


class SymblJobApi:
    """Symbl's token and Job API as the archived reference documents them: a job is
    in_progress for its first ``polls`` GETs, then completed; any query is ignored, or, with
    ``strict``, refused with a 400. Records each GET's query and when it came."""

    def __init__(self, polls: int, strict: bool = False) -> None:
        self.polls = polls
        self.asked: list[tuple[float, dict]] = []
        outer = self

        class Handler(JsonHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.answer(200, {"accessToken": "token-1", "expiresIn": 3600})

            def do_GET(self):
                query = parse_qs(urlsplit(self.path).query)
                if strict and query:
                    self.answer(400, {"message": f"Unknown query parameter {sorted(query)[0]}"})
                    return
                outer.asked.append((time.monotonic(), query))
                done = len(outer.asked) > outer.polls
                self.answer(200, {"id": "a1", "status": "completed" if done else "in_progress"})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("strict", [False, True], ids=["ignores", "refuses"])
def test_a_server_without_the_extension_is_polled_on_the_old_schedule(strict):
    symbl = SymblJobApi(polls=3, strict=strict)
    slept: list[float] = []
    try:
        client = client_for(symbl.url)
        status = client.wait("a1", poll=0.5, sleep=slept.append)
    finally:
        symbl.close()
    assert status == api.COMPLETED
    queries = [query for _, query in symbl.asked]
    # Asked once (a refusal is not a poll: asked again at once without it), never again.
    assert queries == ([] if strict else [{api.JOB_WAIT: ["20"]}]) + [{}] * (4 - (not strict))
    # Three waits between the four polls: 0.5 s, then 1.3 times longer each time.
    assert sum(slept) == pytest.approx(0.5 + 0.65 + 0.845)


def test_our_server_holds_each_poll_and_the_end_is_seen_at_once(tmp_path, samples):
    gated = Gated()
    with running_sandbox(tmp_path / "data", transcriber=gated) as running:
        client = client_for(running.url)
        job = client.submit_file(samples / "mono-16k.wav", content_type="audio/wav")
        threading.Timer(1.5, gated.gate.set).start()
        slept: list[float] = []
        seen: list[tuple[str, float]] = []
        status = client.wait(job.job_id, sleep=slept.append,
                             on_status=lambda s: seen.append((s, time.time())))
        ended = running.app.store.job(job.job_id)["updated_at"]
    assert status == api.COMPLETED and slept == []  # never polled on the schedule
    assert seen[-1][0] == api.COMPLETED and 0 <= seen[-1][1] - ended < 0.5


def test_the_read_timeout_covers_the_wait(tmp_path, samples, monkeypatch):
    """A read timeout shorter than the hold is not a hung server: one try, no timeout."""
    monkeypatch.setenv("SYMBL_MEDIA_READ_TIMEOUT", "0.5")
    monkeypatch.setenv("SYMBL_MEDIA_RETRIES", "1")
    gated = Gated()
    with running_sandbox(tmp_path / "data", transcriber=gated) as running:
        client = client_for(running.url, job_wait=3)
        job = client.submit_file(samples / "mono-16k.wav", content_type="audio/wav")
        threading.Timer(2.0, gated.gate.set).start()
        assert client.wait(job.job_id) == api.COMPLETED


def test_turned_off_either_side_the_schedule_carries_on(tmp_path, samples):
    gated = Gated()
    with running_sandbox(tmp_path / "data", transcriber=gated, job_wait_max=0) as running:
        client = client_for(running.url)
        job = client.submit_file(samples / "mono-16k.wav", content_type="audio/wav")
        gated.gate.set()
        slept: list[float] = []
        assert client.wait(job.job_id, poll=0.05, sleep=lambda s: (slept.append(s),
                                                                  time.sleep(s))) \
            == api.COMPLETED
    assert client._holds is False
    unasked = client_for("http://127.0.0.1:9", job_wait=0)
    assert unasked.job_wait == 0


def test_a_longer_wait_than_any_server_holds_is_cut_to_the_bound(monkeypatch):
    monkeypatch.setenv("SYMBL_MEDIA_JOB_WAIT", "600")
    assert client_for("http://127.0.0.1:9").job_wait == api.JOB_WAIT_MAX
    monkeypatch.setenv("SYMBL_MEDIA_JOB_WAIT", "-1")
    from symbl_media.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="^SYMBL_MEDIA_JOB_WAIT="):
        client_for("http://127.0.0.1:9")
