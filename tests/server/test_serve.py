"""`symbl-media sandbox serve` as people run it, the duration limit, and restarts mid-job."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import stat
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


def _modes(folder) -> dict[str, int]:
    """The permission bits of the data folder and of the database files in it."""
    return {p.name: stat.S_IMODE(p.stat().st_mode)
            for p in (folder, *folder.glob("sandbox.sqlite3*"))}


def _no_umask() -> None:
    os.umask(0)  # the loosest: files 0666 and folders 0777 unless made otherwise


def test_serve_keeps_an_existing_data_folder_private_whatever_the_umask(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    # As an earlier version left it: folder and database readable by every user.
    with sqlite3.connect(data / "sandbox.sqlite3") as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.close()
    os.chmod(data, 0o755)
    os.chmod(data / "sandbox.sqlite3", 0o644)
    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port",
                             "0", "--data", str(data)], stderr=subprocess.PIPE, text=True,
                            preexec_fn=_no_umask)
    try:
        line = proc.stderr.readline()  # "listening": the database is open, in WAL mode
        modes = _modes(data)  # read while it runs: a clean stop removes -wal and -shm
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert "listening" in line, line
    assert modes == {"data": 0o700, "sandbox.sqlite3": 0o600, "sandbox.sqlite3-wal": 0o600,
                     "sandbox.sqlite3-shm": 0o600}


def test_the_embedded_sandbox_makes_its_data_folder_private_whatever_the_umask(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_")}
    env.update({name: str(tmp_path / name) for name in ("XDG_DATA_HOME", "XDG_STATE_HOME",
                                                        "XDG_CACHE_HOME")})
    done = subprocess.run([sys.executable, "-m", "symbl_media", "status",
                           "00000000-0000-4000-8000-000000000000"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, preexec_fn=_no_umask, timeout=120)
    assert done.returncode == 11 and "not found" in done.stderr, done.stderr  # asked, 404
    data = tmp_path / "XDG_DATA_HOME" / "symbl-media" / "sandbox"
    modes = _modes(data)
    assert modes.pop("sandbox") == 0o700 and modes.pop("sandbox.sqlite3") == 0o600
    assert set(modes.values()) <= {0o600}  # -wal and -shm, if a stop left them


def test_a_recording_over_the_duration_limit_is_400(tmp_path, samples):
    with running_sandbox(tmp_path, max_duration_seconds=10) as sandbox:
        reply = sandbox.client().post("/v1/process/audio",
                                      data=(samples / "mono-16k.wav").read_bytes())
        assert reply.status_code == 400 and "longer than the maximum" in reply.json()["message"]
        assert list((tmp_path / "uploads").iterdir()) == []


def test_a_plain_16k_wav_is_judged_from_its_header_with_the_same_refusals(tmp_path, samples):
    # mono-16k.wav is what the sandbox reads as it is (no ffprobe): the checks still hold.
    with running_sandbox(tmp_path) as sandbox:
        client = sandbox.client()
        body = (samples / "mono-16k.wav").read_bytes()
        wrong = client.post("/v1/process/audio", data=body,
                            headers={"Content-Type": "audio/mpeg"})
        assert wrong.status_code == 400
        assert "does not match the detected format 'audio/wav'" in wrong.json()["message"]
        video = client.post("/v1/process/video", data=body, headers={"Content-Type": "video/mp4"})
        assert video.status_code == 400 and "Only mp4 video" in video.json()["message"]
        right = client.post("/v1/process/audio", data=body,
                            headers={"Content-Type": "audio/wav"})
        assert right.status_code == 201
        assert list((tmp_path / "uploads").iterdir()) != []


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


def test_a_database_from_before_stated_text_times_were_kept_opens_and_keeps_them(tmp_path):
    """Jobs gained an ``origin`` column (the stated start of a Text API job that begins its
    conversation); a database made without it gets it when the sandbox starts."""
    stated = {"messages": [{"payload": {"content": "Good morning."}, "duration": {
        "startTime": "2000-01-01T00:00:01Z", "endTime": "2000-01-01T00:00:02Z"}}]}
    with running_sandbox(tmp_path) as sandbox:
        api = sandbox.client()
        old = api.post("/v1/process/text", json={"messages": [
            {"payload": {"content": "Before the change."}}]}).json()
        assert api.wait(old["jobId"]) == "completed"
    with sqlite3.connect(tmp_path / "sandbox.sqlite3") as db:  # as an older version made it
        db.execute("DROP TABLE schema_version")  # from before versioned migrations
        db.execute("ALTER TABLE jobs DROP COLUMN origin")
    with running_sandbox(tmp_path) as sandbox:
        api = sandbox.client()
        assert api.get(f"/v1/conversations/{old['conversationId']}").status_code == 200
        new = api.post("/v1/process/text", json=stated).json()
        assert api.wait(new["jobId"]) == "completed"
        got = api.get(f"/v1/conversations/{new['conversationId']}").json()
        assert got["startTime"] == "2000-01-01T00:00:01.000Z"
