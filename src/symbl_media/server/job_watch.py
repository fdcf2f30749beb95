"""Job polls held until the job's status changes (``GET /v1/job/{id}?wait=SECONDS``): who
waits for which job, and how they hear that it changed.

A held poll is an asyncio waiter on the server's event loop, never a thread: a few hundred
of them cost a file descriptor and a little memory each, not a route thread (``web.THREADS``),
and their number is capped (``limit``); past the cap a poll is answered at once with "0" in
its ``X-Job-Wait`` header, and the client polls on its own schedule, as it does Symbl.

A job's status changes where a worker claims or ends it:

- in this process (the embedded server, `serve`): the worker calls ``changed(job_id)`` and
  the job's waiters wake at once;
- in another one (the job runner of `serve --workers N`, a `sandbox worker`): on PostgreSQL
  the transaction that ends a job NOTIFYs (job_signal.py), which makes this process look at
  once; and while anyone waits, one thread reads the waited jobs' statuses in one query
  every ``look_every`` seconds: short where jobs run elsewhere, a slow safety net where they
  run here. It also looks as each poll starts to wait, so a change between the route's read
  and the wait is not missed. Nobody waiting: no query, and the thread sleeps.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable
from dataclasses import dataclass

from symbl_media.errors import StoreUnavailable
from symbl_media.server.config import MAX_HELD_POLLS
from symbl_media.server.job_signal import Listener

log = logging.getLogger("symbl_media.server")

# How a wait ended.
CHANGED = "changed"  # the job's status may have changed: answer with it now
TIMEOUT = "timeout"  # the seconds asked for passed
GONE = "gone"  # the server is draining, or the client hung up
FULL = "full"  # ``limit`` polls were already held: answered at once
CLOSED = "closed"  # the server is stopping


@dataclass(eq=False)
class _Waiter:
    job_id: str
    status: str  # what the client was told; a different one wakes it
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event

    def wake(self) -> None:
        """From any thread."""
        try:
            self.loop.call_soon_threadsafe(self.event.set)
        except RuntimeError:  # the loop has closed: nobody is left to answer
            pass


class JobWatch:
    def __init__(self, store, *, look_every: float, limit: int = MAX_HELD_POLLS) -> None:
        self.store = store
        self.look_every = look_every
        self.limit = limit
        self._lock = threading.Condition()
        self._waiters: dict[str, set[_Waiter]] = {}
        self._count = 0
        self._kick = threading.Event()  # look now
        self._closed = False
        self._thread: threading.Thread | None = None
        self._listener = Listener(store, self._kick.set)  # PostgreSQL only

    @property
    def held(self) -> int:
        """How many polls are held now."""
        with self._lock:
            return self._count

    def changed(self, job_id: str) -> None:
        """The job's status changed in this process (any thread)."""
        with self._lock:
            waiters = list(self._waiters.get(job_id, ()))
        for waiter in waiters:
            waiter.wake()

    async def wait(self, job_id: str, status: str, seconds: float,
                   gone: list[Awaitable]) -> str:
        """Until the job's status may no longer be ``status`` (CHANGED), ``seconds`` pass
        (TIMEOUT), one of ``gone`` ends (GONE) or the watch closes (CLOSED); FULL at once
        when ``limit`` polls are held already."""
        waiter = _Waiter(job_id, status, asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            if self._closed or self._count >= self.limit:
                for awaitable in gone:  # never awaited: closed, so Python does not warn
                    getattr(awaitable, "close", lambda: None)()
                return CLOSED if self._closed else FULL
            self._waiters.setdefault(job_id, set()).add(waiter)
            self._count += 1
            self._start_looking()
            self._lock.notify_all()
        self._kick.set()
        tasks = [asyncio.ensure_future(waiter.event.wait()),
                 *(asyncio.ensure_future(g) for g in gone)]
        try:
            done, _ = await asyncio.wait(tasks, timeout=seconds,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            with self._lock:
                waiting = self._waiters.get(job_id, set())
                waiting.discard(waiter)
                if not waiting:
                    self._waiters.pop(job_id, None)
                self._count -= 1
        if tasks[0] in done:
            return CLOSED if self._closed else CHANGED
        return GONE if done else TIMEOUT

    def close(self) -> None:
        """Every held poll answered now; no more are held."""
        with self._lock:
            self._closed = True
            waiters = [w for ws in self._waiters.values() for w in ws]
            self._lock.notify_all()
        self._kick.set()
        for waiter in waiters:
            waiter.wake()
        if self._thread is not None:
            self._thread.join(5)
        self._listener.stop()

    def _start_looking(self) -> None:  # under the lock
        if self._thread is None and self.look_every > 0:
            self._thread = threading.Thread(target=self._look, daemon=True,
                                            name="sandbox-job-watch")
            self._thread.start()
            self._listener.start()

    def _look(self) -> None:
        while True:
            with self._lock:
                while not self._waiters and not self._closed:
                    self._lock.wait()  # nobody waits: no query
                if self._closed:
                    return
            self._kick.wait(self.look_every)
            self._kick.clear()  # before the look: a kick during it makes another at once
            with self._lock:
                watched = [w for ws in self._waiters.values() for w in ws]
            if not watched:
                continue
            try:
                now = self.store.job_statuses({w.job_id for w in watched})
            except StoreUnavailable:
                continue  # the next look tries again; the waits run out meanwhile
            except Exception:  # the thread outlives any one failure (and logs it)
                log.exception("looking at waited jobs failed; trying again")
                continue
            for waiter in watched:
                if now.get(waiter.job_id) != waiter.status:  # changed, or deleted
                    waiter.wake()
