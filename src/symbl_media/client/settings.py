"""Where the API is and who we are: flags, then the environment, then symbl.conf.

symbl.conf is read the way the official SDK reads it: an INI file with a [credentials]
section holding app_id and app_secret, first in the working directory, then in the home one.

The app secret, every access token and the secret parts of URL inputs (query strings,
passwords) are registered here as they become known (``keep_out``); ``scrub`` replaces them in
any text about to be shown (error lines, tracebacks, log records), a last line of defence
behind messages that are written not to hold them in the first place.
"""

from __future__ import annotations

import configparser
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_URL = "https://api.symbl.ai"


@dataclass(frozen=True)
class Settings:
    base_url: str
    app_id: str | None
    app_secret: str | None = field(repr=False)  # never shown, not even in a repr
    source: str  # where the credentials came from: "flags", "environment", a path, or "none"

    def __post_init__(self) -> None:
        keep_out(self.app_secret)

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id and self.app_secret)


def resolve(api_url: str | None = None, app_id: str | None = None,
            app_secret: str | None = None, *, cwd: Path | None = None,
            home: Path | None = None) -> Settings:
    base = (api_url or os.environ.get("SYMBL_API_URL") or DEFAULT_URL).rstrip("/")
    # Each half from a flag, else the environment: `--app-id ID` with SYMBL_APP_SECRET set (the
    # secret is never a flag's value, see docs/cli.md) is one pair.
    env_id, env_secret = os.environ.get("SYMBL_APP_ID"), os.environ.get("SYMBL_APP_SECRET")
    pair = (app_id or env_id, app_secret or env_secret)
    if all(pair):
        flags = (bool(app_id), bool(app_secret))
        source = {(True, True): "flags", (False, False): "environment"}.get(
            flags, "flags and environment")
        return Settings(base, pair[0], pair[1], source)
    for folder in (cwd or Path.cwd(), home or Path.home()):
        found = _from_conf(folder / "symbl.conf")
        if found:
            return Settings(base, found[0], found[1], str(folder / "symbl.conf"))
    return Settings(base, None, None, "none")


def _from_conf(path: Path) -> tuple[str, str] | None:
    if not path.is_file():
        return None
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    section = parser["credentials"] if parser.has_section("credentials") else None
    if section and section.get("app_id") and section.get("app_secret"):
        return section["app_id"].strip(), section["app_secret"].strip()
    return None


# ----------------------------------------------------------------------------- scrubbing

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
        except Exception:  # noqa: BLE001 - a bad record is the logging module's business
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
