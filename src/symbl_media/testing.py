"""Test helpers for symbl-media and its plugin authors: a running sandbox, an API client.

    from symbl_media.testing import running_sandbox

    with running_sandbox(tmp_path) as sandbox:
        api = sandbox.client()
        reply = api.post("/v1/process/text", json={"messages": [...]})
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from symbl_media.server.app import Sandbox
from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET, SandboxConfig
from symbl_media.server.engines.settings import EngineSettings


@contextlib.contextmanager
def running_sandbox(data_dir: Path, **config):
    """A sandbox on a free loopback port, stopped (and its store closed) afterwards."""
    options = {"port": 0, "log_requests": False, **config}
    # Engines as the embedded server inside `submit` gets them: from the environment alone
    # (SYMBL_MEDIA_LOAD_ENGINES=first-job keeps a test's sandbox from loading Whisper at start).
    options.setdefault("engines", EngineSettings.from_environment())
    app = Sandbox(SandboxConfig(data_dir=Path(data_dir), **options)).start()
    try:
        yield RunningSandbox(app)
    finally:
        app.close()


@dataclass
class RunningSandbox:
    app: Sandbox

    @property
    def url(self) -> str:
        return self.app.url

    def client(self, app_id: str = DEFAULT_APP_ID, app_secret: str = DEFAULT_APP_SECRET
               ) -> ApiClient:
        return ApiClient(self.url, app_id, app_secret)


class ApiClient:
    """A plain authenticated HTTP client for tests: no retries, no cleverness."""

    def __init__(self, url: str, app_id: str, app_secret: str) -> None:
        self.url = url
        self.session = requests.Session()
        reply = self.session.post(f"{url}/oauth2/token:generate", timeout=10,
                                  json={"type": "application", "appId": app_id,
                                        "appSecret": app_secret})
        reply.raise_for_status()
        self.token = reply.json()["accessToken"]
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return self.session.request(method, self.url + path, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def wait(self, job_id: str, timeout: float = 600) -> str:
        """Poll the Job API until the job has ended; returns its final status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.get(f"/v1/job/{job_id}").json()["status"]
            if status in ("completed", "failed"):
                return status
            time.sleep(0.1)
        raise TimeoutError(f"job {job_id} did not end within {timeout} s")


@contextlib.contextmanager
def plugin_registered(plugin, name: str | None = None):
    """Register ``plugin`` (a module or object with hook implementations) for one test:

        with plugin_registered(my_plugin):
            assert "slack" in plugins.sinks()
    """
    from symbl_media.plugins import manager as plugins

    pm = plugins.manager()
    registered = pm.register(plugin, name=name)
    pm.check_pending()
    try:
        yield pm
    finally:
        pm.unregister(name=registered)
