"""Audio jobs end to end: recognition, appends in order, channels, URLs, webhooks."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import time
from datetime import datetime

import pytest
import soundfile as sf

from symbl_media.testing import running_sandbox


@pytest.fixture(scope="module")
def shared_sandbox(tmp_path_factory):
    """One server for the module: the speech model loads once."""
    with running_sandbox(tmp_path_factory.mktemp("jobs-sandbox"), max_concurrent_jobs=4) as s:
        yield s


@pytest.fixture
def client(shared_sandbox):
    return shared_sandbox.client()


def submit(client, path, body, **query):
    reply = client.post(path, data=body, params=query)
    assert reply.status_code == 201, reply.text
    ids = reply.json()
    assert client.wait(ids["jobId"]) == "completed", client.get(
        f"/sandbox/conversations/{ids['conversationId']}/uploads").json()
    return ids


def test_a_recording_becomes_messages_with_word_timings(client, samples):
    ids = submit(client, "/v1/process/audio", (samples / "mono-16k.wav").read_bytes())
    messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages",
                          params={"verbose": "true"}).json()["messages"]
    text = " ".join(m["text"] for m in messages).lower()
    assert "budget" in text and "friday" in text
    for m in messages:
        assert m["startTime"].endswith("Z") and m["words"]
        assert m["text"] == " ".join(w["word"] for w in m["words"]).strip()
        assert all(0 <= w["score"] <= 1 for w in m["words"])
    offsets = [m["timeOffset"] for m in messages]
    assert offsets == sorted(offsets) and offsets[-1] < 15


def test_appends_run_in_order_and_offsets_continue(client, samples, tmp_path, cli):
    # A recording cut into three pieces by prepare, posted then appended piece by piece.
    long = tmp_path / "long.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-stream_loop", "8", "-i",
                    str(samples / "mono-16k.wav"), "-c", "copy", str(long)], check=True)
    run = cli("prepare", long, "--out", tmp_path / "pieces", "--chunk-minutes", "1", "--json")
    pieces = json.loads(run.out)["pieces"]
    assert len(pieces) == 2 or len(pieces) == 3
    first = client.post("/v1/process/audio",
                        data=(tmp_path / "pieces" / pieces[0]["file"]).read_bytes()).json()
    cid = first["conversationId"]
    jobs = [first["jobId"]]
    assert client.wait(first["jobId"]) == "completed"
    for piece in pieces[1:]:
        reply = client.put(f"/v1/process/audio/{cid}",
                           data=(tmp_path / "pieces" / piece["file"]).read_bytes())
        assert reply.status_code == 201 and reply.json()["conversationId"] == cid
        jobs.append(reply.json()["jobId"])
        assert client.wait(jobs[-1]) == "completed"
    received = client.get(f"/sandbox/conversations/{cid}/uploads").json()["uploads"]
    assert [u["jobId"] for u in received] == jobs
    assert [u["sha256"] for u in received] == [p["sha256"] for p in pieces]
    messages = client.get(f"/v1/conversations/{cid}/messages").json()["messages"]
    offsets = [m["timeOffset"] for m in messages]
    assert offsets == sorted(offsets)
    total = sum(p["duration"] for p in pieces)
    assert offsets[-1] > total - 20  # the last piece's speech sits at the end, not at 0
    conversation = client.get(f"/v1/conversations/{cid}").json()
    assert conversation["endTime"] > conversation["startTime"]


def _text(client, ids) -> str:
    messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages").json()
    return " ".join(m["text"] for m in messages["messages"])


def test_wav_uploads_are_judged_and_read_from_their_header(client, samples, tmp_path,
                                                           monkeypatch):
    """A WAV is not probed (at the POST or in the job), and a 16 kHz mono float one is made
    16-bit without ffmpeg: with neither tool on PATH the float copy of mono-16k.wav is
    accepted and gives the very words of the 16-bit file (the same samples reach Whisper); a
    stereo WAV still needs ffmpeg to be mixed, but no ffprobe."""
    plain = submit(client, "/v1/process/audio", (samples / "mono-16k.wav").read_bytes())
    audio, rate = sf.read(str(samples / "mono-16k.wav"), dtype="float32")
    floats = tmp_path / "float.wav"
    sf.write(str(floats), audio, rate, subtype="FLOAT")
    tools = tmp_path / "bin"
    tools.mkdir()
    monkeypatch.setenv("PATH", str(tools))
    ids = submit(client, "/v1/process/audio", floats.read_bytes())
    assert _text(client, ids) == _text(client, plain)
    (tools / "ffmpeg").symlink_to(shutil.which("ffmpeg", path=os.defpath + ":/usr/bin"))
    ids = submit(client, "/v1/process/audio", (samples / "meeting-stereo.wav").read_bytes())
    assert "budget" in _text(client, ids).lower()


def test_separate_channels_name_the_speakers_of_a_call(client, samples):
    metadata = json.dumps([{"channel": 1, "speaker": {"name": "Alice", "email": "a@x.com"}},
                           {"channel": 2, "speaker": {"name": "Bob", "email": "b@x.com"}}])
    ids = submit(client, "/v1/process/audio", (samples / "trap-call-8k.wav").read_bytes(),
                 enableSeparateRecognitionPerChannel="true", channelMetadata=metadata)
    members = client.get(f"/v1/conversations/{ids['conversationId']}/members").json()
    assert sorted(m["name"] for m in members["members"]) == ["Alice", "Bob"]
    messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages").json()
    assert {m["from"]["name"] for m in messages["messages"]} == {"Alice", "Bob"}


def test_diarization_assigns_speakers_and_members_can_be_merged(client, samples):
    ids = submit(client, "/v1/process/audio", (samples / "mono-16k.wav").read_bytes(),
                 enableSpeakerDiarization="true", diarizationSpeakerCount="2")
    cid = ids["conversationId"]
    members = client.get(f"/v1/conversations/{cid}/members").json()["members"]
    assert [m["name"] for m in members] == ["Speaker 1", "Speaker 2"]
    for member in members:
        reply = client.put(f"/v1/conversations/{cid}/members/{member['id']}",
                           json={"id": member["id"], "email": "same@x.com", "name": "One"})
        assert reply.status_code == 200 and "updated successfully" in reply.json()["message"]
    after = client.get(f"/v1/conversations/{cid}/members").json()["members"]
    assert [(m["name"], m["email"]) for m in after] == [("One", "same@x.com")]


def test_a_url_is_fetched_and_what_arrived_is_kept(client, web, samples, shared_sandbox):
    base, hooks = web
    reply = client.post("/v1/process/audio/url",
                        json={"url": f"{base}/mono-16k.wav", "webhookUrl": f"{base}/hook"})
    ids = reply.json()
    assert client.wait(ids["jobId"]) == "completed"
    (upload,) = client.get(f"/sandbox/conversations/{ids['conversationId']}/uploads"
                           ).json()["uploads"]
    assert upload["sha256"] == hashlib.sha256((samples / "mono-16k.wav").read_bytes()).hexdigest()
    kept = shared_sandbox.app.data_dir / "uploads" / f"{ids['jobId']}.bin"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # like a received upload
    deadline = time.monotonic() + 15  # deliveries are asynchronous: wait for the last one
    while len([h for h in hooks if h["jobId"] == ids["jobId"]]) < 2:
        assert time.monotonic() < deadline, hooks
        time.sleep(0.05)
    assert [h["status"] for h in hooks if h["jobId"] == ids["jobId"]] == ["in_progress",
                                                                          "completed"]


@pytest.mark.parametrize("path,reason", [("/moved.wav", "redirect"),
                                         ("/missing.wav", "HTTP 404")])
def test_a_url_that_redirects_or_fails_fails_the_job_not_the_request(client, web, path,
                                                                      reason):
    base, _ = web
    reply = client.post("/v1/process/audio/url", json={"url": base + path})
    assert reply.status_code == 201
    ids = reply.json()
    assert client.wait(ids["jobId"]) == "failed"
    (upload,) = client.get(f"/sandbox/conversations/{ids['conversationId']}/uploads"
                           ).json()["uploads"]
    assert reason in upload["error"]


def test_an_unreachable_host_fails_the_job(client):
    reply = client.post("/v1/process/audio/url", json={"url": "http://127.0.0.1:9/a.wav"})
    assert client.wait(reply.json()["jobId"]) == "failed"


def test_a_job_that_fails_on_purpose_reports_failed(tmp_path, samples):
    with running_sandbox(tmp_path, faults={"fail_job": 1}) as sandbox:
        api = sandbox.client()
        reply = api.post("/v1/process/text", json={"messages": [{"payload": {"content": "Hi"}}]})
        assert api.wait(reply.json()["jobId"]) == "failed"


def _stated(content: str, start: str, end: str) -> dict:
    return {"payload": {"content": content}, "duration": {"startTime": start, "endTime": end}}


def test_text_dated_before_a_recording_appended_to_it_goes_on_after_the_last(client, samples):
    """A recording starts when it was submitted; text stated years before that cannot be
    placed there, so it goes on after the last message (tests/server/test_text_times.py has
    the rest of the rules)."""
    audio = submit(client, "/v1/process/audio", (samples / "mono-16k.wav").read_bytes())
    cid = audio["conversationId"]
    before = client.get(f"/v1/conversations/{cid}").json()
    more = client.put(f"/v1/process/text/{cid}", json={"messages": [
        _stated("Appended.", "2000-01-01T00:00:01Z", "2000-01-01T00:00:02Z")]}).json()
    assert client.wait(more["jobId"]) == "completed"
    after = client.get(f"/v1/conversations/{cid}").json()
    assert after["startTime"] == before["startTime"]
    last = client.get(f"/v1/conversations/{cid}/messages").json()["messages"][-1]
    ended = (datetime.fromisoformat(before["endTime"])
             - datetime.fromisoformat(before["startTime"])).total_seconds()
    # Both ISO times are cut to the millisecond, the offset rounded to 2 decimals.
    assert last["text"] == "Appended." and last["timeOffset"] == pytest.approx(ended, abs=0.011)


def test_a_job_cut_off_by_the_sandbox_stopping_is_not_reported_failed(register_plugin, tmp_path,
                                                                      samples, caplog):
    """`submit --no-wait` on the embedded sandbox closes it with a job running: the pools the
    job uses are shut under it, and what it raises then is the stop, not a failure. It used
    to print "job … failed: internal error: RuntimeError: cannot schedule new futures after
    shutdown" into submit's output; the job is given back and runs again from the start."""
    import logging
    import threading

    from symbl_media.plugins import hookspecs
    from symbl_media.plugins.types import Engine
    from symbl_media.server.engines.settings import EngineSettings

    entered, release = threading.Event(), threading.Event()

    class Stalling:
        name = "stalling"

        def transcribe(self, wav, *, language, vocabulary):
            entered.set()
            release.wait(30)
            raise RuntimeError("cannot schedule new futures after shutdown")

    class Plugin:
        @staticmethod
        @hookspecs.hookimpl
        def register_engines(register):
            register(Engine("transcriber", "stalling", lambda settings: Stalling(), "test"))

    register_plugin(Plugin(), name="stalling-transcriber")
    caplog.set_level(logging.INFO, logger="symbl_media.server")
    with running_sandbox(tmp_path / "box", engines=EngineSettings(transcriber="stalling")) as box:
        api = box.client()
        reply = api.post("/v1/process/audio", data=(samples / "mono-16k.wav").read_bytes())
        assert reply.status_code == 201, reply.text
        job_id = reply.json()["jobId"]
        assert entered.wait(30)
        store = box.app.store
        box.app.worker.stop()  # as the embedded sandbox's close does; the job is given back
        release.set()
        deadline = time.monotonic() + 10
        while box.app.worker.busy and time.monotonic() < deadline:
            time.sleep(0.02)
        assert (store.job(job_id)["status"], store.job(job_id)["owner"]) == ("in_progress", None)
        # What a polling client sees: still in_progress, never back to scheduled.
        assert api.get(f"/v1/job/{job_id}").json()["status"] == "in_progress"
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
                and job_id in r.getMessage()]
    assert failures == []
    assert any("stopped with the sandbox" in r.getMessage() for r in caplog.records)
