"""A day pointed back at: "by then", "until then", "that morning" are the last day said just before.

"I can hold the Saturday until next Wednesday. Could you get the deposit in by then?" is due
next Wednesday; "I can do the 4th of February." - "Could you bring his book with you on the day?"
is due the 4th; "Let's do Tuesday at nine." - "I'll skip his breakfast that morning." is due
Tuesday. The day is the last single day, still to come, said before the words in the same
sentence, an earlier sentence of the same message or the two messages before it (the exchange
that set it, as weekday_dates.py reads "Thursday" after "Thursday the 28th"). A bare "then"
("I'll send it then") is left alone: it as often means "after that" as "on that day".
"""

from __future__ import annotations

import re

from . import dates
from .conversation import Conversation, Sentence

# "on the day" is the day just booked too ("I can do the 4th of February at three thirty." …
# "Could you bring his book with you on the day?"); not "on the day before", "on the day of
# the launch" (events.py), nor "on the day itself" said of no day.
_THEN = re.compile(r"\b(?:(?:by|before|until|till|no\s+later\s+than)\s+then|that\s+(?:same\s+)?(?:day|morning|afternoon|evening|night)"
                   r"|on\s+the\s+day(?!\s+(?:before|after|of|itself|when|that|we|you|they|he|she|i)\b))\b",
                   re.IGNORECASE)
# When in the day just said something happens: "Thursday works. … we can go over it that afternoon."
_THAT_DAY = re.compile(r"\bthat\s+(?:same\s+)?(?:day|morning|afternoon|evening|night)\b", re.IGNORECASE)
_WINDOW = 2  # messages back
# Sentences back, however long the messages: the exchange is a few sentences (on tune/ the day
# was at most 6 back), and a monologue of an hour is not read again for each "by then" in it.
REACH = 10


def day_meant(conversation: Conversation, sentence: Sentence, begin: int = 0, end: int | None = None,
              *, own_day: bool = False) -> dates.DateMatch | None:
    """The day "by then" or "that morning" in `sentence` (between `begin` and `end`) points back at.
    `own_day`: only "that morning" (not "by then") and a day said in the speaker's own message."""
    said = (_THAT_DAY if own_day else _THEN).search(sentence.text, begin, len(sentence.text) if end is None else end)
    if said is None:
        return None
    today = conversation.day_of(sentence.message)
    for earlier in conversation.said_before(sentence, messages=0 if own_day else _WINDOW, reach=REACH, itself=True):
        text = earlier.text[:said.start()] if earlier.index == sentence.index else earlier.text
        found = [d for d in dates.find(text, conversation.day_of(earlier.message)) if d.first == d.last]
        if found:
            day = found[-1].first
            return dates.DateMatch(said.group(), said.start(), said.end(), day, day, day) if day >= today else None
    return None
