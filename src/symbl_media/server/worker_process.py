"""A worker on its own, ``sandbox worker``: jobs taken from the shared database and run with
this machine's engines, until it is told to stop.

It has no HTTP side and touches no credentials: it needs the database the API processes use
(``--database``, or the data folder's SQLite file on the same machine), the data folder
they write uploads into (a network share across machines), and its engines, which load once,
on the first job, and serve every job after it (loading them at start makes an open problem,
a SIGTERM that aborts an idle worker with its model loaded, far more frequent: docs/deploy.md).
Scratch space for decoding is a private folder on this machine's disk, removed when the
worker stops.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from symbl_media.errors import OutputError
from symbl_media.server import conversation_insights
from symbl_media.server.config import SandboxConfig
from symbl_media.server.database import SQLITE_FILE
from symbl_media.server.engines.chosen import Engines
from symbl_media.server.faults import Faults
from symbl_media.server.store import Store
from symbl_media.server.worker import Worker

log = logging.getLogger("symbl_media.server")


class WorkerProcess:
    """``config``: the server's settings that concern jobs (data folder, database, engines,
    limits, ``max_concurrent_jobs`` as the jobs run at once, ``lease_seconds``)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.engines = Engines(config.engines, transcriber=config.transcriber,
                               diarizer=config.diarizer, insights=config.insights)
        self.engines.check()  # a bad model folder or endpoint: refused before any job
        self.data_dir = shared_data_folder(Path(config.data_dir))
        self.store = Store(config.database or self.data_dir / SQLITE_FILE,
                           config.database_password)
        self._scratch = Path(tempfile.mkdtemp(prefix="symbl-worker-"))
        self.worker = Worker(self.store, self.engines, Faults(dict(config.faults)),
                             self.data_dir, parallel=config.max_concurrent_jobs,
                             max_body_bytes=config.max_body_bytes,
                             max_duration=config.max_duration_seconds,
                             fetch_timeout=config.url_fetch_timeout,
                             on_messages=self.refresh_insights,
                             lease_seconds=config.lease_seconds, work_dir=self._scratch)

    @property
    def id(self) -> str:
        return self.worker.id

    def insight_engine(self):
        return self.engines.insights

    def refresh_insights(self, cid: str, lease=None) -> None:
        conversation_insights.refresh(self, cid, lease)

    def run(self, stop: threading.Event, grace_seconds: float) -> None:
        """Take and run jobs until ``stop`` is set; then finish the running ones within
        ``grace_seconds`` or give them back, and close."""
        self.worker.start()
        try:
            stop.wait()
        finally:
            # A second Ctrl-C or SIGTERM cuts the grace short (KeyboardInterrupt, raised in
            # this thread inside stop): the scratch folder and the database go all the same.
            try:
                self.worker.stop(grace_seconds)
            finally:
                shutil.rmtree(self._scratch, ignore_errors=True)
                self.store.close()


def shared_data_folder(folder: Path) -> Path:
    """The data folder the API processes write uploads into: it must be there already (a
    worker that made an empty one, say on a share that is not mounted, would fail every
    job), readable and writable (a URL job's download goes into uploads/)."""
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such folder; a worker reads uploads from the data "
                          f"folder the API processes write (--data, shared between machines)")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: not readable and writable by this user; a worker reads "
                          f"uploads from it and writes downloads into it")
    uploads = folder / "uploads"
    try:
        uploads.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{uploads}: cannot be made ({exc.strerror or exc})") from None
    if not os.access(uploads, os.R_OK | os.W_OK | os.X_OK):
        raise OutputError(f"{uploads}: not readable and writable by this user")
    return folder
