"""The sandbox's routes as a Starlette application (ASGI), whichever server runs it.

Starlette routes each request to the handler its route module registered (``http.Router``);
the handler runs on a worker thread, as the routes block (SQLite, ffprobe, the disk), and reads
the body block by block from the ASGI ``receive`` (``Exchange.pull``), so uploads stream to disk
under the size limit. A ``Refusal`` becomes the JSON body Symbl sends; anything else a 500 with
a one-line message (the traceback goes to the log, never to the client).

Before routing, what the routes never see: a method no route has (501), an HTTP version other
than 1.0 and 1.1 (505), a request line and headers over 64 KiB (431), and the target written
as the old router read it (percent escapes kept, so an id is never decoded into a path; one
trailing slash allowed; the absolute form's path taken).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from pathlib import Path

import anyio
import anyio.from_thread
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from symbl_media.server import logs, metrics
from symbl_media.server.http import HttpRequest, Later, Refusal, Reply, parse_target

log = logging.getLogger("symbl_media.server")

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
STALL_SECONDS = 300.0  # a client that sends no body bytes for this long gives up its upload
HEADER_BYTES = 64 * 1024  # the request line and headers together (serving.Limits too)
THREADS = 256  # routes running at once (each upload holds one while it streams)
EXCHANGE = "symbl_media.exchange"  # the scope key of the request's Exchange
CONNECTION = "symbl_media.connection"  # the scope extension the server adds (connection.py)
SHUTTING_DOWN = ("Service unavailable: the server is shutting down and this request did not "
                 "finish within its grace time; send it again")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class Exchange:
    """One request and its reply, between the server's event loop and the route's thread."""

    def __init__(self, scope, receive) -> None:
        self.receive = receive
        self.connection = scope.get("extensions", {}).get(CONNECTION)
        # Lower-case names (ASGI's); a repeated header's last value, as the routes read them.
        self.headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        self.request: HttpRequest | None = None
        self.body_done = False
        self.started = time.monotonic()
        self.status: int | str = 0
        self.route = metrics.UNROUTED  # the route template, once one takes the request
        self.sent = 0  # reply body bytes
        self.received = 0  # request body bytes

    def has_body(self) -> bool:
        length = self.headers.get("content-length", "0").split(",")[0].strip()
        return "transfer-encoding" in self.headers or length not in ("", "0")

    def must_close(self) -> bool:
        """Whether the reply ends the connection: a body left unread on it (its bytes must not
        be taken for the next request), a route that says so, or a client that hung up."""
        if self.request is not None and self.request.close:
            return True
        if self.has_body() and not self.body_done:
            return True
        cycle = getattr(self.connection, "cycle", None)
        if cycle is not None and cycle.keep_alive is False:
            return True  # the server is draining (or the client asked): say so in the reply
        last = getattr(self.connection, "last_request", None)
        return bool(last and last())

    def pull(self) -> tuple[bytes, bool]:
        """The next block of the body, on the route's thread (a Refusal if it cannot come)."""
        return anyio.from_thread.run(self._next_block)

    async def _next_block(self) -> tuple[bytes, bool]:
        """What has arrived since the last call (the server holds at most ~64 KiB before it
        stops reading the socket), or, if nothing has, the next bytes to arrive."""
        while True:
            with anyio.move_on_after(STALL_SECONDS) as waited:
                message = await self.receive()
            if waited.cancelled_caught:
                raise Refusal(408, f"no body bytes arrived for {STALL_SECONDS:g} s")
            if message["type"] == "http.disconnect":
                raise Refusal(400, "the connection closed before the body was complete")
            body = message.get("body", b"")
            if not message.get("more_body", False):
                broken = getattr(self.connection, "broken", None)
                if broken is not None:
                    raise Refusal(getattr(broken, "error_status_hint", 400),
                                  f"Invalid HTTP request: {broken}")
                if getattr(self.connection, "body_cut", False):
                    raise Refusal(400, "the body ended before all its bytes arrived")
                self.body_done = True
                return body, False
            if body:
                return body, True


def application(sandbox) -> Front:
    """The ASGI application serving ``sandbox`` (a ``Sandbox``)."""
    routes = [Route(r.pattern, _endpoint(sandbox, r), methods=[r.method])
              for r in sandbox.router.routes]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _not_routed})
    app.router.redirect_slashes = False  # one trailing slash is allowed instead (Front)
    return Front(sandbox, app)


class Front:
    """What every request goes through: the checks before routing, ``GET /metrics`` when it is
    on, ``Connection: close`` when the reply ends the connection, a request id, and the
    request's figures and one log line."""

    def __init__(self, sandbox, app: Starlette) -> None:
        self.sandbox = sandbox
        self.app = app
        self.limiter = anyio.CapacityLimiter(THREADS)
        self.metrics = sandbox.metrics  # None: /metrics is off (serve --metrics turns it on)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":  # no lifespan events are needed; no websockets are served
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["raw_path"].decode("latin-1") + (f"?{query}" if query else "")
        path, _, _ = parse_target(target)
        exchange = Exchange(scope, receive)
        request_id = _request_id(exchange.headers.get("x-request-id"))

        async def counted() -> dict:
            message = await receive()
            exchange.received += len(message.get("body", b""))
            return message

        async def reply(message) -> None:
            if message["type"] == "http.response.start":
                if exchange.status != "dropped":  # a dropped one's reply is never sent
                    exchange.status = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                if exchange.must_close():
                    headers.append((b"connection", b"close"))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                exchange.sent += len(message.get("body", b""))
            await send(message)

        exchange.receive = counted
        refused = _before_routing(scope)
        if refused is not None:
            await _response(refused)(scope, counted, reply)
        elif self.metrics is not None and path == metrics.PATH:
            await self._metrics(scope, counted, reply)
            exchange.route = metrics.PATH
        else:
            route_path = path[:-1] if path.endswith("/") and path != "/" else path
            inner = {**scope, "path": route_path, "root_path": "", EXCHANGE: exchange,
                     "symbl_media.front": self}
            try:
                await self.app(inner, counted, reply)
            except asyncio.CancelledError:
                # uvicorn cancels what is still running when a stopping server's grace time
                # is over: the client is told so in Symbl's shape (a 503 its retries know),
                # not with uvicorn's plain-text 500, and the request still gets its log line.
                # Not raised again: this is the top of the request's task, which ends here.
                if exchange.status == 0:
                    await _response(Reply(503, {"message": SHUTTING_DOWN}))(
                        scope, counted, reply)
                else:
                    exchange.status = "cut off"
        seconds = time.monotonic() - exchange.started
        if self.metrics is not None:
            self.metrics.observe(scope["method"], exchange.route, exchange.status, seconds)
        if self.sandbox.config.log_requests:
            # Path only: queries can carry webhook URLs; tokens never reach the log.
            logs.request(client=(scope.get("client") or ("-",))[0], method=scope["method"],
                         path=path, status=exchange.status, sent=exchange.sent,
                         received=exchange.received, seconds=seconds, request_id=request_id)

    async def _metrics(self, scope, receive, send) -> None:
        """The scrape: no token asked (scrapers have none; the figures name no conversation,
        job, user or secret), GET only, the database read on a worker thread."""
        if scope["method"] not in ("GET", "HEAD"):
            reply = _response(Reply(405, {"message": f"Method {scope['method']} is not "
                                                     f"allowed on {metrics.PATH}"},
                                    {"Allow": "GET, HEAD"}))
        else:
            body = await anyio.to_thread.run_sync(self.metrics.exposition, limiter=self.limiter)
            reply = Response(body, media_type=metrics.CONTENT_TYPE)
        await reply(scope, receive, send)


def _request_id(given: str | None) -> str:
    """The id a proxy in front gave the request (a short token of safe characters), else a
    new one: it is in the reply's ``X-Request-Id`` and the request's log line."""
    if given and _REQUEST_ID.fullmatch(given):
        return given
    return secrets.token_hex(8)


def _before_routing(scope) -> Reply | None:
    # h11 bounds a header block that arrives in pieces; one that arrives at once is bounded
    # here by the same number, so the answer does not depend on how TCP cut the bytes.
    size = len(scope["raw_path"]) + len(scope.get("query_string", b"")) + sum(
        len(k) + len(v) + 4 for k, v in scope["headers"])
    if size > HEADER_BYTES:
        return Reply(431, {"message": f"The request line and headers are larger than "
                                      f"{HEADER_BYTES} bytes"})
    if scope.get("http_version") not in ("1.0", "1.1"):
        return Reply(505, {"message": f"HTTP/{scope.get('http_version')} is not supported"})
    if scope["method"] not in METHODS:
        return Reply(501, {"message": f"Method {scope['method']} is not implemented"})
    return None


async def _not_routed(request: Request, exc: Exception) -> Response:
    method, path = request.method, request.scope["path"]
    status = getattr(exc, "status_code", 500)
    if status == 404:
        message = f"No such endpoint: {method} {path}"
    elif status == 405:
        message = f"Method {method} is not allowed on {path}"
    else:
        message = str(getattr(exc, "detail", "")) or "Request refused"
    # Starlette's 405 names the route's methods in Allow, which a 405 must carry (RFC 9110).
    return _response(Reply(status, {"message": message}, dict(getattr(exc, "headers", None)
                                                               or {})))


def _endpoint(sandbox, route):
    async def endpoint(request: Request) -> Response:
        scope = request.scope
        exchange: Exchange = scope[EXCHANGE]
        exchange.route = route.pattern
        front: Front = scope["symbl_media.front"]
        query = scope.get("query_string", b"").decode("latin-1")
        path, parsed, raw_query = parse_target(
            scope["raw_path"].decode("latin-1") + (f"?{query}" if query else ""))
        exchange.request = HttpRequest(
            scope["method"], path, parsed, exchange.headers,
            pull=exchange.pull if exchange.has_body() else None,
            params=dict(request.path_params), raw_query=raw_query)
        reply = await anyio.to_thread.run_sync(_answer, sandbox, route, exchange.request,
                                               limiter=front.limiter, abandon_on_cancel=True)
        if reply is not None and reply.later is not None:
            # Held here, on the event loop, not on a route thread (a job poll's wait).
            outcome = await reply.later.until(_ending(exchange, request.receive))
            reply = await anyio.to_thread.run_sync(_settle, sandbox, reply.later, outcome,
                                                   limiter=front.limiter,
                                                   abandon_on_cancel=True)
        if reply is None:  # a fault: the connection goes without a reply
            exchange.status = "dropped"
            drop = getattr(exchange.connection, "drop", None)
            if drop is None:
                raise RuntimeError("this server cannot drop a connection")
            drop()
            return Response(status_code=204)  # never sent: the connection is gone
        return _response(reply)

    return endpoint


def _answer(sandbox, route, request: HttpRequest) -> Reply | None:
    """The route's reply, on a worker thread; None: drop the connection without one."""
    try:
        return sandbox.handle(request, route)
    except Refusal as exc:
        return Reply(exc.status, exc.body)
    except Exception as exc:  # a bug: a 500 with a message, never a stack trace
        log.exception("internal error on %s %s", request.method, request.path)
        return Reply(500, {"message": f"Internal server error: {type(exc).__name__}"})


def _ending(exchange: Exchange, receive) -> list:
    """What ends a held request's wait early: the server draining (connection.py), the
    client hanging up."""
    async def hung_up() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass  # a request without a body: its one empty message, then the hang-up

    ending = [hung_up()]
    draining = getattr(exchange.connection, "draining", None)
    if draining is not None:
        ending.append(draining.wait())
    return ending


def _settle(sandbox, later: Later, outcome: str) -> Reply:
    """A held request's reply, on a worker thread, once its wait has ended."""
    try:
        return sandbox.settle(later, outcome)
    except Refusal as exc:
        return Reply(exc.status, exc.body)
    except Exception as exc:  # a bug: a 500 with a message, never a stack trace
        log.exception("internal error in a held request")
        return Reply(500, {"message": f"Internal server error: {type(exc).__name__}"})


def _response(reply: Reply) -> Response:
    if isinstance(reply.body, Path):
        return FileResponse(reply.body, status_code=reply.status, headers=reply.headers,
                            media_type=reply.headers.get("Content-Type"))
    return Response(json.dumps(reply.body).encode(), status_code=reply.status,
                    headers=reply.headers, media_type="application/json")
