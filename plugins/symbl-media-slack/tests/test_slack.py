"""The Slack sink against a loopback stand-in for Slack that checks the real wire format.

The sink is obtained the way symbl-media uses a stranger's plugin: registered with the plugin
manager (``symbl_media.testing.plugin_registered``) and looked up in ``plugins.sinks()``.
"""

from __future__ import annotations

import importlib
import json
import re
import socket
import threading
import time
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import symbl_media_slack as slack_module

from symbl_media.plugins import manager as plugins
from symbl_media.insights.collect import Insights
from symbl_media.errors import SymblMediaError
from symbl_media.plugins.types import Sink, SinkCall
from symbl_media.testing import plugin_registered

PROJECT = Path(__file__).resolve().parent.parent
TOKEN = "xoxb-1111-2222-SeCrEtToKeN"
HOOK_PATH = "/services/T000/B000/HoOkSeCrEt0123456789"
CHANNELS = {"#standups", "C0123456"}


# --- the stand-in for Slack ---------------------------------------------------------------

def _size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


LINK = re.compile(r"<https?://[^|<>\s]+\|[^<>]+>")


def _mrkdwn_problems(text: str, where: str) -> list[str]:
    """Control characters in mrkdwn: < and > only in links; & only in escapes."""
    rest = LINK.sub("", text)
    problems = []
    if "<" in rest or ">" in rest:
        problems.append(f"{where}: unescaped < or > in {rest[:60]!r}")
    if re.search(r"&(?!amp;|lt;|gt;)", rest):
        problems.append(f"{where}: unescaped & in {rest[:60]!r}")
    return problems


def _text_object(obj, where: str, limit: int, kinds=("plain_text", "mrkdwn")) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return [f"{where}: not a {'/'.join(kinds)} text object"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where}: empty text"]
    problems = [] if _size(text) <= limit else [f"{where}: {_size(text)} > {limit} characters"]
    if obj["type"] == "mrkdwn":
        problems += _mrkdwn_problems(text, where)
    return problems


def validate_message(payload, keys: set[str]) -> list[str]:
    """What Slack (and our stricter budget) would refuse in a chat.postMessage/webhook body."""
    if not isinstance(payload, dict):
        return ["body is not a JSON object"]
    problems = [f"unexpected key {k!r}" for k in sorted(set(payload) - keys)]
    text = payload.get("text")
    if not isinstance(text, str) or not text or _size(text) > 40000:
        problems.append("text missing, empty or over 40000")
    blocks = payload.get("blocks")
    if not isinstance(blocks, list) or not 1 <= len(blocks) <= 50:
        got = len(blocks) if isinstance(blocks, list) else repr(blocks)
        return problems + [f"blocks: want 1..50, got {got}"]
    total = 0
    ids = set()
    for n, block in enumerate(blocks):
        where = f"block {n}"
        kind = block.get("type") if isinstance(block, dict) else None
        allowed = {"header": {"type", "text", "block_id"},
                   "section": {"type", "text", "fields", "block_id"},
                   "context": {"type", "elements", "block_id"},
                   "divider": {"type", "block_id"}}
        if kind not in allowed:
            problems.append(f"{where}: invalid block type {kind!r}")
            continue
        problems += [f"{where}: unexpected key {k!r}" for k in set(block) - allowed[kind]]
        if "block_id" in block:
            if len(block["block_id"]) > 255 or block["block_id"] in ids:
                problems.append(f"{where}: bad block_id")
            ids.add(block["block_id"])
        if kind == "header":
            problems += _text_object(block.get("text"), where, 150, ("plain_text",))
            total += _size(block["text"].get("text", ""))
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"{where}: a section needs text or fields")
            if "text" in block:
                problems += _text_object(block["text"], where, 3000)
                total += _size(block["text"].get("text", ""))
            fields = block.get("fields", [])
            if "fields" in block and not 1 <= len(fields) <= 10:
                problems.append(f"{where}: {len(fields)} fields")
            for i, field in enumerate(fields):
                problems += _text_object(field, f"{where} field {i}", 2000)
                total += _size(field.get("text", ""))
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
                problems.append(f"{where}: context needs 1..10 elements")
                continue
            for i, element in enumerate(elements):
                problems += _text_object(element, f"{where} element {i}", 3000)
                total += _size(element.get("text", ""))
    if total > 12000:
        problems.append(f"blocks hold {total} characters (msg_blocks_too_long)")
    return problems


class FakeSlack:
    """Slack's webhook and chat.postMessage on 127.0.0.1: replies like Slack, records all."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.script: list[tuple] = []  # (status, headers, body) or ("sleep", s): used first
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                fake.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A client that gave up (the timeout test) is not the stand-in's problem.
        self.server.handle_error = lambda request, address: None
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def webhook_url(self) -> str:
        return self.url + HOOK_PATH

    @property
    def api_url(self) -> str:
        return self.url + "/api"

    def reply(self, handler, status: int, body, headers: dict | None = None) -> None:
        if isinstance(body, (dict, list)):
            data, ctype = json.dumps(body).encode(), "application/json; charset=utf-8"
        else:
            data, ctype = str(body).encode(), "text/html"
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def handle(self, handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        record = {"path": handler.path, "headers": dict(handler.headers), "raw": raw,
                  "at": time.monotonic()}
        try:
            record["json"] = json.loads(raw.decode("utf-8"))
        except ValueError:
            record["json"] = None
        with self.lock:
            self.requests.append(record)
            step = self.script.pop(0) if self.script else None
        api = handler.path == "/api/chat.postMessage"
        ctype = handler.headers.get("Content-Type", "")
        if not ctype.startswith("application/json"):
            self.problems.append(f"content type {ctype!r}")
            return self.reply(handler, 200 if api else 400,
                              {"ok": False, "error": "invalid_form_data"} if api
                              else "invalid_payload")
        if step and step[0] == "sleep":
            time.sleep(step[1])
            step = None
        if step:
            return self.reply(handler, step[0], step[2], step[1])
        if api:
            if handler.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self.reply(handler, 200, {"ok": False, "error": "invalid_auth"})
            problems = validate_message(record["json"], {"channel", "text", "blocks"})
            channel = (record["json"] or {}).get("channel") if not problems else None
            if problems:
                self.problems += problems
                return self.reply(handler, 200, {"ok": False, "error": "invalid_blocks"})
            if channel not in CHANNELS:
                return self.reply(handler, 200, {"ok": False, "error": "channel_not_found"})
            return self.reply(handler, 200, {"ok": True, "channel": "C0123456",
                                             "ts": "1700000000.000100"})
        if handler.path == HOOK_PATH:
            if "Authorization" in handler.headers:
                self.problems.append("webhook request carried an Authorization header")
            problems = validate_message(record["json"], {"text", "blocks"})
            if problems:
                self.problems += problems
                return self.reply(handler, 400, "invalid_blocks")
            return self.reply(handler, 200, "ok")
        if handler.path.startswith("/services/"):
            return self.reply(handler, 404, "no_service")
        return self.reply(handler, 404, {"ok": False, "error": "unknown_method"})


@pytest.fixture
def fake():
    server = FakeSlack()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("SLACK_WEBHOOK_URL", "SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_API_URL",
                 "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    # Only the plugin under test: no entry-point plugins from the environment.
    monkeypatch.setenv("SYMBL_MEDIA_LOAD_PLUGINS", "")


@pytest.fixture
def sink():
    """The sink as symbl-media would find it: registered, then looked up by name."""
    plugins.reset()
    try:
        with plugin_registered(slack_module):
            found = plugins.sinks()
            assert isinstance(found["slack"], Sink)
            yield found["slack"]
    finally:
        plugins.reset()


@pytest.fixture
def webhook(fake, monkeypatch):
    monkeypatch.setenv("SLACK_WEBHOOK_URL", fake.webhook_url)
    return fake


@pytest.fixture
def bot(fake, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    return fake


# --- insights -----------------------------------------------------------------------------

def make_insights(**changes) -> Insights:
    values = {
        "conversation_id": "5550001112223334",
        "conversation": {"id": "5550001112223334", "name": "Weekly standup",
                         "startTime": "2024-05-01T10:00:00.000Z"},
        "messages": (
            {"text": "Morning all.", "from": {"name": "Ann Lee"}, "timeOffset": 0, "duration": 2},
            {"text": "Hi.", "from": {"name": "Bob Roy"}, "timeOffset": 3, "duration": 1},
            {"text": "Let's wrap up.", "from": {"name": "Ann Lee"}, "timeOffset": 750,
             "duration": 4.4}),
        "topics": ({"text": "release plan", "score": 0.9}, {"text": "hiring", "score": 0.4}),
        "action_items": (
            {"text": "Send the deck to finance", "assignee": {"name": "Ann Lee"},
             "dueBy": "2024-05-03T00:00:00.000Z"},
            {"text": "Book the room"}),
        "follow_ups": (),
        "questions": ({"text": "Who owns QA?", "from": {"name": "Bob Roy"}},),
        "entities": (),
        "members": (),
    }
    values.update(changes)
    return Insights(**values)


def big_insights() -> Insights:
    return make_insights(
        conversation={"id": "5550001112223334", "name": "Q3 planning & review " * 30},
        messages=tuple({"text": "x", "from": {"name": f"Speaker {i}"}, "timeOffset": i * 60,
                        "duration": 30} for i in range(120)),
        topics=({"text": "t" * 5000},) + tuple({"text": f"topic {i}"} for i in range(200)),
        action_items=tuple({"text": f"Action {i}: follow up with vendor <{i}> & legal " * 3,
                            "assignee": {"name": f"Person {i}"},
                            "dueBy": f"2024-06-{i % 28 + 1:02d}T00:00:00Z"}
                           for i in range(200)),
        questions=tuple({"text": f"Question {i}? " + "q" * 200} for i in range(300)),
        summary=({"text": "s" * 8000},),
    )


def blocks_text(payload: dict) -> str:
    out = []
    for block in payload["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        out += [e["text"] for e in block.get("elements", [])]
    return "\n".join(out)


def section_with(payload: dict, start: str) -> str:
    for block in payload["blocks"]:
        if block["type"] == "section" and block.get("text", {}).get("text", "").startswith(start):
            return block["text"]["text"]
    raise AssertionError(f"no section starting {start!r}")


def assert_no_secret(text: str) -> None:
    for secret in (TOKEN, HOOK_PATH, "HoOkSeCrEt", "SeCrEtToKeN"):
        assert secret not in text


def failure(exc_info) -> str:
    """The error as the user sees it, plus its chain, which must be clean too."""
    err = exc_info.value
    assert isinstance(err, SymblMediaError)
    text = str(err)
    assert "\n" not in text and text
    assert err.__cause__ is None and err.__context__ is None
    assert_no_secret(text + repr(err.args))
    return text


# --- tests --------------------------------------------------------------------------------

def test_registered_like_any_plugin(sink):
    assert sink.name == "slack" and sink.write is slack_module.write
    assert "Slack" in sink.description
    assert not sink.writes_stdout_by_default


def test_webhook_posts_the_summary(sink, webhook):
    where = sink.write(make_insights(), SinkCall(None, {}, "standup.mkv"))
    assert where == "Slack webhook"
    assert_no_secret(where)
    assert webhook.problems == []
    (req,) = webhook.requests
    assert req["path"] == HOOK_PATH
    assert req["headers"]["Content-Type"].startswith("application/json")
    payload = req["json"]
    assert set(payload) == {"text", "blocks"}
    assert payload["blocks"][0] == {"type": "header", "text": {
        "type": "plain_text", "text": "Weekly standup", "emoji": True}}
    text = blocks_text(payload)
    assert "*Duration*\n12:34" in text
    assert "*Speakers* (2)\nAnn Lee, Bob Roy" in text
    assert "• release plan\n• hiring" in section_with(payload, "*Topics* (2)")
    actions = section_with(payload, "*Action items* (2)")
    assert "• Send the deck to finance — _Ann Lee_ · due 2024-05-03" in actions
    assert "• Book the room" in actions
    assert "• Who owns QA? — _Bob Roy_" in section_with(payload, "*Questions* (1)")
    assert "`symbl-media insights 5550001112223334`" in text
    assert payload["text"] == "Weekly standup: 12:34, 2 speakers, 2 action items, 1 question"


def test_bot_posts_to_the_target_channel(sink, bot):
    link = "https://wiki.example/standups?id=42&view=full|x"
    where = sink.write(make_insights(), SinkCall("#standups", {"link": link}, "standup.mkv"))
    assert where == "Slack #standups"
    assert bot.problems == []
    (req,) = bot.requests
    assert req["path"] == "/api/chat.postMessage"
    assert req["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert req["headers"]["Content-Type"].startswith("application/json")
    assert req["json"]["channel"] == "#standups"
    assert set(req["json"]) == {"channel", "text", "blocks"}
    assert ("<https://wiki.example/standups?id=42&amp;view=full%7Cx|wiki.example/standups>"
            in section_with(req["json"], "*Full report:*"))


def test_bot_channel_from_option_or_environment(sink, bot, monkeypatch):
    assert sink.write(make_insights(), SinkCall(None, {"channel": "C0123456"})) == "Slack C0123456"
    monkeypatch.setenv("SLACK_CHANNEL", "#standups")
    assert sink.write(make_insights(), SinkCall(None, {})) == "Slack #standups"
    assert [r["json"]["channel"] for r in bot.requests] == ["C0123456", "#standups"]


def test_a_named_channel_prefers_the_bot_over_the_webhook(sink, bot, monkeypatch):
    monkeypatch.setenv("SLACK_WEBHOOK_URL", bot.webhook_url)
    assert sink.write(make_insights(), SinkCall("#standups", {})) == "Slack #standups"
    assert sink.write(make_insights(), SinkCall(None, {})) == "Slack webhook"
    assert [r["path"] for r in bot.requests] == ["/api/chat.postMessage", HOOK_PATH]


def test_path_link(sink, webhook):
    sink.write(make_insights(), SinkCall(None, {"link": "reports/standup <1>.json"}))
    text = section_with(webhook.requests[0]["json"], "*Full report:*")
    assert text == "*Full report:* `reports/standup &lt;1&gt;.json`"


def test_slack_error_is_shown(sink, bot):
    with pytest.raises(slack_module.SlackError) as caught:
        sink.write(make_insights(), SinkCall("#nowhere", {}))
    text = failure(caught)
    assert text.startswith("Slack chat.postMessage to #nowhere: channel_not_found")
    assert caught.value.exit_code == 11


def test_refused_token_never_leaks(sink, bot, monkeypatch):
    wrong = "xoxb-9999-WrOnGtOkEn"
    monkeypatch.setenv("SLACK_BOT_TOKEN", wrong)
    with pytest.raises(slack_module.SlackAuthError) as caught:
        sink.write(make_insights(), SinkCall("#standups", {}))
    text = failure(caught)
    assert "invalid_auth" in text and wrong not in text and "WrOnG" not in text
    assert caught.value.exit_code == 12
    assert bot.requests[0]["headers"]["Authorization"] == f"Bearer {wrong}"


def test_webhook_refused_names_slack_and_status(sink, fake, monkeypatch):
    secret_url = fake.url + "/services/T000/B000/HoOkSeCrEtGoNe"
    monkeypatch.setenv("SLACK_WEBHOOK_URL", secret_url)
    with pytest.raises(slack_module.SlackAuthError) as caught:
        sink.write(make_insights(), SinkCall(None, {}))
    text = failure(caught)
    assert text.startswith("Slack webhook: HTTP 404 no_service")
    assert "HoOkSeCrEtGoNe" not in text and "/services/" not in text


@pytest.mark.parametrize("transport", ["webhook", "bot"])
def test_server_error_is_one_line_with_the_status(sink, fake, monkeypatch, transport):
    monkeypatch.setenv("SLACK_WEBHOOK_URL", fake.webhook_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    fake.script.append((500, {}, "<html>\nInternal error\n</html>"))
    target = "#standups" if transport == "bot" else None
    with pytest.raises(slack_module.SlackError) as caught:
        sink.write(make_insights(), SinkCall(target, {}))
    text = failure(caught)
    assert text.startswith("Slack ") and "HTTP 500" in text and "html" not in text


@pytest.mark.parametrize("transport", ["webhook", "bot"])
def test_429_retry_after_is_honoured(sink, fake, monkeypatch, transport):
    monkeypatch.setenv("SLACK_WEBHOOK_URL", fake.webhook_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    limited = {"ok": False, "error": "ratelimited"} if transport == "bot" else "rate_limited"
    fake.script.append((429, {"Retry-After": "1"}, limited))
    target = "#standups" if transport == "bot" else None
    where = sink.write(make_insights(), SinkCall(target, {}))
    assert where == ("Slack #standups" if transport == "bot" else "Slack webhook")
    first, second = fake.requests
    assert second["at"] - first["at"] >= 0.95
    assert first["raw"] == second["raw"]
    assert fake.problems == []


def test_429_gives_up_after_a_few_attempts(sink, webhook):
    webhook.script += [(429, {"Retry-After": "0"}, "rate_limited")] * 10
    with pytest.raises(slack_module.SlackError) as caught:
        sink.write(make_insights(), SinkCall(None, {}))
    text = failure(caught)
    assert "rate limited (HTTP 429)" in text and text.startswith("Slack webhook")
    assert len(webhook.requests) == slack_module.MAX_ATTEMPTS


def test_429_asking_for_too_long_is_not_waited_out(sink, bot):
    bot.script.append((429, {"Retry-After": "3600"}, {"ok": False, "error": "ratelimited"}))
    started = time.monotonic()
    with pytest.raises(slack_module.SlackError) as caught:
        sink.write(make_insights(), SinkCall("#standups", {}))
    assert time.monotonic() - started < 5
    assert "wait 3600 s" in failure(caught)
    assert len(bot.requests) == 1


def test_timeout(sink, webhook, monkeypatch):
    monkeypatch.setattr(slack_module, "TIMEOUT", (2.0, 0.3))
    webhook.script.append(("sleep", 1.5))
    with pytest.raises(slack_module.SlackUnreachable) as caught:
        sink.write(make_insights(), SinkCall(None, {}))
    text = failure(caught)
    assert text.startswith("Slack webhook: no reply within 0.3 s")
    assert caught.value.exit_code == 13


def test_unreachable(sink, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SLACK_WEBHOOK_URL", f"http://127.0.0.1:{port}{HOOK_PATH}")
    with pytest.raises(slack_module.SlackUnreachable) as caught:
        sink.write(make_insights(), SinkCall(None, {}))
    assert failure(caught) == "Slack webhook: could not be reached (connection failed)"


def test_big_insights_stay_within_slack_limits(sink, bot):
    insights = big_insights()
    sink.write(insights, SinkCall("#standups", {"link": "https://wiki.example/q3"}))
    assert bot.problems == []
    payload = bot.requests[0]["json"]
    assert validate_message(payload, {"channel", "text", "blocks"}) == []
    header = payload["blocks"][0]["text"]["text"]
    assert _size(header) <= 150 and header.endswith("…")
    assert header.startswith("Q3 planning & review")  # plain_text: not escaped

    actions = section_with(payload, "*Action items* (200)")
    shown = actions.count("\n• ")
    assert 5 < shown < 200
    assert actions.endswith(f"\n…and +{200 - shown} more")
    assert _size(actions) <= 3000
    assert "&lt;0&gt; &amp; legal" in actions and "<0>" not in actions

    topics = section_with(payload, "*Topics* (201)")
    first = topics.split("\n")[1]
    assert first.startswith("• ttt") and first.endswith("…") and len(first) <= 302
    assert re.search(r"\n…and \+\d+ more$", topics)
    questions = section_with(payload, "*Questions* (300)")
    assert re.search(r"\n…and \+\d+ more$", questions)
    assert section_with(payload, "*Summary*").endswith("…")
    assert "*Speakers* (120)" in blocks_text(payload)
    for block in payload["blocks"]:
        for field in block.get("fields", []):
            assert _size(field["text"]) <= 2000


def test_user_text_is_escaped(sink, webhook):
    insights = make_insights(
        conversation={"name": "R&D <sync>"},
        topics=({"text": "<!channel> & <@U123>"},),
        action_items=({"text": "Ship <b>it</b>", "assignee": {"name": "A&B <x>"}},),
        questions=({"text": "1 > 0?"},),
        messages=({"text": "hi", "from": {"name": "<!here>"}, "timeOffset": 0,
                   "duration": 1},))
    sink.write(insights, SinkCall(None, {}))
    assert webhook.problems == []
    payload = webhook.requests[0]["json"]
    text = blocks_text(payload)
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in text
    assert "Ship &lt;b&gt;it&lt;/b&gt; — _A&amp;B &lt;x&gt;_" in text
    assert "1 &gt; 0?" in text and "&lt;!here&gt;" in text
    assert "<!channel>" not in json.dumps(payload) and "<!here>" not in json.dumps(payload)
    assert payload["blocks"][0]["text"]["text"] == "R&D <sync>"
    assert payload["text"].startswith("R&amp;D &lt;sync&gt;:")


def test_empty_conversation_still_posts(sink, webhook):
    insights = make_insights(conversation={}, messages=(), topics=(), action_items=(),
                             questions=())
    sink.write(insights, SinkCall(None, {}, "call.mkv"))
    assert webhook.problems == []
    payload = webhook.requests[0]["json"]
    assert payload["blocks"][0]["text"]["text"] == "call.mkv"
    text = blocks_text(payload)
    assert "*Duration*\nunknown" in text and "*Action items*: none" in text


@pytest.mark.parametrize(("env", "call", "message"), [
    ({}, SinkCall(None, {}), "set SLACK_WEBHOOK_URL (an incoming webhook) or SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": TOKEN}, SinkCall(None, {}), "which channel?"),
    ({"SLACK_WEBHOOK_URL": "https://hooks.example/services/T/B/HoOkSeCrEt"},
     SinkCall("#standups", {}), "an incoming webhook posts only to the channel it was made for"),
    ({"SLACK_WEBHOOK_URL": "hooks.example/services/HoOkSeCrEt"}, SinkCall(None, {}),
     "SLACK_WEBHOOK_URL is not an http(s) URL"),
    ({"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": "ftp://x"}, SinkCall("#a", {}),
     "SLACK_API_URL is not an http(s) URL"),
    ({"SLACK_BOT_TOKEN": TOKEN}, SinkCall("#a", {"lnk": "x"}), "unknown option 'lnk'"),
    ({"SLACK_BOT_TOKEN": TOKEN}, SinkCall("#a", {"via": "email"}), "via='email'"),
    ({"SLACK_BOT_TOKEN": TOKEN}, SinkCall("#a", {"via": "webhook"}), "needs SLACK_WEBHOOK_URL"),
    ({"SLACK_BOT_TOKEN": TOKEN}, SinkCall("-", {}), "not a Slack channel"),
])
def test_configuration_errors(sink, monkeypatch, env, call, message):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(slack_module.SlackConfigError) as caught:
        sink.write(make_insights(), call)
    assert message in failure(caught)
    assert caught.value.exit_code == 2


def test_fifty_blocks_at_most():
    blocks = [{"type": "divider"}] * 80
    clamped = slack_module.clamp_blocks(blocks)
    assert len(clamped) == 50 and clamped[-1]["type"] == "context"
    assert "+31 more" in clamped[-1]["elements"][0]["text"]
    assert slack_module.clamp_blocks(blocks[:50]) == blocks[:50]


def test_the_stand_in_is_strict():
    """The checks above mean something: the stand-in refuses what Slack would."""
    good = {"text": "t", "blocks": [{"type": "divider"}]}
    assert validate_message(good, {"text", "blocks"}) == []
    bad = [
        {"text": "t", "blocks": [{"type": "divider"}] * 51},
        {"text": "t", "blocks": [{"type": "header", "text": {"type": "plain_text",
                                                             "text": "h" * 151}}]},
        {"text": "t", "blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}]},
        {"text": "t", "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                              "text": "s" * 3001}}]},
        {"text": "t", "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                              "text": "<!channel>"}}]},
        {"text": "t", "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                              "text": "R&D"}}]},
        {"text": "t", "blocks": [{"type": "bogus"}]},
        {"text": "", "blocks": [{"type": "divider"}]},
        {"text": "t", "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                              "text": "s" * 2999}}] * 5},
    ]
    for payload in bad:
        assert validate_message(payload, {"text", "blocks"}), payload


def test_entry_point_resolves_to_the_module():
    data = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    assert project["name"] == "symbl-media-slack"
    names = {re.split(r"[\s<>=!~;\[]", d, maxsplit=1)[0] for d in project["dependencies"]}
    assert {"symbl-media", "requests"} <= names
    value = project["entry-points"][plugins.GROUP]["slack"]
    loaded = EntryPoint(name="slack", value=value, group=plugins.GROUP).load()
    assert loaded is slack_module
    assert importlib.import_module(value.split(":")[0]) is slack_module
    assert value.split(":")[0] in data["tool"]["setuptools"]["py-modules"]
    assert callable(loaded.register_sinks)
