"""Workers told at once that a job may be runnable, wherever it was added: PostgreSQL's
LISTEN/NOTIFY.

A worker looks for runnable jobs every half second in any case, and one added through its own
process wakes it at once (``Worker.poke``). A job added by another process (an API process of
``serve --workers N`` or ``--no-jobs``, on any machine) or made runnable there (the job before
it in its conversation ended on another worker, a job given back) used to wait for that pass:
up to 0.5 s, 0.25 s on average, before a job of a few seconds. On PostgreSQL the transaction
that does it also sends ``NOTIFY`` on CHANNEL (delivered when it commits, not at all when it
rolls back), and each worker LISTENs on a connection of its own and looks at once. The
notification carries nothing: the queue decides what runs (queue.py), so a lost or extra one
changes nothing but when a worker looks. SQLite has no such thing and keeps the half-second
pass (one machine, where `serve` runs the jobs in the process that took them).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Connection, text

from symbl_media.errors import StoreUnavailable

CHANNEL = "symbl_sandbox_jobs"
RETRY_SECONDS = 2.0  # a listener that lost the database tries again this often
log = logging.getLogger("symbl_media.server")


def announce(conn: Connection) -> None:
    """Tell the listening workers, when ``conn``'s transaction commits, to look for jobs."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class Listener:
    """Calls ``on_job()`` whenever a job may have become runnable, from a thread of its own
    holding one connection (PostgreSQL only; on SQLite ``start`` does nothing)."""

    def __init__(self, store, on_job: Callable[[], None]) -> None:
        """``store``: the worker's Store (which imports this module for ``announce``)."""
        self.store = store
        self.on_job = on_job
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.store.dialect != "postgresql":
            return
        self._thread = threading.Thread(target=self._listen, name="sandbox-jobs-listener",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with self.store.listening(CHANNEL) as notifications:
                    # Anything added while no one listened (at start, after an outage).
                    self.on_job()
                    while not self._stop.is_set():
                        if notifications(1.0):  # wakes each second to see if it must stop
                            self.on_job()
            except StoreUnavailable:
                pass  # the worker's loop says so; its half-second pass runs meanwhile
            except Exception:  # the listener outlives any one failure (and logs it)
                log.exception("listening for new jobs failed; trying again")
            self._stop.wait(RETRY_SECONDS)
