"""The everyday commands against the sandbox: options, inputs of every kind, append, status,
insights, several inputs at once, and the embedded sandbox when no credentials are set."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading

import pytest

SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def web():
    """The samples folder over HTTP, plus a redirect (which Symbl refuses, so we download)."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(SAMPLES), **kwargs)

        def do_GET(self):
            if self.path.startswith("/moved/"):
                self.send_response(302)
                self.send_header("Location", "/" + self.path.split("/", 2)[2])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

        def do_HEAD(self):
            if self.path.startswith("/moved/"):
                return self.do_GET()
            super().do_HEAD()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("args, flag", [
    (["--confidence", "0.3"], "--confidence"),
    (["--language", "xx-YY"], "--language"),
    (["--diarize", "0"], "--diarize"),
    (["--diarize", "2", "--language", "fr-FR"], "--diarize"),
    (["--channel", "1=Alice"], "--channel"),
    (["--separate-channels", "--channel", "one=Alice"], "--channel"),
    (["--tracker", "Pricing"], "--tracker"),
    (["--tracker", "Bad=price$"], "--tracker"),
    (["--webhook", "ftp://example.com/hook"], "--webhook"),
    (["--mode", "radio"], "--mode"),
    (["--sink", "pdf:out.pdf"], "--sink"),
], ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_an_option_out_of_range_fails_before_anything_is_sent(run, ops, args, flag):
    before = len(ops.conversations())
    done = run("submit", SAMPLES / "mono-16k.wav", *args)
    assert done.code == 2, done.err
    assert flag in done.err and "Traceback" not in done.err
    assert len(ops.conversations()) == before
    assert not list(run.submissions.glob("*.json")) if run.submissions.exists() else True


def test_options_reach_the_service_as_the_contract_spells_them(run, ops, tmp_path):
    entities = tmp_path / "entities.json"
    entities.write_text(json.dumps([{"customType": "Product", "text": "budget report"}]))
    done = run("submit", SAMPLES / "mono-16k.wav", "--name", "Launch review", "--vocab",
               "beta", "--vocab", "budget", "--confidence", "0.6", "--detect-phrases",
               "--entities", entities, "--detect-entities", "--tracker",
               "Money=budget,report", "--summary", "--language", "en-US", "--json")
    assert done.code == 0, done.err
    result = json.loads(done.out)
    cid = result["conversationId"]
    conversation = ops.box.client().get(f"/v1/conversations/{cid}").json()
    assert conversation["name"] == "Launch review"
    found = ops.box.client().get(f"/v1/conversations/{cid}/entities").json()["entities"]
    assert any(e.get("customType") == "Product" for e in found)
    trackers = ops.box.client().get(f"/v1/conversations/{cid}/trackers-detected").json()
    assert any(t["name"] == "Money" for t in trackers)


def test_a_phone_call_is_sent_in_phone_mode_and_stereo_with_names_per_channel(run, ops):
    done = run("submit", SAMPLES / "trap-call-8k.wav", "--json")
    assert done.code == 0, done.err
    record = json.loads(next(run.submissions.glob("*.json")).read_text())
    assert record["options"]["mode"] == "phone"
    done = run("submit", SAMPLES / "meeting-stereo.wav", "--separate-channels", "--channel",
               "1=Alice:alice@example.com", "--channel", "2=Bob", "--json")
    assert done.code == 0, done.err
    cid = json.loads(done.out)["conversationId"]
    members = ops.box.client().get(f"/v1/conversations/{cid}/members").json()["members"]
    assert {m["name"] for m in members} >= {"Alice", "Bob"}


def test_a_transcript_goes_to_the_text_api(run, ops, tmp_path):
    out = tmp_path / "t.json"
    done = run("submit", SAMPLES / "transcript.txt", "--sink", f"json:{out}")
    assert done.code == 0, done.err
    saved = json.loads(out.read_text())
    speakers = {m["from"]["name"] for m in saved["messages"]}
    assert speakers == {"ALICE", "BOB", "CHRIS"}
    assert any("budget report" in a["text"] for a in saved["actionItems"])
    got = ops.receipts(saved["conversationId"])
    assert [r["kind"] for r in got] == ["text"]


def test_a_transcript_whose_reply_is_lost_is_found_not_resent(run, ops):
    before = len(ops.conversations())
    ops.faults(drop_after_body={"count": 1, "path": "/v1/process/text", "method": "POST"})
    done = run("submit", SAMPLES / "transcript.txt", "--json")
    assert done.code == 0, done.err
    assert "had arrived" in done.err
    assert len(ops.conversations()) == before + 1
    assert len(ops.receipts(json.loads(done.out)["conversationId"])) == 1


def test_a_mono_wav_url_is_sent_as_a_url_and_a_redirect_is_downloaded(run, ops, web):
    done = run("submit", f"{web}/mono-16k.wav", "--json")
    assert done.code == 0, done.err
    assert "sent as a URL" in done.err
    cid = json.loads(done.out)["conversationId"]
    assert [r["kind"] for r in ops.receipts(cid)] == ["audio_url"]
    done = run("submit", f"{web}/moved/meeting.mkv", "--json")
    assert done.code == 0, done.err
    assert "downloading" in done.err
    cid = json.loads(done.out)["conversationId"]
    assert [r["kind"] for r in ops.receipts(cid)] == ["audio"]
    assert len(ops.messages(cid)) >= 3


def test_a_bad_url_gets_one_line_and_nothing_is_sent(run, ops, web):
    before = len(ops.conversations())
    for url, code in ((f"{web}/missing.wav", 15), ("ftp://example.com/a.wav", 15)):
        done = run("submit", url)
        assert done.code == code, done.err
        assert done.err.strip().count("\n") == 0 and "Traceback" not in done.err
    assert len(ops.conversations()) == before


def test_append_status_and_insights(run, ops, tmp_path):
    first = run("submit", SAMPLES / "mono-16k.wav", "--json")
    assert first.code == 0, first.err
    cid = json.loads(first.out)["conversationId"]
    before = len(ops.messages(cid))
    appended = run("append", cid, SAMPLES / "mono.mp3", "--json")
    assert appended.code == 0, appended.err
    result = json.loads(appended.out)
    assert result["conversationId"] == cid
    assert len(ops.messages(cid)) > before
    status = run("status", result["jobIds"][0], "--json")
    assert json.loads(status.out) == {"jobId": result["jobIds"][0], "status": "completed"}
    out = tmp_path / "again.json"
    insights = run("insights", cid, "--sink", f"json:{out}")
    assert insights.code == 0, insights.err
    assert f"conversation {cid}" in insights.out
    assert json.loads(out.read_text())["conversationId"] == cid
    missing = run("append", "123", SAMPLES / "mono.mp3")
    assert missing.code == 11 and "404" in missing.err
    assert run("append", " ", SAMPLES / "mono.mp3").code == 2


def test_a_folder_gives_one_conversation_per_input_two_at_a_time(run, ops, tmp_path):
    folder = tmp_path / "calls"
    folder.mkdir()
    for name in ("mono-16k.wav", "mono.mp3", "meeting.ogg"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "notes.pdf").write_text("not picked up")
    out = tmp_path / "insights"
    out.mkdir()
    done = run("submit", folder, "--max-jobs", "2", "--sink", f"json:{out}", "--json")
    assert done.code == 0, done.err
    results = json.loads(done.out)
    assert len(results) == 3 and all(r["status"] == "completed" for r in results)
    assert len({r["conversationId"] for r in results}) == 3
    assert len(list(out.glob("*.json"))) == 3


def test_one_bad_input_in_a_batch_does_not_stop_the_others(run, ops, tmp_path):
    bad = tmp_path / "broken.mp3"
    bad.write_text("this is text, not audio")
    done = run("submit", SAMPLES / "mono-16k.wav", bad, "--json")
    assert done.code == 4, done.err
    results = json.loads(done.out)
    assert [r["status"] for r in results] == ["completed", "failed"]
    assert "broken.mp3" in done.err and "Traceback" not in done.err


def test_credentials_missing_for_a_real_endpoint(run):
    env = {k: v for k, v in run.env.items() if k not in ("SYMBL_APP_ID", "SYMBL_APP_SECRET")}
    env["SYMBL_API_URL"] = "https://api.example.com"
    done = subprocess.run([sys.executable, "-m", "symbl_media", "submit",
                           str(SAMPLES / "mono-16k.wav")], capture_output=True, text=True,
                          env=env, cwd=run.home)
    assert done.returncode == 12
    assert "no credentials for https://api.example.com" in done.stderr


def test_without_credentials_the_embedded_sandbox_runs_the_sample(run):
    env = {k: v for k, v in run.env.items() if not k.startswith("SYMBL_")}
    done = subprocess.run([sys.executable, "-m", "symbl_media", "submit",
                           str(SAMPLES / "meeting.mkv"), "--json"], capture_output=True,
                          text=True, env=env, cwd=run.home, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "using the embedded sandbox" in done.stderr
    assert done.stderr.count("embedded sandbox") == 1
    result = json.loads(done.stdout)
    assert result["counts"]["actionItems"] >= 1
    assert (run.home / "data" / "symbl-media" / "sandbox").is_dir()
    # The secret of the embedded sandbox never shows.
    assert "sandbox-app-secret" not in done.stderr + done.stdout
    # onnxruntime (the speech engine's voice detector) keeps a 51-byte session id file, .ses,
    # in TMPDIR and reuses it; everything of ours is gone.
    assert [n for n in os.listdir(run.home / "tmp") if n != ".ses"] == []


def test_as_video_sends_an_mp4_to_the_video_api(run, ops):
    done = run("submit", SAMPLES / "meeting.mkv", "--as-video", "--json")
    assert done.code == 0, done.err
    cid = json.loads(done.out)["conversationId"]
    got = ops.receipts(cid)
    assert [(r["kind"], r["contentType"]) for r in got] == [("video", "video/mp4")]
    assert len(ops.messages(cid)) >= 3


def test_standard_input_is_a_source_and_the_same_bytes_again_are_the_same_submission(run, ops):
    data = (SAMPLES / "mono.mp3").read_bytes()

    def piped():
        done = subprocess.run([sys.executable, "-m", "symbl_media", "submit", "-", "--json"],
                              input=data, capture_output=True, env=run.env, timeout=300)
        return done.returncode, done.stdout.decode(), done.stderr.decode()

    code, out, err = piped()
    assert code == 0, err
    first = json.loads(out)
    assert first["alreadyDone"] is False and len(ops.messages(first["conversationId"])) >= 3
    code, out, err = piped()
    assert code == 0, err
    assert json.loads(out)["alreadyDone"] is True
    empty = subprocess.run([sys.executable, "-m", "symbl_media", "submit", "-"], input=b"",
                           capture_output=True, env=run.env, timeout=60)
    assert empty.returncode == 4 and b"standard input is empty" in empty.stderr


def test_a_quoted_glob_expands_to_its_recordings(run, ops, tmp_path):
    folder = tmp_path / "deep" / "er"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "mono-16k.wav", folder / "a.wav")
    shutil.copy(SAMPLES / "mono.mp3", folder / "b.mp3")
    (folder / "c.txt.bak").write_text("ignored")
    done = run("submit", f"{tmp_path}/**/*.*", "--json", "--max-jobs", "2")
    assert done.code == 0, done.err
    assert len(json.loads(done.out)) == 2
    missing = run("submit", f"{tmp_path}/nothing-*.wav")
    assert missing.code == 3 and "matches no recordings" in missing.err
