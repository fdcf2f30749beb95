"""`symbl-media sandbox serve` as people run it, the duration limit, and restarts mid-job."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests

from symbl_media.testing import running_sandbox


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_in_the_foreground_logs_requests_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {**os.environ, "SYMBL_SANDBOX_APP_ID": "team", "SYMBL_SANDBOX_APP_SECRET": "hush-42"}
    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port",
                             str(port), "--data", str(tmp_path / "data")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        token = requests.post(url + "/oauth2/token:generate", timeout=5, json={
            "type": "application", "appId": "team", "appSecret": "hush-42"}).json()["accessToken"]
        requests.get(url + "/v1/conversations", headers={"x-api-key": token}, timeout=5)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode in (0, 130)
    assert f"listening on http://127.0.0.1:{port}" in err
    assert "appId=team (secret as configured)" in err
    assert '"GET /v1/conversations" 200' in err
    assert "hush-42" not in err + out and token not in err + out
    assert (tmp_path / "data" / "sandbox.sqlite3").exists()


def test_a_new_data_folder_prints_the_documented_default_pair(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port",
                             "0", "--data", str(tmp_path)], stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items()
                                 if not k.startswith("SYMBL_SANDBOX_")})
    try:
        lines = [proc.stderr.readline() for _ in range(2)]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert "appId=sandbox-app-id appSecret=sandbox-app-secret" in lines[1]


def test_a_recording_over_the_duration_limit_is_400(tmp_path, samples):
    with running_sandbox(tmp_path, max_duration_seconds=10) as sandbox:
        reply = sandbox.client().post("/v1/process/audio",
                                      data=(samples / "mono-16k.wav").read_bytes())
        assert reply.status_code == 400 and "longer than the maximum" in reply.json()["message"]
        assert list((tmp_path / "uploads").iterdir()) == []


def test_a_job_interrupted_mid_run_is_run_again_after_a_restart(tmp_path):
    body = {"messages": [{"payload": {"content": "Please send the report."}}]}
    with running_sandbox(tmp_path) as sandbox:
        sandbox.app.worker.stop()
        ids = sandbox.client().post("/v1/process/text", json=body).json()
        # As a killed server leaves it: marked in progress, part of its output written.
        store = sandbox.app.store
        store.set_job_status(ids["jobId"], "in_progress")
        store.record_job_output(ids["conversationId"], ids["jobId"], [
            {"id": "1", "text": "half", "start": 0, "end": 1}], 1.0)
    with running_sandbox(tmp_path) as sandbox:
        api = sandbox.client()
        assert api.wait(ids["jobId"]) == "completed"
        messages = api.get(f"/v1/conversations/{ids['conversationId']}/messages").json()
        assert [m["text"] for m in messages["messages"]] == ["Please send the report."]
