"""A 200 MB upload does not grow the sandbox's memory: the body is streamed to disk.

The sandbox runs as its own process (``python -m symbl_media sandbox serve``), so its RSS is
its own; the client streams a WAV (header + quiet PCM) from one repeated block with a
Content-Length, never holding the body. The ``fail_job`` fault ends the job at once instead of
transcribing 18 minutes of near-silence. benchmarks/bench_sandbox_upload.py measures 2 GiB
against 100 MiB the same way.
"""

from __future__ import annotations

import http.client
import json
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(),
                                reason="reads the server's memory from /proc (Linux)")

MIB = 1 << 20
SIZE = 200 * MIB
BUDGET_MB = 50


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _wav_header(data: int) -> bytes:  # 48 kHz stereo 16-bit: 200 MB is 18 minutes
    return (b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 2, 48000, 192000, 4, 16)
            + b"data" + struct.pack("<I", data))


def _post(port: int, path: str, body: bytes | None, headers: dict) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST" if body is not None else "GET", path, body=body, headers=headers)
    reply = conn.getresponse()
    data = json.loads(reply.read())
    conn.close()
    assert reply.status < 300, (reply.status, data)
    return data


def test_a_200_mb_upload_grows_the_server_by_less_than_50_mb(tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port", "0", "--data",
         str(tmp_path / "data"), "--faults", '{"fail_job": {"count": 1000000}}'],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = ""
        for line in server.stderr:  # "sandbox: listening on http://127.0.0.1:PORT (data: ...)"
            if "listening on " in line:
                url = line.split("listening on ", 1)[1].split()[0]
                break
        assert url, "the sandbox did not start"
        threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
        port = int(url.rsplit(":", 1)[1])
        token = _post(port, "/oauth2/token:generate", json.dumps(
            {"type": "application", "appId": "sandbox-app-id",
             "appSecret": "sandbox-app-secret"}).encode(),
            {"Content-Type": "application/json"})["accessToken"]
        auth = {"Authorization": f"Bearer {token}"}
        # Warm-up: the same path once with a small body (imports, the prober, SQLite).
        small = _wav_header(MIB) + bytes(MIB)
        _post(port, "/v1/process/audio", small, {**auth, "Content-Type": "audio/wav"})
        time.sleep(0.3)
        before = _kb(server.pid, "VmRSS")
        reset = True
        try:  # the high-water mark restarts from here (Linux 4.0+)
            Path(f"/proc/{server.pid}/clear_refs").write_text("5")
        except OSError:
            reset = False
        peak = before
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _kb(server.pid, "VmRSS"))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        block = struct.pack("<4h", 1, -1, 2, -2) * (MIB // 8)  # quiet, not silent
        data = SIZE - 44
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.putrequest("POST", "/v1/process/audio")
        for name, value in {**auth, "Content-Type": "audio/wav",
                            "Content-Length": str(SIZE)}.items():
            conn.putheader(name, value)
        conn.endheaders()
        started = time.monotonic()
        conn.send(_wav_header(data))
        for offset in range(0, data, MIB):
            conn.send(block[:min(MIB, data - offset)])
        reply = conn.getresponse()
        ids = json.loads(reply.read())
        seconds = time.monotonic() - started
        conn.close()
        done.set()
        sampler.join()
        assert reply.status == 201, ids
        if reset:
            peak = max(peak, _kb(server.pid, "VmHWM"))
        growth_mb = (peak - before) / 1024
        print(f"\n200 MB in {seconds:.2f} s ({SIZE / MIB / seconds:.0f} MiB/s); server RSS "
              f"{before / 1024:.1f} MB before, peak {peak / 1024:.1f} MB "
              f"(+{growth_mb:.1f} MB)")
        assert growth_mb < BUDGET_MB
        received = _post(port, f"/sandbox/conversations/{ids['conversationId']}/uploads",
                         None, auth)["uploads"][0]
        assert received["bytes"] == SIZE
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
