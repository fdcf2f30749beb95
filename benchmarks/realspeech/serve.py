"""A real ``symbl-media sandbox serve`` process, and a recording sent through it as a job."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.testing import ApiClient

_LISTENING = re.compile(r"listening on (http://\S+)")


class Sandbox:
    """``python -m symbl_media sandbox serve --port 0`` in its own process, stopped on exit."""

    def __init__(self, data: Path) -> None:
        self.data = data

    def __enter__(self) -> "Sandbox":
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SYMBL_SANDBOX_", "SYMBL_MEDIA_WHISPER"))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port", "0",
             "--data", str(self.data), "--max-jobs", "1"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=env)
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("sandbox serve exited before listening")
            found = _LISTENING.search(line)
            url = found.group(1) if found else None
        if url is None:
            raise RuntimeError("sandbox serve did not say where it listens")
        # Keep reading its request log so the pipe never fills.
        import threading

        threading.Thread(target=lambda: [None for _ in self.process.stderr],
                         daemon=True).start()
        self.client = ApiClient(url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def cpu_seconds(self) -> float:
        """CPU seconds the server process has used so far: all its threads, and the ffmpeg
        and ffprobe it ran and waited for (Linux /proc: utime, stime, cutime, cstime)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def job_text(self, path: Path) -> tuple[str, float, float]:
        """The recording POSTed as a job: the messages' text, seconds from the request to
        the job's completion (polled every 50 ms), and the server's CPU seconds meanwhile."""
        body = path.read_bytes()
        cpu = self.cpu_seconds()
        began = time.perf_counter()
        reply = self.client.post("/v1/process/audio", data=body,
                                 headers={"Content-Type": "audio/wav"})
        reply.raise_for_status()
        job, cid = reply.json()["jobId"], reply.json()["conversationId"]
        while True:
            status = self.client.get(f"/v1/job/{job}").json()["status"]
            if status in ("completed", "failed"):
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - began
        cpu = self.cpu_seconds() - cpu
        if status != "completed":
            raise RuntimeError(f"the job for {path.name} failed")
        messages = self.client.get(f"/v1/conversations/{cid}/messages").json()["messages"]
        return " ".join(m["text"] for m in messages), elapsed, cpu
