"""How a sandbox is set up: where it keeps data, who may call it, its limits and engines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Documented in docs/sandbox.md: what a new data folder accepts when no credentials are given.
DEFAULT_APP_ID = "sandbox-app-id"
DEFAULT_APP_SECRET = "sandbox-app-secret"


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
    transcriber: Any = None  # None: the default engine, loaded when the first job needs it
    diarizer: Any = None
    insights: Any = None  # None: symbl_media.server.insights (analyse, sentiment, phrases)
    log_requests: bool = True
    # False: queued jobs are left as they are (no worker runs them), for a process that only
    # looks (``status`` on the embedded sandbox) and would otherwise start jobs it abandons.
    run_jobs: bool = True
    faults: dict = field(default_factory=dict)  # see faults.py
