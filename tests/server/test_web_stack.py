"""The web stack itself: the OpenAPI document of the routes served, the embedded server's start
and stop, and the request log."""

from __future__ import annotations

import re
import threading
import time

import requests
from openapi_spec_validator import validate

from symbl_media.contract import endpoints as api
from symbl_media.testing import running_sandbox

from .serve_process import Drained

SYMBL_ROUTES = [api.TOKEN, api.SUBMIT_TEXT, api.APPEND_TEXT, api.JOB, api.CONVERSATIONS,
                api.CONVERSATION, api.UPDATE_CONVERSATION, api.DELETE_CONVERSATION,
                api.MESSAGES, api.TOPICS, api.ACTION_ITEMS, api.FOLLOW_UPS, api.QUESTIONS,
                api.ENTITIES, api.MEMBERS, api.SUMMARY, api.TRACKERS, api.TRACKERS_DEPRECATED,
                api.ANALYTICS, api.UPDATE_MEMBER]
SYMBL_ROUTES += [r for media in api.MEDIA for r in (
    api.Route(api.SUBMIT_FILE.method, api.SUBMIT_FILE.url(media=media)),
    api.Route(api.APPEND_FILE.method, api.APPEND_FILE.url(media=media)),
    api.Route(api.SUBMIT_URL.method, api.SUBMIT_URL.url(media=media)),
    api.Route(api.APPEND_URL.method, api.APPEND_URL.url(media=media)))]


def test_the_openapi_document_is_valid_and_lists_every_symbl_route(tmp_path):
    with running_sandbox(tmp_path) as sandbox:
        reply = requests.get(sandbox.url + "/openapi.json", timeout=10)  # no token needed
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("application/json")
        document = reply.json()
        api_client = sandbox.client()
    validate(document)  # raises on a document that is not OpenAPI 3.1
    listed = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    assert listed == {(r.method, r.path) for r in SYMBL_ROUTES} | {("GET", "/")}
    assert not any(path.startswith("/sandbox/") for path in document["paths"])
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            named = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert named == set(re.findall(r"\{(\w+)\}", path)), (method, path)
    # The one query parameter listed: our extension of the Job API (docs/sandbox.md).
    queries = {(path, p["name"]) for path, ops in document["paths"].items()
               for op in ops.values() for p in op.get("parameters", []) if p["in"] == "query"}
    assert queries == {("/v1/job/{jid}", "wait")}
    # What the document says is what the server does: an open route and a guarded one.
    assert document["paths"]["/"]["get"]["security"] == []
    assert "security" not in document["paths"]["/v1/conversations"]["get"]
    audio = document["paths"]["/v1/process/audio"]["post"]
    assert "audio/wav" in audio["requestBody"]["content"]
    assert set(audio["responses"]) >= {"201", "400", "401", "413", "429"}
    assert api_client is not None


def test_the_embedded_server_starts_on_a_free_port_and_stops_cleanly(tmp_path):
    before = {t.name for t in threading.enumerate()}
    started = time.monotonic()
    urls = []
    for round_ in range(3):
        with running_sandbox(tmp_path / f"d{round_}") as sandbox:
            urls.append(sandbox.url)
            assert requests.get(sandbox.url + "/", timeout=5).json()["ready"] is True
            api_client = sandbox.client()
            assert api_client.get("/v1/conversations").status_code == 200
        try:  # stopped: the port no longer answers
            requests.get(urls[-1] + "/", timeout=2)
            raise AssertionError("the stopped sandbox still answers")
        except requests.ConnectionError:
            pass
    assert len(set(urls)) == 3 and all(re.fullmatch(r"http://127\.0\.0\.1:\d+", u)
                                       for u in urls)
    assert time.monotonic() - started < 15
    time.sleep(0.2)
    left = {t.name for t in threading.enumerate()} - before
    assert "sandbox-http" not in left, left


def test_a_keep_alive_connection_carries_many_requests(tmp_path):
    """The server's keep-alive: one session, one connection, many requests."""
    with running_sandbox(tmp_path) as sandbox:
        session = requests.Session()
        ports = set()
        for _ in range(20):
            reply = session.get(sandbox.url + "/", timeout=5, stream=True)
            ports.add(reply.raw._connection.sock.getsockname()[1])
            reply.content
        assert len(ports) == 1


def _children(pid: int) -> set[int]:
    import subprocess

    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout
    return {int(p) for p in out.split()}


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_with_workers_answers_from_several_processes_and_runs_each_job_once(tmp_path):
    """`serve --workers 3`: three API processes on one port and one data folder; only the
    parent runs jobs. Each process has its own faults, so with fail_job armed for 4 jobs at
    start, exactly 4 of 24 jobs fail when one process runs them (up to 16 if all four did)."""
    import concurrent.futures
    import os
    import signal
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_SANDBOX_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port", str(port),
         "--data", str(tmp_path / "data"), "--workers", "3", "--max-jobs", "1000",
         "--faults", '{"fail_job": {"count": 4}}'],
        stderr=subprocess.PIPE, text=True, env=env)
    log = Drained(proc.stderr)  # its request log, read as it comes (serve_process.Drained)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/", timeout=10).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        token = requests.post(url + "/oauth2/token:generate", timeout=10, json={
            "type": "application", "appId": "sandbox-app-id",
            "appSecret": "sandbox-app-secret"}).json()["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}

        def submit(i: int) -> dict:
            # A new connection each time: the kernel spreads them over the processes.
            reply = requests.post(url + "/v1/process/text", headers=headers, timeout=30, json={
                "messages": [{"payload": {"content": f"Number {i}: send the report by Friday."}}]})
            assert reply.status_code == 201, reply.text
            return reply.json()

        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            submitted = list(pool.map(submit, range(24)))
        ended: dict[str, str] = {}
        while len(ended) < len(submitted):
            assert time.monotonic() < deadline + 60
            for ids in submitted:
                if ids["jobId"] not in ended:
                    status = requests.get(f"{url}/v1/job/{ids['jobId']}", headers=headers,
                                          timeout=60).json()["status"]
                    if status in ("completed", "failed"):
                        ended[ids["jobId"]] = status
            time.sleep(0.2)
        assert sorted(ended.values()).count("failed") == 4, ended
        for ids in submitted:
            if ended[ids["jobId"]] == "completed":
                messages = requests.get(f"{url}/v1/conversations/{ids['conversationId']}"
                                        f"/messages", headers=headers, timeout=60).json()
                assert len(messages["messages"]) == 1
        children = _children(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        err = log.text()
    assert proc.returncode == 0, err
    assert "3 API processes" in err
    assert err.count('"POST /v1/process/text" 201') == 24
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in children):  # the API processes stop with it
        assert time.monotonic() < deadline, [p for p in children if _alive(p)]
        time.sleep(0.1)


def test_serve_says_listening_only_once_it_answers(tmp_path):
    """Scripts wait for the "listening on" line and then call at once (the benchmarks do):
    the first request after it is answered, not refused or left in the backlog."""
    import os
    import signal
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_SANDBOX_")}
    for workers in ("1", "2"):
        proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "serve",
                                 "--port", "0", "--data", str(tmp_path / workers),
                                 "--workers", workers],
                                stderr=subprocess.PIPE, text=True, env=env)
        try:
            line = proc.stderr.readline()
            assert "listening on " in line, line
            url = line.split("listening on ", 1)[1].split()[0]
            assert requests.get(url + "/", timeout=30).json()["ready"] is True
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=60)
