"""A loopback stand-in for an OpenAI-compatible chat endpoint, for the llm engine's tests.

It speaks the wire format of ``POST /v1/chat/completions`` and enforces what real servers do:
the bearer key (401 with OpenAI's error body, which echoes the key it was given, the worst
case for a client that prints error bodies), the model name (404 ``model_not_found``), a
well-formed ``messages`` list and ``response_format`` (400 ``invalid_request_error``).
What the "model" answers comes from a script: each request takes the next step (a status with
headers, a pause, a text), and once the script is used up the ``model`` function answers from
the request (the numbered messages of the prompt). Every request is recorded with the time it
arrived.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from dataclasses import dataclass, field

_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass
class Step:
    status: int = 200
    headers: dict = field(default_factory=dict)
    error: dict | None = None  # the {"error": {...}} body of a failure
    content: str | None = None  # the assistant's text (None: ask the model function)
    pause: float = 0.0  # seconds before answering


def lines_of(request: dict) -> dict[int, str]:
    """The prompt's numbered messages: {number: "Speaker: text"}."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    return {int(n): rest for n, rest in re.findall(r"^\[(\d+)\] (.*)$", user, re.MULTILINE)}


class ChatStandIn:
    def __init__(self, *, key: str | None, models=("tiny-chat",), model=None,
                 refuse_json_schema: bool | str = False) -> None:
        self.key = key
        self.models = set(models)
        self.model = model or (lambda request: json.dumps(
            {"actionItems": [], "questions": [], "topics": []}))
        self.refuse_json_schema = refuse_json_schema
        self.script: list[Step] = []
        self.requests: list[dict] = []  # {"at", "headers", "body"}
        self._lock = threading.Lock()
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stand_in._handle(self, raw)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, handler, raw: bytes) -> None:
        with self._lock:
            step = self.script.pop(0) if self.script else Step()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        self.requests.append({"at": time.monotonic(), "headers": dict(handler.headers),
                              "body": body})
        if handler.path != "/v1/chat/completions":
            return _send(handler, 404, {"error": _error(f"Invalid URL (POST {handler.path})",
                                                        "invalid_request_error", None)})
        given = handler.headers.get("Authorization", "")
        if self.key is not None and given != f"Bearer {self.key}":
            shown = given.removeprefix("Bearer ") or "none"
            return _send(handler, 401, {"error": _error(
                f"Incorrect API key provided: {shown}. You can find your API key at "
                f"https://platform.openai.com/account/api-keys.", "invalid_request_error",
                "invalid_api_key")})
        problem = self._problem(body)
        if problem is not None:
            return _send(handler, *problem)
        if step.pause:
            time.sleep(step.pause)
        if step.status != 200:
            return _send(handler, step.status, {"error": step.error or _error(
                "The server had an error", "server_error", None)}, step.headers)
        content = step.content if step.content is not None else self.model(body)
        _send(handler, 200, {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion",
            "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    def _problem(self, body) -> tuple[int, dict] | None:
        if not isinstance(body, dict):
            return 400, {"error": _error("We could not parse the JSON body of your request.",
                                         "invalid_request_error", None)}
        if body.get("model") not in self.models:
            return 404, {"error": _error(f"The model `{body.get('model')}` does not exist",
                                         "invalid_request_error", "model_not_found")}
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages or not all(
                isinstance(m, dict) and m.get("role") in ("system", "user", "assistant")
                and isinstance(m.get("content"), str) for m in messages):
            return 400, {"error": _error("Invalid 'messages'", "invalid_request_error", None)}
        form = body.get("response_format")
        if form is None:
            return None
        if form.get("type") == "json_schema":
            spec = form.get("json_schema") or {}
            if self.refuse_json_schema == "llama-cpp-python":  # its server, 0.3.36
                return 500, {"error": _error(
                    "1 validation error: {'type': 'literal_error', 'loc': ('body', "
                    "'response_format', 'type'), 'msg': \"Input should be 'text' or "
                    "'json_object'\", 'input': 'json_schema'}", "internal_server_error", None)}
            if self.refuse_json_schema == "fastapi":  # FastAPI's own validation answer
                return 422, {"detail": [{"type": "literal_error", "loc": [
                    "body", "response_format", "type"], "msg": "Input should be 'text' or "
                    "'json_object'", "input": "json_schema"}]}
            if self.refuse_json_schema:
                return 400, {"error": _error("response_format of type 'json_schema' is not "
                                             "supported by this model", "invalid_request_error",
                                             None)}
            if not _NAME.match(str(spec.get("name", ""))) or not isinstance(
                    spec.get("schema"), dict):
                return 400, {"error": _error("Invalid 'response_format.json_schema'",
                                             "invalid_request_error", None)}
        elif form.get("type") not in ("json_object", "text"):
            return 400, {"error": _error("Invalid 'response_format.type'",
                                         "invalid_request_error", None)}
        return None


def _error(message: str, kind: str, code) -> dict:
    return {"message": message, "type": kind, "param": None, "code": code}


def _send(handler, status: int, body: dict, headers: dict | None = None) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)
