"""POST {jobId, status} to a job's webhookUrl on every status change.

Each sandbox's deliveries go through its own queue and thread: in the order the changes
happened, and a slow or hanging receiver never holds up a job (Symbl documents no retries;
neither are there).
"""

from __future__ import annotations

import base64
import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger("symbl_media.server")
TIMEOUT = 10.0


class Webhooks:
    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoRedirect)

    def notify(self, url: str | None, job_id: str, status: str) -> None:
        if not url:
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._deliver_forever, daemon=True,
                                                name="webhooks")
                self._thread.start()
        self._queue.put((url, job_id, status))

    def flush(self, timeout: float) -> None:
        """Wait (up to ``timeout``) until every queued delivery has been tried."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)

    def _deliver_forever(self) -> None:
        while True:
            url, job_id, status = self._queue.get()
            try:
                body = json.dumps({"jobId": job_id, "status": status}).encode()
                target, headers = _with_credentials_as_header(url)
                request = urllib.request.Request(
                    target, data=body, method="POST",
                    headers={"Content-Type": "application/json", **headers})
                with self._opener.open(request, timeout=TIMEOUT) as reply:
                    reply.read(1024)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                log.warning("webhook for job %s (%s) not delivered: %s", job_id, status, exc)
            finally:
                self._queue.task_done()


def _with_credentials_as_header(url: str) -> tuple[str, dict[str, str]]:
    """``https://user:secret@host/hook`` as HTTP clients (curl, requests) send it: the
    credentials in an ``Authorization: Basic`` header, the URL without them. urllib takes the
    userinfo for part of the host name, so such a hook was never delivered."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, {}
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    pair = (f"{urllib.parse.unquote(parts.username or '')}:"
            f"{urllib.parse.unquote(parts.password or '')}")
    header = "Basic " + base64.b64encode(pair.encode()).decode()
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), {"Authorization": header}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
