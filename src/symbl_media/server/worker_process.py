"""A worker on its own, ``sandbox worker``: jobs taken from the shared database and run with
this machine's engines, until it is told to stop.

It has no HTTP side and touches no credentials: it needs the database the API processes use
(``--database``, or the data folder's SQLite file on the same machine), the data folder
they write uploads into (a network share across machines), and its engines, which load once,
in the background as it starts (or on the first job: ``--load-engines first-job``), and serve
every job after it.
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

    def __init__(self, config: SandboxConfig, stop: threading.Event | None = None) -> None:
        """``stop``: set while this waits for the data folder to be a sandbox's, it gives up
        (``Stopped``)."""
        self.config = config
        self.engines = Engines(config.engines, transcriber=config.transcriber,
                               diarizer=config.diarizer, insights=config.insights)
        self.engines.check()  # a bad model folder or endpoint: refused before any job
        self.data_dir = shared_data_folder(Path(config.data_dir), stop or threading.Event())
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

    def run(self, stop: threading.Event, grace_seconds: float, on_stopping=None) -> None:
        """Take and run jobs until ``stop`` is set; then (``on_stopping()`` first) finish the
        running ones within ``grace_seconds`` or give them back, and close."""
        self.worker.start()
        try:
            # Woken every second: the kernel may hand SIGTERM to any of the process's threads
            # (with the engines loaded, mostly native ones), and Python runs the handler, which
            # sets ``stop``, only when the main thread runs again; asleep in a wait without a
            # timeout it never did, and the worker hung after its job.
            while not stop.wait(1.0):
                pass
            if on_stopping is not None:
                on_stopping()
        finally:
            # A second Ctrl-C or SIGTERM cuts the grace short (KeyboardInterrupt, raised in
            # this thread inside stop): the scratch folder and the database go all the same.
            try:
                self.worker.stop(grace_seconds)
            finally:
                shutil.rmtree(self._scratch, ignore_errors=True)
                self.store.close()


class Stopped(Exception):
    """Told to stop before there was anything to run."""


def shared_data_folder(folder: Path, stop: threading.Event, poll: float = 1.0) -> Path:
    """The data folder the API processes write uploads into, once it is one.

    It must exist, be readable and writable (a URL job's download goes into uploads/), and
    hold ``uploads/``, which `sandbox serve` makes at start. A worker never makes it: an
    empty folder is most often a share that is not mounted (yet), and a worker that filled it
    (uploads/, a SQLite file of its own) would wait for jobs nobody can send it. So it waits
    for the folder to become a sandbox's, saying so once, as it waits for a database that
    does not answer: in a deployment the worker may well start before the API does."""
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such folder; a worker reads uploads from the data "
                          f"folder the API processes write (--data, shared between machines)")
    uploads = folder / "uploads"
    said = False
    while not uploads.is_dir():
        if not said:
            said = True
            log.warning("%s holds no sandbox data yet (no uploads/ folder): waiting for "
                        "`sandbox serve` to start on it, or for the share to be mounted",
                        folder)
        if stop.wait(poll):
            raise Stopped(f"stopped while waiting for {uploads}")
    for path in (folder, uploads):
        if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
            raise OutputError(f"{path}: not readable and writable by this user; a worker "
                              f"reads uploads from it and writes downloads into it")
    if said:
        log.info("%s is a sandbox's data folder now", folder)
    return folder
