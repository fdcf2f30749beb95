"""A deployment of real processes for the tests: ``sandbox serve --no-jobs`` (the API) and
``sandbox worker`` processes, started through the CLI as an operator would, on one data
folder and one database (the throwaway PostgreSQL cluster of pg_cluster.py, or the data
folder's SQLite file). Passwords reach them through the environment, never argv."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

CREDENTIALS = {"type": "application", "appId": "sandbox-app-id",
               "appSecret": "sandbox-app-secret"}


class Child:
    """One CLI process; its stderr is collected in the background (``lines``)."""

    def __init__(self, argv: list[str], env: dict) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "symbl_media", *argv],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, env=env)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def until(self, text: str, timeout: float = 60) -> str:
        """The first line holding ``text``, once it is printed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} from {self.proc.args[3:5]}:\n{self.output}")

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def wait(self, timeout: float = 60) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
            self.proc.wait(30)
            self._reader.join(5)
            raise AssertionError(f"still running after {timeout} s:\n{self.output}") from None
        self._reader.join(5)
        return code

    def end(self) -> None:
        """SIGTERM (``serve --workers N`` stops its API processes; SIGKILL would leave them
        running), SIGKILL if it has not ended after 15 s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait(30)


class Deployment:
    """``api()`` starts the API processes, ``worker()`` a worker; ``close()`` ends them all."""

    def __init__(self, data: Path, database: str | None = None,
                 password: str | None = None) -> None:
        self.data = data
        self.database = database
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith(("SYMBL_SANDBOX_", "PG"))}
        self.env = {**clean, "PYTHONFAULTHANDLER": "1",
                    **({"PGPASSWORD": password} if password else {})}
        self.children: list[Child] = []
        self.url = ""

    def _db_args(self) -> list[str]:
        return ["--database", self.database] if self.database else []

    def api(self, *args: str, jobs: bool = False) -> Child:
        """``sandbox serve --no-jobs`` (``jobs``: without --no-jobs, running jobs too)."""
        child = Child(["sandbox", "serve", *([] if jobs else ["--no-jobs"]), "--port", "0",
                       "--data", str(self.data), *self._db_args(), *args], self.env)
        self.children.append(child)
        self.url = child.until("listening on").split("listening on ")[1].split()[0]
        return child

    def worker(self, *args: str) -> Child:
        child = Child(["sandbox", "worker", "--data", str(self.data), *self._db_args(),
                       *args], self.env)
        self.children.append(child)
        child.until("taking jobs from")
        return child

    def close(self) -> None:
        for child in self.children:
            child.end()

    def client(self) -> "Client":
        token = requests.post(self.url + "/oauth2/token:generate", json=CREDENTIALS,
                              timeout=30).json()["accessToken"]
        return Client(self.url, token)


class Client:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["x-api-key"] = token

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.session.post(self.url + path, timeout=60, **kwargs)

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.url + path, timeout=60)

    def audio(self, body: bytes, cid: str | None = None) -> dict:
        path = "/v1/process/audio" + (f"/{cid}" if cid else "")
        reply = self.session.put(self.url + path, data=body, timeout=60) if cid else \
            self.post(path, data=body)
        assert reply.status_code in (200, 201), reply.text
        return reply.json()

    def text(self, content: str, cid: str | None = None) -> dict:
        body = {"messages": [{"payload": {"content": content}}]}
        path = "/v1/process/text" + (f"/{cid}" if cid else "")
        reply = self.session.put(self.url + path, json=body, timeout=60) if cid else \
            self.post(path, json=body)
        assert reply.status_code in (200, 201), reply.text
        return reply.json()

    def status(self, job_id: str) -> str:
        return self.get(f"/v1/job/{job_id}").json()["status"]

    def wait(self, job_id: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status(job_id)
            if status in ("completed", "failed"):
                return status
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} still {status} after {timeout} s")

    def messages(self, cid: str) -> list[tuple[str, float, float]]:
        got = self.get(f"/v1/conversations/{cid}/messages").json()["messages"]
        return [(m["text"], m["timeOffset"], m["duration"]) for m in got]
