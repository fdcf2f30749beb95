"""Keeping secrets out of everything shown: one leaf that the client, the server and the
error tree all use.

The app secret, every access token and the secret parts of URL inputs (query strings,
passwords) are registered as they become known (``keep_out``); ``scrub`` replaces them in any
text about to be shown (error lines, tracebacks, log records), a last line of defence behind
messages that are written not to hold them in the first place. ``redact`` spells a URL for a
message: without its credentials, query or fragment.
"""

from __future__ import annotations

import logging
import re
import threading

_UNSAFE = re.compile(r"[\x00-\x20\x7f]")

_KEPT_OUT: set[str] = set()
_KEPT_LOCK = threading.Lock()
SHORTEST = 8  # shorter values would garble ordinary text; nothing of ours prints them anyway
MASK = "[hidden]"


def keep_out(value: str | None) -> None:
    """Remember a secret (an app secret, a token, a URL's query) so ``scrub`` hides it."""
    if isinstance(value, str) and len(value.strip()) >= SHORTEST:
        with _KEPT_LOCK:
            _KEPT_OUT.add(value.strip())
        _guard_third_party_logs()


def scrub(text: str) -> str:
    """``text`` with every value given to ``keep_out`` replaced by a mask."""
    with _KEPT_LOCK:
        kept = sorted(_KEPT_OUT, key=len, reverse=True)
    for value in kept:
        if value in text:
            text = text.replace(value, MASK)
    return text


class _Scrubbed(logging.Filter):
    """urllib3 logs every request line at DEBUG, query string included: an application that
    turns on debug logging would write a signed URL's signature to its log."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad record is the logging module's business
            return True
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_GUARDED = False


def _guard_third_party_logs() -> None:
    global _GUARDED
    if not _GUARDED:
        _GUARDED = True
        logging.getLogger("urllib3.connectionpool").addFilter(_Scrubbed())


def redact(url: str) -> str:
    """The URL without ``user:pass@``, query string or fragment, on one line, for messages."""
    text = str(url).strip()
    scheme, sep, rest = text.partition("://")
    if sep:
        # The authority ends at the first "/"; cutting at "?" or "#" first would leave a
        # password containing them in place ("u:p?w@host").
        authority, slash, path = rest.partition("/")
        text = scheme + sep + authority.rpartition("@")[2] + slash + path
    text = re.split(r"[?#]", text, maxsplit=1)[0]
    text = _UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", text)
    return text if len(text) <= 200 else text[:199] + "…"
