"""Tokens: JWT-shaped (header.payload.signature, HMAC-SHA256) so clients that read ``exp`` work."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

from symbl_media.sandbox.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET, SandboxConfig
from symbl_media.sandbox.http import ApiError, Request
from symbl_media.sandbox.store import Store

INVALID = "Token validation failed for provided token."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Auth:
    def __init__(self, store: Store, config: SandboxConfig) -> None:
        self.store = store
        self.ttl = config.token_ttl_seconds
        key = store.meta("signing_key")
        if key is None:
            key = secrets.token_hex(32)
            store.set_meta("signing_key", key)
        self._key = bytes.fromhex(key)
        # Credentials given now win and are remembered; a new folder gets the documented pair.
        if config.app_id and config.app_secret:
            if (store.meta("app_id"), store.meta("app_secret")) != (config.app_id,
                                                                    config.app_secret):
                store.expire_tokens(0)  # tokens of the old credentials stop working
            store.set_meta("app_id", config.app_id)
            store.set_meta("app_secret", config.app_secret)
        elif store.meta("app_id") is None:
            store.set_meta("app_id", DEFAULT_APP_ID)
            store.set_meta("app_secret", DEFAULT_APP_SECRET)
        self.app_id = store.meta("app_id") or ""
        self._secret = store.meta("app_secret") or ""

    def credentials(self) -> tuple[str, str]:
        """The pair clients must present; for the in-process (embedded) client only."""
        return self.app_id, self._secret

    @property
    def uses_default_pair(self) -> bool:
        return (self.app_id, self._secret) == (DEFAULT_APP_ID, DEFAULT_APP_SECRET)

    def generate(self, app_id: object, app_secret: object) -> dict:
        """The token reply; the same token while it is valid, as Symbl does."""
        good = (isinstance(app_id, str) and isinstance(app_secret, str)
                and hmac.compare_digest(app_id.encode(), self.app_id.encode())
                and hmac.compare_digest(app_secret.encode(), self._secret.encode()))
        if not good:
            raise ApiError(401, "Invalid appId or appSecret")
        now = time.time()
        live = self.store.live_token(now + 60)
        if live:
            token, expires = live
        else:
            expires = now + self.ttl
            token = self._sign({"sub": self.app_id, "iat": int(now), "exp": int(expires),
                                "jti": secrets.token_hex(8)})
            self.store.add_token(token, expires)
        return {"accessToken": token, "expiresIn": max(0, int(expires - now))}

    def _sign(self, payload: dict) -> str:
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        sig = hmac.new(self._key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{_b64(sig)}"

    def check(self, request: Request) -> str:
        """The caller's token, from ``Authorization: Bearer`` or the older ``x-api-key``."""
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        token = token or request.headers.get("x-api-key", "").strip()
        if not token or token.count(".") != 2:
            raise ApiError(401, INVALID)
        head, body, sig = token.split(".")
        want = hmac.new(self._key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(_b64(want), sig):
            raise ApiError(401, INVALID)
        expires = self.store.token_expiry(token)
        if expires is None or expires <= time.time():
            raise ApiError(401, INVALID)
        return token
