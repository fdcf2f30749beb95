"""Questions: sentences ending in "?" or shaped like one, since ASR output often drops the "?".

A local heuristic: a sentence is a question when it ends in "?", or opens (after an optional
name or filler) with a wh-word used interrogatively or with an auxiliary verb followed by its
subject ("can we", "is the", "do you"). Rhetorical and embedded questions are not told apart.
"""

from __future__ import annotations

import re

from .conversation import Conversation, Sentence
from .ids import make_id
from .words import tokens

_AUXILIARIES = frozenset(
    "am is are was were do does did have has had can could will would shall should may might "
    "must isn't aren't wasn't weren't don't doesn't didn't haven't hasn't can't couldn't won't "
    "wouldn't shouldn't".split())
_SUBJECTS = frozenset(
    "i you we they he she it there this that these those anyone anybody someone somebody "
    "everyone everybody anything something the a an my your our their his her its any some "
    "all".split())
_PRONOUNS = frozenset("i you we they he she it there".split())
_IMPERATIVES = frozenset(("do", w) for w in ("it", "this", "that", "these", "those", "the", "a",
                                              "an", "some", "all", "any"))
_WH = frozenset("what why how who whom whose which".split())
_WH_NEEDS_AUX = frozenset("when where".split())  # else a clause: "when we ship, ..."
_FILLERS = frozenset("so and but okay ok well um uh hey alright now then also oh".split())
_INDIRECT = re.compile(
    r"^(?:i\s+(?:was|am|'m)\s+wondering|i\s+wonder|do\s+you\s+know|does\s+anyone\s+know|"
    r"any\s+idea)\b", re.IGNORECASE)
_PRONOUN_CLAUSE = frozenset("i we they he she".split())  # "what we need is ..." is a statement


def is_question(text: str, names: frozenset[str] = frozenset()) -> bool:
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    words = [t.lower for t in tokens(stripped)]
    # Skip a leading vocative and fillers: "Bob, can you…", "So what do we do".
    while words and (words[0] in _FILLERS or words[0] in names):
        words = words[1:]
    if len(words) < 2:
        return False
    first, second = words[0], words[1]
    if _INDIRECT.match(" ".join(words)):
        return True
    if first in _WH:
        if first in ("what", "how") and second in ("a", "an"):  # "what a day", "how a…"
            return False
        return second not in _PRONOUN_CLAUSE
    if first in _WH_NEEDS_AUX:
        return second in _AUXILIARIES
    if first in _AUXILIARIES:
        if (first, second) in _IMPERATIVES or first == "have" and second not in _PRONOUNS:
            return False  # "do it now", "have a look"
        return second in _SUBJECTS or second in names
    return False


def find(conversation: Conversation, names: frozenset[str]) -> list[dict]:
    return [question(conversation, s) for s in conversation.sentences if is_question(s.text, names)]


def question(conversation: Conversation, sentence: Sentence) -> dict:
    marked = sentence.text.rstrip().endswith("?")
    return {
        "id": make_id(conversation.id, "question", sentence.message.id, sentence.offset, sentence.text),
        "text": sentence.text,
        "type": "question",
        "score": 0.95 if marked else 0.8,
        "messageIds": [sentence.message.id],
        "from": sentence.message.speaker.ref(),
    }
