"""A small HTTP layer on the standard library: requests, JSON replies, routes, errors.

The standard library server keeps the default install light, streams request bodies
straight from the socket (uploads never sit in memory), and is plenty for a local service.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Refusal(Exception):
    """An error reply: status and the JSON body Symbl would send."""

    def __init__(self, status: int, message: str, **extra) -> None:
        super().__init__(message)
        self.status = status
        self.body = {**extra, "message": message} if extra else {"message": message}


@dataclass
class HttpRequest:
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

    def _values(self, name: str) -> list[str]:
        """Every value of a header: a repeated header must not hide behind its last copy."""
        message = getattr(self.handler, "headers", None)
        values = message.get_all(name) if hasattr(message, "get_all") else None
        if values:
            return [v for value in values for v in value.split(",")]
        return self.headers[name].split(",") if name in self.headers else []

    @property
    def length(self) -> int | None:
        values = {v.strip() for v in self._values("content-length")}
        if not values:
            return None
        if len(values) > 1:
            raise Refusal(400, "Content-Length is given more than once, with different values")
        raw = values.pop()
        # ASCII digits only ("²".isdigit() is true), and few enough for int().
        if not _LENGTH.fullmatch(raw):
            raise Refusal(400, "Content-Length must be a number of bytes")
        return int(raw)

    @property
    def chunked(self) -> bool:
        """True for a chunked body; other transfer codings are not implemented (501)."""
        codings = [c.strip().lower() for c in self._values("transfer-encoding") if c.strip()]
        if not codings:
            return False
        if codings != ["chunked"]:
            raise Refusal(501, f"Transfer-Encoding '{', '.join(codings)}' is not supported: "
                               f"send Content-Length or Transfer-Encoding: chunked")
        if self._values("content-length"):
            raise Refusal(400, "send either Content-Length or Transfer-Encoding: chunked, "
                               "not both")
        return True

    @property
    def has_body(self) -> bool:
        """Whether body bytes may follow the headers; never raises (framing that cannot be
        understood counts as a body, so the connection is not reused)."""
        if self._values("transfer-encoding"):
            return True
        try:
            return bool(self.length)
        except Refusal:
            return True

    def _continue(self) -> None:
        """The "100 Continue" a client sending "Expect: 100-continue" waits for: sent when the
        body is about to be read, so a request refused before that never has to send it."""
        if getattr(self.handler, "expect_continue", False):
            self.handler.expect_continue = False
            self.handler.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.handler.wfile.flush()

    def stream(self, limit: int):
        """Yield the body in blocks, never more than ``limit`` bytes in total (else 413)."""
        rfile = self.handler.rfile
        if self.chunked:
            self._continue()
            total = 0
            while True:
                size = _chunk_size(rfile.readline(1024))
                if size == 0:
                    for _ in range(100):  # trailer fields, up to the empty line
                        line = rfile.readline(8192)
                        if line in (b"\r\n", b"\n"):
                            break
                        if not line.endswith(b"\n"):
                            raise Refusal(400, "malformed chunked body: bad trailer")
                    else:
                        raise Refusal(400, "malformed chunked body: too many trailer lines")
                    self.body_read = True
                    return
                total += size
                if total > limit:
                    self.handler.close_connection = True
                    raise Refusal(413, f"Request body is larger than {limit} bytes")
                yield from _exactly(rfile, size)
                if rfile.readline(3) not in (b"\r\n", b"\n"):
                    raise Refusal(400, "malformed chunked body: no line end after a chunk")
            return
        length = self.length
        if length is None:
            self.body_read = True
            return
        if length > limit:
            # Refuse before reading: the body is never taken in. The connection cannot be
            # reused with the body unread, so it is closed after the reply.
            self.handler.close_connection = True
            raise Refusal(413, f"Request body is larger than {limit} bytes")
        if length:
            self._continue()
        yield from _exactly(rfile, length)
        self.body_read = True

    def read_json(self, limit: int = 10 * 1024 * 1024):
        data = b"".join(self.stream(limit))
        if not data:
            return None
        try:
            value = json.loads(data.decode("utf-8"))
            # Text that is not Unicode (an escaped lone surrogate, "\ud800") cannot be stored
            # or sent on: refused here rather than failing later.
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except (ValueError, RecursionError):  # UnicodeError is a ValueError
            raise Refusal(400, "Request body is not valid JSON") from None
        return value


_LENGTH = re.compile(r"[0-9]{1,20}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(;[^\r\n]*)?\r?\n")


def _chunk_size(line: bytes) -> int:
    """The size on a chunk's first line: hex digits, optional extensions, a line end."""
    found = _CHUNK_SIZE.fullmatch(line)
    if found is None:
        raise Refusal(400, "malformed chunked body: bad chunk size line")
    return int(found.group(1), 16)


def _exactly(rfile, size: int):
    """``size`` bytes from the socket in blocks of at most 1 MiB."""
    left = size
    while left:
        block = rfile.read(min(left, 1 << 20))
        if not block:
            raise Refusal(400, "the body ended before all its bytes arrived")
        left -= len(block)
        yield block


@dataclass
class Reply:
    status: int
    body: object  # JSON-serialisable
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[HttpRequest], Reply]


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
            raise Refusal(405, f"Method {method} is not allowed on {path}")
        raise Refusal(404, f"No such endpoint: {method} {path}")


def linger(sock: socket.socket, seconds: float = 1.0, limit: int = 4 << 20) -> None:
    """End a connection gently. Closing a socket with request bytes still unread (a body
    refused before it was read) makes the kernel send a reset, which can destroy the reply
    before the client has read it. So: send FIN after the reply, then read and drop what the
    client still sends, for a moment, until it closes its side."""
    try:
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + seconds
        taken = 0
        while taken < limit:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            block = sock.recv(65536)
            if not block:
                break
            taken += len(block)
    except OSError:  # reset, timed out, already shut: nothing more to do
        pass


def parse_target(target: str) -> tuple[str, dict[str, list[str]], str]:
    """Path, parsed query and raw query of a request target; never raises: a target that
    cannot be split is taken as a path, which no route matches (404)."""
    if target.startswith("/"):  # the origin form: nearly every request
        path, _, query = target.partition("#")[0].partition("?")
    else:  # the absolute form ("http://host/path?q"), "*", or anything else
        try:
            parts = urlsplit(target)
            path, query = parts.path, parts.query
        except ValueError:  # "http://[/" and the like
            path, query = target, ""
    try:
        parsed = parse_qs(query, keep_blank_values=True)
    except ValueError:
        parsed = {}
    return path, parsed, query


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *args, **kwargs) -> None:
        self._open: set = set()  # connections being served, for drop_connections
        self._open_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Cut every open connection, as a server that went down would."""
        with self._open_lock:
            open_now = list(self._open)
        for connection in open_now:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-request is routine, not a traceback in the log.
        import sys

        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)
