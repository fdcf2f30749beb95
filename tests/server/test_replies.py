"""The sandbox answers only the keys of the contract's shapes (contract/shapes.py), and an
insight engine that answers another key fails the job instead of reaching a client."""

from __future__ import annotations

import pytest

from symbl_media.contract import shapes
from symbl_media.errors import EngineError
from symbl_media.server import insights as heuristics
from symbl_media.server.replies import checked_insights
from symbl_media.testing import running_sandbox

from .test_insights_shapes import EVERYTHING
from .test_insights import meeting


def test_the_built_in_engine_keeps_to_the_contract_with_every_option():
    result = meeting(EVERYTHING)
    assert result["actionItems"] and result["trackers"] and result["summary"]
    assert shapes.unknown_keys(shapes.INSIGHTS, result) == []
    assert checked_insights(result) is result


def test_a_key_the_contract_does_not_name_is_found_at_any_depth():
    result = {"actionItems": [{"id": "1", "from": {"id": "m", "nickname": "Al"}}],
              "analytics": {"members": [{"talkTime": {"seconds": 1, "minutes": 0}}]},
              "topics": [{"sentiment": {"polarity": {"score": 0, "magnitude": 1}}}],
              "mood": "fine"}
    assert shapes.unknown_keys(shapes.INSIGHTS, result) == [
        "actionItems[0].from.nickname", "analytics.members[0].talkTime.minutes",
        "topics[0].sentiment.polarity.magnitude", "mood"]
    with pytest.raises(EngineError, match="actionItems\\[0\\].from.nickname"):
        checked_insights(result)


class _Chatty:
    """The built-in engine, with one field more on every question."""

    def analyse(self, *args, **kwargs):
        result = heuristics.analyse(*args, **kwargs)
        for item in result["questions"]:
            item["mood"] = "curious"
        return result

    sentiment = staticmethod(heuristics.sentiment)
    phrases = staticmethod(heuristics.phrases)


@pytest.mark.parametrize("engine, status", [(None, "completed"), (_Chatty(), "failed")])
def test_an_engine_answering_outside_the_contract_fails_the_job(tmp_path, engine, status):
    config = {} if engine is None else {"insights": engine}
    with running_sandbox(tmp_path, **config) as sandbox:
        api = sandbox.client()
        reply = api.post("/v1/process/text", json={"messages": [
            {"payload": {"content": "When does the budget review start on Friday?"}}]})
        assert reply.status_code == 201, reply.text
        assert api.wait(reply.json()["jobId"]) == status
        cid = reply.json()["conversationId"]
        questions = api.get(f"/v1/conversations/{cid}/questions").json()["questions"]
        messages = api.get(f"/v1/conversations/{cid}/messages").json()["messages"]
    # A failed job leaves the conversation as it was: no messages, no insights.
    assert (len(messages), len(questions)) == ((1, 1) if status == "completed" else (0, 0))
