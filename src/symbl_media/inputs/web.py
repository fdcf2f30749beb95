"""Talking to someone else's web server about a URL: one session (our User-Agent, the file's
own bytes), the limits a URL may take (its size, the timeouts; ``SYMBL_MEDIA_DOWNLOAD_LIMIT``
and ``SYMBL_MEDIA_URL_TIMEOUT``), and why a request failed, in words that never quote the URL
(requests' own texts do). Used by ``inputs/urls.py`` to look at a URL and by
``inputs/download.py`` to fetch it."""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from http import HTTPStatus

import requests
import urllib3.exceptions

MAX_REDIRECTS = 5
USER_AGENT = "symbl-media"
MAX_DOWNLOAD_BYTES = 8 * 2**30
CHECK_TIMEOUT = 10.0  # seconds: to connect, and for each answer while a URL is looked at
READ_TIMEOUT = 60.0  # seconds a download may go without a byte
LIMIT_ENV = "SYMBL_MEDIA_DOWNLOAD_LIMIT"
TIMEOUT_ENV = "SYMBL_MEDIA_URL_TIMEOUT"


@dataclass(frozen=True)
class Limits:
    """How long and how much a URL may take (docs/cli.md, "Inputs")."""

    max_bytes: int = MAX_DOWNLOAD_BYTES
    check_timeout: float = CHECK_TIMEOUT  # inspect_url's timeout; also every connect
    read_timeout: float = READ_TIMEOUT  # download: silence allowed, and the slow-rate window

    @classmethod
    def from_env(cls, environ=None) -> Limits:
        """The defaults, or ``SYMBL_MEDIA_DOWNLOAD_LIMIT`` (bytes, or a number with K, M or
        G) and ``SYMBL_MEDIA_URL_TIMEOUT`` (seconds; replaces both timeouts). A value that is
        not one of those is refused (InvalidArgument, exit 2)."""
        from symbl_media.errors import InvalidArgument

        environ = os.environ if environ is None else environ
        limits = cls()
        raw = environ.get(LIMIT_ENV, "").strip()
        if raw:
            match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)i?B?", raw, re.IGNORECASE)
            value = (float(match[1]) * 1024 ** " KMG".index(match[2].upper() or " ")
                     if match else 0)
            if value < 1:
                raise InvalidArgument(f"{LIMIT_ENV}={raw!r}: write a number of bytes, "
                                      f"optionally with K, M or G (e.g. 500M)")
            limits = cls(int(value), limits.check_timeout, limits.read_timeout)
        raw = environ.get(TIMEOUT_ENV, "").strip()
        if raw:
            try:
                seconds = float(raw)
            except ValueError:
                seconds = 0.0
            if not 0 < seconds < float("inf"):
                raise InvalidArgument(f"{TIMEOUT_ENV}={raw!r}: write a number of seconds")
            limits = cls(limits.max_bytes, seconds, seconds)
        return limits


def http_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    # The file's own bytes: a server that gzips on the fly would make Content-Length
    # (compressed) useless for spotting a cut-short body.
    session.headers["Accept-Encoding"] = "identity"
    return session


def failure(exc: BaseException, timeout: tuple[float, float]) -> str:
    """Why a request failed, in words. requests' own text quotes the full URL, so it is
    never shown; the cause is read from the exception chain instead."""
    chain = exception_chain(exc)

    def has(*kinds: type) -> bool:
        return any(isinstance(e, kinds) for e in chain)

    # Before the timeouts: urllib3's NewConnectionError is a ConnectTimeoutError subclass.
    if has(urllib3.exceptions.NameResolutionError, socket.gaierror):
        return "host not found"
    if has(ConnectionRefusedError):
        return "connection refused"
    if has(requests.ConnectTimeout) or any(
            isinstance(e, urllib3.exceptions.ConnectTimeoutError)
            and not isinstance(e, urllib3.exceptions.NewConnectionError) for e in chain):
        return f"could not connect within {timeout[0]:g} s"
    if has(requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError, socket.timeout):
        return f"the server sent nothing for {timeout[1]:g} s"
    if has(urllib3.exceptions.NewConnectionError):
        errors = [e for e in chain if isinstance(e, OSError) and e.strerror]
        return f"cannot connect ({errors[0].strerror.lower() if errors else 'no reason given'})"
    if has(requests.exceptions.SSLError, urllib3.exceptions.SSLError):
        return "TLS/SSL error"
    if has(requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError):
        return "the connection was cut"
    return f"cannot be fetched ({type(exc).__name__})"


def exception_chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or any(item is e for e in found):
            continue
        found.append(item)
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
    return found


def status_text(reply: requests.Response) -> str:
    try:
        phrase = HTTPStatus(reply.status_code).phrase
    except ValueError:
        phrase = ""  # the server's own reason phrase is its text, not ours to print
    return f"HTTP {reply.status_code}{' ' + phrase if phrase else ''}"
