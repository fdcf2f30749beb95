"""The sandbox's ASGI application on uvicorn: in a thread of this process, in the foreground, or
as several API processes sharing one listening socket.

The limits are uvicorn's and h11's, set here once: how long an idle keep-alive connection is
kept, how large a request's header block may be, how long a stopping server waits for requests
in flight. The socket is bound before uvicorn starts, so the port (0: a free one) is known at
once and a port in use is an OSError for the caller, not uvicorn's exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from uvicorn.supervisors import Multiprocess

from symbl_media.server.connection import SandboxProtocol
from symbl_media.server.web import HEADER_BYTES

log = logging.getLogger("symbl_media.server")
# uvicorn's own log lines ("Started server process", a warning for each garbage request) are
# kept out of the way: the sandbox logs one line per request itself. With no handler here,
# Python's last-resort handler would print uvicorn's warnings into `submit`'s output.
logging.getLogger("uvicorn").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Limits:
    keep_alive_seconds: int = 75  # an idle keep-alive connection is closed after this
    header_bytes: int = HEADER_BYTES  # request line and headers together (else 431)
    graceful_seconds: int = 5  # a stopping server waits this long for requests in flight
    # (serve --grace-seconds)
    backlog: int = 2048


def _settings(limits: Limits) -> dict:
    return dict(http=SandboxProtocol, lifespan="off", log_config=None, access_log=False,
                proxy_headers=False, server_header=False, ws="none",
                timeout_keep_alive=limits.keep_alive_seconds,
                h11_max_incomplete_event_size=limits.header_bytes,
                timeout_graceful_shutdown=limits.graceful_seconds, backlog=limits.backlog)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets that say
    # they are TCP; with it on, a reply's body waits for the client's delayed ACK (~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Not listening yet: uvicorn's server listens once it can answer, so until then a
        # client is refused at once rather than left waiting in the backlog.
        sock.set_inheritable(True)
    except BaseException:
        sock.close()
        raise
    return sock


class _Server(uvicorn.Server):
    """uvicorn's server, which can stop listening for a while (the "refuse" fault)."""

    loop: asyncio.AbstractEventLoop | None = None
    on_listening = None  # called once the socket is listened on and answered

    async def startup(self, sockets=None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().startup(sockets=sockets)
        if self.on_listening is not None and self.started:
            self.on_listening()

    @contextlib.contextmanager
    def capture_signals(self):
        """uvicorn's, except that a SIGTERM it has drained for is not raised again afterwards:
        a drain is how a service is meant to stop, so ``serve`` exits 0, not by the signal.
        Ctrl-C (SIGINT) is still raised again, and ends as an interruption (130)."""
        with super().capture_signals():
            yield
            self._captured_signals = [s for s in self._captured_signals
                                      if s != signal.SIGTERM]

    def go_down(self, address, seconds: float) -> None:
        """Close the listening socket and every open connection; listen again after
        ``seconds``. Called from any thread."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self._go_down, address, seconds)

    def _go_down(self, address, seconds: float) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.transport.abort()
        self.loop.call_later(seconds, lambda: asyncio.ensure_future(self._listen(address)))

    async def _listen(self, address) -> None:
        if self.should_exit:
            return
        try:
            sock = bind(*address)
        except OSError as exc:  # the port was taken meanwhile: stay down, say why
            log.error("the sandbox cannot listen on %s:%s again: %s", *address, exc)
            return
        config = self.config
        server = await self.loop.create_server(
            lambda: config.http_protocol_class(config=config, server_state=self.server_state,
                                               app_state=self.lifespan.state, _loop=self.loop),
            sock=sock, backlog=config.backlog)
        self.servers.append(server)


class Serving:
    """One uvicorn server for ``app`` on an address bound now."""

    def __init__(self, app, host: str, port: int, limits: Limits = Limits(),
                 on_listening=None) -> None:
        """``on_listening()``: called (on the serving thread) once connections are answered."""
        self.socket = bind(host, port)
        self.address = self.socket.getsockname()[:2]
        config = uvicorn.Config(app, **_settings(limits))
        config.load()
        self.server = _Server(config)
        self.server.on_listening = on_listening
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve in a background thread; returns once the server accepts connections."""
        self._thread = threading.Thread(target=self.run, daemon=True, name="sandbox-http")
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox's web server did not start")
            time.sleep(0.005)

    def run(self) -> None:
        """Serve in this thread until stopped (SIGINT and SIGTERM stop it in the main one)."""
        self.server.run(sockets=[self.socket])

    def go_down(self, seconds: float) -> None:
        self.server.go_down(self.address, seconds)

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=self.server.config.timeout_graceful_shutdown + 5)
        self.socket.close()


class _ProcessesConfig(uvicorn.Config):
    """uvicorn's settings for N API processes; each builds its application by calling
    ``factory(sandbox)`` (both pickled to the child with these settings: no secret on a
    command line or in the environment)."""

    def __init__(self, factory, sandbox, limits: Limits, workers: int) -> None:
        super().__init__(f"{factory.__module__}:{factory.__name__}", factory=True,
                         workers=workers, **_settings(limits))
        self.app_factory = factory
        self.sandbox = sandbox

    def load_app(self):
        return functools.partial(self.app_factory, self.sandbox)


class Processes:
    """``workers`` uvicorn processes answering on one socket bound here; uvicorn's supervisor
    starts them, restarts one that dies, and stops them all on SIGINT or SIGTERM."""

    def __init__(self, factory, sandbox_config, host: str, port: int, workers: int,
                 limits: Limits = Limits()) -> None:
        """``factory(sandbox_config)``: one process's ASGI application (a module-level
        function: the child imports it by name)."""
        self.socket = bind(host, port)
        # Listened on here: the API processes start in a moment, and until then the kernel
        # holds the connections instead of refusing them.
        self.socket.listen(limits.backlog)
        self.address = self.socket.getsockname()[:2]
        self.config = _ProcessesConfig(factory, sandbox_config, limits, workers)

    def run(self) -> None:
        _Supervisor(self.config, sockets=[self.socket]).run()

    def go_down(self, seconds: float) -> None:  # the parent serves nothing: no port to close
        log.warning("the refuse fault needs the single-process server (--workers 1)")

    def stop(self) -> None:
        self.socket.close()


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, which on SIGTERM or SIGINT first closes its own copy of the
    listening socket: the API processes close theirs as they start draining, and only once
    every copy is closed does the kernel refuse new connections instead of holding them in
    the backlog for processes that will never answer. Each API process is then sent SIGTERM
    and drains its requests in flight (the grace time)."""

    def handle_term(self) -> None:
        self._stop_listening()
        super().handle_term()

    def handle_int(self) -> None:
        self._stop_listening()
        super().handle_int()

    def _stop_listening(self) -> None:
        for sock in self.sockets:
            sock.close()
