"""The typed values read what the Conversation API sends and give it back unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from symbl_media.sdk import results
from symbl_media.testing import running_sandbox

MESSAGE = {"id": "6412283618000896", "text": "Bob, please send the report.",
           "from": {"id": "a1b2", "name": "Alice", "userId": "alice@example.com"},
           "startTime": "2022-11-25T09:20:22.928Z", "endTime": "2022-11-25T09:20:25.100Z",
           "timeOffset": 11, "duration": 2.17, "conversationId": "5815170693595136",
           "phrases": [{"type": "action_phrase", "text": "send the report"}],
           "sentiment": {"polarity": {"score": -0.809}, "suggested": "negative"},
           "words": [{"word": "Bob,", "startTime": "2022-11-25T09:20:22.928Z",
                      "endTime": "2022-11-25T09:20:23.100Z", "score": 0.93, "speakerTag": 1}],
           "somethingNew": {"kept": True}}


def test_a_message_is_typed_and_converts_back_to_exactly_what_was_sent():
    message = results.Message.from_json(MESSAGE)
    assert message.from_.name == message._from.name == message.speaker == "Alice"
    assert message.start_time == datetime(2022, 11, 25, 9, 20, 22, 928000, tzinfo=UTC)
    assert (message.time_offset, message.duration) == (11.0, 2.17)
    assert message.sentiment.polarity.score == -0.809 and message.sentiment.suggested == \
        "negative"
    assert message.words[0].score == 0.93 and message.words[0].speaker_tag == 1
    assert message.to_json() == MESSAGE


def test_what_the_service_left_out_is_none_not_a_made_up_value():
    message = results.Message.from_json({"id": 7, "text": "Hi", "startTime": "not a time"})
    assert message.id == "7"
    assert (message.time_offset, message.start_time, message.sentiment, message.from_) == \
        (None, None, None, None)
    assert message.words == () and message.phrases == ()


def test_to_json_hands_out_a_copy():
    message = results.Message.from_json(MESSAGE)
    message.to_json()["from"]["name"] = "Mallory"
    assert message.to_json()["from"]["name"] == "Alice"


def test_a_list_is_a_tuple_with_the_sdks_attribute_and_the_replys_shape():
    reply = {"actionItems": [{"id": "1", "text": "Send it", "type": "action_item",
                              "score": 0.9, "messageIds": ["6"], "definitive": True,
                              "assignee": {"name": "Bob"}, "dueBy": "2022-11-27T00:00:00Z"}]}
    items = results.ActionItems.from_json(reply["actionItems"])
    assert items.action_items is items and len(items) == 1
    assert isinstance(items[0], results.ActionItem) and items[0].assignee.name == "Bob"
    assert items[0].due_by.day == 27 and items[0].definitive is True
    assert items.to_json() == reply


def test_trackers_come_back_as_the_bare_array_the_endpoint_sends():
    reply = [{"id": "t1", "name": "Money", "matches": [
        {"type": "vocabulary", "value": "budget", "messageRefs": [
            {"id": "6", "text": "the budget", "offset": -1}], "insightRefs": []}]}]
    trackers = results.Trackers.from_json(reply)
    assert trackers[0].matches[0].message_refs[0].offset == -1
    assert trackers.to_json() == reply


def test_analytics_and_the_conversation_are_objects():
    analytics = {"metrics": [{"type": "total_silence", "percent": 8.2, "seconds": 0.5}],
                 "members": [{"id": "m", "name": "Alice", "pace": {"wpm": 150},
                              "talkTime": {"percentage": 57.1, "seconds": 3.2},
                              "listenTime": {"percentage": 42.9, "seconds": 2.4}}]}
    value = results.Analytics.from_json(analytics)
    assert value.metrics[0].seconds == 0.5 and value.members[0].words_per_minute == 150
    assert value.to_json() == analytics
    info = results.ConversationInfo.from_json({"id": "5", "type": "meeting", "name": "Weekly",
                                               "members": [{"name": "Alice"}],
                                               "metadata": {}})
    assert (info.name, info.members[0].name, info.start_time) == ("Weekly", "Alice", None)


def test_print_shows_the_reply_as_indented_json_without_nulls():
    reply = [{"id": "1", "text": "Bob will send the report.", "type": "action_item",
              "score": 0.9, "messageIds": ["6"], "dueBy": None, "assignee": {"name": "Bob",
                                                                             "email": None},
              "entities": [{"type": "person", "text": "Bob", "offset": 0, "value": None}]}]
    items = results.ActionItems.from_json(reply)
    shown = str(items)
    assert shown.startswith('{\n  "actionItems": [\n    {\n      "id": "1",')
    assert json.loads(shown) == {"actionItems": [{
        "id": "1", "text": "Bob will send the report.", "type": "action_item", "score": 0.9,
        "messageIds": ["6"], "assignee": {"name": "Bob"},
        "entities": [{"type": "person", "text": "Bob", "offset": 0}]}]}
    assert "null" not in shown and "Insight(" not in shown and "message_ids" not in shown
    assert json.loads(str(items[0])) == json.loads(shown)["actionItems"][0]
    assert json.loads(str(results.Message.from_json(MESSAGE))) == MESSAGE
    assert str(results.Trackers.from_json([])) == "[]"
    # repr() stays the dataclass, for debugging.
    assert repr(items).startswith("ActionItems([ActionItem(id='1'")


def test_print_of_a_conversations_insights_is_what_the_rest_api_returns(tmp_path):
    """Read from a real sandbox over HTTP: str() of each typed reply is that reply's JSON."""
    with running_sandbox(tmp_path) as sandbox:
        api = sandbox.client()
        job = api.post("/v1/process/text", json={"messages": [
            {"payload": {"content": "Bob, please send the pricing report by Friday."},
             "from": {"name": "Alice", "userId": "alice@example.com"}},
            {"payload": {"content": "Sure, I will send the pricing report tomorrow."},
             "from": {"name": "Bob", "userId": "bob@example.com"}}]}).json()
        assert api.wait(job["jobId"]) == "completed"
        base = f"/v1/conversations/{job['conversationId']}"
        for path, kind in (("/topics", results.Topics), ("/action-items", results.ActionItems),
                           ("/messages", results.Messages), ("/members", results.Members)):
            sent = api.get(base + path).json()
            [(key, items)] = sent.items()
            assert json.loads(str(kind.from_json(items))) == sent, path
        sent = api.get(base).json()
        assert json.loads(str(results.ConversationInfo.from_json(sent))) == sent
