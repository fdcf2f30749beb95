"""``sandbox serve --database``: the password never on argv nor in any output, a database
that is down (a stopped cluster, a closed port) answered with 503 and waited out, never a
crash; the throwaway cluster is tests/pg_cluster.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from symbl_media.errors import StoreUnavailable
from symbl_media.server.store import Store
from symbl_media.testing import running_sandbox

TEXT = {"messages": [{"payload": {"content": "Please send the report by Friday."}}]}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


def _serve(tmp_path, *args: str, env: dict | None = None) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SYMBL_SANDBOX_", "PG"))}
    return subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port",
                             "0", "--data", str(tmp_path / "data"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**clean, **(env or {})})


def _until_listening(proc: subprocess.Popen) -> tuple[str, list[str]]:
    lines = []
    while True:
        line = proc.stderr.readline()
        assert line, "".join(lines)
        lines.append(line)
        if "listening on" in line:
            return line.split("listening on ")[1].split()[0], lines


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    err = proc.stderr.read()  # through the same buffer as the lines read before
    proc.wait(timeout=30)
    return proc.stdout.read() + err


def test_a_password_in_a_url_on_the_command_line_is_refused_unrepeated(tmp_path):
    done = subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--data",
                           str(tmp_path), "--database",
                           "postgresql://team:Hunter2-secret@db.example:5432/symbl"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "PGPASSWORD" in done.stderr and "Hunter2-secret" not in done.stderr + done.stdout
    assert not (tmp_path / "sandbox.sqlite3").exists()  # refused before anything was opened


def test_a_database_that_cannot_be_reached_stops_serve_with_one_line(tmp_path):
    url = f"postgresql://team:Hunter2-secret@127.0.0.1:{_closed_port()}/symbl"
    proc = _serve(tmp_path, env={"SYMBL_SANDBOX_DATABASE": url})
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 24, err
    assert err.count("\n") == 1 and "Traceback" not in err and "unavailable" in err
    assert "Hunter2-secret" not in out + err and "team" not in out + err


def test_the_store_names_an_unreachable_database_without_credentials():
    with pytest.raises(StoreUnavailable) as caught:
        Store(f"postgresql://team@127.0.0.1:{_closed_port()}/symbl", "Hunter2-secret")
    assert "Hunter2-secret" not in str(caught.value) and "team@" not in str(caught.value)
    assert str(caught.value).startswith("the database postgresql://127.0.0.1:")


@pytest.mark.parametrize("how", ["PGPASSWORD", "SYMBL_SANDBOX_DATABASE", "file"])
def test_serve_keeps_its_state_in_postgresql(tmp_path, postgres, how):
    name = postgres.new_database()
    args, env = ["--database", postgres.url(name)], {}
    if how == "PGPASSWORD":
        env["PGPASSWORD"] = postgres.password
    elif how == "SYMBL_SANDBOX_DATABASE":
        args, env = [], {"SYMBL_SANDBOX_DATABASE": postgres.url(name, password=True)}
    else:
        secret = tmp_path / "db-password"
        secret.write_text(postgres.password + "\n")
        args += ["--database-password-file", str(secret)]
    proc = _serve(tmp_path, *args, env=env)
    try:
        url, lines = _until_listening(proc)
        token = requests.post(url + "/oauth2/token:generate", timeout=10, json={
            "type": "application", "appId": "sandbox-app-id",
            "appSecret": "sandbox-app-secret"}).json()["accessToken"]
        auth = {"x-api-key": token}
        ids = requests.post(url + "/v1/process/text", json=TEXT, headers=auth,
                            timeout=10).json()
        deadline = time.monotonic() + 60
        while requests.get(f"{url}/v1/job/{ids['jobId']}", headers=auth,
                           timeout=10).json()["status"] != "completed":
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        output = "".join(lines) + _stop(proc)
    assert f"state kept in the database postgresql://127.0.0.1:{postgres.port}/{name}\n" in output
    assert postgres.password not in output
    assert not (tmp_path / "data" / "sandbox.sqlite3").exists()
    store = Store(postgres.url(name), postgres.password)
    try:
        assert [m["text"] for m in store.messages(ids["conversationId"])] == [
            "Please send the report by Friday."]
    finally:
        store.close()


def test_a_database_that_goes_down_is_503_and_waited_out(tmp_path, postgres):
    with running_sandbox(tmp_path, database=postgres.url(postgres.new_database()),
                         database_password=postgres.password) as sandbox:
        api = sandbox.client()
        first = api.post("/v1/process/text", json=TEXT).json()
        assert api.wait(first["jobId"]) == "completed"
        postgres.stop()  # as a crash leaves it: connections cut, nothing listening
        try:
            replies = [api.get("/v1/conversations"),
                       api.get(f"/v1/conversations/{first['conversationId']}/messages"),
                       api.post("/v1/process/text", json=TEXT),
                       requests.post(sandbox.url + "/oauth2/token:generate", timeout=30, json={
                           "type": "application", "appId": "sandbox-app-id",
                           "appSecret": "sandbox-app-secret"})]
            time.sleep(3)  # the worker's loop meets the outage
            assert sandbox.app.worker.alive
        finally:
            postgres.start()
        assert [r.status_code for r in replies] == [503] * 4
        assert all("database cannot be reached" in r.json()["message"] for r in replies)
        # Back: the same token works, nothing was half-written, a new job runs.
        listed = api.get("/v1/conversations")
        assert listed.status_code == 200 and len(listed.json()["conversations"]) == 1
        second = api.post("/v1/process/text", json=TEXT)
        assert second.status_code == 201
        assert api.wait(second.json()["jobId"]) == "completed"


def test_a_job_that_loses_the_database_runs_again_once_it_answers(tmp_path, postgres, samples,
                                                                   caplog):
    """Stopped while a recording is transcribed: the job cannot store its messages, waits,
    and runs again from the start; its messages are there once, as in a quiet run."""
    caplog.set_level("WARNING", logger="symbl_media.server")
    with running_sandbox(tmp_path, database=postgres.url(postgres.new_database()),
                         database_password=postgres.password) as sandbox:
        api = sandbox.client()
        body = (samples / "mono-16k.wav").read_bytes()
        quiet = api.post("/v1/process/audio", data=body).json()
        assert api.wait(quiet["jobId"], timeout=120) == "completed"
        ids = api.post("/v1/process/audio", data=body).json()
        deadline = time.monotonic() + 60
        while api.get(f"/v1/job/{ids['jobId']}").json()["status"] != "in_progress":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        postgres.stop()
        try:
            time.sleep(8)  # longer than the job takes: it meets the outage
        finally:
            postgres.start()
        assert api.wait(ids["jobId"], timeout=120) == "completed"
        texts = [[m["text"] for m in api.get(f"/v1/conversations/{i['conversationId']}"
                                              "/messages").json()["messages"]]
                 for i in (quiet, ids)]
    assert texts[1] == texts[0] and texts[0]
    assert f"job {ids['jobId']}" in caplog.text and "runs again" in caplog.text


def test_a_wrong_password_stops_serve_with_one_line_that_does_not_hold_it(tmp_path, postgres):
    url = postgres.url(postgres.new_database()).replace("symbl@", "symbl:Wrong-secret-1@")
    proc = _serve(tmp_path, env={"SYMBL_SANDBOX_DATABASE": url})
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 24, err
    assert err.count("\n") == 1 and "password authentication failed" in err
    assert "Wrong-secret-1" not in out + err


def test_a_second_store_on_a_sqlite_file_leaves_the_first_ones_writes_seen(tmp_path):
    """Two stores on one SQLite file in one process (the test kit, a sandbox started twice),
    then another process that opens, writes and closes last: the first store's later writes
    must still reach everyone. Opening the second one used to open and close the database
    file itself, which drops every POSIX lock the process holds on it; the other process,
    seeing no one else, then folded the WAL in and deleted it, and the first store's next
    write went to the deleted WAL: seen by itself, lost to every other process."""
    path = tmp_path / "sandbox.sqlite3"
    first = Store(path)
    try:
        first.create_conversation("one")
        Store(path).close()
        subprocess.run([sys.executable, "-c",
                        "import sys; from pathlib import Path; "
                        "from symbl_media.server.store import Store; "
                        "s = Store(Path(sys.argv[1])); s.create_conversation('two'); s.close()",
                        str(path)], check=True, timeout=60)
        first.create_conversation("three")
        read = subprocess.run([sys.executable, "-c",
                               "import sqlite3, sys; print(sorted(r[0] for r in sqlite3.connect("
                               "sys.argv[1]).execute('SELECT name FROM conversations')))",
                               str(path)], capture_output=True, text=True, timeout=60)
        assert read.stdout.strip() == "['one', 'three', 'two']", read
    finally:
        first.close()
