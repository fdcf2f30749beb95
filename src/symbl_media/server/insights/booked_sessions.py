"""A session booked by a pronoun: "Let's aim for the training the first week of July. I'll
pencil it in." books the training, a follow-up (setting up a meeting); "pencil it in" alone is
not one (follow_ups.py: the labels count a session pencilled in, not a job or a day), so what
"it" points back at decides: a meeting, call, training, session, demo, workshop, interview,
review, check-in or appointment named in the speaker's sentence just before, in the same message.
"""

from __future__ import annotations

import re

from .conversation import Conversation, Sentence

_BOOKS_IT = re.compile(r"^(?:pencil|book|pop|put|slot)\s+(?:it|that|this)\s+in\b(?!\s+(?:the|a|an|my|our|your)\s+"
                       r"(?!diary|calendar|schedule)\w)", re.IGNORECASE)
_SESSION = re.compile(r"\b(?:meeting|call|training|session|demo|workshop|interview|review|check-in|catch-up|"
                      r"appointment|one-to-one|1:1|walkthrough|rehearsal|run-through)s?\b", re.IGNORECASE)


def books_a_session(conversation: Conversation, sentence: Sentence, phrase: str) -> bool:
    """True when `phrase` books "it" and "it" is a session named in the sentence before."""
    if not _BOOKS_IT.match(phrase):
        return False
    before = next(conversation.said_before(sentence, messages=0, reach=1), None)
    return before is not None and bool(_SESSION.search(before.text))
