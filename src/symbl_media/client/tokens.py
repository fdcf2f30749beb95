"""Access tokens: generated from the app id and secret, cached until shortly before expiry.

The cache is a private file (0600, in a 0700 folder) in the user's cache directory, one per
endpoint and app id; the secret itself is never written anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from symbl_media.client.settings import Settings
from symbl_media.contract import endpoints as api
from symbl_media.errors import AuthError, Unreachable
from symbl_media.paths import private_folder, user_dir
from symbl_media.redaction import keep_out

MARGIN_SECONDS = 300  # a token this close to expiry is replaced before use


def cache_dir() -> Path:
    return user_dir("XDG_CACHE_HOME", "tokens")


class Tokens:
    def __init__(self, settings: Settings, session: requests.Session, *,
                 folder: Path | None = None, timeout: float = 30.0,
                 scope: str | None = None, attempts: int = 1,
                 pause: Callable[[int], None] | None = None) -> None:
        """``scope`` names the service in the cache instead of its URL (the embedded
        sandbox gets a new port every run but is the same service)."""
        if not settings.has_credentials:
            raise AuthError(401, f"no credentials for {settings.base_url}: set SYMBL_APP_ID "
                                 f"and SYMBL_APP_SECRET, pass --app-id/--app-secret-file, or write "
                                 f"symbl.conf")
        self.settings = settings
        self.session = session
        self.timeout = timeout
        self.attempts = attempts
        self.pause = pause or (lambda attempt: None)
        service = scope or settings.base_url
        key = hashlib.sha256(f"{service}\n{settings.app_id}".encode()).hexdigest()
        self.path = (folder or cache_dir()) / f"{key[:32]}.json"
        self._token: str | None = None
        self._expires = 0.0

    def token(self) -> str:
        if self._token and self._expires - MARGIN_SECONDS > time.time():
            return self._token
        cached = self._read()
        if cached:
            self._token, self._expires = cached
            return self._token
        return self.refresh()

    def refresh(self) -> str:
        """A new token from the token endpoint (after a 401, or when the cached one is old)."""
        url = f"{self.settings.base_url}{api.TOKEN.url()}"
        asked = api.TOKEN_REQUEST
        attempt = 0
        while True:
            # Asking for a token creates nothing, so a 429, a 5xx or a lost connection is
            # simply asked again (with the transport's pauses), like any read.
            attempt += 1
            try:
                reply = self.session.post(url, timeout=self.timeout, json={
                    asked.type: api.APPLICATION, asked.app_id: self.settings.app_id,
                    asked.app_secret: self.settings.app_secret})
            except requests.RequestException as exc:
                if attempt < self.attempts:
                    self.pause(attempt)
                    continue
                raise Unreachable(f"{self.settings.base_url}: cannot get a token "
                                  f"({type(exc).__name__}) after {attempt} tries") from None
            if reply.status_code in (429, 500, 502, 503, 504) and attempt < self.attempts:
                self.pause(attempt)
                continue
            break
        if reply.status_code in (400, 401, 403):
            raise AuthError(reply.status_code, f"{self.settings.base_url} refused the app id "
                                               f"and secret ({self.settings.source})")
        if reply.status_code >= 500 or reply.status_code == 429:
            raise Unreachable(f"{self.settings.base_url}: cannot get a token (HTTP "
                              f"{reply.status_code}) after {attempt} tries")
        if reply.status_code != 200:
            raise AuthError(reply.status_code, f"{self.settings.base_url}: token request failed")
        body = reply.json()
        self._token = body[api.TOKEN_REPLY.access_token]
        keep_out(self._token if isinstance(self._token, str) else None)
        self._expires = time.time() + float(body.get(api.TOKEN_REPLY.expires_in, 86400))
        self._write()
        return self._token

    def _read(self) -> tuple[str, float] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            token, expires = str(data["accessToken"]), float(data["expiresAt"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        keep_out(token)
        return (token, expires) if expires - MARGIN_SECONDS > time.time() else None

    def _write(self) -> None:
        folder = self.path.parent
        try:
            if not private_folder(folder):
                return  # a folder others could read or change: no cache rather than a leak
            _sweep(folder)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".token-")  # created 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump({"accessToken": self._token, "expiresAt": self._expires}, fh)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # no cache is slower, never wrong

    def forget(self) -> None:
        self._token = None
        self.path.unlink(missing_ok=True)


def _sweep(folder: Path, older_than: float = 60.0) -> None:
    """Remove half-written cache files a killed process left (they hold a token)."""
    now = time.time()
    for stale in folder.glob(".token-*"):
        try:
            if now - stale.stat().st_mtime > older_than:
                stale.unlink()
        except OSError:
            pass
