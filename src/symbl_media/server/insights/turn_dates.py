"""A due date set in the exchange rather than in the task's own clause.

Meetings set a day in one turn and take the task on in the next, without saying the day again
(the labelling guide: a reply's due date counts when it is merged into its request):

- the deadline of the turn the task answers, when the task names a thing the deadline's
  sentence names: "The resus trolley checks are due today, I didn't get to them." - "I'll do
  the trolley after the gas." (today). A day said just before for something else is not the
  task's ("The plumber is due on Friday." - "I'll order the tiles."), nor a time something
  happens rather than a deadline ("if someone covers my private on Wednesday" - "I'll take the
  private myself" is left alone: read as a day, it also dated tasks wrongly on train/, and so did
  a task pointing back by "too" or "it" at a deadline, "… by the end of next week." - "I can
  take a few too.", right as often as wrong there);
- the day agreed at the start of the task's own message: "Maybe Friday?" - "Friday's good.
  I'll put something in for eleven o'clock." (Friday); "Friday's busy. …" agrees to nothing.

Only the speaker's own commitments read back this way, and only when their clause and the
sentences next to it gave no day (action_items.py asks last).
"""

from __future__ import annotations

import re

from . import dates, lexicon
from .actions import Action
from .assignees import is_deadline
from .conversation import Conversation, Sentence
from .words import STOPWORDS, tokens

# Words that name no thing a task and the turn before could share: times, fillers.
_NOT_A_THING = frozenset("""
day days week weeks today tomorrow tonight morning afternoon evening night time minute minutes hour
hours end first second third next last later soon monday tuesday wednesday thursday friday saturday
sunday one two three four five ten half bit lot way
""".split())
_REACH = 6  # sentences of the turn before read, latest first


def set_before(conversation: Conversation, sentence: Sentence, action: Action) -> dates.DateMatch | None:
    """The deadline the turn just before, by another speaker, set for a thing the task names;
    else the day agreed at the start of the task's own message."""
    return _answered(conversation, sentence, action) or _agreed(conversation, sentence)


def _answered(conversation: Conversation, sentence: Sentence, action: Action) -> dates.DateMatch | None:
    position = sentence.message.position
    if position == 0:
        return None
    before = conversation.messages[position - 1]
    if before.speaker.id == sentence.message.speaker.id:
        return None
    things = _things(action.phrase(sentence.text))
    if not things:
        return None
    today = conversation.day_of(sentence.message)
    for earlier in conversation.said_before(sentence, messages=1, reach=_REACH):
        if earlier.message.position != before.position:
            if earlier.message.position < before.position:
                return None
            continue  # the task's own message, before the task
        if not things & _things(earlier.text):
            continue
        deadlines = [d for d in _single_days(earlier.text, conversation.day_of(before), today)
                     if is_deadline(earlier.text, d)]
        if deadlines:
            return deadlines[0].lent()
    return None


def set_just_before(conversation: Conversation, sentence: Sentence, action: Action) -> dates.DateMatch | None:
    """The deadline the speaker's sentence just before, in the same message, set for a thing the
    task names: "I need final numbers for the risers by the 7th. Section leaders, can you each
    count who's singing and send me your numbers?" (the 7th); "The plumber is due on Friday.
    Can you order the tiles?" names another thing, and is left alone."""
    if sentence.index == 0:
        return None
    earlier = conversation.sentences[sentence.index - 1]
    if earlier.message.id != sentence.message.id:
        return None
    things = _things(action.phrase(sentence.text), plurals=True)
    if not things or not things & _things(earlier.text, plurals=True):
        return None
    today = conversation.day_of(sentence.message)
    deadlines = [d for d in _single_days(earlier.text, today, today) if is_deadline(earlier.text, d)]
    return deadlines[0].lent() if deadlines else None


def _single_days(text: str, said_on, today) -> list[dates.DateMatch]:
    """The dates `text` (said on `said_on`) names that are one day, today or later."""
    return [d for d in dates.find(text, said_on) if d.first == d.last and d.due >= today]


def _things(text: str, plurals: bool = False) -> frozenset[str]:
    """The words of `text` that only name a thing, as lemmas: "the resus trolley checks" ->
    resus, trolley. A word that is a verb too ("check", "box", "plan") is left out: the next
    turn's verb is no thing of this one's. With `plurals`, within one speaker's turn, a plural
    that is also a verb's form names its thing ("the final numbers" … "your numbers")."""
    return frozenset(lexicon.noun_lemma(t.lower) for t in tokens(text)
                     if t.lower not in STOPWORDS and t.lower not in _NOT_A_THING and len(t.lower) > 2
                     and lexicon.can_name_a_thing(t.lower, gerund=False)
                     and ("VERB" not in lexicon.classes(t.lower) or plurals and lexicon.noun_lemma(t.lower) != t.lower))


# A sentence agreeing to a day and nothing more: "Friday's good.", "The thirtieth works.",
# "Thursday is fine for me."
_AGREEING = re.compile(r"^\s*(?:['’]s|\s+is|\s+would\s+be)?\s*(?:good|fine|great|perfect|okay|ok|works?|suits?)\b"
                       r"(?:\s+(?:for\s+)?(?:me|us))?\s*[.!]?\s*$", re.IGNORECASE)
_OPENING = re.compile(r"^(?:(?:yes|yeah|yep|sure|ok|okay|right|great|so|and|oh)[,\s]+)*(?:the\s+)?$", re.IGNORECASE)


def _agreed(conversation: Conversation, sentence: Sentence) -> dates.DateMatch | None:
    if sentence.index == 0:
        return None
    earlier = conversation.sentences[sentence.index - 1]
    if earlier.message.id != sentence.message.id:
        return None
    today = conversation.day_of(sentence.message)
    found = _single_days(earlier.text, today, today)
    if len(found) != 1:
        return None
    day = found[0]
    text = earlier.text
    if _OPENING.match(text[:day.start]) and _AGREEING.match(text[day.end:]):
        return day.lent()
    return None
