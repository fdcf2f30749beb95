"""The sandbox speaks Symbl's archived contract: auth, Async API checks, jobs, limits, restart."""

from __future__ import annotations

import base64
import json
import socket
import time

import pytest
import requests

from symbl_media.testing import ApiClient, running_sandbox

TEXT = {"name": "Weekly", "messages": [
    {"payload": {"content": "Bob, please send the budget report by Friday."},
     "from": {"name": "Alice", "userId": "alice@example.com"}},
    {"payload": {"content": "Sure, I will send it on Thursday."},
     "from": {"name": "Bob", "userId": "bob@example.com"}}]}

# Token, job and conversation routes on SQLite and on PostgreSQL (tests/server/conftest.py).
BOTH_BACKENDS = True


# ----------------------------------------------------------------------------- auth

def test_root_answers_once_ready(sandbox):
    reply = requests.get(sandbox.url + "/", timeout=5)
    assert reply.status_code == 200 and reply.json()["ready"] is True


def test_token_is_jwt_shaped_with_exp_and_expires_in(sandbox):
    reply = requests.post(sandbox.url + "/oauth2/token:generate", timeout=5, json={
        "type": "application", "appId": "sandbox-app-id", "appSecret": "sandbox-app-secret"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["expiresIn"] == 86400
    payload = body["accessToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["exp"] == pytest.approx(time.time() + 86400, abs=5)


def test_asking_again_gives_the_same_token(sandbox):
    assert sandbox.client().token == sandbox.client().token


def test_bad_credentials_get_401(sandbox):
    reply = requests.post(sandbox.url + "/oauth2/token:generate", timeout=5,
                          json={"type": "application", "appId": "x", "appSecret": "y"})
    assert reply.status_code == 401 and "message" in reply.json()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"},
                                     {"x-api-key": "a.b.c"}])
def test_every_endpoint_but_the_token_one_refuses_a_bad_token(sandbox, headers):
    for method, path in [("GET", "/v1/conversations"), ("GET", "/v1/job/x"),
                         ("POST", "/v1/process/text"), ("POST", "/v1/process/audio")]:
        reply = requests.request(method, sandbox.url + path, headers=headers, timeout=5)
        assert reply.status_code == 401, (method, path)
        assert reply.json() == {"message": "Token validation failed for provided token."}


def test_x_api_key_is_accepted_like_bearer(sandbox, api):
    reply = requests.get(sandbox.url + "/v1/conversations", timeout=5,
                         headers={"x-api-key": api.token})
    assert reply.status_code == 200 and reply.json() == {"conversations": []}


def test_credentials_given_at_start_are_the_only_ones_accepted(tmp_path, database):
    with running_sandbox(tmp_path, **database, app_id="me", app_secret="s3cret") as sandbox:
        assert ApiClient(sandbox.url, "me", "s3cret").token
        with pytest.raises(requests.HTTPError):
            sandbox.client()  # the default pair no longer works


# ----------------------------------------------------------------------------- validation

@pytest.mark.parametrize("query,fragment", [
    ("confidenceThreshold=0.3", "confidenceThreshold"),
    ("mode=studio", "mode"),
    ("languageCode=xx-XX", "languageCode"),
    ("diarizationSpeakerCount=0", "diarizationSpeakerCount"),
    ("detectPhrases=maybe", "detectPhrases"),
    ("trackers=notjson", "trackers"),
])
def test_options_out_of_range_are_400_before_the_body_is_read(api, query, fragment):
    reply = api.post(f"/v1/process/audio?{query}", data=b"RIFF....")
    assert reply.status_code == 400
    assert fragment in reply.json()["message"]


def test_unknown_conversation_is_404(api):
    reply = api.put("/v1/process/audio/1234567890123456", data=b"x")
    assert reply.status_code == 404
    assert reply.json() == {"message": "The conversationId is either invalid or does not exist."}


def test_path_traversal_in_ids_is_refused(api):
    for path in ["/v1/conversations/..%2F..%2Fsandbox.sqlite3", "/v1/job/..%2Fuploads",
                 "/v1/conversations/1%2F..%2F2/messages"]:
        assert api.get(path).status_code == 404


def test_video_on_the_audio_endpoint_gets_the_documented_message(api, samples):
    reply = api.post("/v1/process/audio", data=(samples / "meeting.mp4").read_bytes())
    assert reply.status_code == 400
    assert reply.json()["message"].startswith("Detected MIME Type as 'video/mp4'. This "
                                              "endpoint only supports audio files.")


def test_a_declared_type_that_does_not_match_is_400(api, samples):
    reply = api.post("/v1/process/audio", headers={"Content-Type": "audio/wav"},
                     data=(samples / "mono.mp3").read_bytes())
    assert reply.status_code == 400 and "does not match" in reply.json()["message"]


def test_a_body_that_is_not_audio_is_400(api):
    reply = api.post("/v1/process/audio", data=b"hello, this is text" * 100)
    assert reply.status_code == 400


def test_a_body_over_the_limit_is_413_without_being_read(tmp_path, samples):
    with running_sandbox(tmp_path, max_body_bytes=1000) as sandbox:
        api = sandbox.client()
        with socket.create_connection(("127.0.0.1", int(sandbox.url.rsplit(":", 1)[1]))) as s:
            # Headers only: a 10 GB body is announced and never sent.
            s.sendall(f"POST /v1/process/audio HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      f"{api.token}\r\nContent-Length: 10000000000\r\n\r\n".encode())
            head = s.recv(4096).decode()
        assert head.startswith("HTTP/1.1 413")
        assert list((tmp_path / "uploads").iterdir()) == []


def test_url_submissions_need_an_http_url(api):
    for body in ({}, {"url": "ftp://example.com/a.wav"}, {"url": "not a url"}):
        reply = api.post("/v1/process/audio/url", json=body)
        assert reply.status_code == 400 and "url" in reply.json()["message"]


def test_text_submissions_need_messages_with_content(api):
    for body in ({}, {"messages": []}, {"messages": [{"payload": {}}]}, [1, 2]):
        assert api.post("/v1/process/text", json=body).status_code == 400


# ----------------------------------------------------------------------------- jobs and limits

def test_unknown_job_is_404_with_the_known_message(api):
    reply = api.get("/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
    assert reply.status_code == 404
    assert reply.json() == {"message": "Job with 9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d not found"}


def test_the_concurrent_job_cap_gives_the_literal_429_body(tmp_path, database):
    with running_sandbox(tmp_path, **database, max_concurrent_jobs=1,
                         faults={"slow": {"count": 0}}) as sandbox:
        api = sandbox.client()
        sandbox.app.worker.stop()  # jobs stay scheduled, so the cap is reached and held
        assert api.post("/v1/process/text", json=TEXT).status_code == 201
        reply = api.post("/v1/process/text", json=TEXT)
        assert reply.status_code == 429
        assert reply.json()["statusCode"] == 429
        assert "maximum of `X` number of concurrent jobs" in reply.json()["message"]


def test_injected_faults_fire_the_given_number_of_times(tmp_path):
    with running_sandbox(tmp_path, faults={"status500": {"count": 2, "path": "/v1/job"}}
                         ) as sandbox:
        api = sandbox.client()
        codes = [api.get("/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d").status_code
                 for _ in range(3)]
        assert codes == [500, 500, 404]


def test_a_dropped_connection_still_creates_the_job(tmp_path):
    with running_sandbox(tmp_path, faults={"drop_after_body": {"count": 1, "path": "/v1/process"}}
                         ) as sandbox:
        api = sandbox.client()
        with pytest.raises(requests.ConnectionError):
            api.post("/v1/process/text", json=TEXT)
        (conversation,) = api.get("/v1/conversations").json()["conversations"]
        assert conversation["name"] == "Weekly"


def test_tokens_can_be_expired_on_demand(sandbox, api):
    assert api.post("/sandbox/faults", json={"expire_tokens": True}).status_code == 200
    assert api.get("/v1/conversations").status_code == 401
    assert sandbox.client().get("/v1/conversations").status_code == 200


def test_everything_survives_a_restart(tmp_path, database):
    with running_sandbox(tmp_path, **database) as sandbox:
        api = sandbox.client()
        sandbox.app.worker.stop()
        created = api.post("/v1/process/text", json=TEXT).json()
        token = api.token
    with running_sandbox(tmp_path, **database) as sandbox:  # the job left scheduled runs now
        api = sandbox.client()
        # Tokens are stored as hashes, so a new one is issued; the old one still works.
        assert requests.get(sandbox.url + "/v1/conversations", timeout=5, headers={
            "Authorization": f"Bearer {token}"}).status_code == 200
        assert api.wait(created["jobId"]) == "completed"
        assert api.get(f"/v1/conversations/{created['conversationId']}").status_code == 200
