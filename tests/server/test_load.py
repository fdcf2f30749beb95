"""Load: 50 concurrent clients x 20 requests each against one sandbox on loopback.

A realistic mix, mostly on keep-alive connections (one client in five closes after every
request): tokens, text submissions, job status,
conversations, messages, topics, members, and in round one two small audio uploads (the
first 4 s of samples/mono-16k.wav, "Good morning. Let's review the launch.", transcribed by the
real engine; loading it is most of this test's time, so round two sends text only).
Round one must answer every request as the contract says (no 5xx, no connection error);
round two runs the same load with ``status500`` injected 5 times and must see exactly those
5 and nothing else. Afterwards nothing may be lost: every job created completes, every
conversation created is listed, and each has the messages that were sent to it.
"""

from __future__ import annotations

import io
import threading
import time
import wave
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.testing import running_sandbox

CLIENTS = 50
PER_CLIENT = 20
AUDIO_CLIENTS = (0, 25)  # two clients upload a 4 s recording; the rest send text
INJECTED = 5


def _short_recording(path) -> bytes:
    """The first 4 s of a WAV, as a WAV."""
    with wave.open(str(path)) as source:
        params = source.getparams()
        frames = source.readframes(4 * source.getframerate())
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(frames)
    return out.getvalue()


def _text(client: int, n: int) -> dict:
    return {"name": f"load {client}-{n}", "messages": [
        {"payload": {"content": f"Client {client} asks: can we ship item {n} by Friday?"},
         "from": {"name": "Ana", "userId": "ana@example.com"}},
        {"payload": {"content": "Yes, I will send the report tomorrow."},
         "from": {"name": "Ben", "userId": "ben@example.com"}}]}


class Client:
    """One user of the API on its own keep-alive connection, logging every status it got."""

    def __init__(self, url: str, index: int, audio: bytes | None, retries_on_500: int
                 ) -> None:
        self.url = url
        self.index = index
        self.audio = audio
        self.retries = retries_on_500
        self.session = requests.Session()
        if index % 5 == 4:  # one client in five opens a new connection for every request
            self.session.headers["Connection"] = "close"
        self.statuses: list[tuple[str, int]] = []
        self.bad: list[str] = []  # replies other than the expected ones
        self.created: list[dict] = []  # {"conversationId", "jobId", "messages": n}

    def call(self, label: str, method: str, path: str, expect: int, **kwargs):
        for attempt in range(self.retries + 1):
            try:
                reply = self.session.request(method, self.url + path, timeout=60, **kwargs)
            except requests.RequestException as exc:
                self.statuses.append((label, 0))
                self.bad.append(f"{label}: {type(exc).__name__}: {exc}")
                return None
            self.statuses.append((label, reply.status_code))
            if reply.status_code == 500 and attempt < self.retries:
                if reply.json().get("message") is None:  # Symbl-shaped even when injected
                    self.bad.append(f"{label}: 500 without a message: {reply.text[:200]}")
                continue  # a careful client retries a 5xx
            if reply.status_code != expect:
                self.bad.append(f"{label}: {reply.status_code} {reply.text[:200]}")
                return None
            return reply.json()
        return None

    def token(self) -> None:
        body = self.call("token", "POST", "/oauth2/token:generate", 200, json={
            "type": "application", "appId": DEFAULT_APP_ID, "appSecret": DEFAULT_APP_SECRET})
        if body:
            self.session.headers["Authorization"] = f"Bearer {body['accessToken']}"

    def run(self) -> None:
        """Exactly PER_CLIENT requests (plus retries of injected 500s)."""
        self.token()                                                              # 1
        if self.audio is not None and self.index in AUDIO_CLIENTS:
            first = self.call("audio", "POST", "/v1/process/audio", 201, data=self.audio,
                              headers={"Content-Type": "audio/wav"})              # 2
            messages = None  # counted from the recording
        else:
            first = self.call("text", "POST", "/v1/process/text", 201,
                              json=_text(self.index, 0))                          # 2
            messages = 2
        if first:
            self.created.append({**first, "messages": messages})
        cid = first["conversationId"] if first else None
        jid = first["jobId"] if first else None
        for step in range(PER_CLIENT - 2):                                        # 3..20
            kind = step % 9
            if cid is None:
                self.call("list", "GET", "/v1/conversations?limit=5", 200)
            elif kind == 0:
                self.call("job", "GET", f"/v1/job/{jid}", 200)
            elif kind == 1:
                self.call("list", "GET", "/v1/conversations?limit=5&order=desc", 200)
            elif kind == 2:
                self.call("messages", "GET", f"/v1/conversations/{cid}/messages", 200)
            elif kind == 3:
                body = self.call("text", "POST", "/v1/process/text", 201,
                                 json=_text(self.index, step))
                if body:
                    self.created.append({**body, "messages": 2})
            elif kind == 4:
                self.call("topics", "GET", f"/v1/conversations/{cid}/topics", 200)
            elif kind == 5:
                self.call("conversation", "GET", f"/v1/conversations/{cid}", 200)
            elif kind == 6:
                self.token()
            elif kind == 7:
                self.call("job", "GET", f"/v1/job/{jid}", 200)
            else:
                self.call("members", "GET", f"/v1/conversations/{cid}/members", 200)
        self.session.close()


def _round(url: str, audio: bytes | None, retries_on_500: int
           ) -> tuple[list[Client], float]:
    clients = [Client(url, i, audio, retries_on_500) for i in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)

    def go(client: Client) -> None:
        start.wait()  # all 50 begin together
        client.run()

    began = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(go, clients))
    return clients, time.monotonic() - began


def _wait_all(api, created: list[dict], timeout: float) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    status: dict[str, str] = {}
    pending = [c["jobId"] for c in created]
    while pending and time.monotonic() < deadline:
        for jid in list(pending):
            reply = api.get(f"/v1/job/{jid}")
            assert reply.status_code == 200, reply.text
            if reply.json()["status"] in ("completed", "failed"):
                status[jid] = reply.json()["status"]
                pending.remove(jid)
        time.sleep(0.2)
    assert not pending, f"{len(pending)} job(s) never ended"
    return status


def _nothing_lost(api, created: list[dict], expected_total: int) -> None:
    status = _wait_all(api, created, timeout=180)
    assert Counter(status.values()) == {"completed": len(created)}
    listed = {c["id"] for c in api.get("/v1/conversations?limit=1000").json()["conversations"]}
    assert len(listed) == expected_total  # no extra conversation from a refused request
    for entry in created:
        assert entry["conversationId"] in listed
        messages = api.get(f"/v1/conversations/{entry['conversationId']}/messages"
                           ).json()["messages"]
        if entry["messages"] is None:
            assert messages, "the recording gave no messages"
        else:
            assert len(messages) == entry["messages"]


def test_fifty_concurrent_clients_get_no_5xx_and_lose_nothing(tmp_path, samples):
    audio = _short_recording(samples / "mono-16k.wav")
    # A cap above what the load submits: the 429 path is tested in test_contract.py.
    with running_sandbox(tmp_path / "data", max_concurrent_jobs=256) as sandbox:
        api = sandbox.client()

        clients, wall = _round(sandbox.url, audio, retries_on_500=0)
        codes = Counter(code for c in clients for _, code in c.statuses)
        problems = [p for c in clients for p in c.bad]
        assert sum(len(c.statuses) for c in clients) == CLIENTS * PER_CLIENT
        assert problems == [], problems[:10]
        assert not any(code >= 500 or code == 0 for code in codes), codes
        first = [e for c in clients for e in c.created]
        _nothing_lost(api, first, expected_total=len(first))
        print(f"\nround 1: {CLIENTS * PER_CLIENT} requests in {wall:.2f} s "
              f"({CLIENTS * PER_CLIENT / wall:.0f}/s), statuses {dict(codes)}")

        # Round two: the same load with 5 injected 500s; clients retry them.
        assert api.post("/sandbox/faults", json={"status500": {"count": INJECTED}}
                        ).status_code == 200
        clients, wall = _round(sandbox.url, None, retries_on_500=3)
        codes = Counter(code for c in clients for _, code in c.statuses)
        problems = [p for c in clients for p in c.bad]
        assert problems == [], problems[:10]
        assert codes[500] == INJECTED, codes
        assert not any((code >= 500 and code != 500) or code == 0 for code in codes), codes
        assert sum(len(c.statuses) for c in clients) == CLIENTS * PER_CLIENT + INJECTED
        assert api.get("/sandbox/faults").json() == {}  # all of them were used up
        second = [e for c in clients for e in c.created]
        _nothing_lost(api, first + second, expected_total=len(first) + len(second))
        print(f"round 2: {CLIENTS * PER_CLIENT + INJECTED} requests in {wall:.2f} s, "
              f"statuses {dict(codes)}")
