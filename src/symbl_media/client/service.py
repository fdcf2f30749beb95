"""Which Symbl to talk to: the real API when credentials are set, else the embedded sandbox.

The embedded sandbox is the project's own Symbl-compatible server, started in this process on
a free loopback port with its data in the user's data folder, so conversations made by one
run are there for the next (``status``, ``insights``, ``resume``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from symbl_media.client.calls import SymblClient
from symbl_media.client.settings import DEFAULT_URL, Settings, resolve
from symbl_media.errors import AuthError, Busy, ToolMissing
from symbl_media.paths import user_dir

EMBEDDED = "embedded"


def sandbox_data_dir() -> Path:
    return user_dir("XDG_DATA_HOME", "sandbox")


@dataclass(frozen=True)
class Service:
    client: SymblClient
    name: str  # EMBEDDED or the base URL: what submission records are keyed by
    notice: str | None  # one line to show the user, or None
    # The embedded server's "start loading the speech engines now", or None.
    warm: Callable[[], object] | None = field(default=None, repr=False, compare=False)

    @property
    def embedded(self) -> bool:
        return self.name == EMBEDDED

    def recording_coming(self) -> None:
        """A recording (or a URL to one) is about to be prepared and sent: the embedded
        server starts loading its speech engines now, while this side prepares and uploads,
        so its job does not wait for them; a text submission never loads them."""
        if self.warm is not None:
            self.warm()


@contextlib.contextmanager
def connect(api_url: str | None = None, app_id: str | None = None,
            app_secret: str | None = None, *, run_jobs: bool = True, **transport):
    """Yield a ``Service``; the embedded sandbox (if used) is stopped on the way out.

    ``run_jobs=False``: the embedded sandbox only answers, and runs none of its queued jobs
    (a command that does not wait for them would start them only to abandon them)."""
    settings = resolve(api_url, app_id, app_secret)
    if settings.has_credentials:
        yield Service(_client(settings, transport), settings.base_url, None)
        return
    if settings.base_url != DEFAULT_URL:
        raise AuthError(401, f"no credentials for {settings.base_url}: set SYMBL_APP_ID and "
                             f"SYMBL_APP_SECRET, pass --app-id/--app-secret-file, or write "
                             f"symbl.conf")
    with contextlib.ExitStack() as stack:
        yield embedded_service(stack, run_jobs=run_jobs, transport=transport)


def embedded_service(stack: contextlib.ExitStack, *, run_jobs: bool = True,
                     transport: dict | None = None) -> Service:
    """Start the embedded sandbox on ``stack`` (stopped when it closes) and a client for it:
    the one setup the command line (``connect``) and the Python API (sdk/runtime.py) share."""
    app, data_dir, warm = stack.enter_context(embedded_sandbox(run_jobs=run_jobs))
    app_id, app_secret = app.auth.credentials()
    local = Settings(app.url, app_id, app_secret, "embedded sandbox")
    notice = (f"no Symbl credentials set: using the embedded sandbox (offline, data in "
              f"{data_dir})")
    # Its port changes every run: its tokens are cached with its data, not per URL.
    options = {"token_folder": data_dir / "client-tokens", "token_scope": EMBEDDED,
               **(transport or {})}
    return Service(_client(local, options), EMBEDDED, notice, warm)


def _client(settings: Settings, transport: dict) -> SymblClient:
    from symbl_media.client.transport import Transport

    return SymblClient(settings, Transport(settings, **transport) if transport else None)


@contextlib.contextmanager
def embedded_sandbox(data_dir: Path | None = None, *, run_jobs: bool = True):
    """Start the sandbox in-process; one process at a time may own its data folder."""
    try:
        from symbl_media.server.app import Sandbox
        from symbl_media.server.config import SandboxConfig
        from symbl_media.server.engines.settings import LOAD_ON_FIRST_JOB, EngineSettings
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ToolMissing(f"the embedded sandbox cannot start ({exc}); install "
                          f"symbl-media[sandbox] or set Symbl credentials") from None
    folder = data_dir or sandbox_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".embedded.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(
                f"the embedded sandbox ({folder}) is in use by another symbl-media process; "
                f"wait for it, or run `symbl-media sandbox serve` once and point every run at "
                f"it with SYMBL_API_URL=http://127.0.0.1:8787 and the sandbox credentials"
            ) from None
        # The one place the client starts the server: in this process, on a free loopback
        # port, stopped (and its store closed) when the block ends.
        # Its engines as the environment names them (SYMBL_MEDIA_TRANSCRIBER, ...), read the
        # same way as by `sandbox serve`, which adds its flags on top. Loading "at start"
        # means here: as soon as a recording is on its way (Service.recording_coming), so a
        # text submission does not pay for a speech model (0.3-0.6 CPU s, 200 MB) it never
        # uses; "first-job" keeps that meaning.
        settings = EngineSettings.from_environment()
        on_recording = run_jobs and settings.load_at_start
        if on_recording:
            settings = replace(settings, load_engines=LOAD_ON_FIRST_JOB)
        app = Sandbox(SandboxConfig(data_dir=folder, port=0, log_requests=False,
                                    run_jobs=run_jobs, engines=settings)).start()
        try:
            yield app, folder, app.engines.load_in_background if on_recording else None
        finally:
            app.close()
    finally:
        os.close(fd)
