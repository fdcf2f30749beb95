"""Questions: the sentences that ask someone in the conversation for information.

Two steps. question_forms.py says whether a sentence, on its own, is shaped like a question
(a "?", an embedded "I was wondering whether ...", or a question's opening when ASR dropped the
"?"); question_acts.py then reads it in its conversation and drops what only looks like one:
small talk, the call itself, taking or passing the floor, a guess or a proposal said with a
rising tone, a proposal someone takes up, a tag after a question; question_self.py drops what
the speaker never hands over (answered, reworded or quoted by themselves). The text is the question as
said, without an apology or a remark leading up to it.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import question_acts, question_clarifies, question_self, second_look
from .conversation import Conversation, Sentence
from .ids import make_id
from .people import People
from .question_forms import (
    asks_a_view,
    asks_to_be_told,
    holds_embedded,
    is_confirmation_tag,
    is_question,
    question_proper,
)

__all__ = ["asks_a_view", "asks_to_be_told", "candidates", "find", "is_question", "question"]


def candidates(conversation: Conversation, names: frozenset[str]) -> Iterator[Sentence]:
    """The sentences shaped like a question, as this conversation writes them: what `find` then
    reads in its conversation (benchmarks/insights/learn_questions.py judges the same ones)."""
    # A conversation that writes "?" marks its questions: there a sentence ending in "." is a
    # statement ("Which is fine if we don't go over.") unless it holds an embedded question.
    marked = any("?" in m.text for m in conversation.messages)
    for sentence in conversation.sentences:
        text = sentence.text
        # A short fragment ("Wednesday this week?") is no question on its own shape, a guess or
        # an echo (to action items too); right after someone's statement it may pin it down.
        if not (is_question(text, names) or is_confirmation_tag(text, names)
                or question_clarifies.clarifies(conversation, sentence)):
            continue
        if marked and text.rstrip().endswith((".", "!", "…")) and not holds_embedded(text):
            continue
        yield sentence


def find(conversation: Conversation, names: frozenset[str]) -> list[dict]:
    """The questions asked, in the order said, each as the question proper (question_proper)."""
    people = People(conversation.members)
    found = []
    for sentence in candidates(conversation, names):
        proper = question_proper(sentence.text, names)
        if second_look.asks(conversation, sentence, proper, question_acts.not_asking(conversation, sentence, people, names),
                            question_self.not_asked(conversation, sentence), names):
            found.append(question(conversation, sentence, proper))
    return found


def question(conversation: Conversation, sentence: Sentence, text: str | None = None) -> dict:
    marked = sentence.text.rstrip().endswith("?")
    return {
        "id": make_id(conversation.id, "question", sentence.message.id, sentence.offset, sentence.text),
        "text": text or sentence.text,
        "type": "question",
        "score": 0.95 if marked else 0.8,
        "messageIds": [sentence.message.id],
        "from": sentence.message.speaker.ref(),
    }
