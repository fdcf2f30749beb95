"""One HTTP call to Symbl, done carefully: timeouts, a token, streamed file bodies, retries.

- Every request has a connect and a read timeout; a read (GET: job polls, insights) gets a
  short one, so a hung server ends in ``Unreachable`` after the tries instead of a long wait.

- 429 (too many concurrent jobs), 5xx and failed connections are retried with capped
  exponential backoff and full jitter; a file body is reopened for every attempt. A call that
  creates a job is resent only on 429, 503 or a connection that never opened; a 500, 502 or
  504 to it raises ``Unreachable(maybe_sent=True)`` like a dropped reply.
- 401 gets one fresh token and one more try.
- Other 4xx are final and carry the server's message.
- A connection lost after a submission's body may have been sent is not retried blindly: it
  raises ``Unreachable(maybe_sent=True)`` so the caller can look before sending again.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import requests
from urllib3.exceptions import NewConnectionError

from symbl_media.client.settings import Settings
from symbl_media.client.tokens import Tokens
from symbl_media.errors import ApiError, AuthError, InvalidArgument, Unreachable
from symbl_media.retries import RETRY_STATUS, RetryPolicy

# For calls that create a job, only 429 and 503 say the request was not acted on.
MAYBE_CREATED = {500, 502, 504}


# Tuning from the environment (docs/client.md): a slow link, a flaky proxy, a CI job that
# would rather fail fast. name: (default, smallest allowed, whole number?)
TUNING = {
    "SYMBL_MEDIA_TIMEOUT": (300.0, 0.1, False),  # seconds to wait for one reply
    # ... to a read (job polls, insights): a server silent this long on a GET is hung, and
    # six tries of the long timeout kept a CLI waiting half an hour on a hung sandbox.
    "SYMBL_MEDIA_READ_TIMEOUT": (30.0, 0.1, False),
    "SYMBL_MEDIA_RETRIES": (6, 1, True),  # tries per request, the first one included
    "SYMBL_MEDIA_BACKOFF": (1.0, 0.0, False),  # seconds of the first pause; it then doubles
    # How long a job poll asks a server to hold it until the status changes (our server's
    # extension; capped at its bound, contract/endpoints.py JOB_WAIT_MAX). 0: never asked,
    # polled on the schedule used for Symbl.
    "SYMBL_MEDIA_JOB_WAIT": (20.0, 0.0, False),
}


def tuning(name: str):
    """The value of one tuning variable, checked: a bad value is a usage error (exit 2)."""
    default, least, whole = TUNING[name]
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value < least:
        kind = "a whole number" if whole else "a number of seconds"
        raise InvalidArgument(f"{name}={raw!r}: must be {kind}, at least {least}")
    return value


class Transport:
    def __init__(self, settings: Settings, *, tokens: Tokens | None = None,
                 token_folder: Path | None = None, token_scope: str | None = None,
                 connect_timeout: float = 10.0, read_timeout: float | None = None,
                 attempts: int | None = None, backoff: float | None = None,
                 max_backoff: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "symbl-media"
        if read_timeout is None:
            read_timeout = tuning("SYMBL_MEDIA_TIMEOUT")
        self.timeout = (min(connect_timeout, read_timeout), read_timeout)
        reads = min(read_timeout, tuning("SYMBL_MEDIA_READ_TIMEOUT"))
        self.read_timeout = (min(connect_timeout, reads), reads)
        self.attempts = tuning("SYMBL_MEDIA_RETRIES") if attempts is None else attempts
        self.policy = RetryPolicy(self.attempts,
                                  tuning("SYMBL_MEDIA_BACKOFF") if backoff is None else backoff,
                                  max_backoff)
        self.sleep = sleep
        self.tokens = tokens or Tokens(settings, self.session, folder=token_folder,
                                        scope=token_scope, attempts=self.attempts,
                                        pause=self._pause)

    def call(self, method: str, path: str, *, params: dict | None = None,
             json: object = None, file: Path | None = None, content_type: str | None = None,
             submission: bool = False, what: str = "",
             on_bytes: Callable[[int, int], None] | None = None):
        """The decoded JSON reply. ``submission`` marks calls that create a job;
        ``on_bytes(sent, total)`` follows a file body going out."""
        return self.answer(method, path, params=params, json=json, file=file,
                           content_type=content_type, submission=submission, what=what,
                           on_bytes=on_bytes).body

    def answer(self, method: str, path: str, *, params: dict | None = None,
               json: object = None, file: Path | None = None, content_type: str | None = None,
               submission: bool = False, what: str = "",
               on_bytes: Callable[[int, int], None] | None = None,
               held: float = 0.0) -> Answer:
        """``call``, with the reply's headers. ``held``: seconds the server may hold the
        request before it starts to answer (a job poll's wait), added to the read timeout."""
        refreshed = False
        attempt = 0
        while True:
            try:
                reply = self._send(method, path, params, json, file, content_type, on_bytes,
                                   held)
            except requests.RequestException as exc:
                never_sent = _never_connected(exc)
                if submission and not never_sent:
                    raise Unreachable(f"{what or path}: the connection was lost after the "
                                      f"request was sent ({type(exc).__name__})",
                                      maybe_sent=True) from None
                attempt += 1
                if attempt >= self.attempts:
                    raise Unreachable(f"{what or path}: {self.settings.base_url} cannot be "
                                      f"reached ({type(exc).__name__}) after {attempt} tries"
                                      ) from None
                self._pause(attempt)
                continue
            if reply.status_code == 401 and not refreshed:
                refreshed = True
                self.tokens.forget()
                self.tokens.refresh()
                continue
            if submission and reply.status_code in MAYBE_CREATED:
                # A gateway error or a crash may come after the job was created: the caller
                # must look before sending the body again.
                raise Unreachable(f"{what or path}: HTTP {reply.status_code} after the request "
                                  f"was sent ({_message(reply)})", maybe_sent=True)
            if reply.status_code in RETRY_STATUS:
                attempt += 1
                if attempt < self.attempts:
                    self._pause(attempt)
                    continue
            if reply.status_code >= 400:
                message = _message(reply)
                kind = AuthError if reply.status_code == 401 else ApiError
                raise kind(reply.status_code, message, what=what or f"{method} {path}")
            return Answer(reply.json() if reply.content else None, reply.headers)

    def _send(self, method, path, params, json, file, content_type, on_bytes=None,
              held: float = 0.0) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.tokens.token()}"}
        url = self.settings.base_url + path
        if file is None:
            connect, read = self.read_timeout if method == "GET" else self.timeout
            timeout = (connect, read + held)
            return self.session.request(method, url, params=params, json=json,
                                        headers=headers, timeout=timeout)
        # An open file streams (requests sends it in blocks with its Content-Length); a
        # generator would switch to chunked encoding, which the API does not document.
        headers["Content-Length"] = str(file.stat().st_size)
        if content_type:
            headers["Content-Type"] = content_type
        with file.open("rb") as body:
            data = body if on_bytes is None else _Counted(body, on_bytes)
            return self.session.request(method, url, params=params, data=data,
                                        headers=headers, timeout=self.timeout)

    def _pause(self, attempt: int) -> None:
        self.sleep(self.policy.pause(attempt))


@dataclass(frozen=True)
class Answer:
    """A reply that was not an error: its decoded JSON body and its headers."""

    body: object
    headers: Mapping[str, str]  # case-insensitive (requests' own)


class _Counted:
    """An open file that reports how much of it was read (sent) so far.

    It keeps ``fileno`` so requests still learns the length and sends ``Content-Length``
    rather than switching to chunked encoding.
    """

    def __init__(self, body, on_bytes: Callable[[int, int], None]) -> None:
        self.body = body
        self.on_bytes = on_bytes
        self.total = os.fstat(body.fileno()).st_size
        self.sent = 0
        self.mode = "rb"  # requests' length probe looks for a binary mode

    def __len__(self) -> int:
        return self.total - self.body.tell()

    def fileno(self) -> int:
        return self.body.fileno()

    def tell(self) -> int:
        return self.body.tell()

    def seek(self, *args) -> int:
        return self.body.seek(*args)

    def read(self, size: int = -1) -> bytes:
        block = self.body.read(size)
        self.sent += len(block)
        self.on_bytes(self.sent, self.total)
        return block

    def __iter__(self):
        while block := self.read(1 << 16):
            yield block


def _never_connected(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached the server (so resending is safe)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", None)
    return isinstance(reason, NewConnectionError) or isinstance(cause, NewConnectionError)


def _message(reply: requests.Response) -> str:
    try:
        body = reply.json()
    except ValueError:
        return reply.text[:200].strip() or reply.reason
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return str(body)[:200]
