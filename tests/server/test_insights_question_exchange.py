"""The second look's signals of the exchange a question starts (second_look._question_exchange):
the question's kind read against the reply's ("qa:yn:yesno", "qa:wh:react"), and whether its
asker takes the answer in ("back:takes-in") or talks on."""

from __future__ import annotations

from symbl_media.server.insights import second_look

from .test_insights_question_offer import _conversation


def _exchange(conversation, text: str) -> list[str]:
    sentence = next(s for s in conversation.sentences if s.text == text)
    return [s for s in second_look.question_signals(conversation, sentence, text, None, None, frozenset())
            if s.startswith(("qa:", "back:"))]


def test_a_question_answered_in_kind_and_the_answer_taken_in():
    conversation = _conversation(("Ana", "Is the slate roof still under warranty?"),
                                 ("Tom", "Yes, until March."),
                                 ("Ana", "Okay, great. What's the deductible?"),
                                 ("Tom", "Two hundred on the policy."),
                                 ("Ana", "Got it."))
    assert _exchange(conversation, "Is the slate roof still under warranty?") == ["qa:yn:yesno", "back:takes-in"]
    assert _exchange(conversation, "What's the deductible?") == ["qa:wh:long", "back:takes-in"]


def test_near_miss_a_remark_shaped_like_a_question_draws_a_laugh_and_the_asker_talks_on():
    conversation = _conversation(("Ana", "Why is it always a Sunday?"),
                                 ("Tom", "Ha, it really is."),
                                 ("Ana", "Anyway, the rota is up on the board. Any questions so far, Tom?"),
                                 ("Tom", "Where is the board?"))
    assert _exchange(conversation, "Why is it always a Sunday?") == ["qa:wh:react", "back:says"]
    # a question the asker goes on from, and one nobody answers
    assert _exchange(conversation, "Any questions so far, Tom?") == ["qa:other:asks", "back:none"]
    assert _exchange(conversation, "Where is the board?") == ["qa:wh:end"]
