"""The sandbox as a whole: storage, auth, worker and routes, served by uvicorn (serving.py).

    with Sandbox(SandboxConfig(data_dir=path, port=0)).start() as sandbox:
        requests.post(f"{sandbox.url}/oauth2/token:generate", json={...})
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Self

from symbl_media.errors import StoreUnavailable
from symbl_media.server import (
    conversation_insights,
    leftovers,
    metrics,
    routes_async,
    routes_conversations,
    routes_sandbox,
    web,
)
from symbl_media.server.auth import Auth
from symbl_media.server.config import SandboxConfig
from symbl_media.server.database import SQLITE_FILE
from symbl_media.server.engines.chosen import Engines
from symbl_media.server.faults import Faults
from symbl_media.server.http import HttpRequest, Later, Refusal, Reply, Route, Router
from symbl_media.server.job_watch import JobWatch
from symbl_media.server.metrics import Metrics
from symbl_media.server.routes_async import CONCURRENCY
from symbl_media.server.serving import Limits, Processes, Serving
from symbl_media.server.store import Store
from symbl_media.server.worker import Worker

log = logging.getLogger("symbl_media.server")

UNAVAILABLE = ("Service unavailable: the server's database cannot be reached at the moment; "
               "nothing was changed, try again shortly")


class Sandbox:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.engines = Engines(config.engines, transcriber=config.transcriber,
                               diarizer=config.diarizer, insights=config.insights)
        if config.run_jobs:
            self.engines.check()  # a bad model folder or endpoint: refused before anything
        self.data_dir = Path(config.data_dir)
        _private_folder(self.data_dir)
        for sub in ("uploads", "work"):
            (self.data_dir / sub).mkdir(exist_ok=True, mode=0o700)
        if config.clean_start:  # what a stopped server was still receiving or working on
            # Not what a live process is writing: API processes and workers on other
            # machines may share the folder (leftovers.py).
            leftovers.sweep(self.data_dir / "uploads")
            if config.run_jobs:  # work/ is where servers that run jobs decode
                leftovers.sweep_work(self.data_dir / "work")
        # The data folder's SQLite file unless a database URL is given (docs/deploy.md).
        self.store = Store(config.database or self.data_dir / SQLITE_FILE,
                           config.database_password)
        self.auth = Auth(self.store, config)
        faults = dict(config.faults)
        if faults.get("expire_tokens") is True:  # at once; an object is a positional fault
            faults.pop("expire_tokens")
            self.store.expire_tokens(time.time())
        self.faults = Faults(faults)
        self.submit_lock = threading.Lock()
        # Job polls held until the status changes (GET /v1/job/{id}?wait=): told at once by
        # this process's worker; where jobs run elsewhere, a look at the database every 0.1 s
        # while one is held (and PostgreSQL's NOTIFY at each job's end), else every 0.5 s in
        # case a `sandbox worker` shares the data folder (job_watch.py).
        look = 1.0 if self.store.dialect == "postgresql" else 0.5 if config.run_jobs else 0.1
        self.job_watch = JobWatch(self.store, look_every=look, limit=config.max_held_polls)
        self.worker = Worker(self.store, self.engines, self.faults, self.data_dir,
                             parallel=config.max_concurrent_jobs,
                             max_body_bytes=config.max_body_bytes,
                             max_duration=config.max_duration_seconds,
                             fetch_timeout=config.url_fetch_timeout,
                             on_messages=self.refresh_insights,
                             lease_seconds=config.lease_seconds,
                             on_status=self.job_watch.changed)
        # Off unless asked for (serve --metrics): the figures need no token (docs/deploy.md).
        self.metrics = Metrics(self.store) if config.metrics else None
        self.router = Router()
        routes_sandbox.routes(self)
        routes_async.routes(self)
        routes_conversations.routes(self)
        self._serving: Serving | Processes | None = None

    # ------------------------------------------------------------------ running

    def start(self) -> Sandbox:
        """Serve in a background thread (tests, the embedded default of ``submit``)."""
        self._bind()
        self._serving.start()
        return self

    def serve_forever(self, on_ready=None, workers: int = 1) -> None:
        """Serve in the foreground until interrupted; ``on_ready(self)`` once listening.

        ``workers`` > 1: that many API processes answer on the one port, each with its own
        Sandbox on this data folder, and none runs jobs: this process does (one job runner
        per data folder, so a job never runs twice). Faults armed over HTTP reach only the
        process that took the request."""
        ready = (lambda: on_ready(self)) if on_ready is not None else None
        if workers > 1:
            children = replace(self.config, run_jobs=False, clean_start=False)
            self._serving = Processes(api_process, children, self.config.host,
                                      self.config.port, workers, self._limits())
            if self.config.run_jobs:
                self.worker.start()
            if ready is not None:  # listening: connections wait for the first API process
                ready()
        else:
            self._bind(on_listening=ready)
        shared = metrics.shared_between_processes() if workers > 1 and self.config.metrics \
            else contextlib.nullcontext()
        try:
            with shared:  # the API processes' HTTP counts, added up by whichever is scraped
                self._serving.run()
        finally:
            self.close()

    def _bind(self, on_listening=None) -> None:
        self._serving = Serving(web.application(self), self.config.host, self.config.port,
                                self._limits(), on_listening=on_listening)
        if self.config.run_jobs:
            self.worker.start()

    def _limits(self) -> Limits:
        return Limits(graceful_seconds=self.config.grace_seconds)

    def go_down(self, seconds: float) -> None:
        """Refuse connections for ``seconds`` (the "refuse" fault): close the listening socket
        and every open connection, then listen on the same address again."""
        if self._serving is not None:
            self._serving.go_down(seconds)

    @property
    def url(self) -> str:
        host, port = self._serving.address
        return f"http://{host}:{port}"

    def stop(self) -> None:
        serving, self._serving = self._serving, None
        if serving is not None:
            serving.stop()  # held polls are answered as the server drains (connection.py)
        self.job_watch.close()
        self.worker.stop()

    def close(self) -> None:
        self.stop()
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers for routes

    def insight_engine(self):
        """Whatever provides analyse(), sentiment() and phrases(): the built-in heuristics
        unless the configuration names another engine."""
        return self.engines.insights

    def refresh_insights(self, cid: str, lease=None) -> None:
        """Recompute a conversation's insights over all its messages (after each job: only
        while ``lease``, the job's run, holds it)."""
        conversation_insights.refresh(self, cid, lease)

    def remove_upload(self, path: str) -> None:
        target = Path(path)
        if target.parent == self.data_dir / "uploads":
            target.unlink(missing_ok=True)

    # ------------------------------------------------------------------ one request

    def handle(self, request: HttpRequest, route: Route) -> Reply | None:
        """The reply for a request to ``route``; None means: drop the connection without
        one. A database that does not answer is a 503 with a JSON body, and one line in the
        log. The faults that are armed act here, around the route's handler."""
        try:
            return self._handle(request, route)
        except StoreUnavailable as exc:
            log.warning("%s %s: %s", request.method, request.path, exc)
            raise Refusal(503, UNAVAILABLE) from None

    def settle(self, later: Later, outcome: str) -> Reply:
        """The reply a held request sends once its wait has ended (``handle``'s 503 too)."""
        try:
            return later.again(outcome)
        except StoreUnavailable as exc:
            log.warning("a held request: %s", exc)
            raise Refusal(503, UNAVAILABLE) from None

    def _handle(self, request: HttpRequest, route: Route) -> Reply | None:
        method, path = request.method, request.path
        down = self.faults.take("refuse", method, path)
        if down is not None:
            self.go_down(down.seconds)
            return None
        if self.faults.take("drop_before_body", method, path):
            return None  # the body stays unread, so the connection is closed
        slow = self.faults.take("slow", method, path)
        if slow is not None:
            time.sleep(slow.seconds)
        if self.faults.take("expire_tokens", method, path):
            self.store.expire_tokens(time.time())
        if route.auth:
            request.token = self.auth.check(request)
        if self.faults.take("status500", method, path):
            raise Refusal(500, "Internal server error (fault injection)")
        if self.faults.take("status429", method, path):
            raise Refusal(429, CONCURRENCY, statusCode=429)
        drop = self.faults.take("drop_after_body", method, path)
        late = self.faults.take("slow_reply", method, path)
        reply = route.handler(request)
        if late is not None:
            time.sleep(late.seconds)
        return None if drop else reply


def api_process(config: SandboxConfig):
    """One API process of ``serve --workers N``: a Sandbox on the shared data folder, which
    runs no jobs (the parent does), as an ASGI application. A new process has no logging
    set up: it logs as ``serve`` was told to."""
    if config.log_format:
        from symbl_media.server import logs

        logs.configure(config.log_format)
    return web.application(Sandbox(config))


def _private_folder(folder: Path) -> None:
    """The data folder holds every transcript, upload and the credentials' hashes: made, or
    tightened to, 0700 whatever the umask (docs/sandbox.md, "Storage")."""
    from symbl_media.errors import OutputError
    from symbl_media.paths import private_folder

    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: not a folder; the sandbox needs a folder for its data")
    try:
        mine = private_folder(folder)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot be the sandbox's data folder "
                          f"({exc.strerror or exc})") from None
    if not mine:
        raise OutputError(f"{folder}: not a folder of this user's; the sandbox keeps every "
                          f"transcript in its data folder")
