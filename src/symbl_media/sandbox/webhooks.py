"""POST {jobId, status} to a job's webhookUrl on every status change.

Deliveries go through one queue and one thread: in the order the changes happened, and a
slow or hanging receiver never holds up a job (Symbl documents no retries; neither are there).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger("symbl_media.sandbox")
TIMEOUT = 10.0

_queue: queue.Queue = queue.Queue()
_thread: threading.Thread | None = None
_lock = threading.Lock()


def notify(url: str | None, job_id: str, status: str) -> None:
    if not url:
        return
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_deliver_forever, daemon=True, name="webhooks")
            _thread.start()
    _queue.put((url, job_id, status))


def flush(timeout: float) -> None:
    """Wait (up to ``timeout``) until every queued delivery has been tried."""
    deadline = time.monotonic() + timeout
    while _queue.unfinished_tasks and time.monotonic() < deadline:
        time.sleep(0.02)


def _deliver_forever() -> None:
    opener = urllib.request.build_opener(_NoRedirect)
    while True:
        url, job_id, status = _queue.get()
        try:
            body = json.dumps({"jobId": job_id, "status": status}).encode()
            request = urllib.request.Request(url, data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            with opener.open(request, timeout=TIMEOUT) as reply:
                reply.read(1024)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("webhook for job %s (%s) not delivered: %s", job_id, status, exc)
        finally:
            _queue.task_done()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
