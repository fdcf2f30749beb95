"""The llm insights engine over a real sandbox over HTTP, against a loopback stand-in that
speaks the chat-completions wire format: grounded items in the default engine's shapes, an
invented item dropped, 429 then success, and every failure (401, garbage, a timeout) falling
back to the default engine, said in the metadata, the log and the client's summary, with the
key nowhere."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from symbl_media.insights.collect import engine_note
from symbl_media.server.engines.settings import EngineSettings
from symbl_media.server.engines.llm import LlmInsights, schema
from symbl_media.testing import running_sandbox

from .chat_standin import ChatStandIn, Step, lines_of
from .test_insights import WEDNESDAY, meeting_lines, say
from .test_insights_shapes import EVERYTHING, check_shapes

KEY = "sk-standin-key-5f1e2d3c4b5a"
WRONG = "sk-wrong-key-0a9b8c7d6e5f"
MEMBERS = {"Priya Patel": "priya@brightdesk.example", "Tom Becker": "tom@acme.example"}
# Thursday 14 March 2024: "Friday" is the 15th, "next week" (as a due date) Friday the 22nd.
SAID = [("Priya Patel", "Hi Tom, thanks for joining. Let me share my screen."),
        ("Tom Becker", "Sure. Could you send me the pricing sheet by Friday?"),
        ("Priya Patel", "Yes, I'll send it by Friday. What budget do you have this quarter?"),
        ("Tom Becker", "Around forty thousand. I will set up a call with our finance team "
                       "next week.")]
BODY = {"name": "pricing call", "messages": [
    {"payload": {"content": text}, "from": {"name": who, "userId": MEMBERS[who]},
     "duration": {"startTime": f"2024-03-14T15:00:{10 * i:02d}.000Z",
                  "endTime": f"2024-03-14T15:00:{10 * i + 8:02d}.000Z"}}
    for i, (who, text) in enumerate(SAID)]}


def model(request: dict) -> str:
    """What a model might answer: two right items, one with details nobody said, one citing
    a message that does not exist, a question it made up, a topic nobody talked about."""
    shown = lines_of(request)
    assert shown[2].startswith("Tom Becker: Sure. Could you send me")
    return json.dumps({
        "actionItems": [
            {"messages": [2, 3], "text": "Priya Patel will send Tom Becker the pricing sheet "
             "by Friday", "assignee": "Priya Patel", "due": "by Friday", "definitive": True,
             "followUp": True},
            {"messages": [4], "text": "Tom Becker will set up a call with the finance team "
             "next week.", "assignee": "Tom", "due": "next week", "definitive": True,
             "followUp": True},
            {"messages": [2, 3], "text": "Priya Patel will send the pricing sheet at 3 pm on "
             "Monday.", "assignee": "Priya Patel", "due": "on Monday", "definitive": True,
             "followUp": True},
            {"messages": [9], "text": "Tom Becker will sign the contract.", "assignee":
             "Tom Becker", "due": None, "definitive": True, "followUp": False}],
        "questions": [{"message": 3, "text": "What budget do you have this quarter?"},
                      {"message": 1, "text": "Are you ready to sign today?"}],
        "topics": [{"text": "pricing sheet", "parent": None},
                   {"text": "finance team", "parent": None},
                   {"text": "quantum computing", "parent": None}]})


@pytest.fixture
def stand_in():
    chat = ChatStandIn(key=KEY, model=model)
    yield chat
    chat.close()


def settings(chat: ChatStandIn, key: str = KEY) -> EngineSettings:
    return EngineSettings.from_environment({"SYMBL_MEDIA_INSIGHTS": "llm",
                                            "SYMBL_MEDIA_LLM_URL": chat.url,
                                            "SYMBL_MEDIA_LLM_MODEL": "tiny-chat",
                                            "SYMBL_MEDIA_LLM_KEY": key})


def submit(box) -> tuple[dict, dict]:
    """(the conversation, its insights by endpoint) after the job completed."""
    api = box.client()
    reply = api.post("/v1/process/text", json=BODY)
    assert reply.status_code == 201, reply.text
    assert api.wait(reply.json()["jobId"]) == "completed"
    cid = reply.json()["conversationId"]
    got = {key: api.get(f"/v1/conversations/{cid}/{path}").json()[key]
           for path, key in (("messages", "messages"), ("action-items", "actionItems"),
                             ("follow-ups", "followUps"), ("questions", "questions"),
                             ("topics", "topics"), ("members", "members"))}
    return api.get(f"/v1/conversations/{cid}").json(), got


def test_grounded_items_in_the_default_engines_shapes(tmp_path, stand_in, caplog):
    caplog.set_level(logging.INFO, "symbl_media.server")
    with running_sandbox(tmp_path, engines=settings(stand_in)) as box:
        conversation, got = submit(box)
    ids = [m["id"] for m in got["messages"]]
    assert conversation["metadata"]["insightsEngine"] == {"name": "llm", "model": "tiny-chat"}
    items = got["actionItems"]
    # The invented call ("3 pm", "Monday") and the item citing message 9 are dropped.
    assert [i["text"] for i in items] == [
        "Priya Patel will send Tom Becker the pricing sheet by Friday.",
        "Tom Becker will set up a call with the finance team next week."]
    assert items[0]["messageIds"] == ids[1:3] and items[1]["messageIds"] == [ids[3]]
    assert items[0]["assignee"] == {"name": "Priya Patel", "email": MEMBERS["Priya Patel"]}
    assert items[1]["assignee"] == {"name": "Tom Becker", "email": MEMBERS["Tom Becker"]}
    assert [i["dueBy"] for i in items] == ["2024-03-15T00:00:00.000Z",
                                           "2024-03-22T00:00:00.000Z"]
    assert items[0]["from"]["name"] == "Tom Becker"  # the request's speaker
    text = items[0]["text"]
    assert items[0]["entities"] == [
        {"type": "person", "text": "Priya Patel", "offset": 0,
         "value": {"assignee": True, "name": "Priya Patel"}},
        {"type": "person", "text": "Tom Becker", "offset": text.index("Tom"),
         "value": {"name": "Tom Becker"}},
        {"type": "date", "text": "Friday", "offset": text.index("Friday"),
         "value": "2024-03-15"}]
    assert [f["text"] for f in got["followUps"]] == [i["text"] for i in items]
    assert {f["id"] for f in got["followUps"]}.isdisjoint(i["id"] for i in items)
    assert [q["text"] for q in got["questions"]] == ["What budget do you have this quarter?"]
    assert got["questions"][0]["messageIds"] == [ids[2]]
    assert [t["text"] for t in got["topics"]] == ["pricing sheet", "finance team"]
    # What went over the wire: the key as a bearer token, the model, the schema asked for.
    sent = stand_in.requests[0]
    assert sent["headers"]["Authorization"] == f"Bearer {KEY}"
    assert sent["body"]["model"] == "tiny-chat"
    assert sent["body"]["response_format"]["type"] == "json_schema"
    assert sent["body"]["response_format"]["json_schema"]["schema"] == schema.schema(False)
    dropped = " ".join(r.getMessage() for r in caplog.records if "dropped" in r.getMessage())
    assert "invents 3, pm, Monday" in dropped and "cites no message" in dropped


def test_429_then_an_answer_waits_as_asked(tmp_path, stand_in):
    stand_in.script = [Step(429, {"Retry-After": "1"}, {
        "message": "Rate limit reached for tiny-chat", "type": "requests",
        "param": None, "code": "rate_limit_exceeded"})]
    with running_sandbox(tmp_path, engines=settings(stand_in)) as box:
        conversation, got = submit(box)
    assert conversation["metadata"]["insightsEngine"]["name"] == "llm"
    assert len(got["actionItems"]) == 2
    first, second = stand_in.requests[:2]
    assert second["at"] - first["at"] >= 0.95  # Retry-After: 1 honoured


def test_a_retry_after_beyond_the_cap_falls_back_at_once(tmp_path, stand_in, caplog):
    """Asked to wait longer than the policy's cap (20 s), the job does not hang on: the
    default engine makes the insights and the reason says what was asked."""
    caplog.set_level(logging.INFO)
    stand_in.script = [Step(503, {"Retry-After": "120"}, {
        "message": "The engine is currently overloaded", "type": "server_error",
        "param": None, "code": None})]
    with running_sandbox(tmp_path, engines=settings(stand_in)) as box:
        conversation, got = submit(box)
    falls_back(conversation, got, caplog, because="answered 503: The engine is currently "
                                                  "overloaded (asked to wait 120 s)")
    assert len(stand_in.requests) == 1


def falls_back(conversation: dict, got: dict, caplog, *, because: str) -> str:
    used = conversation["metadata"]["insightsEngine"]
    assert used["name"] == "heuristics" and used["requested"] == "llm"
    assert because in used["fallbackReason"], used
    assert got["actionItems"], "the default engine's items are there"
    warned = [r.getMessage() for r in caplog.records if "unavailable" in r.getMessage()]
    assert warned and because in warned[0]
    note = engine_note(conversation)
    assert note.startswith("insights by the heuristics engine: the llm engine was unavailable")
    return used["fallbackReason"]


def everything_said(caplog, *texts) -> str:
    return " ".join([*(r.getMessage() for r in caplog.records), *map(str, texts)])


def test_a_refused_key_falls_back_and_the_key_is_nowhere(tmp_path, stand_in, caplog):
    caplog.set_level(logging.INFO)
    with running_sandbox(tmp_path, engines=settings(stand_in, key=WRONG)) as box:
        conversation, got = submit(box)
    reason = falls_back(conversation, got, caplog, because="answered 401: Incorrect API key")
    assert len(stand_in.requests) == 1  # a 401 is an answer: not tried again
    assert WRONG in json.dumps(stand_in.requests[0]["headers"])  # it was sent ...
    assert WRONG not in everything_said(caplog, conversation, got, reason)  # ... never shown


def test_garbage_twice_falls_back_after_one_retry_with_the_problem(tmp_path, stand_in, caplog):
    caplog.set_level(logging.INFO)
    stand_in.script = [Step(content="Sure! Here are the action items: send the pricing sheet"),
                       Step(content='{"actionItems": [{"messages": ["two"]}]}')]
    with running_sandbox(tmp_path, engines=settings(stand_in)) as box:
        conversation, got = submit(box)
    falls_back(conversation, got, caplog, because="other than the JSON asked for, twice")
    assert len(stand_in.requests) == 2
    again = stand_in.requests[1]["body"]["messages"]
    assert again[-1]["role"] == "user" and "not JSON" in again[-1]["content"]
    assert KEY not in everything_said(caplog, conversation, got)


def test_an_answer_fixed_on_the_second_try_is_used(tmp_path, stand_in):
    stand_in.script = [Step(content='{"actionItems": []}')]  # missing keys
    with running_sandbox(tmp_path, engines=settings(stand_in)) as box:
        conversation, got = submit(box)
    assert conversation["metadata"]["insightsEngine"]["name"] == "llm"
    assert 'missing \\"questions\\"' in json.dumps(stand_in.requests[1]["body"]["messages"][-1])
    assert len(got["actionItems"]) == 2


def test_a_slow_endpoint_falls_back_after_the_timeout(tmp_path, stand_in, caplog):
    caplog.set_level(logging.INFO)
    stand_in.script = [Step(pause=3.0)]
    engine = LlmInsights(settings(stand_in).endpoint("llm"), timeout=1.0)
    with running_sandbox(tmp_path, insights=engine) as box:
        conversation, got = submit(box)
    falls_back(conversation, got, caplog, because="no answer within 1 s")
    assert KEY not in everything_said(caplog, conversation, got)


@pytest.mark.parametrize("refusal", [True, "fastapi", "llama-cpp-python"],
                         ids=["openai-400", "fastapi-422", "llama-cpp-python-500"])
def test_an_endpoint_refusing_json_schema_is_asked_with_json_object(tmp_path, refusal):
    chat = ChatStandIn(key=None, model=model, refuse_json_schema=refusal)
    try:
        env = settings(chat)
        with running_sandbox(tmp_path, engines=env) as box:
            conversation, got = submit(box)
    finally:
        chat.close()
    assert [r["body"]["response_format"]["type"] for r in chat.requests] == [
        "json_schema", "json_object"]
    assert conversation["metadata"]["insightsEngine"]["name"] == "llm"
    assert len(got["actionItems"]) == 2


def test_the_summary_notes_the_fallback(tmp_path, stand_in):
    """`submit` on the embedded server with the llm engine chosen by the environment: the key
    refused, the summary says which engine made the insights and why, and the key is in no
    output."""
    transcript = tmp_path / "call.txt"
    transcript.write_text("".join(f"{who}: {text}\n" for who, text in SAID))
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SYMBL_MEDIA_", "OPENAI_", "SYMBL_"))}
    env.update({"HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
                "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg"),
                "SYMBL_MEDIA_INSIGHTS": "llm", "SYMBL_MEDIA_LLM_URL": stand_in.url,
                "SYMBL_MEDIA_LLM_MODEL": "tiny-chat", "SYMBL_MEDIA_LLM_KEY": WRONG})
    done = subprocess.run([sys.executable, "-m", "symbl_media", "submit", str(transcript)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "note: insights by the heuristics engine: the llm engine was unavailable (the " \
           "chat endpoint answered 401" in done.stdout
    assert WRONG not in done.stdout + done.stderr
    assert stand_in.requests, "the embedded server called the endpoint"


def test_the_engine_refuses_to_start_without_a_url_or_a_model(tmp_path):
    from symbl_media.errors import EngineError

    with pytest.raises(EngineError, match="needs an OpenAI-compatible endpoint"):
        with running_sandbox(tmp_path / "a", engines=EngineSettings(insights="llm")):
            pass
    with pytest.raises(EngineError, match="needs a model"):
        with running_sandbox(tmp_path / "b", engines=EngineSettings(
                insights="llm", llm_url="http://127.0.0.1:9/v1")):
            pass


def quoting_model(request: dict) -> str:
    """A model that quotes: each line with a question mark is a question, each with "will" or
    "please" an action item in its own words, the longest words of the first line a topic."""
    shown = lines_of(request)
    items, questions = [], []
    for n, line in shown.items():
        who, text = line.split(": ", 1)
        if "?" in text:
            questions.append({"message": n, "text": text})
        if " will " in f" {text.lower()} " or "please" in text.lower():
            items.append({"messages": [n], "text": text, "assignee": who, "due": None,
                          "definitive": True, "followUp": "send" in text.lower()})
    first = sorted(shown[min(shown)].split(": ", 1)[1].rstrip(".?!").split(), key=len)[-2:]
    answer = {"actionItems": items, "questions": questions,
              "topics": [{"text": " ".join(first), "parent": None}]}
    if "summary" in request["response_format"]["json_schema"]["schema"]["properties"]:
        answer["summary"] = [{"messages": [min(shown)],
                              "text": shown[min(shown)].split(": ", 1)[1]}]
    return json.dumps(answer)


def test_every_field_as_the_default_engine_gives_it():
    """The engine alone, every option on: exactly the documented fields, with ids, offsets
    and references that hold (the default engine's own shape test)."""
    chat = ChatStandIn(key=None, model=quoting_model)
    try:
        engine = LlmInsights(settings(chat).endpoint("llm"))
        messages, members = say(meeting_lines())
        result = engine.analyse("5815170693595136", messages, members, duration=30.0,
                                start_time=WEDNESDAY, options=EVERYTHING)
    finally:
        chat.close()
    check_shapes(result, messages, members)
    assert result["actionItems"] and result["questions"] and result["topics"]
    assert result["summary"] and result["trackers"]
    refs = {r["id"] for t in result["trackers"] for m in t["matches"] for r in m["insightRefs"]}
    ours = {i["id"] for k in ("actionItems", "followUps", "questions") for i in result[k]}
    assert refs <= ours  # tracker references point at this engine's items


def test_a_long_conversation_goes_in_pieces_and_comes_back_merged():
    """Pieces of whole messages, numbered across the conversation, every message in one
    piece; the same words said twice are two items (ids from the message), and a topic's
    messages are all those of the whole conversation that use it."""
    chat = ChatStandIn(key=None, model=quoting_model)
    try:
        engine = LlmInsights(settings(chat).endpoint("llm"), piece_characters=150)
        lines = meeting_lines() * 2  # the same meeting twice: the same items again
        messages, members = say(lines)
        result = engine.analyse("5815170693595136", messages, members, duration=60.0,
                                start_time=WEDNESDAY)
    finally:
        chat.close()
    numbers = [sorted(lines_of(r["body"])) for r in chat.requests]
    assert len(numbers) > 2 and sum(numbers, []) == list(range(1, len(lines) + 1))
    assert all("This is part" in r["body"]["messages"][1]["content"] for r in chat.requests)
    texts = [i["text"] for i in result["actionItems"]]
    assert texts and len(texts) == 2 * len(set(texts))  # said twice: two items each, by id
    assert len({i["id"] for i in result["actionItems"]}) == len(texts)
    topic = result["topics"][0]
    assert len(topic["messageIds"]) >= 2  # both times the first line was said


def test_grounding_finds_invented_details_and_quoted_sentences():
    from symbl_media.server.engines.llm import grounding

    said = ["Sure. Could you send me the pricing sheet by Friday?"]
    names = frozenset({"priya", "patel", "tom", "becker"})
    assert grounding.invented("Priya Patel will send Tom the pricing sheet by Friday.", said,
                              names) == []
    assert grounding.invented("Priya will send it by 3 pm on Monday to Dana in Berlin.", said,
                              names) == ["3", "pm", "Monday", "Dana", "Berlin"]
    assert grounding.invented("Send the two reports.", ["send 2 reports"], names) == []
    assert grounding.supported("Tom Becker will send the pricing sheet.", said, names)
    assert not grounding.supported("Tom Becker will sign the contract.", said, names)
    assert grounding.best_sentence("could you send me the pricing sheet", said[0], names) == \
        "could you send me the pricing sheet"
    assert grounding.best_sentence("Could you send the pricing sheet by Friday", said[0],
                                   names) == said[0].split(". ")[1]
    assert grounding.best_sentence("Are you ready to sign?", said[0], names) is None


def test_answers_are_checked_against_the_schema_they_were_asked_for():
    wanted = schema.schema(True)
    good = {"actionItems": [{"messages": [1], "text": "x", "assignee": None, "due": None,
                             "definitive": True, "followUp": False}],
            "questions": [], "topics": [{"text": "budget", "parent": None}], "summary": []}
    assert schema.parse("```json\n" + json.dumps(good) + "\n```", wanted) == good
    bad = dict(good, actionItems=[{**good["actionItems"][0], "messages": ["1"], "extra": 1}])
    with pytest.raises(schema.Invalid, match=r'unexpected "extra".*messages\[0\]: expected '
                                             r'integer, got string'):
        schema.parse(json.dumps(bad), wanted)
    with pytest.raises(schema.Invalid, match="missing \"summary\""):
        schema.parse(json.dumps({k: v for k, v in good.items() if k != "summary"}), wanted)
    with pytest.raises(schema.Invalid, match="not JSON"):
        schema.parse("Here you go: {", wanted)
    assert "summary" not in schema.schema(False)["properties"]


def test_sandbox_serve_refuses_the_llm_engine_without_a_model(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SYMBL_MEDIA_", "OPENAI_", "SYMBL_"))}
    done = subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port",
                           "0", "--data", str(tmp_path), "--insights", "llm", "--llm-url",
                           "http://127.0.0.1:9/v1"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 10, done.stderr
    assert "needs a model: give --llm-model NAME or set SYMBL_MEDIA_LLM_MODEL" in done.stderr
    assert "Traceback" not in done.stderr
