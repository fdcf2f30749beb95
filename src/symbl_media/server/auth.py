"""Tokens: JWT-shaped (header.payload.signature, HMAC-SHA256) so clients that read ``exp`` work.

Nothing that lets someone in is stored as itself: the app secret is kept as a salted PBKDF2
hash and tokens as their SHA-256 (store.py). The token handed out again while it is valid is
remembered in memory only, so after a restart a new one is issued (the old ones still work).
The in-process (embedded) client gets a secret made for this run (``credentials``), which is
never written anywhere either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

from symbl_media.contract import endpoints as api
from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET, SandboxConfig
from symbl_media.server.http import HttpRequest, Refusal
from symbl_media.server.store import Store

INVALID = "Token validation failed for provided token."
ITERATIONS = 100_000  # PBKDF2-SHA256 rounds for the stored secret (a few ms to check, once)


def _secret_hash(secret: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8", "surrogateescape"), salt,
                                 ITERATIONS)
    return f"pbkdf2-sha256${ITERATIONS}${salt.hex()}${digest.hex()}"


def _secret_matches(secret: str, stored: str | None) -> bool:
    try:
        kind, rounds, salt, digest = (stored or "").split("$")
        got = hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8", "surrogateescape"),
                                  bytes.fromhex(salt), int(rounds)).hex()
    except ValueError:
        return False
    return kind == "pbkdf2-sha256" and hmac.compare_digest(got, digest)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Auth:
    def __init__(self, store: Store, config: SandboxConfig) -> None:
        self.store = store
        self.ttl = config.token_ttl_seconds
        # The first process to start on a database sets the key; the others use it.
        self._key = bytes.fromhex(store.meta_or_set("signing_key", secrets.token_hex(32)))
        plain = store.meta("app_secret")  # how earlier versions kept it: hash it, once
        if plain is not None:
            store.set_meta("app_secret_hash", _secret_hash(plain))
            store.delete_meta("app_secret")
            store.checkpoint()
        # Credentials given now win and are remembered; a new folder gets the documented pair.
        if config.app_id and config.app_secret:
            if not (store.meta("app_id") == config.app_id
                    and _secret_matches(config.app_secret, store.meta("app_secret_hash"))):
                store.expire_tokens(0)  # tokens of the old credentials stop working
                store.set_meta("app_id", config.app_id)
                store.set_meta("app_secret_hash", _secret_hash(config.app_secret))
        elif store.meta("app_id") is None:
            store.set_meta("app_id", DEFAULT_APP_ID)
            store.set_meta("app_secret_hash", _secret_hash(DEFAULT_APP_SECRET))
        self.app_id = store.meta("app_id") or ""
        self._secret_hash = store.meta("app_secret_hash")
        self._checked: set[str] = set()  # SHA-256 of secrets that matched, this run only
        self._local = secrets.token_urlsafe(32)  # the embedded client's, this run only
        self._live: tuple[str, float] | None = None  # the token handed out while valid
        self._default = (self.app_id == DEFAULT_APP_ID
                         and self._secret_ok(DEFAULT_APP_SECRET))

    def credentials(self) -> tuple[str, str]:
        """A pair for the in-process (embedded) client only: the app id and a secret made for
        this run, accepted while it runs and never stored."""
        return self.app_id, self._local

    @property
    def uses_default_pair(self) -> bool:
        return self._default

    def _secret_ok(self, secret: str) -> bool:
        seen = hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()
        if seen in self._checked:
            return True
        if hmac.compare_digest(secret.encode("utf-8", "surrogateescape"), self._local.encode()) \
                or _secret_matches(secret, self._secret_hash):
            self._checked.add(seen)
            return True
        return False

    def generate(self, app_id: object, app_secret: object) -> dict:
        """The token reply; the same token while it is valid, as Symbl does."""
        good = (isinstance(app_id, str) and isinstance(app_secret, str)
                and hmac.compare_digest(app_id.encode("utf-8", "surrogateescape"),
                                        self.app_id.encode())
                and self._secret_ok(app_secret))
        if not good:
            raise Refusal(401, "Invalid appId or appSecret")
        now = time.time()
        live = self._live
        expiry = self.store.token_expiry(live[0]) if live else None
        if live and expiry is not None and expiry > now + 60:  # not expired meanwhile
            token, expires = live[0], expiry
        else:
            expires = now + self.ttl
            token = self._sign({"sub": self.app_id, "iat": int(now), "exp": int(expires),
                                "jti": secrets.token_hex(8)})
            self.store.add_token(token, expires)
            self._live = (token, expires)
        return {api.TOKEN_REPLY.access_token: token,
                api.TOKEN_REPLY.expires_in: max(0, int(expires - now))}

    def _sign(self, payload: dict) -> str:
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        sig = hmac.new(self._key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{_b64(sig)}"

    def check(self, request: HttpRequest) -> str:
        """The caller's token, from ``Authorization: Bearer`` or the older ``x-api-key``."""
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        token = token or request.headers.get("x-api-key", "").strip()
        if not token or token.count(".") != 2:
            raise Refusal(401, INVALID)
        head, body, sig = token.split(".")
        want = hmac.new(self._key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError).
        if not hmac.compare_digest(_b64(want).encode(), sig.encode("utf-8", "surrogateescape")):
            raise Refusal(401, INVALID)
        expires = self.store.token_expiry(token)
        if expires is None or expires <= time.time():
            raise Refusal(401, INVALID)
        return token
