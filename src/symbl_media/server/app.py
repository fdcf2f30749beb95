"""The sandbox as a whole: storage, auth, worker and routes behind one HTTP server.

    with Sandbox(SandboxConfig(data_dir=path, port=0)).start() as sandbox:
        requests.post(f"{sandbox.url}/oauth2/token:generate", json={...})
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from pathlib import Path

from symbl_media.server import insight_runs
from symbl_media.server import routes_async
from symbl_media.server import routes_conversations
from symbl_media.server import routes_sandbox
from symbl_media.server.handler import handler_for
from symbl_media.server.auth import Auth
from symbl_media.server.config import SandboxConfig
from symbl_media.server.faults import Faults
from symbl_media.server.http import HttpRequest, Refusal, Reply, Router, Server
from symbl_media.server.engines.chosen import Engines
from symbl_media.server.routes_async import CONCURRENCY
from symbl_media.server.database import SQLITE_FILE
from symbl_media.server.store import Store
from symbl_media.errors import StoreUnavailable
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
        # What a stopped server was still receiving, fetching or working on.
        for stale in [*(self.data_dir / "uploads").glob(".receiving-*"),
                      *(self.data_dir / "uploads").glob("*.part")]:
            stale.unlink(missing_ok=True)
        for stale in (self.data_dir / "work").iterdir():
            shutil.rmtree(stale, ignore_errors=True)
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
        self.worker = Worker(self.store, self.engines, self.faults, self.data_dir,
                             parallel=config.max_concurrent_jobs,
                             max_body_bytes=config.max_body_bytes,
                             max_duration=config.max_duration_seconds,
                             fetch_timeout=config.url_fetch_timeout,
                             on_messages=self.refresh_insights)
        self.router = Router()
        routes_sandbox.routes(self)
        routes_async.routes(self)
        routes_conversations.routes(self)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        # The "refuse" fault takes the port down for a while: the serving loop waits on this.
        self._gate = threading.Condition()
        self._down = False
        self._stopping = False

    # ------------------------------------------------------------------ running

    def start(self) -> "Sandbox":
        """Serve in a background thread (tests, the embedded default of ``submit``)."""
        self._bind()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="sandbox-http")
        self._thread.start()
        return self

    def serve_forever(self, on_ready=None) -> None:
        """Serve in the foreground until interrupted; ``on_ready(self)`` once listening."""
        self._bind()
        if on_ready is not None:
            on_ready(self)
        try:
            self._serve()
        finally:
            self.close()

    def _bind(self) -> None:
        self._server = Server((self.config.host, self.config.port), handler_for(self))
        self._address = self._server.server_address[:2]
        if self.config.run_jobs:
            self.worker.start()

    def _serve(self) -> None:
        """Serve until stopped, waiting out the periods a "refuse" fault keeps the port shut."""
        while True:
            with self._gate:
                self._gate.wait_for(lambda: not self._down or self._stopping)
                server = self._server
                if self._stopping or server is None:
                    return
            server.serve_forever(poll_interval=0.2)

    def go_down(self, seconds: float) -> None:
        """Refuse connections for ``seconds`` (the "refuse" fault): close the listening socket
        and every open connection, then listen on the same address again."""
        with self._gate:
            if self._down or self._stopping or self._server is None:
                return
            self._down = True
            server = self._server
        # Closed before the caller's connection is: a client that retries at once is refused.
        server.shutdown()  # the serving loop leaves serve_forever and waits on the gate
        server.server_close()
        server.drop_connections()
        threading.Thread(target=self._down_for, args=(seconds,), daemon=True,
                         name="sandbox-down").start()

    def _down_for(self, seconds: float) -> None:
        with self._gate:
            self._gate.wait_for(lambda: self._stopping, timeout=seconds)
            try:
                if not self._stopping:
                    self._server = Server(self._address, handler_for(self))
            except OSError as exc:  # the port was taken meanwhile: stay down, say why
                log.error("the sandbox cannot listen on %s:%s again: %s", *self._address, exc)
                self._server = None
            finally:
                self._down = False
                self._gate.notify_all()

    @property
    def url(self) -> str:
        host, port = self._address
        return f"http://{host}:{port}"

    def stop(self) -> None:
        with self._gate:
            self._stopping = True
            server, self._server = self._server, None
            down = self._down
            self._gate.notify_all()
        if server is not None:
            if self._thread is not None and not down:
                server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.worker.stop()

    def close(self) -> None:
        self.stop()
        self.store.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers for routes

    def insight_engine(self):
        """Whatever provides analyse(), sentiment() and phrases(): the built-in heuristics
        unless the configuration names another engine."""
        return self.engines.insights

    def refresh_insights(self, cid: str) -> None:
        """Recompute a conversation's insights over all its messages (after each job)."""
        from symbl_media.server.insights import InsightOptions
        from symbl_media.contract import shapes as k
        from symbl_media.server.replies import checked_insights, conversation_json, message_json

        conv = self.store.conversation(cid)
        if conv is None:
            return
        merged: dict = {}
        for job in self.store.jobs(cid):
            options = json.loads(job["options"])
            for key in ("detectEntities", "enableSummary", "detectPhrases"):
                merged[key] = merged.get(key, False) or bool(options.get(key))
            for key in ("entities", "trackers"):
                merged.setdefault(key, [])
                merged[key] += [v for v in options.get(key) or [] if v not in merged[key]]
            if "confidenceThreshold" in options:  # the latest submission's threshold wins
                merged["confidenceThreshold"] = options["confidenceThreshold"]
        members = {m["id"]: m for m in self.store.members(cid)}
        messages = [message_json(self, conv, row, members, verbose=False, sentiment=False,
                                 phrases=False) for row in self.store.messages(cid)]
        # The chosen engine, or the default one (and the metadata says why) when it fails.
        result, produced = insight_runs.analyse(
            self.engines, cid, messages,
            [{"id": m["id"], "name": m["name"], "email": m["email"]} for m in members.values()],
            duration=conv["duration"],
            start_time=conversation_json(self, conv)[k.CONVERSATION.start_time],
            options=InsightOptions(
                detect_entities=merged.get("detectEntities", False),
                custom_entities=tuple(merged.get("entities", [])),
                trackers=tuple(merged.get("trackers", [])),
                enable_summary=merged.get("enableSummary", False),
                detect_phrases=merged.get("detectPhrases", False)))
        threshold = merged.get("confidenceThreshold")
        if threshold is not None:
            # "Minimum confidence for the insight to be recognized": applied when a submission
            # sets it; the local heuristics' scores are not calibrated against Symbl's default.
            scored = {k.INSIGHTS.topics: k.TOPIC.score, k.INSIGHTS.action_items: k.INSIGHT.score,
                      k.INSIGHTS.follow_ups: k.INSIGHT.score, k.INSIGHTS.questions: k.INSIGHT.score}
            for key, score in scored.items():
                result[key] = [i for i in result.get(key, []) if i.get(score, 1) >= threshold]
        self.store.update_conversation(cid, insights=json.dumps(checked_insights(result)),
                                       insights_options=json.dumps(merged))
        recorded = insight_runs.metadata(self.store.conversation(cid), produced)
        if recorded is not None:
            self.store.update_conversation(cid, metadata=recorded)

    def remove_upload(self, path: str) -> None:
        target = Path(path)
        if target.parent == self.data_dir / "uploads":
            target.unlink(missing_ok=True)

    # ------------------------------------------------------------------ one request

    def handle(self, request: HttpRequest) -> Reply | None:
        """The reply for a request; None means: drop the connection without one. A database
        that does not answer is a 503 with a JSON body, and one line in the log."""
        try:
            return self._handle(request)
        except StoreUnavailable as exc:
            log.warning("%s %s: %s", request.method, request.path, exc)
            raise Refusal(503, UNAVAILABLE) from None

    def _handle(self, request: HttpRequest) -> Reply | None:
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
        handler, params, needs_auth = self.router.match(method, path)
        request.params = params
        if self.faults.take("expire_tokens", method, path):
            self.store.expire_tokens(time.time())
        if needs_auth:
            request.token = self.auth.check(request)
        if self.faults.take("status500", method, path):
            raise Refusal(500, "Internal server error (fault injection)")
        if self.faults.take("status429", method, path):
            raise Refusal(429, CONCURRENCY, statusCode=429)
        drop = self.faults.take("drop_after_body", method, path)
        late = self.faults.take("slow_reply", method, path)
        reply = handler(request)
        if late is not None:
            time.sleep(late.seconds)
        return None if drop else reply


def _private_folder(folder: Path) -> None:
    """The data folder holds every transcript, upload and the credentials' hashes: made, or
    tightened to, 0700 whatever the umask (docs/sandbox.md, "Storage")."""
    from symbl_media.paths import private_folder
    from symbl_media.errors import OutputError

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
