"""What the routes see of HTTP: a request on the thread that handles it, the reply, refusals.

The parsing, framing, keep-alive and limits are the web server's (``serving.py``, uvicorn and
h11); this is the routes' view of one request that has already been parsed. The routes run on
worker threads (they wait on SQLite, ffprobe and the disk), so the body is pulled block by
block through ``pull``, which the web layer (``web.py``) makes from the ASGI ``receive``:
an upload goes to disk as it arrives, never whole into memory.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit


class Refusal(Exception):
    """An error reply: status and the JSON body Symbl would send."""

    def __init__(self, status: int, message: str, **extra) -> None:
        super().__init__(message)
        self.status = status
        self.body = {**extra, "message": message} if extra else {"message": message}


@dataclass(frozen=True)
class Later:
    """A reply worth waiting for (a job poll asked to wait for the status to change): the
    web layer awaits ``until(gone)`` on its event loop, holding no route thread, then sends
    the reply ``again(outcome)`` makes on a route thread. ``gone`` are awaitables that end
    the wait early (the server draining, the client hanging up); ``until`` returns how the
    wait ended, which ``again`` is told."""

    until: Callable[[list[Awaitable]], Awaitable[str]]
    again: Callable[[str], Reply]


@dataclass
class Reply:
    status: int
    body: object  # JSON-serialisable, or a Path whose bytes are sent
    headers: dict[str, str] = field(default_factory=dict)
    later: Later | None = None  # a better reply may come: wait for it (web.py)


# The next block of the body and whether more follows; raises Refusal when the body cannot be
# had (the client hung up, stalled, or broke the framing).
Pull = Callable[[], tuple[bytes, bool]]


@dataclass
class HttpRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names; a repeated header's last value
    pull: Pull | None = None  # None: a request without a body
    params: dict[str, str] = field(default_factory=dict)  # from the route pattern
    token: str | None = None
    raw_query: str = ""
    body_read: bool = False  # True once the whole body has been taken
    close: bool = False  # the connection must not carry another request after the reply

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    @property
    def chunked(self) -> bool:
        # The server accepts no transfer coding but chunked, and not with a Content-Length.
        return "transfer-encoding" in self.headers

    @property
    def length(self) -> int | None:
        """The declared Content-Length (the server has checked it is one number)."""
        raw = self.headers.get("content-length")
        if raw is None or self.chunked:
            return None
        return int(raw.split(",")[0].strip())

    @property
    def has_body(self) -> bool:
        return self.chunked or bool(self.length)

    def stream(self, limit: int) -> Iterator[bytes]:
        """Yield the body in blocks, never more than ``limit`` bytes in total (else 413)."""
        length = self.length
        if not self.chunked and not length:
            self.body_read = True
            return
        if length is not None and length > limit:
            # Refused before reading: the body is never taken in, and the connection, with
            # the body still on it, is closed after the reply.
            self.close = True
            raise Refusal(413, f"Request body is larger than {limit} bytes")
        assert self.pull is not None, "a request with a body has a way to read it"
        total = 0
        while True:
            block, more = self.pull()
            total += len(block)
            if total > limit:  # a chunked body, counted as it arrives
                self.close = True
                raise Refusal(413, f"Request body is larger than {limit} bytes")
            if block:
                yield block
            if not more:
                break
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


Handler = Callable[[HttpRequest], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str  # "{name}" is one path segment; ids are checked by the handlers
    handler: Handler
    auth: bool


class Router:
    """The routes the sandbox serves, as the route modules add them; ``web.py`` serves them."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        self.routes.append(Route(method, pattern, handler, auth))


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
