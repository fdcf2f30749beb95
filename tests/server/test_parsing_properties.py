"""Properties of the sandbox's request parsing and option checks, and of the client's.

- http.py: ``parse_target`` never raises. Over a real sandbox on loopback: Content-Length and
  chunked bodies are read exactly (what follows a body is answered as the next request),
  anything else is refused with a JSON 4xx/501, never another answer; a 100 Continue comes
  when asked for and the body is within the limit, a 413 without it when not.
- A real sandbox on loopback, fed arbitrary request lines, headers and bodies through a raw
  socket: never a 5xx (but 501/505, HTTP's answers to an unknown method or transfer coding
  and an unsupported version), never a hang, always JSON replies or a clean close.
- options.py: arbitrary query strings and JSON bodies → options or a 400 with a message,
  directly and over HTTP for /v1/process/{audio,video,text} and the URL variants; an accepted
  text submission's job completes.
- The client (api/options.py and the submit command's option checks): arbitrary values →
  valid options or a one-line OptionProblem / usage error, nothing else.
"""

from __future__ import annotations

import http.client
import io
import json
import math
import socket
import tempfile
import wave
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import click
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symbl_media.contract import options as client_options
from symbl_media.contract.languages import LANGUAGES
from symbl_media.cli.options import api_options as _api_options
from symbl_media.server import options as sandbox_options
from symbl_media.server.http import Refusal, parse_target
from symbl_media.testing import running_sandbox

QUICK = settings(max_examples=100, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])
NETWORK = settings(max_examples=30, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow,
                                          HealthCheck.function_scoped_fixture])
UPLOADS = settings(NETWORK, max_examples=15)  # each accepted upload is probed by ffprobe

LATIN1 = st.characters(min_codepoint=0, max_codepoint=255)  # what http.server decodes to
latin1_text = st.text(LATIN1, max_size=40)
UNICODE = st.characters(blacklist_categories=("Cs",))  # text that can be stored


# ----------------------------------------------------------------------------- http.py

@QUICK
@given(st.one_of(st.text(max_size=200), st.text(LATIN1, max_size=200),
                 st.builds(lambda a, b: f"/{a}?{b}", latin1_text, latin1_text)))
def test_parse_target_never_raises_and_keeps_the_path(target):
    path, query, raw_query = parse_target(target)
    assert isinstance(path, str) and isinstance(raw_query, str)
    assert all(isinstance(k, str) and all(isinstance(v, str) for v in vs)
               for k, vs in query.items())
    if target.startswith("/") and "#" not in target:
        assert path + ("?" + raw_query if "?" in target else "") == target


header_value = st.one_of(latin1_text, st.sampled_from(
    ["0", "10", " 10 ", "010", "-1", "+5", "1e3", "0x10", "\xb2", "\u0663", "9" * 30, "5, 5",
     "5,6", "chunked", "Chunked", " chunked", "gzip, chunked", "chunked, gzip", "identity"]))


def _talk(port: int, data: bytes) -> list[http.client.HTTPResponse]:
    """Send ``data`` on one connection, shut the sending side, read every reply until the
    server closes (a hang would end in socket.timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # answered and closed before all of it was sent
        received = b""
        try:
            while block := s.recv(65536):
                received += block
        except ConnectionResetError:
            pass
    return _replies(received)


def _refused_cleanly(reply) -> None:
    assert reply.status < 500 or reply.status in (501, 505), (reply.status, reply.body)
    if reply.status >= 400:
        assert isinstance(json.loads(reply.body)["message"], str)


@pytest.fixture(scope="module")
def framing_sandbox(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("props-framing"), max_body_bytes=700,
                         max_concurrent_jobs=10**6,
                         faults={"fail_job": {"count": 10**9}}) as sandbox:
        yield sandbox, int(sandbox.url.rsplit(":", 1)[1]), sandbox.client().token


def _post(token: str, headers: dict, body: bytes, target: str = "/v1/process/text") -> bytes:
    head = f"POST {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + "\r\n").encode("utf-8", "surrogateescape") + body


TEXT_BODY = json.dumps({"messages": [{"payload": {"content": "hello"}}]}).encode()


def test_framing_headers_are_read_or_refused_never_crash(framing_sandbox):
    sandbox, port, token = framing_sandbox

    @NETWORK
    @given(length=st.one_of(st.none(), header_value),
           coding=st.one_of(st.none(), header_value))
    def check(length, coding):
        headers = {k: v for k, v in (("Content-Length", length), ("Transfer-Encoding", coding))
                   if v is not None}
        replies = _talk(port, _post(token, headers, TEXT_BODY))
        for reply in replies:
            _refused_cleanly(reply)
        if replies and replies[0].status == 201:  # taken: then the framing was a sound one
            assert length is not None or coding is not None

    check()


def test_any_body_bytes_give_the_body_or_a_4xx(framing_sandbox):
    sandbox, port, token = framing_sandbox

    @NETWORK
    @given(body=st.binary(max_size=900), chunked=st.booleans(), length=st.integers(0, 1000))
    def check(body, chunked, length):
        headers = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(length)}
        for reply in _talk(port, _post(token, headers, body)):
            _refused_cleanly(reply)
            assert reply.status in (201, 400, 413), (reply.status, reply.body)

    check()


# Chunk extensions as h11 reads them (it refuses whitespace before the ";", "3 ;x": a 400).
chunk_ext = st.sampled_from([b"", b";a=b", b"; name=\"v\"", b";a", b";"])


def test_a_chunked_body_is_read_exactly_and_the_rest_left_alone(framing_sandbox):
    """A chunked body is taken whole (a text submission whose job's upload is the JSON sent),
    the request after it on the same connection is answered on its own, a 100 Continue comes
    when it was asked for, and one byte more than the limit is a 413."""
    sandbox, port, token = framing_sandbox
    api = sandbox.client()

    @NETWORK
    @given(cut=st.lists(st.integers(1, 40), max_size=5), ext=chunk_ext, upper=st.booleans(),
           trailers=st.lists(st.sampled_from([b"X-A: 1", b"Expires: never", b"X-B:"]),
                             max_size=3),
           expect=st.booleans(), name=st.text(UNICODE, max_size=30))
    def check(cut, ext, upper, trailers, expect, name):
        body = json.dumps({"name": name, "messages": [{"payload": {"content": "hi"}}]}).encode()
        chunks, at = [], 0
        for size in cut:
            if at < len(body):
                chunks.append(body[at:at + size])
                at += size
        chunks.append(body[at:])
        encoded = b"".join((b"%X" if upper else b"%x") % len(c) + ext + b"\r\n" + c + b"\r\n"
                           for c in chunks if c)
        encoded += b"0\r\n" + b"".join(t + b"\r\n" for t in trailers) + b"\r\n"
        headers = {"Transfer-Encoding": "chunked"}
        if expect:
            headers["Expect"] = "100-continue"
        tail = f"GET /v1/conversations?limit=1 HTTP/1.1\r\nHost: x\r\n" \
               f"Authorization: Bearer {token}\r\n\r\n".encode()
        first, second = _talk(port, _post(token, headers, encoded) + tail)
        assert first.status == 201, first.body
        assert second.status == 200 and json.loads(second.body)["conversations"]
        cid = json.loads(first.body)["conversationId"]
        got = api.get(f"/v1/conversations/{cid}").json()
        # NUL cannot be stored in PostgreSQL text: both stores keep it as U+FFFD (schema.py).
        assert got["name"] == (name.replace("\x00", "\ufffd") or got["name"])

    check()
    over = b"1\r\nx\r\n" * 701 + b"0\r\n\r\n"
    (reply,) = _talk(port, _post(token, {"Transfer-Encoding": "chunked"}, over,
                                 "/v1/process/audio"))
    assert reply.status == 413 and reply.getheader("Connection") == "close"


def test_a_content_length_body_is_read_exactly(framing_sandbox):
    sandbox, port, token = framing_sandbox

    @NETWORK
    @given(name=st.text(UNICODE, max_size=200), expect=st.booleans(), short=st.integers(1, 50))
    def check(name, expect, short):
        body = json.dumps({"name": name, "messages": [{"payload": {"content": "hi"}}]}).encode()
        assume(len(body) <= 700)
        headers = {"Content-Length": str(len(body))}
        if expect:
            headers["Expect"] = "100-continue"
        tail = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        first, second = _talk(port, _post(token, headers, body) + tail)
        assert first.status == 201 and second.status == 200, (first.body, second.body)
        # A body that ends early is a 400, not a hang or a crash.
        if len(body) > short:
            (cut,) = _talk(port, _post(token, headers, body[:len(body) - short]))
            _refused_cleanly(cut)
            assert cut.status == 400

    check()
    # Over the limit: refused before anything is read, and no 100 Continue was sent.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(_post(token, {"Content-Length": "701", "Expect": "100-continue"}, b"",
                        "/v1/process/audio"))
        assert s.recv(12) == b"HTTP/1.1 413"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=4),
    max_leaves=20)


def test_read_json_gives_a_value_or_a_400(framing_sandbox):
    sandbox, port, token = framing_sandbox

    @NETWORK
    @given(st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode()),
                     st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
                     st.text(max_size=20).map(lambda t: json.dumps(t).encode())))
    def check(data):
        for target in ("/oauth2/token:generate", "/v1/process/text"):
            (reply,) = _talk(port, _post(token, {"Content-Length": str(len(data))}, data,
                                         target))
            _refused_cleanly(reply)
            assert reply.status in (200, 201, 400, 401, 413), (reply.status, reply.body)

    check()


# ----------------------------------------------------------------------------- raw sockets

@pytest.fixture(scope="module")
def raw_sandbox(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("props-raw"), max_body_bytes=4096,
                         max_concurrent_jobs=1000,
                         faults={"fail_job": {"count": 10**9}}) as sandbox:
        yield sandbox


def _replies(data: bytes) -> list[http.client.HTTPResponse]:
    """Parse every reply in ``data`` (the server's whole output on one connection)."""

    class Buffer(io.BytesIO):
        def close(self) -> None:
            pass

    buffer = Buffer(data)
    source = SimpleNamespace(makefile=lambda *a, **k: buffer)
    out = []
    while buffer.tell() < len(data):
        resp = http.client.HTTPResponse(source, method="GET")
        resp.begin()
        resp.body = resp.read()
        out.append(resp)
    return out


ROUTES = ["/", "/oauth2/token:generate", "/v1/process/audio", "/v1/process/text",
          "/v1/process/video/url", "/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
          "/v1/conversations", "/v1/conversations/1234567890123456/messages",
          "/sandbox/conversations/1/uploads", "/sandbox/jobs/x/upload"]  # not POST faults
HEADER_NAMES = ["Content-Length", "Transfer-Encoding", "Authorization", "x-api-key",
                "Expect", "Content-Type", "Connection", "Host"]


@st.composite
def raw_requests(draw, token: str):
    method = draw(st.one_of(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH",
                                             "OPTIONS", "BREW", ""]),
                            st.text(LATIN1, max_size=8)))
    target = draw(st.one_of(
        st.sampled_from(ROUTES),
        st.builds(lambda r, q: f"{r}?{q}", st.sampled_from(ROUTES), latin1_text),
        st.builds(lambda r, s: r + s, st.sampled_from(ROUTES), latin1_text),
        st.text(LATIN1, max_size=60)))
    version = draw(st.one_of(st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.",
                                              "", "http/1.1"]), st.text(LATIN1, max_size=10)))
    headers = draw(st.lists(st.tuples(
        st.one_of(st.sampled_from(HEADER_NAMES), st.text(LATIN1, max_size=12)),
        st.one_of(header_value, st.just(f"Bearer {token}"), st.just("100-continue"),
                  st.sampled_from(["audio/wav", "application/json", "close", "keep-alive"]))),
        max_size=6))
    body = draw(st.one_of(st.binary(max_size=300),
                          json_values.map(lambda v: json.dumps(v).encode())))
    eol = draw(st.sampled_from([b"\r\n", b"\n"]))
    line = f"{method} {target} {version}".encode("latin-1")
    head = b"".join(f"{k}: {v}".encode() + eol for k, v in headers)
    return line + eol + head + eol + body


def test_arbitrary_requests_on_a_socket_get_json_or_a_clean_close(raw_sandbox):
    token = raw_sandbox.client().token
    port = int(raw_sandbox.url.rsplit(":", 1)[1])

    @NETWORK
    @given(raw_requests(token))
    def check(data):
        assume(b"HEAD" not in data)  # a reply to HEAD has no body: parsed apart
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            try:
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # answered and closed before all of it was sent
            received = b""
            try:
                while block := s.recv(65536):  # a hang would end in socket.timeout
                    received += block
            except ConnectionResetError:
                pass
        for reply in _replies(received):
            # 501 and 505 are HTTP's answers to an unknown method or transfer coding and an
            # unsupported version, not failures; any other 5xx is.
            assert reply.status < 500 or reply.status in (501, 505), (data, reply.status,
                                                                       reply.body)
            if reply.status >= 400:
                body = json.loads(reply.body)
                assert isinstance(body["message"], str)

    check()
    assert raw_sandbox.client().get("/").status_code == 200


# ----------------------------------------------------------------------------- sandbox options

OPTION_NAMES = ["name", "webhookUrl", "languageCode", "mode", "confidenceThreshold",
                "diarizationSpeakerCount", "enableSpeakerDiarization", "customVocabulary",
                "detectPhrases", "detectEntities", "entities", "trackers", "channelMetadata",
                "enableSeparateRecognitionPerChannel", "enableAllTrackers", "enableSummary",
                "features", "metadata", "timezoneOffset", "url", "messages"]
# Nothing here reaches another machine: port 9 on loopback refuses at once.
SAFE_URLS = ["http://127.0.0.1:9/hook", "https://127.0.0.1:9/a.wav", "ftp://x/y", "not a url",
             "http://[", "http://", "http:///x", "", "http://127.0.0.1:notaport/",
             "http://[::1/"]
query_values = st.one_of(
    st.sampled_from(["true", "false", "True", "1", "0", "0.5", "0.75", "1.0", "2", "-1",
                     "nan", "inf", "1e999", "en-US", "fr-FR", "xx", "phone", "default",
                     "[]", '["a"]', "[1]", '[{"customType": "X", "text": "y"}]',
                     '[{"name": "t", "vocabulary": ["a"]}]', '[{"channel": 1, "speaker": {}}]',
                     "{", "[" * 2000, "a", ""] + SAFE_URLS),
    latin1_text)


@st.composite
def query_strings(draw) -> str:
    pairs = draw(st.lists(st.tuples(st.one_of(st.sampled_from(OPTION_NAMES), latin1_text),
                                    query_values), max_size=6))
    text = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    if draw(st.booleans()):  # the docs' sample puts a JSON object where the query goes
        text = quote(json.dumps(draw(option_bodies())), safe="")
    return text


def _safe_url(text: str) -> str:
    return text if not text.lower().startswith(("http://", "https://")) else SAFE_URLS[0]


option_values = st.one_of(
    json_values, query_values.map(_safe_url), st.sampled_from(SAFE_URLS + ["http://\ud800/"]),
    st.floats(0.4, 1.1), st.integers(-2, 40),
    st.lists(st.fixed_dictionaries({"customType": st.text(max_size=5),
                                    "text": st.text(max_size=5)}), max_size=2),
    st.lists(st.fixed_dictionaries({"name": st.text(max_size=5),
                                    "vocabulary": st.lists(st.text(max_size=5), max_size=2)}),
             max_size=2),
    st.lists(st.fixed_dictionaries({"channel": st.integers(-1, 3),
                                    "speaker": st.fixed_dictionaries(
                                        {"name": st.text(max_size=5)})}), max_size=2))
message_values = st.lists(st.one_of(
    st.fixed_dictionaries({"payload": st.fixed_dictionaries(
        {"content": st.one_of(st.text(max_size=40), st.sampled_from(["Send it by Friday?"]))})},
        optional={"from": st.one_of(json_values, st.fixed_dictionaries(
            {}, optional={"name": st.text(max_size=8), "userId": st.text(max_size=8)})),
            # Zoned times only: mixing them with naive ones is a known failure, kept apart
            # in test_a_text_submission_mixing_zoned_and_naive_times_completes.
            "duration": st.one_of(json_values, st.fixed_dictionaries({
                "startTime": st.sampled_from(["2024-01-01T10:00:00Z", "2024-01-01T10:00:05Z",
                                              "2024-01-01T10:00:03+02:00", "x"]),
                "endTime": st.sampled_from(["2024-01-01T10:00:04Z", "2024-01-01T10:00:09+00:00",
                                            "2024-01-01T09:00:00Z", ""])}))}),
    json_values), max_size=3)


@st.composite
def option_bodies(draw) -> dict:
    body = draw(st.dictionaries(st.one_of(st.sampled_from(OPTION_NAMES), st.text(max_size=6)),
                                option_values, max_size=6))
    if "messages" in body or draw(st.booleans()):
        body["messages"] = draw(message_values)
    return body


def _storable(options: dict) -> None:
    json.dumps(options, ensure_ascii=False).encode("utf-8")
    if "name" in options:
        options["name"].encode("utf-8")


@QUICK
@given(query_strings())
def test_query_options_are_accepted_or_400(query):
    _, parsed, raw = parse_target("/v1/process/audio?" + query)
    try:
        options = sandbox_options.from_query(parsed, raw)
    except Refusal as exc:
        assert exc.status == 400 and exc.body["message"]
        return
    _storable(options)


@QUICK
@given(st.one_of(option_bodies(), json_values), st.booleans())
def test_body_options_are_accepted_or_400(body, url_required):
    try:
        options = sandbox_options.from_body(body, url_required=url_required)
    except Refusal as exc:
        assert exc.status == 400 and exc.body["message"]
        return
    _storable(options)
    if url_required:
        assert options["url"].startswith(("http://", "https://"))


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x01\x00" * 1600)
    return out.getvalue()


def test_options_over_http_are_accepted_or_400_never_500(raw_sandbox):
    api = raw_sandbox.client()
    existing = api.post("/v1/process/text", json={"messages": [
        {"payload": {"content": "hello"}}]}).json()["conversationId"]
    wav = _wav()

    def verdict(reply) -> None:
        assert reply.status_code in (201, 400), (reply.status_code, reply.text)
        if reply.status_code == 400:
            assert isinstance(reply.json()["message"], str)

    @UPLOADS
    @given(query=query_strings(), media=st.sampled_from(["audio", "video"]),
           append=st.booleans())
    def uploads(query, media, append):
        path = f"/v1/process/{media}" + (f"/{existing}" if append else "")
        verdict(api.request("PUT" if append else "POST", f"{path}?{query}", data=wav))

    @NETWORK
    @given(body=st.one_of(option_bodies(), json_values), query=query_strings(),
           kind=st.sampled_from(["audio/url", "video/url", "text"]), append=st.booleans())
    def bodies(body, query, kind, append):
        path = f"/v1/process/{kind}" + (f"/{existing}" if append else "")
        verdict(api.request("PUT" if append else "POST", f"{path}?{query}",
                            data=json.dumps(body).encode(),
                            headers={"Content-Type": "application/json"}))

    uploads()
    bodies()


def test_an_accepted_text_submission_completes(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("props-text"),
                         max_concurrent_jobs=1000) as sandbox:
        api = sandbox.client()
        accepted: list[str] = []

        @NETWORK
        @given(option_bodies())
        def submit(body):
            reply = api.post("/v1/process/text", data=json.dumps(body).encode())
            assert reply.status_code in (201, 400), reply.text
            if reply.status_code == 201:
                accepted.append(reply.json()["jobId"])

        submit()
        failed = {}
        for jid in accepted:
            status = api.wait(jid, timeout=60)
            if status != "completed":
                failed[jid] = api.get(f"/sandbox/conversations/"
                                      f"{sandbox.app.store.job(jid)['conversation_id']}"
                                      f"/uploads").json()
        assert not failed, failed


# ----------------------------------------------------------------------------- client options

def _one_line_problem(exc: Exception) -> None:
    assert str(exc) and "\n" not in str(exc) and "\r" not in str(exc), repr(str(exc))


@QUICK
@given(st.one_of(st.floats(), st.integers(-5, 5)))
def test_client_confidence(value):
    try:
        assert client_options.check_confidence(value) == value
        assert 0.5 <= value <= 1.0
    except client_options.OptionProblem as exc:
        _one_line_problem(exc)


@QUICK
@given(st.one_of(st.text(max_size=12), st.sampled_from(LANGUAGES)),
       st.integers(-3, 60))
def test_client_language_and_diarize(code, count):
    try:
        language = client_options.check_language(code)
        assert language in LANGUAGES
    except client_options.OptionProblem as exc:
        _one_line_problem(exc)
        language = code  # check_diarize is also called with what the user typed
    try:
        assert client_options.check_diarize(count, language) == count
    except client_options.OptionProblem as exc:
        _one_line_problem(exc)


@QUICK
@given(st.one_of(st.text(max_size=30),
                 st.builds(lambda n, w: f"{n}={w}", st.text(max_size=12), st.text(max_size=20)),
                 st.builds(lambda n, w: f"{n}={w}", st.sampled_from(
                     ["1", "2", "0", "\xb2", "\u0663", "9" * 5000, " 3 ", "-1"]),
                     st.text(max_size=20))))
def test_client_channel_and_tracker_specs(text):
    try:
        speaker = client_options.parse_channel(text)
        assert speaker.channel >= 1 and speaker.name
        json.dumps(speaker.to_json())
    except client_options.OptionProblem as exc:
        _one_line_problem(exc)
    try:
        tracker = client_options.parse_tracker(text)
        assert tracker.vocabulary and len(tracker.vocabulary) <= 50
        json.dumps(tracker.to_json())
    except client_options.OptionProblem as exc:
        _one_line_problem(exc)


FILES = Path(tempfile.mkdtemp(prefix="props-client-"))


@QUICK
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                 st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
                 st.lists(st.fixed_dictionaries(
                     {"name": st.text(max_size=6), "customType": st.text(max_size=6),
                      "text": st.text(max_size=6),
                      "vocabulary": st.lists(st.text(max_size=6), max_size=3)}),
                     max_size=3).map(lambda v: json.dumps(v).encode())))
def test_client_tracker_and_entity_files(data):
    path = FILES / "options.json"
    path.write_bytes(data)
    for load in (client_options.load_trackers, client_options.load_entities):
        try:
            loaded = load(path)
            assert loaded
            json.dumps([t.to_json() if hasattr(t, "to_json") else t for t in loaded])
        except client_options.OptionProblem as exc:
            _one_line_problem(exc)


@QUICK
@given(name=st.one_of(st.none(), st.text(max_size=10)),
       webhook=st.one_of(st.none(), st.text(max_size=20), st.sampled_from(SAFE_URLS)),
       vocab=st.lists(st.text(max_size=8), max_size=3),
       confidence=st.one_of(st.none(), st.floats()),
       channels=st.lists(st.text(max_size=12), max_size=2),
       language=st.one_of(st.none(), st.text(max_size=6),
                          st.sampled_from(LANGUAGES)),
       mode=st.one_of(st.none(), st.sampled_from(["phone", "default"])),
       trackers=st.lists(st.text(max_size=20), max_size=2),
       diarize=st.one_of(st.none(), st.integers(-2, 60)),
       flags=st.lists(st.booleans(), min_size=6, max_size=6))
def test_client_submit_options_are_valid_or_a_one_line_usage_error(
        name, webhook, vocab, confidence, channels, language, mode, trackers, diarize, flags):
    try:
        options = _api_options(name, webhook, vocab, confidence, flags[0], None, flags[1],
                               channels, language, mode, trackers, None, flags[2], flags[3],
                               diarize, flags[4])
    except click.BadParameter as exc:
        _one_line_problem(exc)
        return
    for media in ("audio", "video", "text"):
        json.dumps(options.to_json(media))
    if options.confidence is not None:
        assert 0.5 <= options.confidence <= 1.0 and not math.isnan(options.confidence)


def test_a_text_submission_mixing_zoned_and_naive_times_completes(tmp_path):
    body = {"messages": [
        {"payload": {"content": "Good morning."},
         "duration": {"startTime": "2024-01-01T10:00:00Z", "endTime": "2024-01-01T10:00:04Z"}},
        {"payload": {"content": "Send the report by Friday."},
         "duration": {"startTime": "2024-01-01T10:00:05", "endTime": "2024-01-01T10:00:09"}}]}
    with running_sandbox(tmp_path) as sandbox:
        api = sandbox.client()
        reply = api.post("/v1/process/text", json=body)
        assert reply.status_code == 201
        assert api.wait(reply.json()["jobId"], timeout=60) == "completed"
