"""Runs jobs: per conversation one at a time, in the order submitted; conversations in parallel.

A job moves scheduled → in_progress → completed | failed; this worker takes one only through
the queue (``queue.JobQueue.claim``), with a lease that a heartbeat thread renews while it
runs, so any number of workers, on any number of machines, can share one database. A worker
that dies stops renewing: once its lease runs out another worker (or this one, restarted)
takes the job over and runs it from the start, its partial output undone. Every write of a
run checks that the run still holds the lease, so a run that lost it writes nothing over the
run that took over; and a run that lost it stops computing at the next stage (``Run.check``:
after transcription, after diarization, before insights), told at once by the heartbeat that
finds the lease lost. A run that loses the database gives the job back once it answers again.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from symbl_media.contract import endpoints as api
from symbl_media.errors import StoreUnavailable, SymblMediaError
from symbl_media.server import leftovers, logs
from symbl_media.server.config import LEASE_SECONDS
from symbl_media.server.engines.chosen import Engines
from symbl_media.server.failures import JobFailure, LeaseLost
from symbl_media.server.faults import Faults
from symbl_media.server.fetch import fetch_url
from symbl_media.server.job_signal import Listener
from symbl_media.server.leases import Lease, Run, worker_id
from symbl_media.server.processing import recognise, text_messages
from symbl_media.server.queue import Claim, JobQueue
from symbl_media.server.store import Store, started
from symbl_media.server.webhooks import Webhooks

log = logging.getLogger("symbl_media.server")


class Worker:
    def __init__(self, store: Store, engines: Engines, faults: Faults, data_dir: Path,
                 *, parallel: int, max_body_bytes: int, max_duration: float,
                 fetch_timeout: float, on_messages,
                 lease_seconds: float = LEASE_SECONDS, work_dir: Path | None = None,
                 look_every: float = 0.5,
                 on_status: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.engines = engines
        self.faults = faults
        self.data_dir = data_dir
        # Scratch for decoding: the data folder's work/ for the server's own worker; a
        # `sandbox worker` keeps it on its own disk (the data folder may be a network share).
        self.work_dir = work_dir or data_dir / "work"
        self.parallel = max(1, parallel)
        self.max_body_bytes = max_body_bytes
        self.max_duration = max_duration
        self.fetch_timeout = fetch_timeout
        self.on_messages = on_messages  # called after a job's messages are stored
        # Called with a job's id once its status has changed here (claimed, ended): the
        # server's held job polls answer at once (job_watch.py).
        self.on_status = on_status or (lambda job_id: None)
        self.id = worker_id()
        self.queue = JobQueue(store, self.id, lease_seconds)
        self.lease_seconds = lease_seconds
        self.webhooks = Webhooks()
        # How often it looks for runnable jobs when nothing tells it: a job added through
        # this process pokes it, and on PostgreSQL one added anywhere notifies it
        # (job_signal.py); this pass is for SQLite across processes, and a safety net.
        self.look_every = look_every
        self._listener = Listener(store, self.poke)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running: dict[str, tuple[threading.Thread, Run]] = {}  # job: (thread, run)
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._lost: list[Lease] = []  # runs cut off from the database: given back later
        self._stopped = False  # stop() has given back what it found: later ones give back
        self._outage = False  # said once per outage, not every pass

    def start(self) -> None:
        # The models load while this worker starts claiming, so the first job does not wait
        # for the whole load (unless told first-job; the embedded server inside `submit`
        # starts it when a recording is on its way instead: client/service.py).
        self.engines.start_loading()
        self._listener.start()
        try:
            for jid in self.queue.expire_the_dead_here():
                log.info("job %s: its worker on this machine is gone; running it again",
                         jid)
        except StoreUnavailable:
            pass  # their leases run out in their own time
        self._threads = [threading.Thread(target=self._loop, daemon=True, name="sandbox-worker"),
                         threading.Thread(target=self._heartbeat, daemon=True,
                                          name="sandbox-leases")]
        for thread in self._threads:
            thread.start()

    @property
    def alive(self) -> bool:
        """Its job loop and its lease renewal are both running."""
        return bool(self._threads) and all(t.is_alive() for t in self._threads)

    @property
    def busy(self) -> int:
        """How many jobs this worker runs now."""
        with self._lock:
            return len(self._running)

    def stop(self, grace: float = 0.0, flush: float = 30.0) -> None:
        """Stop taking jobs; a running job has ``grace`` seconds to finish, and is given
        back after that (scheduled again, its partial output undone) for another worker, or
        the next start, to run from the beginning. Webhooks already due get ``flush`` more
        seconds. The server's own worker gives its jobs back at once (an embedded sandbox
        closing after ``submit --no-wait`` must not run the job it leaves); a `sandbox
        worker` lets them finish within its ``--grace-seconds``."""
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + grace
        if self._threads:
            # The loop ends after the claim it may be making (a slow database); a claim that
            # comes back after this is given back by the loop itself, never started.
            self._threads[0].join(max(5.0, grace))
        with self._lock:
            running = list(self._running.values())
        for thread, _ in running:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            late = [run for _, run in self._running.values()]
            unfinished = [run.lease for run in late] + self._lost
            self._lost = []
            self._stopped = True  # a run handing its lease back from now on gives it back
        for run in late:  # given back below: they stop at their next stage
            run.cancel()
        for lease in unfinished:
            self._give_back_stopping(lease)
        for thread in self._threads[1:]:
            thread.join(5)
        self._listener.stop()
        self.webhooks.flush(flush)

    def _give_back_stopping(self, lease: Lease) -> None:
        try:
            if self.queue.give_back(lease):
                log.info("job %s given back unfinished; it runs again from the start",
                         lease.job_id)
        except StoreUnavailable as exc:  # its lease runs out; another worker takes it
            log.warning("job %s: %s; its lease runs out and it is run again",
                        lease.job_id, exc)

    def _hand_back(self, lease: Lease) -> None:
        """A run that ends without ending its job: its lease goes to the give-back path
        (the loop's next pass, or stop()); once stop() has made its pass, given back here,
        so no lease is left to run out and be counted as a worker that died."""
        with self._lock:
            if not self._stopped:
                self._lost.append(lease)
                return
        self._give_back_stopping(lease)

    def poke(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            pause = self.look_every
            # Cleared before the pass, not after the wait: a poke that comes while this pass
            # runs (or between the wait and the clear) would otherwise be lost, and the job it
            # announced would wait for the next pass, up to half a second.
            self._wake.clear()
            try:
                self._give_back_lost()
                self._claim_while_free()
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

    def _heartbeat(self) -> None:
        """Renew the running jobs' leases three times per lease time; a lease found lost
        (the database was away longer than the lease) is said once."""
        while not self._stop.wait(self.lease_seconds / 3):
            with self._lock:
                runs = {run.lease: run for _, run in self._running.values()}
            if not runs:
                continue
            try:
                for lease in self.queue.renew(list(runs)):
                    runs[lease].cancel()  # the run stops at its next stage
                    log.warning("job %s: its lease ran out and another run took it over; "
                                "this run's output is dropped", lease.job_id)
            except StoreUnavailable:
                pass  # the loop says so once; a lease that runs out meanwhile is taken over

    def _give_back_lost(self) -> None:
        """Runs that lost the database: their jobs are scheduled again, their partial output
        undone, so they run from the start (here or on any worker)."""
        with self._lock:
            lost, self._lost = self._lost, []
        for i, lease in enumerate(lost):
            try:
                self.queue.give_back(lease)
            except StoreUnavailable:
                with self._lock:
                    self._lost += lost[i:]
                raise

    def _claim_while_free(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if len(self._running) >= self.parallel:
                    return
            claim = self.queue.claim()
            if claim is None:
                return
            self.on_status(claim.job["id"])
            if claim.lease is None:
                logs.job(claim.job, api.FAILED, claim.abandoned)
                self.webhooks.notify(_options(claim.job).get("webhookUrl"), claim.job["id"],
                                     api.FAILED)
                continue
            if claim.taken_over:
                log.warning("job %s: the lease of %s ran out; running it again from the start",
                            claim.job["id"], claim.taken_over)
            thread = threading.Thread(target=self._run, args=(claim,), daemon=True,
                                      name=f"job-{claim.job['id'][:8]}")
            with self._lock:  # stop() sets the flag, then looks at _running under this lock
                stopping = self._stop.is_set()
                if not stopping:
                    self._running[claim.job["id"]] = (thread, Run(claim.lease, self.store))
            if stopping:
                # Claimed while the worker stopped (a slow database): stop() may already have
                # looked at what runs, so this run is given back rather than started.
                self._give_back_stopping(claim.lease)
                return
            thread.start()

    def _run(self, claim: Claim) -> None:
        job, lease = claim.job, claim.lease
        with self._lock:
            run = self._running[job["id"]][1]
        hook = _options(job).get("webhookUrl")
        try:
            logs.job(job, api.IN_PROGRESS)
            self.webhooks.notify(hook, job["id"], api.IN_PROGRESS)
            if self.faults.take("fail_job"):
                raise JobFailure("failed on purpose (fault injection)")
            self._process(job, run, _options(job))
            self._end(job, lease, api.COMPLETED, hook)
        except LeaseLost:
            if self._stop.is_set():  # given back by stop(): it runs again, nothing was lost
                log.info("job %s stopped with the worker; it runs again from the start",
                         job["id"])
            else:
                log.warning("job %s: this run lost its lease; the run that took over counts",
                            job["id"])
        except StoreUnavailable as exc:
            log.warning("job %s: %s; it runs again once the database answers", job["id"], exc)
            self._hand_back(lease)
        except Exception as exc:  # every failure ends the job, never the worker
            known = isinstance(exc, (JobFailure, SymblMediaError))
            if not known and self._stop.is_set():
                # Stopping pulls the ground from under a running job (its thread pools are
                # shut, its lease given back): what it raises then is not the job's fault,
                # and it runs again from the start.
                log.info("job %s stopped with the sandbox (%s); it runs again from the "
                         "start", job["id"], type(exc).__name__)
                self._hand_back(lease)
                return
            reason = str(exc) if known else f"internal error: {type(exc).__name__}: {exc}"
            try:
                self._end(job, lease, api.FAILED, hook, reason)
            except StoreUnavailable:
                self._hand_back(lease)
        finally:
            with self._lock:
                self._running.pop(job["id"], None)
            self._wake.set()

    def _end(self, job: dict, lease: Lease, status: str, hook: str | None,
             error: str | None = None) -> None:
        """End the job, if this run still holds it; the state line is logged only then (a
        run that lost its lease did not complete or fail the job: the one that took it
        over will)."""
        if self.queue.end(lease, status, error):
            self.on_status(lease.job_id)
            logs.job(job, status, error)
            self.webhooks.notify(hook, lease.job_id, status)
        else:
            log.warning("job %s: this run lost its lease before it ended; not marked %s",
                        lease.job_id, status)

    def _process(self, job: dict, run: Run, options: dict) -> None:
        cid, lease = job["conversation_id"], run.lease
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
            # Named with this process, so a server starting on a shared data folder tells
            # it from what a stopped one left (leftovers.sweep_work).
            work = Path(tempfile.mkdtemp(prefix=f"job-{job['id'][:8]}-{leftovers.tag()}",
                                         dir=self.work_dir))
            try:
                upload = Path(job["upload"]) if job["upload"] else None
                if upload is None:
                    upload = self.data_dir / "uploads" / f"{job['id']}.bin"
                    fetch_url(options["url"], upload, limit=self.max_body_bytes,
                              timeout=self.fetch_timeout)
                    self.store.attach_upload(job["id"], str(upload))
                    run.check()  # a download can take a while too
                messages, duration = recognise(self.engines, self.store, cid, run,
                                               upload, work, options, base,
                                               self.max_duration)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        for m in messages:
            m["id"] = str(secrets.randbelow(9 * 10**15) + 10**15)
        if not self.store.record_job_output(cid, job["id"], messages, duration, origin,
                                            lease=lease):
            raise JobFailure("the conversation was deleted while the job ran")
        try:
            run.check()  # insights are the last stage; a lost run leaves them to the new one
            self.on_messages(cid, lease)
        except LeaseLost:
            raise  # the run that took over undoes this output (and may have already)
        except BaseException:
            # A job that fails leaves the conversation as it was before it.
            self.store.remove_job_output(job["id"], lease)
            raise


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
