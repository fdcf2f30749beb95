"""Fetch a submitted URL the way Symbl does: http(s) only, no redirects, failures fail the job."""

from __future__ import annotations

import os
from pathlib import Path

import requests

from symbl_media.redaction import redact
from symbl_media.server import leftovers
from symbl_media.server.failures import JobFailure


def fetch_url(url: str, dest: Path, *, limit: int, timeout: float) -> None:
    tmp = dest.with_name(f".fetching-{leftovers.tag()}{dest.name}")  # leftovers.py
    try:
        with requests.get(url, stream=True, allow_redirects=False, timeout=timeout) as reply:
            if 300 <= reply.status_code < 400:
                # The target is often a presigned link: shown without its query, which
                # ends up in the job's error and the log.
                target = redact(reply.headers.get("location", "?"))
                raise JobFailure(f"the URL redirects (HTTP {reply.status_code} to {target}); "
                                f"redirected links are not followed: submit the final URL")
            if reply.status_code != 200:
                raise JobFailure(f"fetching the URL gave HTTP {reply.status_code}")
            size = 0
            # 0600, like a received upload: it is someone's recording.
            with open(tmp, "wb", opener=lambda path, flags: os.open(path, flags, 0o600)) as fh:
                for block in reply.iter_content(1 << 20):
                    size += len(block)
                    if size > limit:
                        raise JobFailure(f"the file at the URL is larger than {limit} bytes")
                    fh.write(block)
        tmp.replace(dest)
    except requests.RequestException as exc:
        raise JobFailure(f"the URL could not be fetched ({type(exc).__name__})") from None
    finally:
        tmp.unlink(missing_ok=True)
