"""What the Python API shares across a process.

- Which service a call talks to: the settings come from the call's ``credentials`` or, as the
  CLI reads them, from the environment and symbl.conf. With no credentials (and no
  ``SYMBL_API_URL``) that is the embedded sandbox, started on first use, once per process, and
  stopped at interpreter exit (it holds a lock on its data folder while it runs).
- Background work (``wait=False``) runs on daemon threads, so it never holds the interpreter
  open. At exit, conversations marked ``keep_alive()`` are waited for; the rest are told to
  stop (their records stay resumable with ``symbl-media resume``) and fire no callbacks.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import threading
import weakref
from dataclasses import replace

from symbl_media.client.calls import SymblClient
from symbl_media.client.service import Service
from symbl_media.client.settings import DEFAULT_URL, Settings, resolve
from symbl_media.errors import AuthError, InvalidArgument

log = logging.getLogger("symbl_media")

CREDENTIAL_KEYS = ("app_id", "app_secret", "api_url")


def settings_for(credentials: dict | None) -> Settings:
    """The call's ``credentials`` dict, else the environment and symbl.conf; checked here so
    a mistake is raised by the call itself, even with ``wait=False``."""
    if credentials is None:
        settings = resolve()
    else:
        if not isinstance(credentials, dict):
            raise InvalidArgument(f"credentials must be a dict like {{'app_id': ..., "
                                  f"'app_secret': ...}}, not {type(credentials).__name__}")
        unknown = sorted(set(map(str, credentials)) - set(CREDENTIAL_KEYS))
        if unknown:
            raise InvalidArgument(f"credentials: unknown key {', '.join(unknown)} (it takes "
                                  f"{', '.join(CREDENTIAL_KEYS)})")
        app_id, secret = credentials.get("app_id"), credentials.get("app_secret")
        if not (isinstance(app_id, str) and app_id.strip() and isinstance(secret, str)
                and secret.strip()):
            raise InvalidArgument("credentials needs both app_id and app_secret as non-empty "
                                  "strings")
        settings = replace(resolve(credentials.get("api_url")), app_id=app_id.strip(),
                           app_secret=secret.strip(), source="the credentials argument")
    if not settings.has_credentials and settings.base_url != DEFAULT_URL:
        raise AuthError(401, f"no credentials for {settings.base_url}: pass credentials="
                             f"{{'app_id': ..., 'app_secret': ...}}, set SYMBL_APP_ID and "
                             f"SYMBL_APP_SECRET, or write symbl.conf")
    return settings


class Runtime:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.services: dict[tuple, Service] = {}
        self.sandbox: contextlib.ExitStack | None = None
        self.embedded: Service | None = None
        self.kept: list = []  # conversations exit waits for
        self.running: weakref.WeakSet = weakref.WeakSet()  # cancel events of live runs
        self.exiting = False
        self.registered = False

    def service(self, settings: Settings) -> Service:
        """A client for these settings, made once per process (tokens and connections are
        reused); the embedded sandbox when there are no credentials."""
        if not settings.has_credentials:
            return self._embedded()
        key = (settings.base_url, settings.app_id,
               hashlib.sha256((settings.app_secret or "").encode()).hexdigest())
        with self.lock:
            found = self.services.get(key)
            if found is None:
                found = self.services[key] = Service(SymblClient(settings), settings.base_url,
                                                     None)
            return found

    def _embedded(self) -> Service:
        from symbl_media.client.service import embedded_service

        with self.lock:
            if self.embedded is not None:
                return self.embedded
            if self.exiting:
                raise AuthError(401, "the interpreter is exiting: the embedded sandbox is "
                                     "stopped")
            stack = contextlib.ExitStack()
            try:
                self.embedded = embedded_service(stack)
            except BaseException:
                stack.close()
                raise
            self.sandbox = stack
            self._register()
        log.info("symbl-media: %s", self.embedded.notice)
        return self.embedded

    def track(self, cancel: threading.Event) -> None:
        """A background run: told to stop at exit unless its conversation is kept."""
        with self.lock:
            self.running.add(cancel)
            self._register()

    def keep(self, conversation) -> None:
        with self.lock:
            if conversation not in self.kept:
                self.kept.append(conversation)
            self._register()

    def _register(self) -> None:
        if not self.registered:
            self.registered = True
            atexit.register(self.at_exit)

    def at_exit(self) -> None:
        for conversation in list(self.kept):
            with contextlib.suppress(BaseException):
                conversation._wait_quietly()
        with self.lock:
            self.exiting = True
            for cancel in list(self.running):
                cancel.set()
            stack, self.sandbox, self.embedded = self.sandbox, None, None
        if stack is not None:
            stack.close()


RUNTIME = Runtime()
