"""`symbl-media sandbox serve` as a child process, for the tests that need the real command:
started on a free port, waited for until it answers, stopped with a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running `sandbox serve`; ``stop()`` sends SIGTERM and returns (code, stdout, stderr)."""

    def __init__(self, data, *flags, env: dict | None = None, stderr=subprocess.PIPE) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port", str(self.port),
             "--data", str(data), *map(str, flags)],
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or (--workers) no
                pass  # API process has taken the connection yet
            if self.proc.poll() is not None or time.monotonic() > deadline:
                out, err = self.proc.communicate(timeout=30)
                raise AssertionError(f"sandbox serve did not start: {err}")
            time.sleep(0.1)

    def token(self, app_id: str = "sandbox-app-id", secret: str = "sandbox-app-secret") -> str:
        reply = requests.post(self.url + "/oauth2/token:generate", timeout=10, json={
            "type": "application", "appId": app_id, "appSecret": secret})
        reply.raise_for_status()
        return reply.json()["accessToken"]

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> tuple[int, str, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def __enter__(self) -> "Served":
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=30)
