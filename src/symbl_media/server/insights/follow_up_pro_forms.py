"""A follow-up taken on in a pro-form: "I need to send the organisers our registration form." -
"I'll do that tonight, actually." is the sending, a follow-up, though "do that" names no verb
of its own. So is "I'll make sure he does" after "if Joseph can get back to me by Friday week",
and "I can take a few too" after "we'll each call our list". What the pro-form stands for is
what the turn just before said: its own message's earlier sentences, or the message before
(a few sentences back at most, as a pronoun reaches). "Can you fix the printer?" - "I'll do
that tonight." is no follow-up: the task it stands for reaches no one.
"""

from __future__ import annotations

import re

from .actions import detect_all
from .conversation import Conversation, Sentence
from .follow_ups import is_follow_up

# Work named only by a pro-form: doing, handling or sorting "it"/"that", making sure someone
# does, taking some of what was shared out ("take a few", "take the rest").
_PRO_FORM = re.compile(
    r"^(?:(?:do|handle|sort|sort\s+out|take\s+care\s+of|deal\s+with|look\s+after|get\s+on)\s+(?:it|that|this|those|them|so)"
    r"|make\s+sure\s+(?:he|she|they|it|that|this|we)\s+(?:does|do|did|will)"
    r"|take\s+(?:a\s+few|some|a\s+couple|the\s+rest|half|one|two|three)(?:\s+of\s+(?:them|those|these))?)\b",
    re.IGNORECASE)
# What may follow it: a time, a manner, a condition ("do that tonight, actually", "take a few
# too"); a noun of its own makes other work ("do that report", "take some photos").
_AFTER = frozenset((
    "too also tonight today tomorrow now first later then actually myself ourselves this next on by before "
    "after at in once when so and as right straight asap soon").split())
_REACH = 3  # sentences back, as booked_sessions and the second look read them


def stands_for_a_follow_up(conversation: Conversation, sentence: Sentence, phrase: str) -> bool:
    """True when `phrase` is a pro-form and the turn before it said a follow-up."""
    said = _PRO_FORM.match(phrase.strip())
    if not said:
        return False
    rest = re.findall(r"[a-z'’]+", phrase.strip()[said.end():].lower())
    if rest and rest[0] not in _AFTER:
        return False
    for before in conversation.said_before(sentence, messages=1, reach=_REACH):
        if any(is_follow_up(a.phrase(before.text)) for a in detect_all(before.text)):
            return True
    return False
