"""The Symbl client against the sandbox over loopback: settings, tokens, uploads, retries."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from symbl_media.client.calls import SymblClient
from symbl_media.client.settings import resolve
from symbl_media.client.transport import Transport
from symbl_media.errors import ApiError, AuthError, InvalidArgument, Unreachable
from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.testing import running_sandbox

from .json_standin import JsonHandler

TEXT = {"messages": [{"payload": {"content": "Bob, please send the report by Friday."}}]}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "symbl-media" / "tokens"


def client_for(url, **transport):
    settings = resolve(url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
    return SymblClient(settings, Transport(settings, backoff=0.01, **transport))


@pytest.fixture
def sandbox(tmp_path):
    with running_sandbox(tmp_path / "sandbox") as running:
        yield running


# ----------------------------------------------------------------------------- settings

def test_flags_win_over_the_environment_which_wins_over_symbl_conf(tmp_path, monkeypatch):
    (tmp_path / "symbl.conf").write_text("[credentials]\napp_id = conf-id\napp_secret = c\n")
    monkeypatch.delenv("SYMBL_APP_ID", raising=False)
    monkeypatch.delenv("SYMBL_APP_SECRET", raising=False)
    assert resolve(cwd=tmp_path, home=tmp_path).app_id == "conf-id"
    monkeypatch.setenv("SYMBL_APP_ID", "env-id")
    monkeypatch.setenv("SYMBL_APP_SECRET", "e")
    assert resolve(cwd=tmp_path, home=tmp_path).source == "environment"
    assert resolve(None, "flag-id", "f", cwd=tmp_path).app_id == "flag-id"


def test_no_credentials_anywhere_is_said_plainly(tmp_path, monkeypatch):
    for name in ("SYMBL_APP_ID", "SYMBL_APP_SECRET", "SYMBL_API_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = resolve(cwd=tmp_path, home=tmp_path)
    assert (settings.has_credentials, settings.base_url) == (False, "https://api.symbl.ai")
    with pytest.raises(AuthError, match="no credentials"):
        Transport(settings)


def test_the_secret_never_shows_in_a_repr_or_an_error(sandbox, cache):
    settings = resolve(sandbox.url, DEFAULT_APP_ID, "wrong-secret-123")
    assert "wrong-secret-123" not in repr(settings)
    with pytest.raises(AuthError) as caught:
        SymblClient(settings).job_status("x")
    assert "wrong-secret-123" not in str(caught.value)


# ----------------------------------------------------------------------------- tokens

def test_the_token_is_cached_in_a_private_file_and_reused(sandbox, cache):
    first = client_for(sandbox.url)
    first.job_status(first.submit_text(TEXT).job_id)
    (path,) = cache.iterdir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert DEFAULT_APP_SECRET not in path.read_text()
    second = client_for(sandbox.url)
    assert second.transport.tokens.token() == first.transport.tokens.token()


def test_an_expired_token_is_refreshed_once_on_401(sandbox, cache):
    client = client_for(sandbox.url)
    old = client.transport.tokens.token()
    client.transport.call("POST", "/sandbox/faults", json={"expire_tokens": True})
    submission = client.submit_text(TEXT)  # 401, new token, retried
    assert submission.job_id and client.transport.tokens.token() != old


# ----------------------------------------------------------------------------- uploads and faults

def test_an_upload_streams_the_file_with_its_length_and_arrives_intact(sandbox, cache, samples):
    client = client_for(sandbox.url)
    path = samples / "mono-16k.wav"
    submission = client.submit_file(path, content_type="audio/wav", options={"name": "x"})
    uploads = client.transport.call(
        "GET", f"/sandbox/conversations/{submission.conversation_id}/uploads")["uploads"]
    assert uploads[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert uploads[0]["contentType"] == "audio/wav"


def test_a_burst_of_429s_and_500s_is_ridden_out(sandbox, cache):
    client = client_for(sandbox.url)
    client.transport.call("POST", "/sandbox/faults", json={
        "status429": {"count": 3, "path": "/v1/process"},
        "status500": {"count": 2, "path": "/v1/job"}})
    submission = client.submit_text(TEXT)
    assert client.wait(submission.job_id, poll=0.05) == "completed"
    (conversation,) = client.transport.call("GET", "/v1/conversations")["conversations"]
    assert conversation["id"] == submission.conversation_id  # retried, not duplicated


def test_other_4xx_are_final_and_carry_the_servers_message(sandbox, cache):
    client = client_for(sandbox.url)
    with pytest.raises(ApiError) as caught:
        client.submit_text({**TEXT, "confidenceThreshold": 0.3})
    assert caught.value.status == 400 and "confidenceThreshold" in str(caught.value)


def test_a_connection_lost_after_a_submission_is_reported_not_resent(tmp_path, cache):
    with running_sandbox(tmp_path, faults={"drop_after_body": {"count": 1,
                                                               "path": "/v1/process"}}) as sb:
        client = client_for(sb.url)
        with pytest.raises(Unreachable) as caught:
            client.submit_text(TEXT)
        assert caught.value.maybe_sent
        conversations = client.transport.call("GET", "/v1/conversations")["conversations"]
        assert len(conversations) == 1  # it did arrive, once: the caller must look first


def test_reads_are_retried_after_a_dropped_connection(tmp_path, cache):
    with running_sandbox(tmp_path, faults={"drop_after_body": {"count": 2,
                                                               "path": "/v1/conversations"}}
                         ) as sb:
        assert client_for(sb.url).transport.call("GET", "/v1/conversations") == \
            {"conversations": []}


def test_an_unreachable_endpoint_gives_up_with_a_clear_error(cache):
    client = client_for("http://127.0.0.1:9", attempts=2)
    with pytest.raises(Unreachable, match="127.0.0.1:9"):
        client.job_status("x")


def test_waiting_reports_each_status_once(sandbox, cache):
    client = client_for(sandbox.url)
    seen = []
    submission = client.submit_text(TEXT)
    assert client.wait(submission.job_id, on_status=seen.append, poll=0.02) == "completed"
    assert seen[-1] == "completed" and len(seen) == len(set(seen))
    assert client.insight(submission.conversation_id, "action-items")


# ----------------------------------------------------------------------------- tuning

@pytest.mark.parametrize("name, value", [
    ("SYMBL_MEDIA_TIMEOUT", "soon"), ("SYMBL_MEDIA_TIMEOUT", "0"), ("SYMBL_MEDIA_TIMEOUT", "nan"),
    ("SYMBL_MEDIA_TIMEOUT", "inf"), ("SYMBL_MEDIA_RETRIES", "0"), ("SYMBL_MEDIA_RETRIES", "2.5"),
    ("SYMBL_MEDIA_BACKOFF", "-1")])
def test_a_bad_tuning_value_is_a_one_line_usage_error(name, value, sandbox, cache, monkeypatch):
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidArgument, match=f"^{name}=") as caught:
        Transport(resolve(sandbox.url, DEFAULT_APP_ID, DEFAULT_APP_SECRET))
    assert caught.value.exit_code == 2 and "\n" not in str(caught.value)


def test_a_reply_slower_than_symbl_media_timeout_is_given_up_and_retried(sandbox, cache,
                                                                         monkeypatch):
    monkeypatch.setenv("SYMBL_MEDIA_TIMEOUT", "0.5")
    monkeypatch.setenv("SYMBL_MEDIA_RETRIES", "2")
    monkeypatch.setenv("SYMBL_MEDIA_BACKOFF", "0")
    settings = resolve(sandbox.url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
    client = SymblClient(settings, Transport(settings))
    client.transport.call("POST", "/sandbox/faults",
                          json={"slow": {"count": 1, "seconds": 2, "path": "/v1/conversations"}})
    assert client.conversations() == []  # the first try timed out, the second was answered
    client.transport.call("POST", "/sandbox/faults",
                          json={"slow": {"count": 2, "seconds": 2, "path": "/v1/conversations"}})
    with pytest.raises(Unreachable, match="after 2 tries"):
        client.conversations()


def test_a_busy_token_endpoint_is_asked_again(sandbox, cache):
    client = client_for(sandbox.url)
    client.transport.call("POST", "/sandbox/faults", json={
        "status500": {"count": 1, "path": "/oauth2"}, "status429": {"count": 1, "path": "/oauth2"}})
    client.transport.tokens.forget()
    assert client.transport.tokens.refresh()


def test_a_half_written_token_file_left_by_a_killed_run_is_swept(sandbox, cache):
    cache.mkdir(parents=True, mode=0o700)
    stale, fresh = cache / ".token-killed", cache / ".token-writing-now"
    for leftover in (stale, fresh):
        leftover.write_text('{"accessToken": "')
    os.utime(stale, (0, 0))
    client_for(sandbox.url).transport.tokens.refresh()
    assert not stale.exists()
    assert fresh.exists()  # maybe another process's write in progress: left alone


# ----------------------------------------------------------------------------- ids

@pytest.mark.parametrize("bad", ["", "../conversations/1", "1/messages", ".", "..", "1 2",
                                 " 1", "1\n", "%2e%2e", "1?x=2", "1#x"])
def test_an_id_that_could_change_the_url_is_refused_before_any_request(bad, cache):
    # Nothing listens on port 9: a call that went out would end as Unreachable instead.
    client = client_for("http://127.0.0.1:9", attempts=1)
    calls = [lambda: client.job_status(bad), lambda: client.wait(bad),
             lambda: client.conversation(bad), lambda: client.insight(bad, "messages"),
             lambda: client.analytics(bad), lambda: client.receipts(bad),
             lambda: client.submit_text(TEXT, conversation_id=bad)]
    for call in calls:
        with pytest.raises(InvalidArgument) as caught:
            call()
        assert "\n" not in str(caught.value) and " id" in str(caught.value)


def test_ids_of_other_safe_shapes_go_out_as_they_are(sandbox, cache):
    client = client_for(sandbox.url)
    for job_id in ("Job_42-b", "0", "4851b330-afff-4397-a695-ca99afae9249"):
        with pytest.raises(ApiError) as caught:
            client.job_status(job_id)
        assert caught.value.status == 404 and job_id in str(caught.value)


def test_a_reply_that_is_not_a_job_status_says_what_came_back(cache):
    """A service that answers the Job API with something else (here a conversation, then a
    status it does not document): the error shows the reply, not "unknown job status None"."""
    import http.server
    import threading

    replies = {"/v1/job/a1": {"id": "a1", "name": "weekly sync", "type": "audio"},
               "/v1/job/b2": {"id": "b2", "status": "queued"}, "/v1/job/c3": ["c3"]}

    class Handler(JsonHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.answer(200, {"accessToken": "token-1", "expiresIn": 3600})

        def do_GET(self):
            self.answer(200, replies[self.path])


    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = client_for(f"http://127.0.0.1:{server.server_address[1]}")
        messages = {}
        for job_id in ("a1", "b2", "c3"):
            with pytest.raises(ApiError) as caught:
                client.job_status(job_id)
            messages[job_id] = str(caught.value)
    finally:
        server.shutdown()
    assert all("None" not in m for m in messages.values()), messages
    assert "no job status" in messages["a1"] and '"name": "weekly sync"' in messages["a1"]
    assert "unknown job status 'queued'" in messages["b2"]
    assert "no job status" in messages["c3"] and '["c3"]' in messages["c3"]
