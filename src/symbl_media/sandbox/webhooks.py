"""POST {jobId, status} to a job's webhookUrl on every status change, off the job's thread."""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request

log = logging.getLogger("symbl_media.sandbox")


def notify(url: str | None, job_id: str, status: str, timeout: float = 10.0) -> None:
    if not url:
        return

    def send() -> None:
        body = json.dumps({"jobId": job_id, "status": status}).encode()
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with _no_redirects().open(request, timeout=timeout) as reply:
                reply.read(1024)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            # Symbl documents no retries for webhooks; an unreachable hook only costs a line.
            log.warning("webhook for job %s (%s) not delivered: %s", job_id, status, exc)

    # Sent in order per job: each status waits for the previous delivery of the same job.
    thread = threading.Thread(target=send, daemon=True, name=f"webhook-{job_id[:8]}")
    thread.start()
    thread.join(timeout)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _no_redirects() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect)
