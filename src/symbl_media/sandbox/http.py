"""A small HTTP layer on the standard library: requests, JSON replies, routes, errors.

The standard library server keeps the default install light, streams request bodies
straight from the socket (uploads never sit in memory), and is plenty for a local service.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class ApiError(Exception):
    """An error reply: status and the JSON body Symbl would send."""

    def __init__(self, status: int, message: str, **extra) -> None:
        super().__init__(message)
        self.status = status
        self.body = {**extra, "message": message} if extra else {"message": message}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    handler: BaseHTTPRequestHandler
    params: dict[str, str] = field(default_factory=dict)  # from the route pattern
    token: str | None = None
    raw_query: str = ""
    body_read: bool = False  # False while body bytes may still sit unread on the socket

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    @property
    def length(self) -> int | None:
        raw = self.headers.get("content-length")
        if raw is None:
            return None
        if not raw.strip().isdigit():
            raise ApiError(400, "Content-Length must be a number of bytes")
        return int(raw)

    @property
    def chunked(self) -> bool:
        return "chunked" in self.headers.get("transfer-encoding", "").lower()

    @property
    def has_body(self) -> bool:
        return self.chunked or bool(self.length)

    def stream(self, limit: int):
        """Yield the body in blocks, never more than ``limit`` bytes in total (else 413)."""
        rfile = self.handler.rfile
        if self.chunked:
            total = 0
            while True:
                size_line = rfile.readline(1024).split(b";")[0].strip()
                try:
                    size = int(size_line, 16)
                except ValueError:
                    raise ApiError(400, "malformed chunked body") from None
                if size == 0:
                    while rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    self.body_read = True
                    return
                total += size
                if total > limit:
                    self.handler.close_connection = True
                    raise ApiError(413, f"Request body is larger than {limit} bytes")
                yield from _exactly(rfile, size)
                rfile.readline(8)
            return
        length = self.length
        if length is None:
            self.body_read = True
            return
        if length > limit:
            # Refuse before reading: the body is never taken in. The connection cannot be
            # reused with the body unread, so it is closed after the reply.
            self.handler.close_connection = True
            raise ApiError(413, f"Request body is larger than {limit} bytes")
        yield from _exactly(rfile, length)
        self.body_read = True

    def read_json(self, limit: int = 10 * 1024 * 1024):
        data = b"".join(self.stream(limit))
        try:
            return json.loads(data.decode("utf-8")) if data else None
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "Request body is not valid JSON") from None


def _exactly(rfile, size: int):
    """``size`` bytes from the socket in blocks of at most 1 MiB."""
    left = size
    while left:
        block = rfile.read(min(left, 1 << 20))
        if not block:
            raise ApiError(400, "the body ended before all its bytes arrived")
        left -= len(block)
        yield block


@dataclass
class Reply:
    status: int
    body: object  # JSON-serialisable
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Reply]


class Router:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, Handler, bool]] = []

    def add(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        # "{name}" matches one path segment; ids are checked by the handlers.
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.routes.append((method, re.compile(f"^{regex}/?$"), handler, auth))

    def match(self, method: str, path: str) -> tuple[Handler, dict, bool]:
        allowed = False
        for verb, regex, handler, auth in self.routes:
            found = regex.match(path)
            if found:
                if verb == method:
                    return handler, found.groupdict(), auth
                allowed = True
        if allowed:
            raise ApiError(405, f"Method {method} is not allowed on {path}")
        raise ApiError(404, f"No such endpoint: {method} {path}")


def parse_target(target: str) -> tuple[str, dict[str, list[str]], str]:
    parts = urlsplit(target)
    return parts.path, parse_qs(parts.query, keep_blank_values=True), parts.query


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-request is routine, not a traceback in the log.
        import sys

        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)
