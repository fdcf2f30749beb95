"""An invite with no day of its own is for the meeting day said just before it.

"Let's say Friday the eleventh of July, here at the kitchen. I'll send you an invite." and "We
said next Wednesday, same time?" - "That works, I'll move the invite to the big room." set up a
meeting on that day, and a meeting set up for a day is due that day (benchmarks/insights/README.md).
The day is the last one, still to come, said in an earlier sentence of the same message or in
the message before it: the exchange that agreed the meeting. Only an invite, an invitation or a
calendar entry points back so; other tasks do not take a day from the sentence before ("The
report is due Friday. I'll send it." is read by assignees.py, not here).
"""

from __future__ import annotations

import re

from . import dates
from .conversation import Conversation, Sentence

# The noun, not the verb: "send an invite", "move the invite", "send a new invite"; "invite the site managers" asks
# people in, to no meeting said.
_INVITE = re.compile(r"\b(?:(?:an|the|a|calendar|meeting|my|our|your|their)\s+(?:new\s+|fresh\s+|updated\s+|proper\s+)?invite|invitation|calendar\s+(?:entry|hold|slot)|put\s+(?:it|that|this)\s+in\s+(?:the|your|their|our|my)\s+(?:\w+\s+)?calendars?)\b",
                     re.IGNORECASE)
# A time of day alone ("just before lunch", "at eleven forty-five") is when in the day, not which
# day: the meeting may be on a day said long before. Today counts when it is said.
_TODAY = re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", re.IGNORECASE)
_WINDOW = 1  # messages back
# Sentences back, however long the messages: the exchange is a few sentences (on tune/ the day
# was at most 2 back), and a monologue of an hour is not read again for each invite in it.
REACH = 10


def meeting_day(conversation: Conversation, sentence: Sentence, phrase: str) -> dates.DateMatch | None:
    """The day of the meeting an invite in `phrase` is for, said just before `sentence`."""
    if not _INVITE.search(phrase):
        return None
    today = conversation.day_of(sentence.message)
    for earlier in conversation.said_before(sentence, messages=_WINDOW, reach=REACH):
        found = [d for d in dates.find(earlier.text, conversation.day_of(earlier.message))
                 if d.due > today or d.due == today and _TODAY.search(d.text)]
        if found:
            return found[-1].lent()
    return None
