"""How a sandbox is set up: where it keeps data, who may call it, its limits and engines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from symbl_media.contract import endpoints as api
from symbl_media.server.engines.settings import EngineSettings

# Documented in docs/sandbox.md: what a new data folder accepts when no credentials are given.
DEFAULT_APP_ID = "sandbox-app-id"
DEFAULT_APP_SECRET = "sandbox-app-secret"

# A running job's lease (queue.py), the one place it is set: `serve` and `worker` take it
# from here (--lease-seconds), and so does a Worker made without one.
LEASE_SECONDS = 30.0
# Job polls held at once by one API process (job_watch.py); past it they are answered at once.
MAX_HELD_POLLS = 512


@dataclass(frozen=True)
class SandboxConfig:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8787  # 0 picks a free port
    app_id: str | None = None  # None: the data folder's stored pair, else the default pair
    app_secret: str | None = None
    max_body_bytes: int = 8 * 1024**3
    max_concurrent_jobs: int = 2  # like a trial account
    max_duration_seconds: float = 4 * 3600.0
    token_ttl_seconds: int = 86400
    url_fetch_timeout: float = 30.0
    # Which engines run and what they are told (models, endpoints, keys): docs/sandbox-engines.md.
    engines: EngineSettings = field(default_factory=EngineSettings)
    # An engine object to use as is (tests, the Python API), or a name that overrides the
    # settings' one; None: as the settings say (the built-in engine unless they name another).
    transcriber: Any = None
    diarizer: Any = None
    insights: Any = None
    log_requests: bool = True
    # "text" or "json": `serve` sends the server's log to stderr in that format (logs.py);
    # None leaves logging as the host process set it (the embedded server, the test kit).
    log_format: str | None = None
    # GET /metrics in the Prometheus text format, without a token (docs/deploy.md).
    metrics: bool = False
    # On SIGTERM, requests in flight get this long to finish before they are cut off.
    grace_seconds: int = 5
    # False: queued jobs are left as they are (no worker runs them), for a process that only
    # looks (``status`` on the embedded sandbox) and would otherwise start jobs it abandons.
    run_jobs: bool = True
    # A running job's lease (queue.py): renewed every third of it; a worker that stops
    # renewing (it died) loses the job to another worker this long after its last renewal.
    lease_seconds: float = LEASE_SECONDS
    faults: dict = field(default_factory=dict)  # see faults.py
    # GET /v1/job/{id}?wait=SECONDS (our extension, docs/sandbox.md): held at most this long
    # (at most api.JOB_WAIT_MAX); 0 turns the extension off: the parameter is ignored and
    # polls are answered at once, as Symbl answers them.
    job_wait_max: float = api.JOB_WAIT_MAX
    max_held_polls: int = MAX_HELD_POLLS  # held at once per API process; then answered at once
    # False: another process owns the data folder's leftovers (the API processes of
    # `serve --workers N`, whose parent runs the jobs): what it is receiving or working on is
    # not swept away as a stopped server's remains.
    clean_start: bool = True
    # None: SQLite in the data folder. A postgresql:// URL: that database (docs/deploy.md);
    # its password, if not in the URL, is this or libpq's PGPASSWORD / PGPASSFILE.
    database: str | None = field(default=None, repr=False)
    database_password: str | None = field(default=None, repr=False)
