"""A fragment said with a rising tone that pins down what the other speaker just said.

question_moves.is_fragment reads a verbless fragment ("Thirty-one?", "Probably ninety?") as an
echo or a guess: it shows one is listening, or offers an answer. Put straight after someone
else's statement, though, a fragment that takes up a word of that statement and brings one
of its own narrows or extends it, and waits for the other to confirm it: "they'd come back by
Wednesday" - "Wednesday this week?"; "same room as last year" - "The chapel room, with the
candles?". It is a clarifying question. Two words ("Including backups?") are too few to tell
from an echo or a reaction ("Better now?"), and a fragment that takes up nothing said ("The 9th
of August?" after "Okay.") does not pin it down. It is still an echo when it only repeats words just said ("One by one?",
"Forty thousand?"), a reaction when it opens with one ("Oh, really?", "Ha, all night
though?"), a guess when it answers a question, and thinking aloud when its speaker goes on
talking instead of handing the turn over ("Tuesday the 28th? Hmm. I'm on a site visit that
morning."), unless what follows is only the reason for asking ("The same problem as in the
autumn? Because two frames came back.").
"""

from __future__ import annotations

import re

from . import question_moves
from .conversation import Conversation, Sentence
from .words import STOPWORDS, tokens

_MIN_WORDS = 3  # "The Wagners?", "Better now?": too short to tell from an echo or a reaction
_REACTION = re.compile(r"^\W*(?:oh|ha+|haha|ah|aha|wow|whoa|hm+|huh|wait|really|seriously|again|still|yeah|yes|no|okay|ok)\b",
                       re.IGNORECASE)
_BECAUSE = re.compile(r"^\W*(?:because|'cause|cause)\b", re.IGNORECASE)


def _content(text: str) -> set[str]:
    return {t.lower for t in tokens(text)} - STOPWORDS


def pins_down(conversation: Conversation, sentence: Sentence) -> bool:
    """True when the fragment `sentence` (question_moves.is_fragment) opens its speaker's turn
    right after another speaker's statement, takes up a word of it and adds one of its own, and
    hands the turn back (or goes on only with the reason for asking)."""
    text = sentence.text.strip()
    if len(text.split()) < _MIN_WORDS or _REACTION.match(text):
        return False
    message = sentence.message
    first = sentence.index == 0 or conversation.sentences[sentence.index - 1].message.id != message.id
    if not first or message.position == 0:
        return False
    before = conversation.messages[message.position - 1]
    if before.speaker.id == message.speaker.id or before.text.rstrip().endswith("?"):
        return False
    after = sentence.index + 1
    if after < len(conversation.sentences) and conversation.sentences[after].message.id == message.id \
            and not _BECAUSE.match(conversation.sentences[after].text):
        return False
    said, said_before = _content(text), _content(before.text)
    return bool(said & said_before) and bool(said - said_before)


def clarifies(conversation: Conversation, sentence: Sentence) -> bool:
    """Whether `sentence` is a fragment that pins down what was just said: the one reading both
    questions.candidates (which admits it) and question_acts.not_asking (which keeps it from
    being called an echo) ask, so that the two cannot drift apart."""
    return question_moves.is_fragment(sentence.text) and pins_down(conversation, sentence)
