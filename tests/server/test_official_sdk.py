"""The official Python SDK (PyPI symbl 2.0.6) works against the sandbox, quirks and all.

The SDK has no base-URL option; its host is set through symbl_rest.Configuration before
``import symbl`` (its clients freeze the host at import time). Its job polling sleeps 30 s
between polls; one test keeps that, the others shorten the SDK's interval to stay quick.
"""

from __future__ import annotations


import pytest

from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.testing import running_sandbox

symbl_rest = pytest.importorskip("symbl_rest")  # installed by scripts/setup

CREDENTIALS = {"app_id": DEFAULT_APP_ID, "app_secret": DEFAULT_APP_SECRET}
CANNED = {"message": "The conversationId is either invalid or does not exist."}


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("sdk-sandbox")) as sandbox:
        config = symbl_rest.Configuration()
        config.host = sandbox.url
        symbl_rest.Configuration.set_default(config)
        import symbl
        from symbl.Conversations import Conversation

        fast = Conversation._Conversation__INTERVAL_TIME_IN_SECONDS
        Conversation._Conversation__INTERVAL_TIME_IN_SECONDS = 0.2
        try:
            yield symbl, sandbox
        finally:
            Conversation._Conversation__INTERVAL_TIME_IN_SECONDS = fast


def payload(*lines):
    return {"name": "SDK text", "messages": [
        {"payload": {"content": text, "contentType": "text/plain"},
         "from": {"name": name, "userId": f"{name.lower()}@example.com"}}
        for name, text in lines]}


def ok(result):
    """The SDK swallows every error into a canned dict: make sure that is not what came."""
    assert result != CANNED, "the SDK call failed (and swallowed the error)"
    return result


def test_text_process_and_append_with_the_conversation_getters(sdk):
    symbl, sandbox = sdk
    conversation = symbl.Text.process(
        payload=payload(("Alice", "Bob, please send the budget report by Friday."),
                        ("Bob", "Sure. What about the hiring plan?")),
        credentials=CREDENTIALS)
    cid = conversation.get_conversation_id()
    assert cid.isdigit() and conversation.get_job_status() == "completed"
    appended = symbl.Text.append(payload=payload(("Carol", "We need two more engineers.")),
                                 conversation_id=cid, credentials=CREDENTIALS)
    assert appended.get_conversation_id() == cid
    messages = ok(appended.get_messages(parameters={"sentiment": True})).messages
    assert [m.text for m in messages][-1] == "We need two more engineers."
    assert messages[0]._from.name == "Alice"
    for getter in ("get_topics", "get_action_items", "get_follow_ups", "get_questions",
                   "get_members", "get_trackers", "get_entities", "get_analytics",
                   "get_conversation"):
        ok(getattr(appended, getter)())
    items = ok(appended.get_action_items()).action_items
    assert any("budget report" in item.text for item in items)


def test_the_conversations_api_takes_ids_directly(sdk):
    symbl, _ = sdk
    cid = symbl.Text.process(payload=payload(("Alice", "Is the release on time?")),
                             credentials=CREDENTIALS).get_conversation_id()
    questions = ok(symbl.Conversations.get_questions(cid, credentials=CREDENTIALS)).questions
    assert [q.text for q in questions] == ["Is the release on time?"]
    assert ok(symbl.Conversations.get_messages(cid, credentials=CREDENTIALS)).messages


def test_audio_process_file_sends_wav_with_an_empty_content_type(sdk, samples):
    symbl, sandbox = sdk
    conversation = symbl.Audio.process_file(file_path=str(samples / "mono-16k.wav"),
                                            credentials=CREDENTIALS)
    assert conversation.get_job_status() == "completed"
    text = " ".join(m.text for m in ok(conversation.get_messages()).messages).lower()
    assert "budget" in text or "meeting" in text


def test_audio_mp3_append_and_vocabulary_split_into_characters(sdk, samples):
    symbl, _ = sdk
    first = symbl.Audio.process_file(file_path=str(samples / "mono.mp3"),
                                     content_type="audio/mpeg", credentials=CREDENTIALS,
                                     parameters={"customVocabulary": ["budget", "Carol"]})
    assert first.get_job_status() == "completed"
    second = symbl.Audio.append_file(file_path=str(samples / "mono-16k.wav"),
                                     conversation_id=first.get_conversation_id(),
                                     credentials=CREDENTIALS)
    assert second.get_job_status() == "completed"
    messages = ok(second.get_messages()).messages
    assert max(m.time_offset if hasattr(m, "time_offset") else 0 for m in messages) >= 0
    assert len({m.id for m in messages}) == len(messages)


def test_video_process_file(sdk, samples):
    symbl, _ = sdk
    conversation = symbl.Video.process_file(file_path=str(samples / "meeting.mp4"),
                                            credentials=CREDENTIALS)
    assert conversation.get_job_status() == "completed"
    assert ok(conversation.get_messages()).messages


def test_audio_process_url(sdk, web):
    symbl, _ = sdk
    base, _ = web
    conversation = symbl.Audio.process_url(payload={"url": f"{base}/mono-16k.wav"},
                                           credentials=CREDENTIALS)
    assert conversation.get_job_status() == "completed"
    assert ok(conversation.get_messages()).messages


def test_a_blocking_call_with_the_sdks_own_30_second_polling(sdk):
    symbl, _ = sdk
    from symbl.Conversations import Conversation

    Conversation._Conversation__INTERVAL_TIME_IN_SECONDS = 30
    try:
        conversation = symbl.Text.process(payload=payload(("Alice", "Thank you all.")),
                                          credentials=CREDENTIALS, wait=True)
    finally:
        Conversation._Conversation__INTERVAL_TIME_IN_SECONDS = 0.2
    assert conversation.get_job_status() == "completed"
