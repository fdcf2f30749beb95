"""The second look's signal of a question that proposes or offers something to do
(second_look._question_offer): how the next speaker answers it, agreeing (a proposal or an
offer taken up: the task is the action item) or saying something else (it may still ask)."""

from __future__ import annotations

from symbl_media.server.insights import second_look
from symbl_media.server.insights.conversation import build


def _conversation(*lines: tuple[str, str]):
    messages = [{"id": str(i), "text": text, "from": {"name": who, "userId": f"{who.lower()}@example.com"},
                 "startTime": f"2024-05-15T10:00:{i:02d}.000Z", "endTime": f"2024-05-15T10:00:{i:02d}.500Z"}
                for i, (who, text) in enumerate(lines)]
    members = [{"name": who, "email": f"{who.lower()}@example.com"} for who in sorted({w for w, _ in lines})]
    return build("c", messages, members, duration=0.0, start_time="2024-05-15T10:00:00.000Z")


def _offer(conversation, text: str) -> list[str]:
    sentence = next(s for s in conversation.sentences if s.text == text)
    return [s for s in second_look.question_signals(conversation, sentence, text, None, None, frozenset())
            if s.startswith("offer:")]


def test_a_proposal_agreed_to():
    conversation = _conversation(("Tom", "Germany still hasn't replied."),
                                 ("Ana", "Shall we talk again once you've heard from them?"),
                                 ("Tom", "Yeah, let's do that."))
    assert _offer(conversation, "Shall we talk again once you've heard from them?") == ["offer:agreed"]


def test_an_offer_after_an_opener_declined_and_one_the_asker_goes_on_from():
    conversation = _conversation(("Tom", "So, do you want me to call the venue?"),
                                 ("Ana", "No, I've got it."),
                                 ("Tom", "Could we also do a survey? Mid-term, I mean."))
    assert _offer(conversation, "So, do you want me to call the venue?") == ["offer:declined"]
    assert _offer(conversation, "Could we also do a survey?") == ["offer:more"]


def test_near_miss_a_question_of_what_can_be_done_answered_with_information():
    # "Can we ...?" asking what is possible gets an answer of its own; a request to the other
    # ("Can you ...?") and a plain question are no proposal at all.
    conversation = _conversation(("Tom", "Can we still change the date?"),
                                 ("Ana", "Until Friday, the printer said."),
                                 ("Tom", "Can you send me their number?"),
                                 ("Ana", "What time is it there?"))
    assert _offer(conversation, "Can we still change the date?") == ["offer:answered"]
    assert _offer(conversation, "Can you send me their number?") == []
    assert _offer(conversation, "What time is it there?") == []
