"""Runs jobs: per conversation one at a time, in the order submitted; conversations in parallel.

A job moves scheduled → in_progress → completed | failed, and nothing else; it is taken
with ``Store.claim_job``, so a job another process took is left alone. Work that a stopped
server left in progress is run again from the start when it comes back, and so is a job that
lost the database half-way, once the database answers again.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path

from symbl_media.contract import endpoints as api
from symbl_media.errors import StoreUnavailable, SymblMediaError
from symbl_media.server.failures import JobFailure
from symbl_media.server.faults import Faults
from symbl_media.server import logs
from symbl_media.server.fetch import fetch_url
from symbl_media.server.engines.chosen import Engines
from symbl_media.server.processing import recognise, text_messages
from symbl_media.server.store import Store, started
from symbl_media.server.webhooks import Webhooks

log = logging.getLogger("symbl_media.server")


class Worker:
    def __init__(self, store: Store, engines: Engines, faults: Faults, data_dir: Path,
                 *, parallel: int, max_body_bytes: int, max_duration: float,
                 fetch_timeout: float, on_messages) -> None:
        self.store = store
        self.engines = engines
        self.faults = faults
        self.data_dir = data_dir
        self.parallel = max(1, parallel)
        self.max_body_bytes = max_body_bytes
        self.max_duration = max_duration
        self.fetch_timeout = fetch_timeout
        self.on_messages = on_messages  # called after a job's messages are stored
        self.webhooks = Webhooks()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running: dict[str, tuple[threading.Thread, str]] = {}  # job: (thread, conv)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._lost: set[str] = set()  # jobs cut off from the database: run again later
        self._outage = False  # said once per outage, not every pass

    def start(self) -> None:
        again = self.store.requeue_interrupted()
        if again:
            log.info("picking up %d job(s) a previous run left in progress", len(again))
        self._thread = threading.Thread(target=self._loop, daemon=True, name="sandbox-worker")
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking jobs and wait for running ones to reach a point where they can stop.

        A job interrupted here stays in_progress in the store; the next start runs it again.
        """
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(5)
        deadline = time.monotonic() + timeout
        for thread, _ in list(self._running.values()):
            thread.join(max(0.0, deadline - time.monotonic()))
        self.webhooks.flush(max(0.0, deadline - time.monotonic()))

    def poke(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            pause = 0.5
            try:
                self._requeue_lost()
                self._start_runnable()
                if self._outage:
                    self._outage = False
                    log.warning("the database answers again; jobs run again")
            except StoreUnavailable as exc:  # waits it out; nothing is lost or failed
                if not self._outage:
                    self._outage = True
                    log.warning("%s; jobs wait until it answers", exc)
                pause = 2.0
            except Exception:  # the loop outlives any one bad pass (and logs it)
                log.exception("job scheduling failed; trying again")
            self._wake.wait(pause)
            self._wake.clear()

    def _requeue_lost(self) -> None:
        """Jobs whose run lost the database start again from the beginning, their partial
        output undone (the same as after a restart)."""
        with self._lock:
            lost = [jid for jid in self._lost if jid not in self._running]
        for jid in lost:
            self.store.requeue(jid)
            with self._lock:
                self._lost.discard(jid)

    def _start_runnable(self) -> None:
        for job in self.store.runnable_jobs():
            with self._lock:
                busy = {conv for _, conv in self._running.values()}
                if (job["id"] in self._running or job["conversation_id"] in busy
                        or len(self._running) >= self.parallel):
                    continue
                thread = threading.Thread(target=self._run, args=(job,), daemon=True,
                                          name=f"job-{job['id'][:8]}")
                self._running[job["id"]] = (thread, job["conversation_id"])
            thread.start()

    def _run(self, job: dict) -> None:
        options = _options(job)
        hook = options.get("webhookUrl")
        try:
            if self._stop.is_set():
                return
            if not self.store.claim_job(job["id"]):
                return  # taken by another process, or deleted, since it was listed
            logs.job(job, api.IN_PROGRESS)
            self.webhooks.notify(hook, job["id"], api.IN_PROGRESS)
            if self.faults.take("fail_job"):
                raise JobFailure("failed on purpose (fault injection)")
            self._process(job, options)
            self._set(job["id"], api.COMPLETED, hook)
            logs.job(job, api.COMPLETED)
        except _Stopping:
            pass  # left in_progress: a restart runs it again
        except StoreUnavailable as exc:
            log.warning("job %s: %s; it runs again once the database answers", job["id"], exc)
            with self._lock:
                self._lost.add(job["id"])
        except Exception as exc:  # every failure ends the job, never the worker
            reason = str(exc) if isinstance(exc, (JobFailure, SymblMediaError)) else \
                f"internal error: {type(exc).__name__}: {exc}"
            logs.job(job, api.FAILED, reason)
            try:
                self._set(job["id"], api.FAILED, hook, reason)
            except _Stopping:
                pass
            except StoreUnavailable:
                with self._lock:
                    self._lost.add(job["id"])
        finally:
            with self._lock:
                self._running.pop(job["id"], None)
            self._wake.set()

    def _set(self, job_id: str, status: str, hook: str | None, error: str | None = None) -> None:
        if self._stop.is_set():
            raise _Stopping()
        self.store.set_job_status(job_id, status, error)
        self.webhooks.notify(hook, job_id, status)

    def _process(self, job: dict, options: dict) -> None:
        cid = job["conversation_id"]
        conversation = self.store.conversation(cid)
        if conversation is None:
            raise JobFailure("the conversation was deleted")
        base = conversation["duration"]
        origin = None
        if job["kind"] == "text":
            # Stated times are kept (text_times.py): a text job that begins its conversation
            # (no job before it got that far) makes its earliest stated start the
            # conversation's start; an append places its messages against that start.
            begins = not any(j["duration"] is not None for j in self.store.jobs(cid)
                             if j["id"] != job["id"])
            messages, duration, stated = text_messages(
                self.store, cid, options, base, None if begins else started(conversation))
            origin = stated.isoformat() if stated is not None else None
        else:
            work = Path(tempfile.mkdtemp(prefix=f"job-{job['id'][:8]}-",
                                         dir=self.data_dir / "work"))
            try:
                upload = Path(job["upload"]) if job["upload"] else None
                if upload is None:
                    upload = self.data_dir / "uploads" / f"{job['id']}.bin"
                    fetch_url(options["url"], upload, limit=self.max_body_bytes,
                              timeout=self.fetch_timeout)
                    self.store.attach_upload(job["id"], str(upload))
                messages, duration = recognise(self.engines, self.store, cid, job["id"],
                                               upload, work, options, base,
                                               self.max_duration)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        for m in messages:
            m["id"] = str(secrets.randbelow(9 * 10**15) + 10**15)
        if not self.store.record_job_output(cid, job["id"], messages, duration, origin):
            raise JobFailure("the conversation was deleted while the job ran")
        try:
            self.on_messages(cid)
        except BaseException:
            # A job that fails leaves the conversation as it was before it.
            self.store.remove_job_output(job["id"])
            raise


class _Stopping(Exception):
    """The sandbox is shutting down: leave the job for the next start."""


def _options(job: dict) -> dict:
    import json

    return json.loads(job["options"])


def wait_for(store: Store, job_id: str, timeout: float = 60) -> str:
    """Block until a job has ended; for tests and the embedded use."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.job(job_id)
        if job and job["status"] in api.ENDED:
            return job["status"]
        time.sleep(0.05)
    raise TimeoutError(f"job {job_id} still running after {timeout} s")
