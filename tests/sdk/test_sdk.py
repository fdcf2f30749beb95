"""The Python API's own promises: the pipeline behind process_file and process_url, appends,
wait=False and its callbacks, typed results, typed errors, configuration as the CLI reads it,
and an interpreter that is never held open unless asked."""

from __future__ import annotations

import json
import os
import time

import pytest

import symbl_media as symbl
from symbl_media.errors import (
    ApiError,
    AuthError,
    InputNotFound,
    InvalidArgument,
    JobFailed,
)
from symbl_media.submission.records import Store

from .conftest import CREDENTIALS, SAMPLES

TEXT = {"name": "Planning", "messages": [
    {"payload": {"content": "Bob, please send the budget report to finance by Friday."},
     "from": {"name": "Alice", "userId": "alice@example.com"}},
    {"payload": {"content": "Sure. What about the hiring plan for Acme Corporation?"},
     "from": {"name": "Bob", "userId": "bob@example.com"}},
    {"payload": {"content": "I am really happy with the launch, great work everyone."},
     "from": {"name": "Carol", "userId": "carol@example.com"}}]}


def received(sandbox, conversation_id: str) -> list[dict]:
    """What the sandbox received for a conversation, in order (kind, contentType, ...)."""
    reply = sandbox.client().get(f"/sandbox/conversations/{conversation_id}/uploads")
    return reply.json()["uploads"]


def wait_for(predicate, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# ----------------------------------------------------------------------------- the pipeline

def test_importing_the_package_loads_the_python_api_only_when_used(python):
    code, out, err, _ = python(
        "import sys, symbl_media\n"
        "print('symbl_media.sdk.async_api' in sys.modules)\n"
        "symbl_media.Audio\n"
        "print('symbl_media.sdk.async_api' in sys.modules)\n", env=dict(os.environ))
    assert (code, out.split()) == (0, ["False", "True"]), err


def test_recordings_in_any_format_are_prepared_like_the_cli_and_appended(sandbox):
    # A video container with stereo AAC, encoded to MP3 as the prepare options ask.
    first = symbl.Audio.process_file(SAMPLES / "meeting.mkv", prepare={"format": "mp3"})
    before = len(first.messages())
    appended = symbl.Video.append_file(str(SAMPLES / "meeting.webm"), first.conversation_id)
    assert appended.conversation_id == first.conversation_id
    assert [(r["kind"], r["contentType"]) for r in received(sandbox, first.conversation_id)] \
        == [("audio", "audio/mpeg"), ("video", "video/mp4")]
    texts = [m.text for m in appended.messages()]
    assert len(texts) == 2 * before and "budget report" in " ".join(texts)


def test_a_transcript_file_goes_to_the_text_api(sandbox):
    conversation = symbl.Audio.process_file(SAMPLES / "transcript.txt")
    assert [r["kind"] for r in received(sandbox, conversation.conversation_id)] == ["text"]
    assert [m.speaker for m in conversation.messages()][:3] == ["ALICE", "BOB", "CHRIS"]


def test_a_transcript_of_offsets_counts_from_when_it_was_submitted(sandbox, tmp_path):
    """As on the command line: cues at 1.0/3.5 s are sent from the moment the submission was
    made (to the second, UTC; kept in its record), not from a date in 2000."""
    from datetime import UTC, datetime, timedelta

    cues = tmp_path / "cues.srt"
    cues.write_text("1\n00:00:01,000 --> 00:00:03,000\nAlice: Good morning.\n\n"
                    "2\n00:00:03,500 --> 00:00:06,000\nBob: Please send the report by "
                    "Friday.\n")
    before = datetime.now(UTC).replace(microsecond=0)
    conversation = symbl.Audio.process_file(cues)  # a transcript goes to the Text API
    starts = [datetime.fromisoformat(m.to_json()["startTime"].replace("Z", "+00:00"))
              for m in conversation.messages()]
    zero = starts[0] - timedelta(seconds=1)
    assert before <= zero <= datetime.now(UTC) and zero.microsecond == 0
    assert starts[1] - zero == timedelta(seconds=3.5)
    [record] = [r for r in Store().all() if r.conversation_id == conversation.conversation_id]
    assert record.extra["timeZero"] == zero.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_url_symbl_can_fetch_is_sent_as_a_url_and_any_other_is_prepared_here(
        sandbox, clips, web):
    direct = symbl.Audio.process_url(url=web.serve("mono.wav", clips.wav))
    prepared = symbl.Audio.process_url(payload={"url": web.serve("stereo.mp3", clips.mp3),
                                                "name": "From a URL"})
    assert [r["kind"] for r in received(sandbox, direct.conversation_id)] == ["audio_url"]
    assert [(r["kind"], r["contentType"]) for r in received(sandbox,
                                                            prepared.conversation_id)] \
        == [("audio", "audio/wav")]
    assert prepared.info().name == "From a URL"


def test_the_payload_options_and_parameters_reach_the_service():
    conversation = symbl.Text.process({**TEXT, "detectPhrases": True},
                                      parameters={"enableSummary": True})
    assert conversation.info().name == "Planning"
    assert conversation.messages()[0].phrases  # detectPhrases
    assert conversation.summary()  # enableSummary


def test_the_text_kept_for_resume_is_removed_once_done():
    symbl.Text.process(TEXT)
    assert not list((Store().folder / "texts").iterdir())


# ----------------------------------------------------------------------------- appends

APPENDS = [
    ("Audio.append_file", lambda cid: symbl.Audio.append_file(SAMPLES / "mono.mp3", cid)),
    ("Video.append_file", lambda cid: symbl.Video.append_file(SAMPLES / "meeting.mp4", cid)),
    ("Audio.append_url", lambda cid: symbl.Audio.append_url("http://127.0.0.1:9/a.wav", cid)),
    ("Video.append_url", lambda cid: symbl.Video.append_url(
        payload={"url": "http://127.0.0.1:9/v.mp4"}, conversation_id=cid)),
    ("Text.append", lambda cid: symbl.Text.append(TEXT, cid, wait=False)),
]


@pytest.mark.parametrize("method", [a[1] for a in APPENDS], ids=[a[0] for a in APPENDS])
@pytest.mark.parametrize("conversation_id", [None, "", "   "], ids=["missing", "empty", "blank"])
def test_an_append_without_a_conversation_id_is_refused_before_anything_is_sent(
        method, conversation_id):
    with pytest.raises(InvalidArgument, match=r"conversation_id is (missing|empty); give the id "
                                              r"of the conversation to add to"):
        method(conversation_id)
    assert not Store().all()


@pytest.mark.parametrize("conversation_id", ["../conversations/1", "1/messages", "1?x=2", "1 2",
                                             "%2e"])
def test_a_conversation_id_that_would_change_the_url_is_refused_before_anything_is_sent(
        conversation_id):
    with pytest.raises(InvalidArgument, match="is not a conversation id"):
        symbl.Conversation(conversation_id)
    with pytest.raises(InvalidArgument, match="Text.append: .* is not a conversation id"):
        symbl.Text.append(TEXT, conversation_id, wait=False)
    assert not Store().all()


def test_a_missing_file_is_refused_by_the_call_even_in_the_background():
    with pytest.raises(InputNotFound, match="nowhere.wav: no such file"):
        symbl.Audio.process_file("nowhere.wav", wait=False)


def test_an_append_to_an_unknown_conversation_raises_the_services_404():
    with pytest.raises(ApiError) as caught:
        symbl.Text.append(TEXT, "1234567890123456")
    assert caught.value.status == 404
    assert caught.value.message == "The conversationId is either invalid or does not exist."


# ----------------------------------------------------------------------------- wait=False

def slow_text_submissions(sandbox, seconds: float) -> None:
    """The sandbox holds the next Text API submission for ``seconds`` before handling it."""
    reply = sandbox.client().post("/sandbox/faults", json={"slow": {
        "count": 1, "path": "/v1/process/text", "seconds": seconds}})
    assert reply.status_code == 200, reply.text


def test_wait_false_returns_at_once_and_each_callback_fires_exactly_once(sandbox):
    calls = []
    slow_text_submissions(sandbox, 1.0)
    started = time.monotonic()
    conversation = symbl.Text.process(TEXT, wait=False)
    assert time.monotonic() - started < 0.5 and not conversation.done()
    conversation.on_complete(lambda c: calls.append(("complete", c))) \
        .on_error(lambda c: calls.append(("error", c)))
    with pytest.raises(TimeoutError):
        conversation.result(timeout=0.01)
    assert conversation.result(timeout=60) is conversation
    wait_for(lambda: calls)
    conversation.on_complete(lambda c: calls.append(("late", c)))
    conversation.on_error(lambda c: calls.append(("late error", c)))
    assert calls == [("complete", conversation), ("late", conversation)]
    assert conversation.status == "completed" and conversation.exception() is None
    assert conversation.job_id == conversation.job_ids[-1]


def test_a_failure_in_the_background_goes_to_on_error_once():
    calls = []
    conversation = symbl.Text.append(TEXT, "1234567890123456", wait=False)
    conversation.on_error(lambda c: calls.append(c.exception())) \
        .on_complete(lambda c: calls.append("complete"))
    with pytest.raises(ApiError):
        conversation.result(timeout=30)
    wait_for(lambda: calls)
    conversation.on_error(lambda c: calls.append("late"))
    assert [type(c).__name__ if not isinstance(c, str) else c for c in calls] == \
        ["ApiError", "late"]
    assert conversation.status == "failed" and conversation.exception().status == 404


def test_a_callback_that_raises_does_not_stop_the_others(caplog):
    calls = []
    conversation = symbl.Text.process(TEXT)
    conversation.on_complete(lambda c: 1 / 0).on_complete(lambda c: calls.append("second"))
    assert calls == ["second"]
    assert "raised" in caplog.text and "ZeroDivisionError" in caplog.text


def test_the_conversation_id_waits_for_the_first_piece_to_be_accepted():
    conversation = symbl.Text.process(TEXT, wait=False)
    assert conversation.conversation_id.isdigit()  # blocks until known
    assert conversation.result(timeout=30).messages()


# ----------------------------------------------------------------------------- results

@pytest.fixture(scope="module")
def planning(sandbox, tmp_path_factory):
    """One finished text conversation with every insight switched on, and its id."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
            patch.setenv(name, str(tmp_path_factory.mktemp(name)))
        patch.setenv("SYMBL_API_URL", sandbox.url)
        conversation = symbl.Text.process(TEXT, credentials=CREDENTIALS, parameters={
            "detectEntities": True, "enableSummary": True,
            "trackers": [{"name": "Money", "vocabulary": ["budget", "finance", "pricing",
                                                          "cost", "invoice"]}]})
    return conversation


INSIGHTS = [("messages", "messages", {"sentiment": True}), ("topics", "topics", {}),
            ("action_items", "action-items", {}), ("follow_ups", "follow-ups", {}),
            ("questions", "questions", {}), ("entities", "entities", {}),
            ("members", "members", {}), ("summary", "summary", {}),
            ("trackers", "trackers-detected", {}), ("analytics", "analytics", {}),
            ("info", "", {})]


@pytest.mark.parametrize("method,path,params", INSIGHTS, ids=[i[0] for i in INSIGHTS])
def test_every_insight_converts_back_to_the_reply_it_came_from(sandbox, planning, method,
                                                               path, params):
    value = getattr(planning, method)(parameters=params or None)
    url = f"/v1/conversations/{planning.conversation_id}" + (f"/{path}" if path else "")
    query = "?sentiment=true" if params else ""
    assert value.to_json() == sandbox.client().get(url + query).json()
    assert value


def test_the_get_spellings_are_the_same_methods():
    conversation = symbl.Conversation
    for name in ("messages", "topics", "action_items", "follow_ups", "questions", "entities",
                 "members", "summary", "trackers", "analytics"):
        assert getattr(conversation, f"get_{name}") is getattr(conversation, name)
    assert conversation.get_conversation is conversation.info


def test_results_are_typed_values(planning):
    message = planning.messages(parameters={"sentiment": True})[2]
    assert message.from_.name == message._from.name == message.speaker == "Carol"
    assert message.sentiment.suggested == "positive" and message.sentiment.polarity.score > 0
    assert message.start_time.tzinfo is not None and message.duration > 0
    item = planning.action_items().action_items[0]
    assert item.text.startswith("Bob will send the budget report") and item.assignee.name == "Bob"
    assert planning.trackers()[0].name == "Money"
    assert {m.type for m in planning.analytics().metrics} >= {"total_talk_time"}
    assert symbl.Conversation(planning.conversation_id).questions()[0].text.endswith("?")


# ----------------------------------------------------------------------------- errors

def test_a_refusal_carries_the_status_and_the_services_message():
    with pytest.raises(ApiError) as caught:
        symbl.Text.process(TEXT, parameters={"confidenceThreshold": 5})
    assert caught.value.status == 400
    assert caught.value.message.startswith('"confidenceThreshold" must be greater than or '
                                           'equal to 0.5')


def test_pipeline_errors_name_python_parameters_not_cli_flags(clips):
    from symbl_media.errors import PlanError
    from symbl_media.media.preprocess import PreprocessProblem

    with pytest.raises(PlanError, match="the Video API needs a video stream") as caught:
        symbl.Video.process_file(clips.wav)
    assert "--" not in str(caught.value)
    with pytest.raises(PlanError, match=r"prepare\['audio_stream'\] 3") as caught:
        symbl.Audio.process_file(clips.wav, prepare={"audio_stream": 3})
    assert "--" not in str(caught.value)
    with pytest.raises(PreprocessProblem, match=r"prepare\['preprocess'\] reverb") as caught:
        symbl.Audio.process_file(clips.wav, prepare={"preprocess": ["reverb"]})
    assert "--" not in str(caught.value)


def test_a_failed_job_raises_job_failed(sandbox):
    assert sandbox.client().post("/sandbox/faults", json={"fail_job": 1}).status_code == 200
    with pytest.raises(JobFailed, match="failed"):
        symbl.Text.process(TEXT)


def test_an_insight_the_service_does_not_have_raises_its_404():
    with pytest.raises(ApiError) as caught:
        symbl.Conversation("1234567890123456").messages()
    assert caught.value.status == 404


@pytest.mark.parametrize("bad", [
    {"app_id": "only-an-id"}, {"app_id": "x", "app_secret": ""}, {"appId": "x"}, "id:secret"])
def test_malformed_credentials_are_refused_by_the_call(bad):
    with pytest.raises(InvalidArgument, match="credentials"):
        symbl.Text.process(TEXT, credentials=bad, wait=False)


# ----------------------------------------------------------------------------- configuration

def test_credentials_given_to_the_call_are_used_instead_of_the_environment():
    with pytest.raises(AuthError) as caught:
        symbl.Text.process(TEXT, credentials={"app_id": "someone", "app_secret": "wrong"})
    assert caught.value.status == 401
    assert symbl.Text.process(TEXT, credentials=CREDENTIALS).status == "completed"


def test_symbl_conf_in_the_working_folder_is_read_as_the_cli_reads_it(isolated, monkeypatch):
    monkeypatch.delenv("SYMBL_APP_ID")
    monkeypatch.delenv("SYMBL_APP_SECRET")
    (isolated / "symbl.conf").write_text(f"[credentials]\napp_id={CREDENTIALS['app_id']}\n"
                                         f"app_secret={CREDENTIALS['app_secret']}\n")
    assert symbl.Text.process(TEXT).status == "completed"


def test_an_api_url_without_credentials_is_refused_by_the_call(monkeypatch):
    monkeypatch.delenv("SYMBL_APP_ID")
    monkeypatch.delenv("SYMBL_APP_SECRET")
    with pytest.raises(AuthError, match="no credentials for http://127.0.0.1"):
        symbl.Text.process(TEXT, wait=False)


# ----------------------------------------------------------------------------- the interpreter

BACKGROUND = f"""
import symbl_media as symbl
conversation = symbl.Text.process({TEXT!r}, wait=False)
conversation.on_complete(lambda c: print("completed", len(c.messages())))
KEEP
print("leaving")
"""


def test_background_work_does_not_hold_the_interpreter_open(python, sandbox):
    slow_text_submissions(sandbox, 6.0)  # the submission is still in flight at exit
    code, out, err, seconds = python(BACKGROUND.replace("KEEP", ""), env=dict(os.environ))
    assert (code, out.split()) == (0, ["leaving"]), err
    assert seconds < 5 and "Traceback" not in err


def test_keep_alive_makes_exit_wait_for_the_conversation_and_its_callbacks(python, sandbox):
    slow_text_submissions(sandbox, 1.0)
    script = BACKGROUND.replace("KEEP", "conversation.keep_alive()")
    code, out, err, _ = python(script, env=dict(os.environ))
    assert code == 0, err
    assert out.split()[0] == "leaving" and out.split()[1] == "completed"


EMBEDDED = """
import json, sys
import symbl_media as symbl
if len(sys.argv) > 1:
    conversation = symbl.Conversation(sys.argv[1])
else:
    conversation = symbl.Text.process({payload})
print(json.dumps({{"id": conversation.conversation_id,
                   "texts": [m.text for m in conversation.messages()]}}))
"""


def test_with_no_credentials_at_all_the_embedded_sandbox_is_used_and_stopped_at_exit(
        python, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBL_", "XDG_"))}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    script = EMBEDDED.format(payload=repr(TEXT))
    code, out, err, _ = python(script, env=env)
    assert code == 0, err
    made = json.loads(out)
    assert made["texts"][0].startswith("Bob, please send")
    assert (tmp_path / "data" / "symbl-media" / "sandbox").is_dir()
    # The first process let go of the sandbox's data folder: the next one opens it and finds
    # the conversation there.
    code, out, err, _ = python(script, made["id"], env=env)
    assert code == 0, err
    assert json.loads(out) == made


def test_the_python_api_module_runs_no_thread_until_asked(python):
    code, out, err, _ = python("import threading, symbl_media as symbl\n"
                               "symbl.Audio, symbl.Text\n"
                               "print(threading.active_count())", env=dict(os.environ))
    assert (code, out.strip()) == (0, "1"), err

