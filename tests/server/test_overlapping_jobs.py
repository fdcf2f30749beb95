"""Stress: `sandbox serve` with many audio jobs overlapping, as a folder sent with --max-jobs 8.

The served sandbox used to hang for good when one job thread was inside OpenBLAS (faster-
whisper's feature extractor) while another started ffmpeg through a fork() (see
tests/media/test_ffmpeg_children.py for the mechanism). Here the whole server runs in its own
process, as people run it: 16 uploads of 4 s cut from the sample recordings, in MP3 and WAV
(each decoded by ffmpeg while other jobs transcribe), 8 at a time. Every job must end, the server must keep
answering its ready check all along, and SIGTERM must stop it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET

JOBS = 16
AT_ONCE = 8
FILES = ("mono.mp3", "mono-16k.wav", "meeting.mp3", "trap-call-8k.wav")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_overlapping_audio_jobs_all_end_and_the_server_keeps_answering(tmp_path, samples):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_SANDBOX_")}
    server = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "serve",
                               "--port", str(port), "--data", str(tmp_path / "data"),
                               "--max-jobs", str(AT_ONCE)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "did not start"
            time.sleep(0.1)
        token = requests.post(url + "/oauth2/token:generate", timeout=10, json={
            "type": "application", "appId": DEFAULT_APP_ID,
            "appSecret": DEFAULT_APP_SECRET}).json()["accessToken"]
        headers = {"x-api-key": token}
        bodies = {}
        for name in FILES:  # short jobs: many ffmpeg starts per second of transcription
            clip = tmp_path / name
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", samples / name, "-t",
                            "4", "-map_metadata", "-1", clip], check=True)
            bodies[name] = clip.read_bytes()

        def submit(n: int) -> str:
            name = FILES[n % len(FILES)]
            kind = "audio/mpeg" if name.endswith(".mp3") else "audio/wav"
            while True:  # 429 while AT_ONCE jobs run, as a client with --max-jobs 8 sees
                reply = requests.post(url + "/v1/process/audio", data=bodies[name],
                                      headers={**headers, "Content-Type": kind},
                                      params={"name": f"{n}-{name}"}, timeout=60)
                if reply.status_code != 429:
                    break
                time.sleep(0.2)
            assert reply.status_code == 201 or reply.ok, reply.text
            return reply.json()["jobId"]

        ended: dict[str, str] = {}
        with ThreadPoolExecutor(AT_ONCE) as pool:
            jobs = list(pool.map(submit, range(JOBS)))
        # Every request below has a timeout: a hung server fails the test instead of
        # hanging it. 300 s is far beyond what 16 jobs of 4 s need on 2 busy cores.
        deadline = time.monotonic() + 300
        while len(ended) < JOBS:
            assert time.monotonic() < deadline, f"jobs still running: {set(jobs) - set(ended)}"
            assert requests.get(url + "/", timeout=30).ok
            for job in jobs:
                if job not in ended:
                    status = requests.get(f"{url}/v1/job/{job}", headers=headers,
                                          timeout=30).json()["status"]
                    if status in ("completed", "failed"):
                        ended[job] = status
            time.sleep(0.5)
        assert set(ended.values()) == {"completed"}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()
            raise AssertionError("sandbox serve ignored SIGTERM") from None
    assert server.returncode in (0, 130)
