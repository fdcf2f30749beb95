"""The notion sink against a loopback stand-in for api.notion.com that checks the wire format.

The stand-in (``FakeNotion``) answers like Notion (page objects with ``id`` and ``url``, error
objects ``{"object": "error", "status", "code", "message"}``) and refuses, with a 400
``validation_error``, whatever Notion would refuse: more than 100 children in a request, a
``text.content`` over 2,000 UTF-16 code units, more than 100 rich-text items in a block, an
unknown block type or rich text outside the block-type key, a bad parent or title property, a
body over 500 KB. Every refusal is also kept in ``problems`` so a test can insist on none.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
import tomllib
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import symbl_media_notion as notion

from symbl_media.plugins import manager as plugins
from symbl_media.insights.collect import Insights
from symbl_media.errors import ApiError, AuthError, SymblMediaError, Unreachable
from symbl_media.plugins.types import Sink, SinkCall
from symbl_media.testing import plugin_registered

HERE = Path(__file__).resolve().parent.parent
TOKEN = "secret_TESTtoken0123456789abcdefABCDEF"
PAGE_ID = "0123456789abcdef0123456789abcdef"
PAGE_UUID = "01234567-89ab-cdef-0123-456789abcdef"
DB_ID = "fedcba98-7654-3210-fedc-ba9876543210"

BLOCK_TYPES = {"paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
               "numbered_list_item", "to_do", "toggle", "quote", "callout"}
PAYLOAD_KEYS = {"rich_text", "checked", "color", "children"}
ANNOTATIONS = {"bold", "italic", "strikethrough", "underline", "code", "color"}


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- the stand-in ---------------------------------------------------------------------------

class FakeNotion:
    def __init__(self, database_title: str = "Name") -> None:
        self.database_title = database_title
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.pages: dict[str, dict] = {}
        self.script: dict[int, tuple] = {}   # request index -> (status, headers, body)
        self.always: tuple | None = None     # a reply for every request
        self.delay = 0.0
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                fake.handle(self)

            do_PATCH = do_GET = do_PUT = do_DELETE = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeNotion:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    # replies

    def send(self, handler, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                handler.send_header(k, v)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def error(self, handler, status: int, code: str, message: str) -> None:
        self.send(handler, status, {"object": "error", "status": status, "code": code,
                                    "message": message, "request_id": str(uuid.uuid4())})

    def invalid(self, handler, message: str) -> None:
        self.problems.append(message)
        self.error(handler, 400, "validation_error", f"body failed validation: {message}")

    # the API

    def handle(self, handler) -> None:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        with self.lock:
            index = len(self.requests)
            entry = {"method": handler.command, "path": handler.path,
                     "headers": dict(handler.headers.items()), "size": len(raw), "body": None}
            self.requests.append(entry)
        if self.delay:
            time.sleep(self.delay)
        reply = self.always or self.script.get(index)
        if reply is not None:
            status, headers, body = reply
            return self.send(handler, status, body, headers)
        if handler.headers.get("Authorization") != f"Bearer {TOKEN}":
            self.problems.append("bad Authorization")
            return self.error(handler, 401, "unauthorized", "API token is invalid.")
        if handler.headers.get("Notion-Version") != "2022-06-28":
            self.problems.append("bad Notion-Version")
            return self.error(handler, 400, "missing_version",
                              "Notion-Version header failed validation")
        if not (handler.headers.get("Content-Type") or "").startswith("application/json"):
            return self.invalid(handler, "Content-Type is not application/json")
        if len(raw) > 500_000:
            return self.invalid(handler, f"the body is {len(raw)} bytes, over 500 KB")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self.invalid(handler, "the body is not UTF-8 JSON")
        entry["body"] = body
        if handler.command == "POST" and handler.path == "/v1/pages":
            return self.create(handler, body)
        parts = handler.path.strip("/").split("/")
        if handler.command == "PATCH" and len(parts) == 4 and parts[:2] == ["v1", "blocks"] \
                and parts[3] == "children":
            return self.append(handler, parts[2], body)
        self.problems.append(f"unexpected {handler.command} {handler.path}")
        self.error(handler, 400, "invalid_request_url", "Invalid request URL.")

    def check_rich_text(self, items, where: str) -> str | None:
        if not isinstance(items, list):
            return f"{where} should be an array"
        if len(items) > 100:
            return f"{where}.length should be ≤ `100`, instead was `{len(items)}`."
        for i, item in enumerate(items):
            if not isinstance(item, dict) or item.get("type", "text") != "text" \
                    or set(item) - {"type", "text", "annotations"}:
                return f"{where}[{i}] is not a text rich-text object"
            content = (item.get("text") or {}).get("content")
            if not isinstance(content, str):
                return f"{where}[{i}].text.content should be a string"
            if utf16(content) > 2000:
                return (f"{where}[{i}].text.content.length should be ≤ `2000`, instead was "
                        f"`{utf16(content)}`.")
            if set(item.get("annotations") or {}) - ANNOTATIONS:
                return f"{where}[{i}].annotations has unknown keys"
        return None

    def check_children(self, children, where: str = "body.children") -> str | None:
        if not isinstance(children, list):
            return f"{where} should be an array"
        if len(children) > 100:
            return f"{where}.length should be ≤ `100`, instead was `{len(children)}`."
        for i, block in enumerate(children):
            kind = block.get("type") if isinstance(block, dict) else None
            if kind not in BLOCK_TYPES:
                return f"{where}[{i}].type {kind!r} is not a block type"
            if set(block) - {"object", "type", kind}:
                return f"{where}[{i}] has keys beside {kind}: {sorted(set(block))}"
            if block.get("object", "block") != "block":
                return f"{where}[{i}].object should be block"
            payload = block.get(kind)
            if not isinstance(payload, dict) or "rich_text" not in payload:
                return f"{where}[{i}].{kind}.rich_text should be defined"
            if set(payload) - PAYLOAD_KEYS:
                return f"{where}[{i}].{kind} has unknown keys {sorted(set(payload))}"
            if kind == "to_do" and not isinstance(payload.get("checked", False), bool):
                return f"{where}[{i}].to_do.checked should be a boolean"
            problem = self.check_rich_text(payload["rich_text"], f"{where}[{i}].{kind}.rich_text")
            if problem:
                return problem
        return None

    def create(self, handler, body: dict) -> None:
        parent = body.get("parent")
        if not isinstance(parent, dict) or len(set(parent) - {"type"}) != 1 \
                or not (set(parent) & {"page_id", "database_id"}):
            return self.invalid(handler, f"body.parent should be page_id or database_id: "
                                         f"{parent!r}")
        properties = body.get("properties")
        if not isinstance(properties, dict) or len(properties) != 1:
            return self.invalid(handler, "body.properties should hold the title only")
        (key, value), = properties.items()
        if "database_id" in parent:
            if parent["database_id"] != DB_ID:
                return self.error(handler, 404, "object_not_found",
                                  f"Could not find database with ID: {parent['database_id']}. "
                                  "Make sure the relevant pages and databases are shared with "
                                  "your integration.")
            if key != self.database_title:
                return self.invalid(handler, f"{key} is not a property that exists.")
        elif key != "title":
            return self.invalid(handler, f"{key} is not a property that exists.")
        if not isinstance(value, dict) or set(value) != {"title"}:
            return self.invalid(handler, f"body.properties.{key}.title should be defined")
        problem = (self.check_rich_text(value["title"], f"body.properties.{key}.title")
                   or self.check_children(body.get("children", [])))
        if problem:
            return self.invalid(handler, problem)
        page_id = str(uuid.uuid4())
        self.pages[page_id] = {"parent": parent, "properties": properties,
                               "blocks": list(body.get("children", []))}
        url = f"https://www.notion.so/Meeting-{page_id.replace('-', '')}"
        self.send(handler, 200, {"object": "page", "id": page_id, "parent": parent,
                                 "properties": {}, "archived": False, "url": url})

    def append(self, handler, block_id: str, body: dict) -> None:
        if block_id not in self.pages:
            return self.error(handler, 404, "object_not_found",
                              f"Could not find block with ID: {block_id}.")
        if set(body) != {"children"}:
            return self.invalid(handler, f"body has keys {sorted(body)}")
        problem = self.check_children(body["children"])
        if problem:
            return self.invalid(handler, problem)
        self.pages[block_id]["blocks"].extend(body["children"])
        self.send(handler, 200, {"object": "list", "results": [
            {"object": "block", "id": str(uuid.uuid4()), **b} for b in body["children"]],
            "next_cursor": None, "has_more": False})

    # reading back

    def only_page(self) -> dict:
        assert len(self.pages) == 1, self.pages.keys()
        return next(iter(self.pages.values()))

    def page_text(self) -> list[tuple[str, str]]:
        """The page as (block type, plain text), reassembled from every request in order."""
        return [(b["type"], "".join(t["text"]["content"] for t in b[b["type"]]["rich_text"]))
                for b in self.only_page()["blocks"]]


# --- fixtures and builders ------------------------------------------------------------------

@pytest.fixture
def sink(monkeypatch) -> Sink:
    monkeypatch.setenv("SYMBL_MEDIA_LOAD_PLUGINS", "")   # no installed third-party plugins
    plugins.reset()
    with plugin_registered(notion):
        yield plugins.sinks()["notion"]
    plugins.reset()


@pytest.fixture
def fake(monkeypatch):
    with FakeNotion() as server:
        monkeypatch.setenv("NOTION_TOKEN", TOKEN)
        monkeypatch.setenv("NOTION_API_URL", server.url)
        yield server


def message(i: int, who: str, text: str, at: float, length: float = 2.0) -> dict:
    return {"id": f"m{i}", "text": text, "from": {"id": who.lower(), "name": who},
            "timeOffset": at, "duration": length}


def small() -> Insights:
    messages = (message(1, "Alice", "Welcome everyone, let's start.", 5.0),
                message(2, "Bob", "I will send the deck by Friday.", 65.5, 3.0),
                message(3, "Alice", "Can we ship on Monday?", 3725.0, 4.0))
    return Insights(
        conversation_id="5551234567890",
        conversation={"id": "5551234567890", "name": "Weekly sync",
                      "startTime": "2024-05-01T14:00:00.000Z"},
        messages=messages,
        topics=({"text": "release plan", "score": 0.9}, {"text": "deck", "score": 0.5}),
        action_items=({"text": "Send the deck", "assignee": {"name": "Bob"},
                       "dueBy": "2024-05-03T00:00:00Z"},
                      {"text": "Book a room"}),
        follow_ups=({"text": "Check the budget", "assignee": {"name": "Alice"}},),
        questions=({"text": "Can we ship on Monday?"},),
        entities=(), members=(),
        summary=({"text": "The team agreed on the release plan."},),
        notes=("the summary was short",))


EXPECTED_SMALL = [
    ("heading_1", "Weekly sync"),
    ("paragraph", "Date: 2024-05-01 14:00 UTC · Duration: 01:02:09 · Speakers: Alice, Bob"),
    ("paragraph", "Note: the summary was short"),
    ("heading_2", "Summary"),
    ("paragraph", "The team agreed on the release plan."),
    ("heading_2", "Topics"),
    ("bulleted_list_item", "release plan"),
    ("bulleted_list_item", "deck"),
    ("heading_2", "Action items"),
    ("to_do", "Send the deck — Bob, due 2024-05-03"),
    ("to_do", "Book a room"),
    ("heading_2", "Questions"),
    ("bulleted_list_item", "Can we ship on Monday?"),
    ("heading_2", "Follow-ups"),
    ("bulleted_list_item", "Check the budget — Alice"),
    ("heading_2", "Transcript"),
    ("paragraph", "[00:00:05] Alice: Welcome everyone, let's start."),
    ("paragraph", "[00:01:05] Bob: I will send the deck by Friday."),
    ("paragraph", "[01:02:05] Alice: Can we ship on Monday?"),
]


def big(long_text: str | None = None, count: int = 350) -> Insights:
    names = ("Alice", "Bob", "Chandra")
    long_text = long_text if long_text is not None else " ".join(
        f"word{i:05d}" for i in range(1300))[:12_000]
    messages = []
    for i in range(count):
        text = long_text if i == 100 else f"Message number {i} about item {i % 17}."
        messages.append(message(i, names[i % 3], text, 7.0 * i))
    return Insights(
        conversation_id="big", conversation={"id": "big", "name": "Long meeting",
                                              "startTime": "2024-05-02T09:30:00Z"},
        messages=tuple(messages),
        topics=tuple({"text": f"topic {i}"} for i in range(30)),
        action_items=tuple({"text": f"task {i}", "assignee": {"name": names[i % 3]}}
                           for i in range(20)),
        follow_ups=(), questions=tuple({"text": f"question {i}?"} for i in range(10)),
        entities=(), members=(), summary=({"text": "A long meeting."},))


def transcript(insights: Insights) -> list[str]:
    return [f"[{notion.hms(m['timeOffset'])}] {m['from']['name']}: {m['text']}"
            for m in insights.messages]


def after_heading(page: list[tuple[str, str]], heading: str) -> list[tuple[str, str]]:
    start = page.index(("heading_2", heading)) + 1
    end = next((i for i in range(start, len(page)) if page[i][0] == "heading_2"), len(page))
    return page[start:end]


def token_free(exc: BaseException) -> None:
    text = "".join(traceback.format_exception(exc))
    assert TOKEN not in text
    assert TOKEN not in str(exc) and TOKEN not in repr(exc)


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text.strip() == text and text
    return text


# --- registration and packaging -------------------------------------------------------------

def test_the_sink_is_registered(sink):
    assert isinstance(sink, Sink) and sink.name == "notion"
    assert sink.write is notion.write
    assert "Notion" in sink.description and not sink.writes_stdout_by_default


def test_the_entry_point_in_pyproject_resolves():
    meta = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))
    project = meta["project"]
    assert project["name"] == "symbl-media-notion"
    deps = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in project["dependencies"]}
    assert {"symbl-media", "requests"} <= deps
    value = project["entry-points"][plugins.GROUP]["notion"]
    module_name, _, attr = value.partition(":")
    target = importlib.import_module(module_name)
    for part in filter(None, attr.split(".")):
        target = getattr(target, part)
    assert target is notion
    assert hasattr(target.register_sinks, "symbl_media_impl")  # marked with hookimpl
    assert meta["tool"]["setuptools"]["py-modules"] == ["symbl_media_notion"]


# --- pages ----------------------------------------------------------------------------------

def test_a_page_under_a_parent_page(sink, fake):
    where = sink.write(small(), SinkCall(PAGE_ID, {}, "sync.mp4"))
    assert not fake.problems
    page = fake.only_page()
    page_id = next(iter(fake.pages))
    assert where == f"Notion page https://www.notion.so/Meeting-{page_id.replace('-', '')}"
    assert page["parent"] == {"page_id": PAGE_UUID}
    assert page["properties"] == {"title": {"title": [
        {"type": "text", "text": {"content": "Weekly sync"}}]}}
    assert fake.page_text() == EXPECTED_SMALL
    assert [b["to_do"]["checked"] for b in page["blocks"] if b["type"] == "to_do"] == [False] * 2
    (request,) = fake.requests
    assert (request["method"], request["path"]) == ("POST", "/v1/pages")
    headers = request["headers"]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Notion-Version"] == "2022-06-28"
    assert headers["Content-Type"].startswith("application/json")
    assert TOKEN not in where


def test_a_page_in_a_database_under_its_title_property(sink, fake):
    where = sink.write(small(), SinkCall(f"database={DB_ID}", {}, "sync.mp4"))
    assert where.startswith("Notion page https://www.notion.so/")
    page = fake.only_page()
    assert page["parent"] == {"database_id": DB_ID}
    assert list(page["properties"]) == ["Name"]
    assert page["properties"]["Name"]["title"][0]["text"]["content"] == "Weekly sync"
    assert fake.page_text() == EXPECTED_SMALL and not fake.problems


def test_title_property_and_database_as_options(sink, fake):
    fake.database_title = "Meeting"
    url = f"https://www.notion.so/acme/{DB_ID.replace('-', '')}?v=abc123"
    sink.write(small(), SinkCall(None, {"database": url, "title_property": "Meeting",
                                        "title": "Sync, 1 May"}, ""))
    page = fake.only_page()
    assert page["parent"] == {"database_id": DB_ID}
    assert page["properties"]["Meeting"]["title"][0]["text"]["content"] == "Sync, 1 May"
    assert fake.page_text()[0] == ("heading_1", "Sync, 1 May")


def test_a_wrong_title_property_is_notions_validation_error_in_one_line(sink, fake):
    fake.database_title = "Meeting"
    with pytest.raises(SymblMediaError) as caught:
        sink.write(small(), SinkCall(f"database={DB_ID}", {}, ""))
    text = one_line(caught.value)
    assert isinstance(caught.value, ApiError) and caught.value.status == 400
    assert "validation_error" in text and "Name is not a property that exists." in text
    assert "HTTP 400" in text and "creating the page" in text
    token_free(caught.value)


def test_a_long_meeting_is_split_and_batched_in_order(sink, fake):
    insights = big()
    assert len(insights.messages) == 350 and len(insights.messages[100]["text"]) == 12_000
    where = sink.write(insights, SinkCall(PAGE_ID, {}, "long.wav"))
    assert not fake.problems and where.startswith("Notion page ")
    methods = [(r["method"], r["path"]) for r in fake.requests]
    page_id = next(iter(fake.pages))
    assert methods[0] == ("POST", "/v1/pages")
    assert set(methods[1:]) == {("PATCH", f"/v1/blocks/{page_id}/children")}
    sizes = [len(r["body"]["children"]) for r in fake.requests]
    assert all(0 < n <= 100 for n in sizes) and len(sizes) >= 4
    assert sizes[:-1] == [100] * (len(sizes) - 1)     # full batches until the last
    for r in fake.requests:
        assert r["headers"]["Authorization"] == f"Bearer {TOKEN}"
        assert r["headers"]["Notion-Version"] == "2022-06-28"
        assert r["size"] <= 500_000
    page = fake.page_text()
    assert len(page) == sum(sizes)
    assert [text for _, text in after_heading(page, "Transcript")] == transcript(insights)
    assert [t for _, t in after_heading(page, "Topics")] == [f"topic {i}" for i in range(30)]
    assert len(after_heading(page, "Action items")) == 20
    long_block = next(b for b in fake.only_page()["blocks"]
                      if b["type"] == "paragraph"
                      and "".join(t["text"]["content"] for t in b["paragraph"]["rich_text"])
                      .endswith(insights.messages[100]["text"]))
    pieces = long_block["paragraph"]["rich_text"]
    assert len(pieces) >= 7 and all(len(p["text"]["content"]) <= 2000 for p in pieces)


def test_text_beyond_one_blocks_limits_continues_in_the_next(sink, fake):
    # 250,000 characters with emoji (2 UTF-16 units each): over 100 rich-text items and over
    # the per-block text, in one message; the page still reads back exactly.
    text = ("Plain words and emoji 😀🎉 " * 10_000)[:250_000]
    insights = big(text, count=120)
    sink.write(insights, SinkCall(PAGE_ID, {}, ""))
    assert not fake.problems
    for request in fake.requests:
        assert request["size"] <= 500_000 and len(request["body"]["children"]) <= 100
    blocks = fake.only_page()["blocks"]
    for block in blocks:
        items = block[block["type"]]["rich_text"]
        assert len(items) <= 100
        assert all(utf16(i["text"]["content"]) <= 2000 for i in items)
    lines = [t for _, t in after_heading(fake.page_text(), "Transcript")]
    assert len(lines) > 120
    assert "".join(lines) == "".join(transcript(insights))
    assert lines[:100] == transcript(insights)[:100]
    assert lines[-19:] == transcript(insights)[-19:]


def test_one_429_is_waited_out_and_retried(sink, fake):
    fake.script[0] = (429, {"Retry-After": "1"},
                      {"object": "error", "status": 429, "code": "rate_limited",
                       "message": "You have been rate limited. Please try again in a few "
                                  "minutes."})
    started = time.monotonic()
    where = sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert time.monotonic() - started >= 0.95
    assert [r["method"] for r in fake.requests] == ["POST", "POST"]
    assert len(fake.pages) == 1 and where.startswith("Notion page ")
    assert fake.page_text() == EXPECTED_SMALL


def test_rate_limiting_is_given_up_after_a_cap(sink, fake, monkeypatch):
    monkeypatch.setattr(notion, "RATE_LIMIT_TRIES", 3)
    fake.always = (429, {"Retry-After": "0"}, {"object": "error", "status": 429,
                                               "code": "rate_limited", "message": "Slow down."})
    with pytest.raises(ApiError) as caught:
        sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert len(fake.requests) == 3
    text = one_line(caught.value)
    assert "rate_limited: Slow down." in text and "after 3 tries" in text


def test_a_retry_after_beyond_the_cap_is_not_waited_for(sink, fake, monkeypatch):
    monkeypatch.setattr(notion, "MAX_RETRY_AFTER", 2)
    fake.always = (429, {"Retry-After": "120"}, {"object": "error", "status": 429,
                                                 "code": "rate_limited", "message": "Wait."})
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert time.monotonic() - started < 1 and len(fake.requests) == 1
    assert "asks to wait 120 s" in one_line(caught.value)


def test_a_failed_append_names_the_incomplete_page(sink, fake):
    fake.script[2] = (409, {}, {"object": "error", "status": 409, "code": "conflict_error",
                                "message": "Transaction could not be completed."})
    with pytest.raises(ApiError) as caught:
        sink.write(big(), SinkCall(PAGE_ID, {}, ""))
    text = one_line(caught.value)
    page_id = next(iter(fake.pages))
    assert "conflict_error: Transaction could not be completed." in text
    assert "HTTP 409" in text and "blocks 201-300" in text and "incomplete" in text
    assert page_id.replace("-", "") in text
    token_free(caught.value)


def test_a_refused_token_never_shows_even_when_echoed(sink, fake):
    fake.always = (401, {}, {"object": "error", "status": 401, "code": "unauthorized",
                             "message": f"API token {TOKEN} is invalid."})
    with pytest.raises(AuthError) as caught:
        sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert caught.value.exit_code == 12
    text = one_line(caught.value)
    assert "unauthorized" in text and "[NOTION_TOKEN]" in text and "NOTION_TOKEN" in text
    token_free(caught.value)


def test_an_error_body_without_code_or_message(sink, fake):
    fake.always = (502, {}, {"unexpected": "shape"})
    with pytest.raises(ApiError) as caught:
        sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert "HTTP 502" in one_line(caught.value)


def test_a_missing_parent_is_notions_404(sink, fake):
    with pytest.raises(ApiError) as caught:
        sink.write(small(), SinkCall("database=00000000000000000000000000000000", {}, ""))
    text = one_line(caught.value)
    assert "HTTP 404" in text and "object_not_found: Could not find database" in text


def test_a_silent_notion_times_out(sink, fake, monkeypatch):
    monkeypatch.setattr(notion, "TIMEOUT", (2, 0.3))
    fake.delay = 1.0
    with pytest.raises(Unreachable) as caught:
        sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    text = one_line(caught.value)
    assert "did not answer within 0.3 s" in text and "may have been created" in text
    assert caught.value.maybe_sent
    token_free(caught.value)


def test_an_unreachable_notion(sink, monkeypatch):
    with FakeNotion() as closed:
        url = closed.url
    monkeypatch.setenv("NOTION_TOKEN", TOKEN)
    monkeypatch.setenv("NOTION_API_URL", url)
    with pytest.raises(Unreachable) as caught:
        sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert "cannot reach Notion at" in one_line(caught.value)
    token_free(caught.value)


def test_no_token_is_a_setup_error_before_any_request(sink, fake, monkeypatch):
    monkeypatch.delenv("NOTION_TOKEN")
    with pytest.raises(SymblMediaError) as caught:
        sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert "NOTION_TOKEN is not set" in one_line(caught.value)
    assert caught.value.exit_code == 2 and not fake.requests


def test_an_empty_conversation_is_a_short_page(sink, fake):
    empty = Insights("c1", {}, (), (), (), (), (), (), ())
    sink.write(empty, SinkCall(PAGE_ID, {}, "call.m4a"))
    assert fake.page_text() == [
        ("heading_1", "call.m4a"),
        ("paragraph", "Date: unknown · Duration: 00:00:00 · Speakers: none named")]


@pytest.mark.parametrize("call, problem", [
    (SinkCall(None, {}, ""), "say where the page goes"),
    (SinkCall("-", {}, ""), "not standard output"),
    (SinkCall("not-an-id", {}, ""), "is not a Notion page id"),
    (SinkCall(PAGE_ID, {"database": DB_ID}, ""), "not both"),
    (SinkCall(PAGE_ID, {"title_property": "Name"}, ""), "database= only"),
    (SinkCall(PAGE_ID, {"colour": "red"}, ""), "unknown option colour"),
    (SinkCall(f"database={DB_ID}", {"database": DB_ID}, ""), "given twice"),
])
def test_bad_targets_are_one_line_setup_errors(sink, fake, call, problem):
    with pytest.raises(SymblMediaError) as caught:
        sink.write(small(), call)
    assert problem in one_line(caught.value) and caught.value.exit_code == 2
    assert not fake.requests


@pytest.mark.parametrize("text", [
    PAGE_ID, PAGE_UUID, PAGE_ID.upper(), f"page={PAGE_ID}",
    f"https://www.notion.so/acme/Weekly-notes-{PAGE_ID}",
    f"https://www.notion.so/Cafe-{PAGE_ID}?pvs=4#abc",
])
def test_page_ids_in_every_usual_form(sink, fake, text):
    sink.write(small(), SinkCall(text, {}, ""))
    assert fake.only_page()["parent"] == {"page_id": PAGE_UUID}


def test_the_api_url_may_end_in_v1(sink, fake, monkeypatch):
    monkeypatch.setenv("NOTION_API_URL", fake.url + "/v1/")
    sink.write(small(), SinkCall(PAGE_ID, {}, ""))
    assert fake.requests[0]["path"] == "/v1/pages"


# --- splitting ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", "short", "x" * 2000, "x" * 2001, "word " * 1000, "😀" * 1500, "a" + "😀" * 1500,
    ("Lorem ipsum dolor sit amet " * 500) + "z" * 5000,
])
def test_split_text_keeps_everything_within_the_limit(text):
    pieces = notion.split_text(text)
    assert "".join(pieces) == text
    assert all(0 < utf16(p) <= 2000 for p in pieces)
    assert len(pieces) == (0 if not text else max(1, -(-utf16(text) // 2000))) or " " in text


def test_split_text_prefers_whitespace():
    text = " ".join(f"w{i:04d}" for i in range(800))
    pieces = notion.split_text(text)
    assert all(p.endswith(" ") for p in pieces[:-1])
