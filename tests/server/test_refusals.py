"""What the sandbox refuses, and how: tokens, odd ids, body limits, broken HTTP.

Every refusal is a 4xx with the Symbl-shaped body ``{"message": ...}`` (or a clean close),
never a 5xx; nothing outside the data folder is read or written; a body over the limit is
refused before it is read, and the connection it came on cannot confuse the next request.
Requests that clients would "fix" on the way (dot segments, NUL, raw bytes) go out through raw
sockets, byte for byte.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import time
import wave
from io import BytesIO
from pathlib import Path

import pytest
import requests

from symbl_media.testing import running_sandbox

INVALID = {"message": "Token validation failed for provided token."}
NO_CONVERSATION = {"message": "The conversationId is either invalid or does not exist."}
CID = "1234567890123456"  # well-formed, unknown
JID = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
TEXT = {"name": "Refusals", "messages": [
    {"payload": {"content": "Alice, please send the budget by Friday."},
     "from": {"name": "Bob", "userId": "bob@example.com"}}]}
LIMIT = 64 * 1024  # max_body_bytes of the sandbox these tests run


# ----------------------------------------------------------------------------- helpers

def port_of(sandbox) -> int:
    return int(sandbox.url.rsplit(":", 1)[1])


class Raw:
    """A reply read off a raw socket: status, lower-case headers, body, parsed JSON."""

    def __init__(self, status: int, headers: dict, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def read_reply(sock: socket.socket, method: str = "GET") -> Raw:
    resp = http.client.HTTPResponse(sock, method=method)
    resp.begin()
    body = resp.read()
    return Raw(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)


def exchange(sandbox, data: bytes, *, method: str = "GET", half_close: bool = True,
             timeout: float = 10) -> Raw:
    """Send ``data`` as it is; read one reply."""
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=timeout) as s:
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except OSError:  # the server may have answered and closed before all was sent
            pass
        return read_reply(s, method)


class _Unclosable(BytesIO):
    def close(self) -> None:  # http.client closes its file after each reply
        pass


def replies_until_close(sock: socket.socket, methods: list[str]) -> list[Raw]:
    """Every reply the server sends on a connection until it closes it."""
    data = b""
    while block := sock.recv(65536):
        data += block
    buffer = _Unclosable(data)

    class Source:
        def makefile(self, *args, **kwargs):
            return buffer

    out = []
    for method in methods:
        resp = http.client.HTTPResponse(Source(), method=method)
        resp.begin()
        out.append(Raw(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                       resp.read()))
    assert buffer.read() == b"", "more replies than requests"
    return out


def request_bytes(method: str, target: str, token: str | None = None, body: bytes = b"",
                  headers: dict | None = None) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def assert_symbl_error(reply, status: int) -> dict:
    """A refusal: the status, JSON, and the shape Symbl uses ({"message": str})."""
    assert reply.status == status if isinstance(reply, Raw) else reply.status_code == status, \
        (getattr(reply, "status", None) or reply.status_code, reply.body if isinstance(
            reply, Raw) else reply.text)
    body = reply.json()
    assert isinstance(body, dict) and isinstance(body.get("message"), str), body
    assert set(body) <= {"message", "statusCode"}, body
    return body


def wav_bytes(seconds: float = 1.0) -> bytes:
    out = BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x01\x00" * int(16000 * seconds))
    return out.getvalue()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """One sandbox for the module: sentinels next to its data folder, a small body limit, and
    every job failing at once (fail_job), so no recording is ever transcribed."""
    tmp_path = tmp_path_factory.mktemp("refusals")
    outside = {"sentinel.txt": b"SENTINEL-OUTSIDE-THE-DATA-FOLDER\n",
               "sandbox.sqlite3": b"SENTINEL-FAKE-DATABASE\n",
               "uploads/x.bin": b"SENTINEL-FAKE-UPLOAD\n"}
    for name, content in outside.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    before = _snapshot(tmp_path, skip=tmp_path / "data")
    # No test here is about the concurrent-job limit (test_jobs.py is): with a trial
    # account's 2, jobs of earlier tests still ending on a loaded machine turned a refusal
    # under test into a 429.
    with running_sandbox(tmp_path / "data", max_body_bytes=LIMIT, max_concurrent_jobs=1000,
                         faults={"fail_job": {"count": 10**9}}) as sandbox:
        yield sandbox
    # Nothing outside the data folder was written, created or removed.
    assert _snapshot(tmp_path, skip=tmp_path / "data") == before


def _snapshot(root: Path, skip: Path) -> dict:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file() and skip not in p.parents}


def leftovers(sandbox) -> list[str]:
    """Bodies being (or left half) received, and job work folders."""
    data = sandbox.app.data_dir
    return sorted(p.name for p in [*(data / "uploads").iterdir(), *(data / "work").iterdir()]
                  if p.parent.name == "work" or not p.name.endswith(".bin"))


def state(sandbox) -> tuple[set, set]:
    """The conversations and the received uploads: what a refused request must not add to."""
    api = sandbox.client()
    conversations = {c["id"] for c in api.get("/v1/conversations?limit=65536").json()[
        "conversations"]}
    return conversations, {p.name for p in (sandbox.app.data_dir / "uploads").glob("*.bin")}


# ----------------------------------------------------------------------------- tokens

AUTHED = [("GET", "/v1/conversations"), ("GET", f"/v1/job/{JID}"),
          ("POST", "/v1/process/text"), ("PUT", f"/v1/process/text/{CID}"),
          ("POST", "/v1/process/audio"), ("PUT", f"/v1/process/audio/{CID}"),
          ("POST", "/v1/process/video"), ("PUT", f"/v1/process/video/{CID}"),
          ("POST", "/v1/process/audio/url"), ("PUT", f"/v1/process/audio/url/{CID}"),
          ("POST", "/v1/process/video/url"), ("PUT", f"/v1/process/video/url/{CID}"),
          ("GET", f"/v1/conversations/{CID}"), ("PUT", f"/v1/conversations/{CID}"),
          ("DELETE", f"/v1/conversations/{CID}"),
          *[("GET", f"/v1/conversations/{CID}/{part}") for part in (
              "messages", "topics", "action-items", "follow-ups", "questions", "entities",
              "analytics", "summary", "trackers-detected", "trackers", "members")],
          ("PUT", f"/v1/conversations/{CID}/members/{JID}"),
          ("GET", f"/sandbox/conversations/{CID}/uploads"), ("GET", f"/sandbox/jobs/{JID}/upload"),
          ("GET", "/sandbox/faults"), ("POST", "/sandbox/faults")]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _tampered(token: str) -> str:
    head, body, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["exp"] += 10 * 365 * 86400
    return ".".join((head, _b64(json.dumps(claims).encode()), sig))


def _unsigned(token: str) -> str:
    _, body, _ = token.split(".")
    return ".".join((_b64(b'{"alg":"none","typ":"JWT"}'), body, ""))


def test_every_route_refuses_missing_malformed_foreign_and_expired_tokens(tmp_path):
    with running_sandbox(tmp_path / "other") as other:
        foreign = other.client().token  # well-formed, signed by another sandbox
    with running_sandbox(tmp_path / "data") as sandbox:
        good = sandbox.client().token
        to_expire = good
        bad_headers = {
            "none": {},
            "empty bearer": {"Authorization": "Bearer "},
            "basic": {"Authorization": "Basic c2FuZGJveC1hcHAtaWQ6c2FuZGJveC1hcHAtc2VjcmV0"},
            "garbage": {"Authorization": "Bearer not-a-token"},
            "three empty parts": {"Authorization": "Bearer .."},
            "four parts": {"Authorization": f"Bearer {good}.x"},
            "latin-1 signature": {"Authorization": "Bearer " + good[:-3] + "\xe9\xe9\xe9"},
            "long": {"Authorization": "Bearer " + ".".join(["A" * 6000] * 3)},
            "tampered exp": {"Authorization": f"Bearer {_tampered(good)}"},
            "alg none": {"Authorization": f"Bearer {_unsigned(good)}"},
            "foreign": {"Authorization": f"Bearer {foreign}"},
            "foreign x-api-key": {"x-api-key": foreign},
            "secret as token": {"x-api-key": "sandbox-app-secret"},
        }
        for label, headers in bad_headers.items():
            for method, path in AUTHED:
                reply = requests.request(method, sandbox.url + path, headers=headers,
                                         data=b'{"url": "http://x/a.wav"}', timeout=10)
                assert reply.status_code == 401, (label, method, path, reply.text)
                assert reply.json() == INVALID, (label, method, path)
        # Raw UTF-8 bytes in the header (requests would refuse to send them).
        for method, path in AUTHED[:4]:
            reply = exchange(sandbox, request_bytes(method, path, "é.ü.✓".encode().decode(
                "latin-1")), method=method)
            assert reply.status == 401 and reply.json() == INVALID
        # Expired: every token issued so far expires at once.
        api = sandbox.client()
        assert api.post("/sandbox/faults", json={"expire_tokens": True}).status_code == 200
        for method, path in AUTHED:
            reply = requests.request(method, sandbox.url + path, timeout=10,
                                     headers={"Authorization": f"Bearer {to_expire}"})
            assert (reply.status_code, reply.json()) == (401, INVALID), (method, path)
        assert sandbox.client().get("/v1/conversations").status_code == 200  # a new one works
        assert leftovers(sandbox) == []


def test_bad_credentials_on_the_token_route_are_refused_with_a_message(guarded):
    sandbox = guarded
    url = sandbox.url + "/oauth2/token:generate"
    for body in ({"type": "application", "appId": "sandbox-app-id", "appSecret": "wrong"},
                 {"type": "application", "appId": "\ud800", "appSecret": "\udfff"},
                 {"type": "application", "appId": ["sandbox-app-id"], "appSecret": {}},
                 {"type": "application"}):
        reply = requests.post(url, data=json.dumps(body), timeout=10)
        assert reply.status_code in (400, 401), (body, reply.text)
        assert isinstance(reply.json()["message"], str)
    for body in (b"", b"[]", b"null", b"{", b"\xff\xfe", b"[" * 30000 + b"]" * 30000):
        reply = requests.post(url, data=body, timeout=10)
        assert_symbl_error(reply, 400)


# ----------------------------------------------------------------------------- odd ids

ODD_IDS = ["..", ".", "%2e%2e", "%2e%2e%2f", "..%2F", "..%2f..%2fsentinel.txt",
           "%2e%2e%2f%2e%2e%2fsentinel.txt", "..%5C..%5Csentinel.txt",
           "..%2F..%2Fsandbox.sqlite3", "%2E%2E%2F%2E%2E%2Fuploads%2Fx.bin",
           "%00", "1%00", f"{CID}%00", f"{CID}%00.bin", "%2Fetc%2Fpasswd", "C:%5Cwindows",
           "x" * 3000, "9" * 3000, "%C3%A9t%C3%A9", "%F0%9F%98%80", "%ff%fe", "%20",
           "1%27%20OR%20%271%27=%271", "*", "-1", "1e5", "0x1f", f"{CID}.json",
           JID.upper(), JID + "0", "%252e%252e%252f"]
RAW_IDS = [b"\x00", b"1\x00", b"\xc3\xa9t\xc3\xa9", b"..\\..\\sentinel.txt", b"\xff",
           b"\x7f", b"%"]


def _id_routes(cid: str, jid: str, mid: str) -> list[tuple[str, str, bytes, dict | None]]:
    """(method, target, body, expected body) of every route that takes an id."""
    job_404 = None  # "Job with <id> not found": checked for shape only
    text = json.dumps(TEXT).encode()
    out = [("GET", f"/v1/job/{jid}", b"", job_404)]
    for part in ("", "/messages", "/topics", "/action-items", "/follow-ups", "/questions",
                 "/entities", "/analytics", "/summary", "/trackers-detected", "/trackers",
                 "/members"):
        out.append(("GET", f"/v1/conversations/{cid}{part}", b"", NO_CONVERSATION))
    out += [("PUT", f"/v1/conversations/{cid}", b'{"name": "x"}', NO_CONVERSATION),
            ("DELETE", f"/v1/conversations/{cid}", b"", NO_CONVERSATION),
            ("PUT", f"/v1/conversations/{cid}/members/{mid}", b'{"name": "x"}',
             NO_CONVERSATION),
            ("PUT", f"/v1/process/audio/{cid}", wav_bytes(0.5), NO_CONVERSATION),
            ("PUT", f"/v1/process/video/{cid}", b"\0" * 5000, NO_CONVERSATION),
            ("PUT", f"/v1/process/audio/url/{cid}", b'{"url": "http://127.0.0.1:9/a.wav"}',
             NO_CONVERSATION),
            ("PUT", f"/v1/process/video/url/{cid}", b'{"url": "http://127.0.0.1:9/a.mp4"}',
             NO_CONVERSATION),
            ("PUT", f"/v1/process/text/{cid}", text, NO_CONVERSATION),
            ("GET", f"/sandbox/conversations/{cid}/uploads", b"", NO_CONVERSATION),
            ("GET", f"/sandbox/jobs/{jid}/upload", b"", None)]
    return out


def test_odd_ids_are_refused_in_every_route_and_nothing_outside_is_touched(guarded):
    sandbox = guarded
    api = sandbox.client()
    real = api.post("/v1/process/text", json=TEXT).json()
    api.wait(real["jobId"])
    member = {"id": JID}  # well-formed: the odd conversation id is what is refused
    before = state(sandbox)
    seen = []
    for odd in ODD_IDS + [b.decode("latin-1") for b in RAW_IDS]:
        # The odd value in each position: conversation id, job id, member id.
        routes = _id_routes(odd, odd, member["id"]) + [
            ("PUT", f"/v1/conversations/{real['conversationId']}/members/{odd}",
             b'{"name": "x"}', None)]
        # Bytes that may not stand in a request target (controls, non-ASCII) are refused by
        # the HTTP server before any route or token is looked at: a JSON 400.
        unparsable = any(not 0x21 <= ord(c) <= 0x7e for c in odd)
        for method, target, body, expected in routes:
            for token in (api.token, None):
                reply = exchange(sandbox, request_bytes(method, target, token, body),
                                 method=method)
                seen.append(reply.body)
                if unparsable:
                    assert_symbl_error(reply, 400)
                    assert reply.headers.get("connection") == "close"
                    continue
                if token is None:
                    assert (reply.status, reply.json()) == (401, INVALID), (method, target)
                    continue
                got = assert_symbl_error(reply, 404)
                if expected is not None:
                    assert got == expected, (method, target, got)
                if body and method == "PUT" and "/v1/process/" in target:
                    # refused before the body was read: the connection is not reused
                    assert reply.headers.get("connection") == "close"
    # Several segments (traversal that escapes the route) and absolute paths: no such route.
    absolute = str(sandbox.app.data_dir.parent / "sentinel.txt")
    for target in ["/v1/conversations/../../sentinel.txt", "/v1/conversations/../../../etc/passwd",
                   f"/v1/conversations/{CID}/../../../sentinel.txt",
                   f"/v1/conversations/{absolute}", f"/v1/job/{absolute}",
                   "/sandbox/jobs/..%2F..%2F/upload/../..", "/sandbox/jobs/../../sentinel.txt/upload",
                   f"/sandbox/conversations/{absolute}/uploads", f"/../{absolute}",
                   "/..%2F..%2Fsentinel.txt", "/v1/conversations/" + "a/" * 2000]:
        reply = exchange(sandbox, request_bytes("GET", target, api.token))
        seen.append(reply.body)
        assert_symbl_error(reply, 404)
    assert not any(b"SENTINEL" in body for body in seen)
    # The real conversation is intact and nothing else was created.
    assert state(sandbox) == before
    assert api.get(f"/v1/conversations/{real['conversationId']}").status_code == 200
    assert leftovers(sandbox) == []


def test_an_upload_is_only_ever_served_from_the_data_folder(guarded):
    sandbox = guarded
    api = sandbox.client()
    ids = api.post("/v1/process/audio", data=wav_bytes(0.5)).json()
    got = api.get(f"/sandbox/jobs/{ids['jobId']}/upload")
    assert got.status_code == 200 and got.content == wav_bytes(0.5)
    uploads = api.get(f"/sandbox/conversations/{ids['conversationId']}/uploads").json()
    assert uploads["uploads"][0]["bytes"] == len(wav_bytes(0.5))


# ----------------------------------------------------------------------------- body limits

def _headers_only(sandbox, token: str, length: int, *, extra: str = "",
                  target: str = "/v1/process/audio") -> bytes:
    return (f"POST {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


def test_a_declared_body_over_the_limit_is_413_before_it_is_sent(guarded):
    sandbox = guarded
    token = sandbox.client().token
    before = state(sandbox)
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
        started = time.monotonic()
        s.sendall(_headers_only(sandbox, token, 3 * 1024**3))  # 3 GB announced
        s.sendall(b"RIFF" + b"\0" * 1000)  # and only a little of it sent
        reply = read_reply(s, "POST")
        assert time.monotonic() - started < 5
        assert_symbl_error(reply, 413)
        assert reply.headers["connection"] == "close"
        # The connection is finished: what the client sends next is never read as a request.
        try:
            s.sendall(request_bytes("GET", "/v1/conversations", token))
            rest = s.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            rest = b""
        assert rest == b""
    assert leftovers(sandbox) == []
    assert state(sandbox) == before


def test_a_streaming_client_gets_the_413_without_sending_everything(guarded):
    sandbox = guarded
    api = sandbox.client()
    total = 512 * 1024 * 1024

    class Zeros:  # a file-like body of known length that is produced as it is read
        def __init__(self) -> None:
            self.sent = 0

        def __len__(self) -> int:
            return total - self.sent

        def read(self, size: int = -1) -> bytes:
            size = min(total - self.sent, 1 << 16 if size < 0 else size)
            self.sent += size
            return b"\0" * size

    body = Zeros()
    reply = api.post("/v1/process/audio", data=body)
    assert_symbl_error(reply, 413)
    assert body.sent < total // 8, body.sent  # refused early: most of it was never sent
    # The same session carries on (a new connection: the old one was closed).
    assert api.get("/v1/conversations").status_code == 200
    assert api.post("/v1/process/audio", data=wav_bytes(0.5)).status_code == 201
    assert [n for n in leftovers(sandbox) if n.startswith(".receiving")] == []


def test_expect_100_continue_is_answered_413_without_a_100_first(guarded):
    sandbox = guarded
    token = sandbox.client().token
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
        s.sendall(_headers_only(sandbox, token, 10 * LIMIT, extra="Expect: 100-continue\r\n"))
        reply = read_reply(s, "POST")  # a 100 would be skipped by http.client: check below
        assert_symbl_error(reply, 413)
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
        s.sendall(_headers_only(sandbox, token, 10 * LIMIT, extra="Expect: 100-continue\r\n"))
        first = s.recv(12)
        assert first == b"HTTP/1.1 413", first
    # Within the limit: the 100 comes, then the body is sent and taken.
    body = wav_bytes(0.5)
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
        s.sendall(_headers_only(sandbox, token, len(body), extra="Expect: 100-continue\r\n"))
        assert s.recv(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
        s.sendall(body)
        assert read_reply(s, "POST").status == 201


def test_a_body_shorter_than_its_content_length_leaves_nothing_behind(guarded):
    sandbox = guarded
    api = sandbox.client()
    before = state(sandbox)
    body = wav_bytes(0.5)
    # Half-closed: the client still reads the reply.
    reply = exchange(sandbox, _headers_only(sandbox, api.token, len(body) + 1000) + body,
                     method="POST")
    assert_symbl_error(reply, 400)
    # Closed outright mid-body: the server just lets go.
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
        s.sendall(_headers_only(sandbox, api.token, LIMIT) + body[:1000])
    # Longer than declared: the rest is taken as the next request and refused as garbage.
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
        s.sendall(request_bytes("POST", "/v1/process/text", api.token,
                                json.dumps(TEXT).encode()) + b"garbage that follows\r\n\r\n")
        s.shutdown(socket.SHUT_WR)
        first, second = replies_until_close(s, ["POST", "GET"])
        assert first.status == 201
        assert_symbl_error(second, 400)
    deadline = time.monotonic() + 10
    while leftovers(sandbox) and time.monotonic() < deadline:  # the handler may still run
        time.sleep(0.05)
    conversations, uploads = state(sandbox)
    assert uploads == before[1]
    assert conversations - before[0] == {first.json()["conversationId"]}  # only the text


def _chunked(token: str, chunks: list[bytes], target: str = "/v1/process/audio") -> bytes:
    head = (f"POST {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Transfer-Encoding: chunked\r\n\r\n").encode()
    return head + b"".join(chunks)


def test_chunked_bodies_over_the_limit_are_413(guarded):
    sandbox = guarded
    token = sandbox.client().token
    before = state(sandbox)
    block = b"\0" * 16384
    # Many small chunks adding up past the limit.
    many = [b"4000\r\n" + block + b"\r\n"] * 6 + [b"0\r\n\r\n"]
    reply = exchange(sandbox, _chunked(token, many), method="POST")
    assert_symbl_error(reply, 413)
    assert reply.headers["connection"] == "close"
    # One chunk that announces more than the limit: refused once more than the limit of its
    # bytes has arrived (a chunked body is counted as it streams), not after all of it.
    with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
        s.sendall(_chunked(token, [b"%x\r\n" % (4 * 1024**3)]) + block * 5)
        assert_symbl_error(read_reply(s, "POST"), 413)
    assert leftovers(sandbox) == []
    assert state(sandbox) == before


@pytest.mark.parametrize("chunks", [
    [b"zz\r\nabc\r\n0\r\n\r\n"],                      # not hex
    [b"-1\r\nabc\r\n0\r\n\r\n"],                      # negative
    [b"0x3\r\nabc\r\n0\r\n\r\n"],                     # a prefix int() would take
    [b"1_0\r\n" + b"a" * 16 + b"\r\n0\r\n\r\n"],      # an underscore int() would take
    [b" 3\r\nabc\r\n0\r\n\r\n"],                      # space before the size
    [b"3\r\nabcXY0\r\n\r\n"],                         # no CRLF after the data
    [b"\r\n\r\n"],                                    # no size at all
    [b"3\r\nab"],                                     # ends inside a chunk
    [b"ffffffffffffffffffffffffffffffffffff\r\n"],    # absurdly large
])
def test_malformed_chunked_bodies_are_refused(guarded, chunks):
    sandbox = guarded
    token = sandbox.client().token
    before = state(sandbox)
    for target in ("/v1/process/audio", "/v1/process/text"):
        reply = exchange(sandbox, _chunked(token, chunks, target), method="POST")
        assert reply.status in (400, 413), reply.body
        assert_symbl_error(reply, reply.status)
        assert reply.headers["connection"] == "close"
    assert leftovers(sandbox) == []
    assert state(sandbox) == before


def test_a_chunk_with_long_extensions_is_read_and_its_content_judged(guarded):
    """h11 takes chunk extensions up to its 64 KiB limit (the old parser refused a size line
    over 1 KiB): the body is read whole, then refused for what it is (not audio, not JSON)."""
    sandbox = guarded
    token = sandbox.client().token
    before = state(sandbox)
    chunks = [b"3" + b";ext" * 400 + b"\r\nabc\r\n0\r\n\r\n"]
    for target in ("/v1/process/audio", "/v1/process/text"):
        assert_symbl_error(exchange(sandbox, _chunked(token, chunks, target), method="POST"),
                           400)
    assert leftovers(sandbox) == []
    assert state(sandbox) == before


def test_a_good_chunked_body_is_taken(guarded, samples):
    sandbox = guarded
    api = sandbox.client()
    body = json.dumps(TEXT).encode()
    chunks = [b"%x;name=value\r\n%s\r\n" % (len(body[:10]), body[:10]),
              b"%X\r\n%s\r\n" % (len(body[10:]), body[10:]), b"0\r\nX-Trailer: 1\r\n\r\n"]
    reply = exchange(sandbox, _chunked(api.token, chunks, "/v1/process/text"), method="POST")
    assert reply.status == 201, reply.body


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "0x10", " ", "1 2", "\xb2",
                                   "\u0663".encode().decode("latin-1"), "9" * 5000])
def test_a_bad_content_length_is_400_and_never_a_crash(guarded, value):
    sandbox = guarded
    token = sandbox.client().token
    for method, target in (("POST", "/v1/process/audio"), ("POST", "/v1/process/text"),
                           ("GET", "/v1/conversations")):
        raw = (f"{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
               f"Content-Length: {value}\r\n\r\n").encode("latin-1")
        reply = exchange(sandbox, raw, method=method)
        if method == "GET":  # a route that never reads a body may answer, then closes
            assert reply.status in (200, 400), reply.body
            assert reply.headers["connection"] == "close"
        else:
            assert_symbl_error(reply, 400)


def test_conflicting_framing_is_refused(guarded):
    sandbox = guarded
    token = sandbox.client().token
    before = state(sandbox)
    body = json.dumps(TEXT).encode()
    for extra in (f"Content-Length: {len(body)}\r\nContent-Length: {len(body) + 5}\r\n",
                  f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked\r\n",
                  "Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked, gzip\r\n"):
        raw = (f"POST /v1/process/text HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
               f"{extra}\r\n").encode() + body
        reply = exchange(sandbox, raw, method="POST")
        assert reply.status in (400, 501), (extra, reply.body)
        assert_symbl_error(reply, reply.status)
        assert reply.headers["connection"] == "close"
    assert state(sandbox) == before


# ----------------------------------------------------------------------------- broken HTTP

@pytest.mark.parametrize("raw,status", [
    (b"garbage\r\n\r\n", 400),
    # A TLS ClientHello (fixed bytes: xdist workers must collect the same test ids).
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(7, 199, 3))
     + b"\r\n\r\n", 400),
    (b"GET\r\n\r\n", 400),
    (b"GET /\r\n\r\n", 400),                                   # HTTP/0.9
    (b"GET / HTTP/1.1\r\n\r\n", 400),                           # HTTP/1.1 without a Host
    (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505),
    (b"GET / HTTP/1.x\r\n\r\n", 400),
    (b"GET / FTP/1.1\r\n\r\n", 400),
    (b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501),
    (b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
    # The request line and the headers are one block, 64 KiB at most.
    (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150))
     + b"\r\n", 200),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"v" * 100)
                                                   for i in range(1000)) + b"\r\n", 431),
    # A header line without a colon, a continuation line: refused, not guessed at.
    (b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n folded: header\r\nHost: x\r\n\r\n", 400),
    (b"GET http://[/ HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET http://x/v1/conversations HTTP/1.1\r\nHost: x\r\n\r\n", 401),
    (b"GET ?a=1 HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET * HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET /%zz%00?%zz=%ff&&=&a HTTP/1.1\r\nHost: x\r\n\r\n", 404),
])
def test_broken_requests_get_a_json_refusal(guarded, raw, status):
    sandbox = guarded
    reply = exchange(sandbox, raw, method="HEAD" if raw.startswith(b"HEAD") else "GET")
    assert reply.status == status, reply.body[:300]
    if status >= 400 and not raw.startswith(b"HEAD"):
        assert_symbl_error(reply, status)
    assert reply.headers.get("content-type", "").startswith("application/json")
    assert requests.get(sandbox.url + "/", timeout=5).status_code == 200


def test_a_client_that_connects_and_says_nothing_is_let_go(guarded):
    sandbox = guarded
    for data in (b"", b"GET / HTTP/1.1\r\n", b"GET / HTTP/1.1\r\nHost: x\r\n"):
        with socket.create_connection(("127.0.0.1", port_of(sandbox)), timeout=10) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            got = s.recv(65536)
        # Nothing, or (the headers ended with the connection) an answer to GET /
        assert got == b"" or got.startswith(b"HTTP/1.1 200 OK\r\n"), got
    assert requests.get(sandbox.url + "/", timeout=5).status_code == 200


def test_json_bodies_that_cannot_be_stored_are_400(guarded):
    sandbox = guarded
    api = sandbox.client()
    before = state(sandbox)
    deep = "[" * 50000 + "]" * 50000
    for raw in (deep, '{"messages": ' + deep + "}",
                '{"name": "\\ud800", "messages": [{"payload": {"content": "hi"}}]}',
                '{"messages": [{"payload": {"content": "\\udfff"}}]}',
                '{"messages": [{"payload": {"content": "hi"}, "from": {"name": ["x"]}}]}',
                '{"messages": [{"payload": {"content": "hi"}, "from": {"userId": 5}}]}'):
        reply = api.post("/v1/process/text", data=raw.encode(),
                         headers={"Content-Type": "application/json"})
        assert_symbl_error(reply, 400)
    # Also through the query of an upload, and in a URL body.
    assert_symbl_error(api.post("/v1/process/audio?" + "{" + '"name": "\\ud800"}',
                                data=wav_bytes(0.2)), 400)
    assert_symbl_error(api.post("/v1/process/audio/url", json={"url": "http://[/a.wav"}), 400)
    assert_symbl_error(api.post("/v1/process/text", json={**TEXT, "webhookUrl": "http://[x"}),
                       400)
    assert_symbl_error(api.get("/v1/conversations", params={"offset": 10**30}), 400)
    assert state(sandbox) == before
