"""The log of `sandbox serve`: one line per request and one per job state change, as JSON lines
or readable text, and no secret in either, whatever the jobs carried (the real command, real
jobs, a database URL with its password in the environment, webhook and media URLs with
tokens in them)."""

from __future__ import annotations

import json
import signal
import time

import pytest
import requests

from .serve_process import Served

APP_SECRET = "app-secret-for-the-log-test-9f3k"
HOOK_TOKEN = "hooktoken-5b1d77e0c2"
HOOK_PASSWORD = "hookpass-0a9c41"
SIGNATURE = "sig-3e8f0c7a9b"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request) -> dict:
    """The server's database given the way a service gives it: the whole URL, password
    included, in SYMBL_SANDBOX_DATABASE (none for SQLite)."""
    if request.param == "sqlite":
        return {}
    cluster = request.getfixturevalue("postgres")
    return {"SYMBL_SANDBOX_DATABASE": cluster.url(cluster.new_database(), password=True),
            "_password": cluster.password}


def _run_jobs(served: Served, web_url: str) -> tuple[str, dict]:
    """A text job, a URL job with a signed URL and two webhooks (one delivered, one refused),
    and a URL job that fails; returns the token and the jobs' ids."""
    token = served.token("team", APP_SECRET)
    headers = {"x-api-key": token}
    hook = (f"http://hookuser:{HOOK_PASSWORD}@{web_url.partition('://')[2]}/hook"
            f"?token={HOOK_TOKEN}")
    text = requests.post(served.url + "/v1/process/text", headers=headers, timeout=30,
                         params={"webhookUrl": hook},
                         json={"messages": [{"payload": {"content": "Send the budget."}}]})
    audio = requests.post(served.url + "/v1/process/audio/url", headers=headers, timeout=30,
                          json={"url": f"{web_url}/mono-16k.wav?signature={SIGNATURE}",
                                "webhookUrl": f"http://127.0.0.1:9/hook?token={HOOK_TOKEN}"})
    failing = requests.post(served.url + "/v1/process/audio/url", headers=headers, timeout=30,
                            json={"url": f"{web_url}/moved.wav?signature={SIGNATURE}"})
    jobs = {name: reply.json() for name, reply in
            (("text", text), ("audio", audio), ("failing", failing))}
    assert all(reply.status_code == 201 for reply in (text, audio, failing))
    deadline = time.monotonic() + 300
    for ids in jobs.values():
        while requests.get(f"{served.url}/v1/job/{ids['jobId']}", headers=headers,
                           timeout=30).json()["status"] not in ("completed", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
    return token, jobs


def _secrets(token: str, env: dict) -> list[str]:
    return [APP_SECRET, token, HOOK_TOKEN, HOOK_PASSWORD, SIGNATURE,
            *([env["_password"]] if "_password" in env else [])]


def test_json_lines_for_requests_and_job_states_and_no_secret(tmp_path, web, database_env):
    env = {k: v for k, v in database_env.items() if not k.startswith("_")}
    env.update(SYMBL_SANDBOX_APP_ID="team", SYMBL_SANDBOX_APP_SECRET=APP_SECRET,
               SYMBL_SANDBOX_LOG_FORMAT="json")
    with Served(tmp_path / "data", "--max-jobs", 5, env=env) as served:
        token, jobs = _run_jobs(served, web[0])
        code, out, err = served.stop()
    assert code == 0, err
    lines = [json.loads(line) for line in err.splitlines()]  # every line is one JSON object
    assert all({"time", "level", "logger", "event", "message"} <= set(line) for line in lines)
    for secret in _secrets(token, database_env):
        assert secret not in err and secret not in out, secret

    requests_ = [line for line in lines if line["event"] == "request"]
    text_post = next(r for r in requests_ if r["path"] == "/v1/process/text")
    assert text_post["method"] == "POST" and text_post["status"] == 201
    assert text_post["bytes"] > 0 and text_post["received"] > 0 and text_post["ms"] >= 0
    assert len(text_post["request_id"]) == 16 and text_post["client"] == "127.0.0.1"
    polls = [r for r in requests_ if r["path"].startswith("/v1/job/")]
    assert polls and all(r["status"] == 200 for r in polls)
    assert len({r["request_id"] for r in requests_}) == len(requests_)

    states: dict[str, list[dict]] = {}
    for line in lines:
        if line["event"] == "job":
            states.setdefault(line["job_id"], []).append(line)
    for name, ids in jobs.items():
        seen = states[ids["jobId"]]
        assert all(s["conversation_id"] == ids["conversationId"] for s in seen)
        end = "failed" if name == "failing" else "completed"
        assert [s["state"] for s in seen] == ["scheduled", "in_progress", end], seen
        assert seen[0]["seconds"] is None and seen[-1]["seconds"] >= 0
    failed = states[jobs["failing"]["jobId"]][-1]
    assert failed["level"] == "warning" and "HTTP 404" in failed["error"]
    assert states[jobs["text"]["jobId"]][-1]["error"] is None


def test_the_default_text_log_is_readable_and_has_no_secret(tmp_path, web):
    env = {"SYMBL_SANDBOX_APP_ID": "team", "SYMBL_SANDBOX_APP_SECRET": APP_SECRET}
    with Served(tmp_path / "data", "--max-jobs", 5, env=env) as served:
        token, jobs = _run_jobs(served, web[0])
        requests.get(served.url + "/v1/conversations?limit=5", timeout=10,
                     headers={"x-api-key": token, "x-request-id": "proxy-given.42"})
        code, out, err = served.stop()
    assert code == 0, err
    assert err.startswith("sandbox: listening on ")
    assert '"POST /v1/process/text" 201 ' in err
    assert '"GET /v1/conversations" 200 ' in err and "id=proxy-given.42" in err
    failing = jobs["failing"]
    assert (f"job {failing['jobId']} of conversation {failing['conversationId']}: failed "
            f"after ") in err
    assert f"job {jobs['text']['jobId']} of conversation" in err
    for secret in _secrets(token, {}):
        assert secret not in err and secret not in out, secret


def test_api_and_worker_processes_each_log_their_part_as_json(tmp_path):
    from deployment import Deployment

    deployment = Deployment(tmp_path / "data")
    deployment.env["SYMBL_SANDBOX_LOG_FORMAT"] = "json"
    try:
        api = deployment.api()
        worker = deployment.worker()
        client = deployment.client()
        ids = client.text("Please send the budget by Friday.")
        assert client.wait(ids["jobId"]) == "completed"
        worker.signal(signal.SIGTERM)
        assert worker.wait() == 0
        api.signal(signal.SIGTERM)
        assert api.wait() == 0
    finally:
        deployment.close()

    def events(child) -> list[dict]:
        return [json.loads(line) for line in child.lines]  # every line one JSON object

    def states(lines) -> list[str]:
        return [e["state"] for e in lines if e["event"] == "job" and e["job_id"] == ids["jobId"]]

    api_lines, worker_lines = events(api), events(worker)
    assert states(api_lines) == ["scheduled"]  # the API process takes the submission
    assert states(worker_lines) == ["in_progress", "completed"]  # the worker runs it
    assert not [e for e in worker_lines if e["event"] == "request"]
    assert any(e["event"] == "request" and e["path"] == "/v1/process/text" for e in api_lines)
    assert "taking jobs from" in worker_lines[0]["message"]
