"""A follow-up taken on in a pro-form: "I need to send the organisers our registration form." -
"I'll do that tonight, actually." is the sending, a follow-up, though "do that" names no verb
of its own. So is "I'll make sure he does" after "if Joseph can get back to me by Friday week",
and "I can take a few too" after "we'll each call our list". What the pro-form stands for is
what the turn just before said: its own message's earlier sentences, or the message before
(a few sentences back at most, as a pronoun reaches). "Can you fix the printer?" - "I'll do
that tonight." is no follow-up: the task it stands for reaches no one.

Arranging named by a pro-form is a follow-up of its own when it takes up what another speaker
asked for in the message just before (a question, a want, a need, a please): "What I do want is a weekly report." - "I'll set that up"; "Is the
church hall free on Tuesdays?" - "I'll book it for you"; "I can have them pick you up. I'll
arrange that after we hang up." Booking, setting up or arranging something for someone is done
with the people who provide it, and the one who asked hears back: the guide's "booking an
appointment or setting up a meeting". Said of the speaker's own plan, after a turn that asks
nothing ("Thanks."), it is taken up from no one ("I'll set that up" after one's own "I need a
test server"); with a place or a role after it, a thing is installed ("set it up in room two").
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
# Arranging with a pro-form object: "set that up", "book it", "arrange that", "organise it".
_ARRANGING = re.compile(
    r"^(?:set\s+(?:it|that|this|those|them|one)\s+up|(?:arrange|organi[sz]e|book)\s+(?:it|that|this|those|them|one))\b",
    re.IGNORECASE)
# "for you", "for her", "for Catrin": done on someone's behalf.
_FOR_SOMEONE = re.compile(r"^for\s+(?:you|him|her|them|us|everyone|(?-i:[A-Z][^\W\d_]+))\b", re.IGNORECASE)
# What may follow the arranging: a time or a condition, as after the pro-forms above; not a
# place or a role ("set it up in room two", "set it up as its own release in the portal"),
# which makes it work on a thing, installed or configured.
_AFTER_ARRANGING = _AFTER - frozenset(("in", "on", "at", "as"))
# Another speaker's message that asks for something: a question, a want or a need, a please.
_ASKS = re.compile(r"\?|\b(?:want|wants|need|needs|would\s+like|['’]d\s+like|please)\b", re.IGNORECASE)
_REACH = 3  # sentences back, as booked_sessions and the second look read them


def stands_for_a_follow_up(conversation: Conversation, sentence: Sentence, phrase: str) -> bool:
    """True when `phrase` is a pro-form and the turn before it said a follow-up, or it arranges
    what another speaker just asked for."""
    if _arranges_for_another(conversation, sentence, phrase):
        return True
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


def _arranges_for_another(conversation: Conversation, sentence: Sentence, phrase: str) -> bool:
    """True when `phrase` arranges something named by a pro-form ("set that up", "book it for
    you") and the message before is another speaker's asking for something: a question, a want
    or a need ("Thanks." before it asks for nothing)."""
    said = _ARRANGING.match(phrase.strip())
    if not said:
        return False
    rest = phrase.strip()[said.end():].strip()
    words = re.findall(r"[a-z'’]+", rest.lower())
    if words and words[0] not in _AFTER_ARRANGING and not _FOR_SOMEONE.match(rest):
        return False
    position = sentence.message.position
    if position == 0:
        return False
    before = conversation.messages[position - 1]
    return before.speaker.id != sentence.message.speaker.id and bool(_ASKS.search(before.text))
