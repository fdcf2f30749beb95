"""Text API messages keep the times they state, over real HTTP: the conversation starts at the
earliest, messages without times are paced after the one before, appends keep their own times
or go on after the last message."""

from __future__ import annotations

import pytest

from symbl_media.server import text_times
from symbl_media.testing import running_sandbox


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("text-times")) as sandbox:
        yield sandbox.client()


def _stated(content: str, start: str, end: str) -> dict:
    return {"payload": {"content": content}, "duration": {"startTime": start, "endTime": end}}


def _unstated(content: str) -> dict:
    return {"payload": {"content": content}}


def _submit(client, body: dict, cid: str | None = None) -> str:
    reply = (client.put(f"/v1/process/text/{cid}", json=body) if cid
             else client.post("/v1/process/text", json=body))
    assert reply.status_code in (200, 201), reply.text
    assert client.wait(reply.json()["jobId"]) == "completed"
    return reply.json()["conversationId"]


def _messages(client, cid: str) -> list[dict]:
    return client.get(f"/v1/conversations/{cid}/messages").json()["messages"]


def _span(client, cid: str) -> tuple[str, str]:
    conversation = client.get(f"/v1/conversations/{cid}").json()
    return conversation["startTime"], conversation["endTime"]


def _pace(text: str) -> float:
    return max(text_times.MIN_LENGTH, len(text.split()) / text_times.WORDS_PER_SECOND)


def test_stated_times_come_back_as_stated_from_the_earliest(client):
    """Each message starts and ends when stated, in UTC whatever zone it was given in, the
    conversation starts at the earliest stated start (a first message at 1 s is not moved to
    the start) and timeOffset counts from there."""
    cid = _submit(client, {"messages": [
        _stated("Good morning, let us review the plan.", "2000-01-01T00:00:01.000Z",
                "2000-01-01T00:00:03.000Z"),
        _stated("The beta build is ready.", "2000-01-01T02:00:03.500+02:00",
                "2000-01-01T02:00:06+02:00"),
        _stated("Please send the report by Friday.", "2000-01-01T00:00:06.500",
                "2000-01-01T00:00:08.000Z")]})
    messages = _messages(client, cid)
    assert [(m["startTime"], m["endTime"]) for m in messages] == [
        ("2000-01-01T00:00:01.000Z", "2000-01-01T00:00:03.000Z"),
        ("2000-01-01T00:00:03.500Z", "2000-01-01T00:00:06.000Z"),
        ("2000-01-01T00:00:06.500Z", "2000-01-01T00:00:08.000Z")]
    assert [(m["timeOffset"], m["duration"]) for m in messages] == [(0, 2), (2.5, 2.5),
                                                                    (5.5, 1.5)]
    assert _span(client, cid) == ("2000-01-01T00:00:01.000Z", "2000-01-01T00:00:08.000Z")
    listed = client.get("/v1/conversations", params={"limit": 1000}).json()["conversations"]
    assert [c["startTime"] for c in listed if c["id"] == cid] == ["2000-01-01T00:00:01.000Z"]


def test_messages_without_times_are_paced_after_the_one_before(client):
    """Some messages state times and some do not: the stated ones are kept (the conversation
    starts at the earliest of them), each other one follows the message before it at a
    speaking pace; before any stated one, that is the conversation's start."""
    first, third = "Hi all, thanks for coming.", "Sure, sounds good to me, let us do it."
    cid = _submit(client, {"messages": [
        _unstated(first),
        _stated("Can we ship on Monday?", "2020-07-21T16:04:19.990Z", "2020-07-21T16:04:22.000Z"),
        _unstated(third),
        _stated("Then Monday it is.", "2020-07-21T16:05:00Z", "2020-07-21T16:05:02Z")]})
    messages = _messages(client, cid)
    assert _span(client, cid) == ("2020-07-21T16:04:19.990Z", "2020-07-21T16:05:02.000Z")
    offsets = [(m["timeOffset"], m["duration"]) for m in messages]
    assert offsets[0] == (0, pytest.approx(_pace(first), abs=0.01))
    assert offsets[1] == (0, pytest.approx(2.01, abs=0.01))
    # After the stated message's end, with a pause.
    assert offsets[2] == (pytest.approx(2.01 + text_times.PAUSE, abs=0.01),
                          pytest.approx(_pace(third), abs=0.01))
    assert messages[3]["startTime"] == "2020-07-21T16:05:00.000Z"
    assert messages[1]["startTime"] == "2020-07-21T16:04:19.990Z"


def test_an_append_keeps_its_own_times_or_goes_on_after_the_last(client):
    cid = _submit(client, {"messages": [
        _stated("Good morning.", "2000-01-01T00:00:01Z", "2000-01-01T00:00:03Z"),
        _stated("Morning.", "2000-01-01T00:00:04Z", "2000-01-01T00:00:05Z")]})
    # Stated times after the start are kept, even a gap of ten years later.
    _submit(client, {"messages": [
        _stated("Sure.", "2010-05-05T10:00:00Z", "2010-05-05T10:00:01Z"),
        _stated("Thanks.", "2010-05-05T10:00:02Z", "2010-05-05T10:00:03Z")]}, cid)
    messages = _messages(client, cid)
    assert [m["startTime"] for m in messages[2:]] == ["2010-05-05T10:00:00.000Z",
                                                      "2010-05-05T10:00:02.000Z"]
    assert _span(client, cid) == ("2000-01-01T00:00:01.000Z", "2010-05-05T10:00:03.000Z")
    # One that falls inside what is already said is kept there; the end does not move.
    _submit(client, {"messages": [
        _stated("(an aside)", "2000-01-01T00:00:03.500Z", "2000-01-01T00:00:04.000Z")]}, cid)
    assert _messages(client, cid)[-1]["timeOffset"] == 2.5
    assert _span(client, cid)[1] == "2010-05-05T10:00:03.000Z"
    # Without times: after the last message, at a speaking pace.
    _submit(client, {"messages": [_unstated("One more thing before we go.")]}, cid)
    last = _messages(client, cid)[-1]
    assert last["startTime"] == "2010-05-05T10:00:03.000Z"
    assert last["duration"] == pytest.approx(_pace("One more thing before we go."), abs=0.01)


def test_an_append_dated_before_the_start_goes_on_after_the_last_keeping_its_gaps(client):
    cid = _submit(client, {"messages": [
        _stated("Good morning.", "2000-01-01T00:00:01Z", "2000-01-01T00:00:03Z")]})
    _submit(client, {"messages": [
        _stated("Earlier.", "1999-12-31T23:00:00Z", "1999-12-31T23:00:01Z"),
        _stated("Still earlier.", "1999-12-31T23:00:05Z", "1999-12-31T23:00:06Z")]}, cid)
    messages = _messages(client, cid)
    assert [m["startTime"] for m in messages] == ["2000-01-01T00:00:01.000Z",
                                                  "2000-01-01T00:00:03.000Z",
                                                  "2000-01-01T00:00:08.000Z"]
    assert _span(client, cid) == ("2000-01-01T00:00:01.000Z", "2000-01-01T00:00:09.000Z")


def test_relative_due_dates_are_read_against_the_stated_times(client):
    """Tuesday 21 July 2020, as stated: "by Friday" is Friday 24 July, whenever it is processed."""
    cid = _submit(client, {"messages": [
        _stated("Dana, please send the budget by Friday.", "2020-07-21T16:04:19.990Z",
                "2020-07-21T16:04:22.000Z")]})
    items = client.get(f"/v1/conversations/{cid}/action-items").json()["actionItems"]
    assert [i.get("dueBy") for i in items] == ["2020-07-24T00:00:00.000Z"]


def test_a_due_date_is_read_against_the_day_its_message_was_said(client):
    """An append stated six days later: its "tomorrow" is the day after it was said, not the
    day after the conversation began; entities' dates too."""
    cid = _submit(client, {"messages": [
        _stated("Dana, please send the budget tomorrow.", "2020-07-21T16:00:00Z",
                "2020-07-21T16:00:03Z")]})
    _submit(client, {"messages": [
        _stated("Dana, please send the slides tomorrow.", "2020-07-27T09:00:00Z",
                "2020-07-27T09:00:03Z")], "detectEntities": True}, cid)
    items = client.get(f"/v1/conversations/{cid}/action-items").json()["actionItems"]
    assert [i.get("dueBy") for i in items] == ["2020-07-22T00:00:00.000Z",
                                               "2020-07-28T00:00:00.000Z"]
    entities = client.get(f"/v1/conversations/{cid}/entities").json()["entities"]
    assert sorted(e["value"] for e in entities if e["type"] == "date") == ["2020-07-22",
                                                                         "2020-07-28"]
