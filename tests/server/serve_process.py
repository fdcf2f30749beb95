"""`symbl-media sandbox serve` as a child process, for the tests that need the real command:
started on a free port, waited for until it answers, stopped with a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import requests


class Drained:
    """A child's pipe read to the end by a thread as it is written. A server logs a line per
    request; a pipe nobody reads fills at 64 KiB and the server then blocks in its next log
    write, answering nothing: a test that reads its log only at the end must not wait for
    that (a --workers 3 test timed out that way under load)."""

    def __init__(self, pipe) -> None:
        self._parts: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self._thread.start()

    def _read(self, pipe) -> None:
        for line in pipe:
            self._parts.append(line)
        pipe.close()

    def text(self, timeout: float = 30) -> str:
        """All of it, once the child has closed its end (ended)."""
        self._thread.join(timeout)
        return "".join(self._parts)


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
        self._out = Drained(self.proc.stdout)
        self._err = Drained(self.proc.stderr) if self.proc.stderr is not None else None
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or (--workers) no
                pass  # API process has taken the connection yet
            if self.proc.poll() is not None or time.monotonic() > deadline:
                if self.proc.poll() is None:
                    self.proc.kill()
                self.proc.wait(timeout=30)
                raise AssertionError(f"sandbox serve did not start: {self._text()[1]}")
            time.sleep(0.1)

    def token(self, app_id: str = "sandbox-app-id", secret: str = "sandbox-app-secret") -> str:
        reply = requests.post(self.url + "/oauth2/token:generate", timeout=10, json={
            "type": "application", "appId": app_id, "appSecret": secret})
        reply.raise_for_status()
        return reply.json()["accessToken"]

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> tuple[int, str, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=timeout)
        out, err = self._text()
        return self.proc.returncode, out, err

    def _text(self) -> tuple[str, str]:
        return self._out.text(), self._err.text() if self._err is not None else ""

    def __enter__(self) -> "Served":
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self._text()
