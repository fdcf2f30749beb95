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
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

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


@pytest.fixture
def held():
    """samples/mono-16k.wav over HTTP, its fetch by the sandbox's job (any client but
    symbl-media's own look at the URL) held until ``gate`` is set: the job stays in progress."""
    gate = threading.Event()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(SAMPLES), **kwargs)

        def do_GET(self):
            if not self.headers.get("User-Agent", "").startswith("symbl-media"):
                gate.wait(60)
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/mono-16k.wav", gate
    gate.set()
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


CUES = """1
00:00:01,000 --> 00:00:03,000
Alice: Good morning everyone.

2
00:00:03,500 --> 00:00:06,000
Bob: The beta build is ready.

3
00:00:06,500 --> 00:00:08,000
Alice: Please send the report by Friday.
"""


def _cue_times(text: str) -> list[str]:
    return [line.split(" --> ")[0] for line in text.splitlines() if " --> " in line]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_transcripts_cue_times_come_back_as_they_were(run, tmp_path):
    """Cues at 1.0/3.5/6.5 s stay there through the embedded sandbox: in the captions written
    right after ``submit`` and by a later ``insights``, whose JSON gives the messages as the
    service returned them (stated startTimes; timeOffset from the conversation's start, the
    first cue) and the transcript's time zero they count from: the moment the submission was
    made, so "by Friday" is due within the week of the test run, not in January 2000."""
    env = {k: v for k, v in run.env.items() if not k.startswith("SYMBL_")}
    before = datetime.now(UTC).replace(microsecond=0)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "symbl_media", *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=300)

    cues = tmp_path / "cues.srt"
    cues.write_text(CUES)
    done = cli("submit", cues, "--sink", f"srt:{tmp_path / 'out.srt'}", "--json")
    assert done.returncode == 0, done.stderr
    assert _cue_times((tmp_path / "out.srt").read_text()) == [
        "00:00:01,000", "00:00:03,500", "00:00:06,500"]
    result = json.loads(done.stdout)
    assert result["duration"] == 8.0
    later = cli("insights", result["conversationId"], "--sink", f"vtt:{tmp_path / 'x.vtt'}",
                "--json")
    assert later.returncode == 0, later.stderr
    assert _cue_times((tmp_path / "x.vtt").read_text()) == [
        "00:00:01.000", "00:00:03.500", "00:00:06.500"]
    found = json.loads(later.stdout)
    origin = _instant(found["origin"])
    assert before <= origin <= datetime.now(UTC)
    assert origin.microsecond == 0  # to the second
    record = json.loads(next((run.home / "state" / "symbl-media" / "submissions")
                             .glob("*.json")).read_text())
    assert _instant(record["extra"]["timeZero"]) == origin  # what insights ID read
    assert [_instant(m["startTime"]) - origin for m in found["messages"]] == [
        timedelta(seconds=s) for s in (1.0, 3.5, 6.5)]
    assert [m["timeOffset"] for m in found["messages"]] == [0, 2.5, 5.5]
    due = [_instant(a["dueBy"]).date() for a in found["actionItems"]
           if "report" in a["text"] and a.get("dueBy")]
    assert due and origin.date() <= due[0] <= origin.date() + timedelta(days=7), due
    # A transcript without times is laid out by the service from 0, as before.
    plain = tmp_path / "plain.txt"
    plain.write_text("Alice: Good morning everyone.\n\nBob: The beta build is ready.\n")
    done = cli("submit", plain, "--sink", f"srt:{tmp_path / 'plain.srt'}")
    assert done.returncode == 0, done.stderr
    assert _cue_times((tmp_path / "plain.srt").read_text())[0] == "00:00:00,000"


def test_a_resumed_transcript_keeps_its_time_zero(run, ops, tmp_path):
    """The time zero is chosen when the submission is first made and kept in its record: a
    run that stops before the transcript arrives, resumed a second later, sends the very same
    times."""
    cues = tmp_path / "cues.srt"
    cues.write_text(CUES)
    once = replace(run, env={**run.env, "SYMBL_MEDIA_RETRIES": "1"})
    # Each of the run's sends is refused (submit.MAX_SENDS of them), so it stops unsent.
    ops.faults(status500={"count": 3, "path": "/v1/process/text", "method": "POST"})
    failed = once("submit", cues, "--json")
    assert failed.code != 0, failed.out
    [path] = run.submissions.glob("*.json")
    zero = _instant(json.loads(path.read_text())["extra"]["timeZero"])
    time.sleep(1.1)  # a time zero chosen again would be a later second
    done = run("resume", "--json")
    assert done.code == 0, done.err
    record = json.loads(path.read_text())
    assert _instant(record["extra"]["timeZero"]) == zero
    messages = ops.messages(record["conversation_id"])
    assert [_instant(m["startTime"]) - zero for m in messages] == [
        timedelta(seconds=s) for s in (1.0, 3.5, 6.5)]


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


def test_a_downloaded_url_is_named_by_its_last_path_segment(run, ops, web):
    # A redirect is downloaded and prepared here, not sent as a URL.
    for extra, name in (([], "mono-16k.wav"), (["--name", "Weekly sync"], "Weekly sync")):
        done = run("submit", f"{web}/moved/mono-16k.wav?sig=secret", "--no-wait", "--json",
                   *extra)
        assert done.code == 0, done.err
        assert "downloading" in done.err
        cid = json.loads(done.out)["conversationId"]
        assert ops.box.client().get(f"/v1/conversations/{cid}").json()["name"] == name


def _records(run, **options) -> list[dict]:
    records = [json.loads(p.read_text()) for p in run.submissions.glob("*.json")]
    return [r for r in records if all(r["options"].get(k) == v for k, v in options.items())]


def test_the_audio_stream_in_the_submissions_language_is_sent(run, ops, tmp_path,
                                                              two_languages):
    path = two_languages(tmp_path / "spa-eng.mkv", "spa", "eng")
    done = run("submit", path, "--no-wait", "--json")  # en-US, the default: track 1
    assert done.code == 0, done.err
    assert "warning" not in done.err
    assert [r["options"]["mode"] for r in _records(run)] == ["default"]
    for language in ("es-ES", "spa"):  # an API code, or the stream's tag for one: track 0
        # The sandbox transcribes English only: it refuses es-ES once the stream is chosen.
        done = run("submit", path, "--language", language, "--name", language, "--no-wait",
                   "--json")
        assert done.code == 21 and "es-ES" in done.err, done.err
    spanish = _records(run, languageCode="es-ES")
    assert [r["options"]["mode"] for r in spanish] == ["phone", "phone"]


def test_no_stream_in_the_default_language_is_sent_with_a_warning_saying_which(
        run, ops, tmp_path, two_languages):
    path = two_languages(tmp_path / "spa-fra.mkv", "spa", "fra")
    done = run("submit", path, "--no-wait", "--json")
    assert done.code == 0, done.err
    warnings = [line for line in done.err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "audio stream 0" in warnings[0], done.err
    assert "en-US" in warnings[0] and "spa" in warnings[0]


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


@pytest.mark.parametrize("args", [
    ["status", "../conversations/1234567890123456"], ["status", ""], ["status", "a b"],
    ["status", "%2e%2e"], ["insights", "1234567890123456/../1"], ["insights", "1?x=2"],
    ["insights", "."], ["append", "1#x", str(SAMPLES / "mono.mp3")],
    ["append", "../1", str(SAMPLES / "mono.mp3")],
], ids=lambda a: " ".join(map(repr, a)))
def test_an_id_that_would_change_the_url_is_a_usage_error_and_nothing_is_asked(run, ops, args):
    before = len(ops.conversations())
    done = run(*args)
    assert done.code == 2, done.err
    assert done.out == "" and "Traceback" not in done.err
    assert done.err.count("\n") == 1 and done.err.startswith("symbl-media: error: ")
    assert " id" in done.err
    assert len(ops.conversations()) == before


def test_insights_of_a_conversation_whose_job_runs_refuses_or_waits(run, ops, held, tmp_path):
    url, gate = held
    sent = run("submit", url, "--no-wait", "--json")
    assert sent.code == 0, sent.err
    cid = json.loads(sent.out)["conversationId"]
    out = tmp_path / "insights.json"
    # The submission record names the job, and the job is still running.
    early = run("insights", cid, "--sink", f"json:{out}")
    assert early.code == 19, early.err
    assert early.out == "" and early.err.count("\n") == 1 and "not finished" in early.err
    assert not out.exists()
    # Without the record (another machine), the sandbox's list of the conversation's jobs.
    elsewhere = replace(run, env={**run.env, "XDG_STATE_HOME": str(tmp_path / "elsewhere")})
    stranger = elsewhere("insights", cid, "--json")
    assert stranger.code == 19 and stranger.out == "", stranger.err
    # --wait waits for the job, then writes.
    waiting = run.start("insights", cid, "--wait", "--sink", f"json:{out}")
    try:
        line = waiting.stderr.readline()
        assert "waiting for job" in line, line
        gate.set()
        _, err = waiting.communicate(timeout=300)
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.communicate()
    assert waiting.returncode == 0, err
    assert json.loads(out.read_text())["messages"]


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


def test_status_of_an_embedded_job_nobody_runs_says_what_will(run):
    """The embedded sandbox lives in the process that opened it: after ``submit --no-wait``
    nothing runs the job until a command that waits for it (``resume``) opens it again."""
    env = {k: v for k, v in run.env.items() if not k.startswith("SYMBL_")}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "symbl_media", *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=300)

    sent = cli("submit", SAMPLES / "mono-16k.wav", "--no-wait", "--json")
    assert sent.returncode == 0, sent.stderr
    job = json.loads(sent.stdout)["jobIds"][-1]
    for _ in range(2):  # looking does not start it (and abandon it)
        status = cli("status", job, "--json")
        assert status.returncode == 0, status.stderr
        got = json.loads(status.stdout)
        assert got["status"] in ("scheduled", "in_progress"), got
        assert "`symbl-media resume`" in got["note"]
        assert "`symbl-media resume`" in status.stderr and "Traceback" not in status.stderr
    finished = cli("resume")
    assert finished.returncode == 0, finished.stderr
    status = cli("status", job, "--json")
    assert json.loads(status.stdout) == {"jobId": job, "status": "completed"}
    assert status.stderr == ""


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


# ----------------------------------------------------------------------------- sinks and output

def _transcripts(tmp_path, count: int = 2) -> list:
    """Copies of the sample transcript (each its own submission): the Text API is quick."""
    folder = tmp_path / "transcripts"
    folder.mkdir(exist_ok=True)
    out = []
    for n in range(count):
        path = folder / f"call-{n}.txt"
        shutil.copy(SAMPLES / "transcript.txt", path)
        out.append(path)
    return out


def test_several_inputs_into_a_new_folder_give_one_file_each(run, ops, tmp_path):
    first, second = _transcripts(tmp_path)
    slash, bare = tmp_path / "out" / "multi", tmp_path / "out" / "plain"
    done = run("submit", first, second, "--sink", f"json:{slash}/", "--sink", f"txt:{bare}",
               "--json")
    assert done.code == 0, done.err
    results = json.loads(done.out)
    # Each result names the input it came from, as a failed one does.
    assert sorted(r["input"] for r in results) == sorted([str(first), str(second)])
    cids = {r["conversationId"] for r in results}
    assert len(cids) == 2
    assert slash.is_dir() and bare.is_dir()
    assert {p.name for p in slash.iterdir()} == {f"{c}.json" for c in cids}
    assert {p.name for p in bare.iterdir()} == {f"{c}.txt" for c in cids}
    for cid in cids:
        assert json.loads((slash / f"{cid}.json").read_text())["conversationId"] == cid
    one = run("submit", first, "--json")
    assert one.code == 0, one.err
    assert json.loads(one.out)["input"] == str(first)

    # insights ID into a folder that does not exist yet.
    cid = sorted(cids)[0]
    newdir = tmp_path / "out" / "newdir"
    again = run("insights", cid, "--sink", f"json:{newdir}/")
    assert again.code == 0, again.err
    assert [p.name for p in newdir.iterdir()] == [f"{cid}.json"]
    # --json with a sink on standard output is refused, as for submit.
    both = run("insights", cid, "--json", "--sink", "json")
    assert both.code == 2 and "--json" in both.err and both.out == ""


def test_a_sink_that_fails_at_the_end_loses_neither_the_others_nor_the_summary(run, ops,
                                                                             tmp_path):
    (transcript,) = _transcripts(tmp_path, 1)
    first = run("submit", transcript, "--json")
    assert first.code == 0, first.err
    cid = json.loads(first.out)["conversationId"]
    # Where the json sink's file should go, a folder is in the way (found only when writing).
    out = tmp_path / "out"
    (out / f"{cid}.json" / "inside").mkdir(parents=True)
    text = tmp_path / "t.txt"
    done = run("insights", cid, "--sink", f"json:{out}/", "--sink", f"txt:{text}")
    assert done.code == 8, done.err
    assert f"conversation {cid}" in done.out and f"wrote        {text}" in done.out
    assert "not written  json:" in done.out
    errors = [line for line in done.err.splitlines() if "error" in line]
    assert any(f"{cid}.json" in line and "Is a directory" in line for line in errors), done.err
    assert "Traceback" not in done.err
    assert text.read_text().startswith("[00:00:00] ")
    assert sorted(p.name for p in out.iterdir()) == [f"{cid}.json"]  # no temp file left
