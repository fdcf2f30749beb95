"""What a long-running sandbox must survive: refused bodies, deletions mid-job, slow hooks."""

from __future__ import annotations

import json
import socket
import time

import requests

from symbl_media.testing import ApiClient, running_sandbox

TEXT = {"messages": [{"payload": {"content": "Please send the report by Friday."}}]}

# Token, job and conversation routes on SQLite and on PostgreSQL (tests/server/conftest.py).
BOTH_BACKENDS = True


def test_a_request_refused_before_its_body_was_read_does_not_spoil_the_next(api):
    # Same keep-alive connection: the unread body must not be parsed as the next request.
    assert api.put("/v1/process/audio/1234567890123456", data=b'{"a": 1}' * 100
                   ).status_code == 404
    assert api.get("/v1/conversations").status_code == 200
    assert api.post("/v1/process/audio?mode=studio", data=b"x" * 5000).status_code == 400
    assert api.get("/v1/conversations").status_code == 200


def test_deleting_a_conversation_while_its_job_runs_leaves_the_worker_working(api, samples):
    ids = api.post("/v1/process/audio", data=(samples / "mono-16k.wav").read_bytes()).json()
    deadline = time.monotonic() + 60
    while api.get(f"/v1/job/{ids['jobId']}").json()["status"] == "scheduled":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert api.delete(f"/v1/conversations/{ids['conversationId']}").status_code == 200
    later = api.post("/v1/process/text", json=TEXT).json()
    assert api.wait(later["jobId"], timeout=120) == "completed"
    assert api.get(f"/v1/conversations/{ids['conversationId']}/messages").status_code == 404


def test_a_webhook_that_never_answers_does_not_hold_up_the_job(api):
    with socket.socket() as hook:  # accepts connections (backlog) and never replies
        hook.bind(("127.0.0.1", 0))
        hook.listen(8)
        url = f"http://127.0.0.1:{hook.getsockname()[1]}/hook"
        started = time.monotonic()
        ids = api.post("/v1/process/text", json={**TEXT, "webhookUrl": url}).json()
        assert api.wait(ids["jobId"]) == "completed"
        assert time.monotonic() - started < 5


def test_changing_the_credentials_revokes_the_old_tokens(tmp_path, database):
    with running_sandbox(tmp_path, **database) as sandbox:
        old = sandbox.client().token
    with running_sandbox(tmp_path, **database, app_id="new", app_secret="rotated") as sandbox:
        reply = requests.get(sandbox.url + "/v1/conversations", timeout=5,
                             headers={"Authorization": f"Bearer {old}"})
        assert reply.status_code == 401
        assert ApiClient(sandbox.url, "new", "rotated").token != old


def test_tokens_can_be_set_to_expire_at_start(tmp_path, database):
    with running_sandbox(tmp_path, **database) as sandbox:
        token = sandbox.client().token
    with running_sandbox(tmp_path, **database, faults={"expire_tokens": True}) as sandbox:
        reply = requests.get(sandbox.url + "/v1/conversations", timeout=5,
                             headers={"x-api-key": token})
        assert reply.status_code == 401


def test_confidence_threshold_drops_insights_scored_below_it(api):
    body = {"messages": [{"payload": {"content": "Is the release on time"}},
                         {"payload": {"content": "Is the budget approved?"}}]}
    low = api.post("/v1/process/text", json=body).json()
    high = api.post("/v1/process/text", json={**body, "confidenceThreshold": 0.9}).json()
    for ids in (low, high):
        assert api.wait(ids["jobId"]) == "completed"
    questions = {name: [q["score"] for q in api.get(
        f"/v1/conversations/{ids['conversationId']}/questions").json()["questions"]]
        for name, ids in (("low", low), ("high", high))}
    assert len(questions["low"]) == 2
    assert questions["high"] and all(score >= 0.9 for score in questions["high"])
    assert len(questions["high"]) < len(questions["low"])


def test_a_webhook_with_credentials_in_its_url_is_delivered_with_basic_auth(api, caplog):
    """``http://user:secret@host/hook`` is sent as HTTP clients send it (urllib took the
    userinfo for the host name, so such a hook was never delivered), and the secret is not
    logged."""
    import base64
    import http.server
    import logging
    import threading

    got: list[tuple[str, str | None, bytes]] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the stdlib's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((self.path, self.headers.get("Authorization"), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    caplog.set_level(logging.INFO, logger="symbl_media.server")
    try:
        url = f"http://hook%40user:s3cr%3At@127.0.0.1:{server.server_address[1]}/hook?x=1"
        ids = api.post("/v1/process/text", json={**TEXT, "webhookUrl": url}).json()
        assert api.wait(ids["jobId"]) == "completed"
        deadline = time.monotonic() + 10
        while len(got) < 2 and time.monotonic() < deadline:  # in_progress, then completed
            time.sleep(0.02)
    finally:
        server.shutdown()
    expected = "Basic " + base64.b64encode(b"hook@user:s3cr:t").decode()
    assert [(path, auth) for path, auth, _ in got] == [("/hook?x=1", expected)] * 2
    assert [json.loads(body)["status"] for *_, body in got] == ["in_progress", "completed"]
    assert "s3cr" not in caplog.text
