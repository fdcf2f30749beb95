"""`--transcriber openai`: the sandbox's audio sent to an OpenAI-compatible endpoint over real
HTTP (a loopback stand-in that enforces the service's wire format and limits), its words
turned into messages as the built-in engine's are; refusals, garbage, hangs and outages end
the job with the endpoint's reason, never its key, and the server keeps serving."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile as sf

from symbl_media.retries import RetryPolicy
from symbl_media.server.engines.openai_speech import OpenAITranscriber
from symbl_media.server.engines.settings import Endpoint, Secret
from symbl_media.server.engines.speech_reply import NotATranscription, reply_words
from symbl_media.server.failures import JobFailure
from symbl_media.testing import running_sandbox

sys.path.insert(0, str(Path(__file__).parent))
from openai_standin import LIMIT, StandIn
from test_serve import free_port
from test_transcribe import MAX_WER, word_error_rate

KEY = "sk-standin-key-0123456789"
QUICK = RetryPolicy(attempts=3, backoff=0.2, max_backoff=2.0)


@pytest.fixture
def standin():
    server = StandIn(key=KEY).start()
    yield server
    server.stop()


def engine(standin, **kwargs) -> OpenAITranscriber:
    endpoint = Endpoint(standin.url, kwargs.pop("model", None), Secret(KEY, "test"))
    return OpenAITranscriber(endpoint, **{"policy": QUICK, **kwargs})


def tones(path: Path, seconds: int) -> Path:
    """A 0.4 s tone at 0.2 s past every second: tone k is heard over [k + 0.2, k + 0.6]."""
    t = np.arange(seconds * 16000) / 16000
    on = (t % 1.0 >= 0.2) & (t % 1.0 < 0.6)
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * 440 * t) * on).astype(np.float32), 16000,
             subtype="PCM_16")
    return path


# ----------------------------------------------------------------------------- the wire

def test_a_long_recording_goes_in_pieces_under_the_upload_limit_on_one_clock(standin, tmp_path):
    wav = tones(tmp_path / "long.wav", 14 * 60)  # 26.9 MB as one WAV: over the limit
    assert wav.stat().st_size > LIMIT
    found = engine(standin).transcribe(wav)
    uploads = [h for h in standin.heard if h.status == 200]
    assert len(uploads) == len(standin.heard) == 2
    assert all(h.content_length <= 25_000_000 for h in uploads)
    assert sum(h.audio_seconds for h in uploads) == pytest.approx(840, abs=0.01)
    starts = [w.start for s in found.segments for w in s.words]
    assert len(starts) == 840  # every tone once: none lost or doubled at the cut
    assert max(abs(t - (k + 0.2)) for k, t in enumerate(starts)) < 0.05
    assert found.details["pieces"][0][1] == pytest.approx(600, abs=1)


def test_the_standin_enforces_the_services_limit(standin, tmp_path):
    """Without the pieces the same file is refused by the service, and the job says why."""
    wav = tones(tmp_path / "long.wav", 14 * 60)
    whole = engine(standin, upload_limit=40_000_000, piece_seconds=5000)
    with pytest.raises(JobFailure, match=r"refused the audio \(413: Maximum content size "
                                         r"limit \(26214400\) exceeded"):
        whole.transcribe(wav)


def test_the_fields_are_the_documented_ones(standin, samples, tmp_path):
    wav = tmp_path / "m.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", f"file:{samples / 'mono-16k.wav'}",
                    "-c:a", "pcm_s16le", f"file:{wav}"], check=True)
    engine(standin).transcribe(wav, language="en-GB", vocabulary=["Bob", " budget "])
    heard = standin.heard[-1]
    assert heard.authorization == f"Bearer {KEY}"
    assert heard.file_name == "piece.wav"
    assert heard.fields == {"model": ["whisper-1"], "response_format": ["verbose_json"],
                            "timestamp_granularities[]": ["word", "segment"],
                            "language": ["en"], "temperature": ["0"], "prompt": ["Bob, budget"]}


def test_a_model_the_endpoint_does_not_have_is_its_refusal(standin, samples):
    with pytest.raises(JobFailure, match=r"refused the audio \(404: The model `large-v9` does "
                                         r"not exist"):
        engine(standin, model="large-v9").transcribe(samples / "mono-16k.wav")


def test_429_then_500_are_retried_and_retry_after_is_honoured(standin, samples):
    standin.then("429:1", "500")
    began = time.monotonic()
    found = engine(standin).transcribe(samples / "mono-16k.wav")
    assert [h.status for h in standin.heard] == [429, 500, 200]
    assert time.monotonic() - began >= 1.0  # the 1 s the service asked for
    assert found.segments


def test_a_key_quoted_back_is_kept_out_of_logs_and_job_errors(standin, samples, caplog):
    standin.then("echo500", "echo500", "echo500")
    with caplog.at_level("DEBUG"), pytest.raises(JobFailure) as failed:
        engine(standin).transcribe(samples / "mono-16k.wav")
    assert "Bearer [hidden]" in str(failed.value) and KEY not in str(failed.value)
    assert "trying again" in caplog.text and KEY not in caplog.text


def test_retries_are_bounded(standin, samples):
    standin.then("503", "503", "503", "503")
    with pytest.raises(JobFailure, match=r"failed 3 times, the last with 503: The server had "
                                         r"an error"):
        engine(standin).transcribe(samples / "mono-16k.wav")
    assert len(standin.heard) == 3


@pytest.mark.parametrize("fault, expected", [
    ("garbage", r"not JSON: <html><body>502 Bad Gateway"),
    ("hang", r"failed 2 times, the last with no answer within 1 s"),
])
def test_garbage_and_silence_end_the_job_with_a_reason(standin, samples, fault, expected):
    """A hang is tried twice, not as often as the policy allows: the server may still be at it."""
    standin.then(fault, fault, fault)
    quick = engine(standin, read_timeout=1.0, policy=RetryPolicy(attempts=5, backoff=0.1))
    with pytest.raises(JobFailure, match=expected):
        quick.transcribe(samples / "mono-16k.wav")
    assert len(standin.heard) == (2 if fault == "hang" else 1)


def test_replies_as_openai_sends_them_get_their_punctuation_back():
    reply = {"text": "Hello, Bob. Ship it?", "words": [
        {"word": "Hello", "start": 0.1, "end": 0.4}, {"word": "Bob", "start": 0.5, "end": 0.8},
        {"word": "Ship", "start": 1.5, "end": 1.7}, {"word": "it", "start": 1.7, "end": 9.0}],
        "segments": [{"text": " Hello, Bob.", "start": 0.0, "end": 0.9, "avg_logprob": -0.1},
                     {"text": " Ship it?", "start": 1.4, "end": 1.9, "avg_logprob": -0.5}]}
    words = reply_words(reply, length=2.0)
    assert [w.text for w in words] == ["Hello,", "Bob.", "Ship", "it?"]
    assert words[-1].end == 2.0  # inside the piece
    assert words[0].score == pytest.approx(0.905, abs=1e-3)  # the segment's confidence
    only_segments = reply_words({"segments": reply["segments"]}, length=2.0)
    assert [w.text for w in only_segments] == ["Hello,", "Bob.", "Ship", "it?"]
    assert only_segments[1].end == pytest.approx(0.9)
    # A segment that starts in a pause (as servers make them) keeps its words out of it.
    late = reply_words({"segments": [{"text": "Good morning.", "start": 0.0, "end": 3.0}]},
                       length=3.0, pauses=[(0.0, 1.0), (2.9, 3.5)])
    assert [(w.text, round(w.start, 2), round(w.end, 2)) for w in late] == [
        ("Good", 1.0, 1.63), ("morning.", 1.63, 2.9)]
    assert reply_words({"text": " "}, 2.0) == []
    for bad in ([], {"text": "hi"}, {"words": [{"word": "x"}]}, {"segments": "no"}):
        with pytest.raises(NotATranscription):
            reply_words(bad, 2.0)


# ----------------------------------------------------------------------------- the server

def serve(tmp_path: Path, *flags: str, env: dict | None = None):
    port = free_port()
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SYMBL_MEDIA_", "OPENAI_", "SYMBL_SANDBOX_"))}
    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port",
                             str(port), "--data", str(tmp_path / "data"), *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**base, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/", timeout=1).status_code == 200:
                return proc, url
        except requests.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(proc.communicate()[1])
            time.sleep(0.1)


def test_serve_with_an_openai_endpoint_end_to_end(tmp_path, samples):
    """Real words from the stand-in (faster-whisper behind it), messages and speakers as the
    built-in engine gives them; then a 401, an outage and a resubmission, on one server."""
    from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
    from symbl_media.testing import ApiClient

    standin = StandIn(key=KEY, mode="whisper").start()
    port = int(standin.url.split(":")[2].split("/")[0])
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")
    proc, url = serve(tmp_path, "--transcriber", "openai", "--transcriber-url", standin.url,
                      "--transcriber-key-file", str(key_file))
    try:
        api = ApiClient(url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
        audio = (samples / "mono-16k.wav").read_bytes()

        def error_of(job) -> str:
            uploads = api.get(f"/sandbox/conversations/{job['conversationId']}/uploads")
            return next(u["error"] for u in uploads.json()["uploads"]
                        if u["jobId"] == job["jobId"])

        def submit(query: str = ""):
            reply = api.post("/v1/process/audio" + query, data=audio,
                             headers={"Content-Type": "audio/wav"})
            assert reply.status_code in (200, 201), reply.text
            job = reply.json()
            status = api.wait(job["jobId"], timeout=180)
            return status, job

        status, job = submit("?enableSpeakerDiarization=true&diarizationSpeakerCount=3"
                             "&customVocabulary=Bob")
        assert status == "completed"
        messages = api.get(f"/v1/conversations/{job['conversationId']}/messages"
                           "?verbose=true").json()["messages"]
        lines = (samples / "transcript.txt").read_text().splitlines()
        reference = " ".join(line.split(":", 1)[1] for line in lines if ":" in line)
        assert word_error_rate(reference, " ".join(m["text"] for m in messages)) < MAX_WER
        assert len(messages) >= 5 and messages[0]["text"].endswith((".", "!", "?"))
        assert all(m["from"].get("name", "").startswith("Speaker") for m in messages)
        assert {w.get("speakerTag") for m in messages for w in m["words"]} - {None}
        assert standin.heard[-1].fields["prompt"] == ["Bob"]

        standin.key = "sk-a-key-the-server-does-not-have"  # the service now refuses ours
        status, job = submit()
        assert status == "failed"
        error = error_of(job)
        assert "refused the audio (401: Incorrect API key provided: [hidden]" in error, error
        assert KEY not in error and "sk-a-key-the-server" not in error

        standin.stop()  # the endpoint goes away: bounded retries, then a clear failure
        began = time.monotonic()
        status, job = submit()
        assert status == "failed" and time.monotonic() - began < 90
        assert "failed 5 times, the last with the connection refused" in error_of(job)
        assert requests.get(url + "/", timeout=5).status_code == 200  # still serving

        standin = StandIn(key=KEY, mode="whisper").start(port)  # back: a resubmission works
        assert submit()[0] == "completed"
    finally:
        standin.stop()
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert KEY not in out + err
    assert "engines: transcriber openai" in err
    # The job's state line (docs/deploy.md, "Logs"): its reason, with the endpoint named.
    assert re.search(r"job [\w-]+ of conversation \d+: failed after [\d.]+s: the transcriber "
                     r"endpoint http://127\.0\.0\.1:\d+/v1 refused the audio \(401", err)


def test_serve_refuses_the_openai_transcriber_without_an_endpoint(tmp_path):
    for flags, env, expected in [
        ((), {}, "needs an OpenAI-compatible endpoint: give --transcriber-url URL"),
        (("--transcriber-url", "https://api.openai.com/v1"), {},
         "OpenAI's API needs a key: set OPENAI_API_KEY"),
    ]:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("SYMBL_MEDIA_", "OPENAI_", "SYMBL_SANDBOX_"))}
        result = subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "serve",
                                 "--port", "0", "--data", str(tmp_path / "d"), "--transcriber",
                                 "openai", *flags], capture_output=True, text=True, timeout=60,
                                env={**base, **env}, check=False)
        assert result.returncode == 10, result.stderr
        assert result.stderr.count("\n") == 1 and expected in result.stderr


def test_a_job_in_the_sandbox_runs_through_the_engine_object(standin, tmp_path, samples):
    """The in-process server (the test kit, the Python API) takes the engine as an object."""
    standin.then("429:0")
    with running_sandbox(tmp_path / "box", transcriber=engine(standin)) as box:
        api = box.client()
        reply = api.post("/v1/process/audio?languageCode=fr-FR",
                         data=(samples / "mono-16k.wav").read_bytes(),
                         headers={"Content-Type": "audio/wav"})
        assert reply.status_code in (200, 201), reply.text  # the endpoint decides languages
        assert api.wait(reply.json()["jobId"], timeout=60) == "completed"
    assert standin.heard[-1].fields["language"] == ["fr"]


@pytest.mark.skipif(not os.environ.get("SYMBL_MEDIA_TEST_OPENAI_URL"),
                    reason="no real OpenAI-compatible server: set SYMBL_MEDIA_TEST_OPENAI_URL "
                           "(docs/sandbox-engines.md shows one run from PyPI)")
def test_a_real_openai_compatible_server(samples):
    """Against a real server (speaches, faster-whisper-server, ...) with an English model."""
    url = os.environ["SYMBL_MEDIA_TEST_OPENAI_URL"]
    real = OpenAITranscriber(Endpoint(url, os.environ.get("SYMBL_MEDIA_TEST_OPENAI_MODEL"),
                                      None))
    found = real.transcribe(samples / "mono-16k.wav", vocabulary=["Bob"])
    lines = (samples / "transcript.txt").read_text().splitlines()
    reference = " ".join(line.split(":", 1)[1] for line in lines if ":" in line)
    assert word_error_rate(reference, " ".join(s.text for s in found.segments)) < MAX_WER
    words = [w for s in found.segments for w in s.words]
    assert words and all(0 <= w.start < w.end <= found.duration for w in words)
