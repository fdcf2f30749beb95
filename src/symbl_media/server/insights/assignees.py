"""Who acts on an action item, and by when.

The speaker for a commitment or a suggestion; the named person for an assignment ("Dana will
..."); for a request, the person addressed by name, else whoever answers it, else the only
other member. The due date is the first date in the action's clause, else one said before it,
else a deadline the speaker gives in the next sentence ("… the problem set. They're due next
Tuesday.", "I'll look at the indexes. I should have numbers by Thursday.").
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from . import dates, rewrite
from .acknowledgements import takes_it_on
from .actions import Action, detect_all
from .conversation import Conversation, Sentence, Speaker
from .people import People
from .sentences import split


def due(text: str, action: Action, day: date) -> dates.DateMatch | None:
    """The first date inside the action's clause, else one said before it ("Tomorrow I'll ...");
    never one from another clause ("..., it's been sitting there since Friday"). Dates are
    read against `day`, the day the sentence was said."""
    found = [d for d in _dates(text, day) if d.due >= day]
    inside = [d for d in found if max(action.trigger, action.begin) <= d.start < action.end
              and not (_ASKED.search(text[action.start:d.start]) and not _OWN_TIME.search(text[action.start:d.start]))]
    before = [d for d in found if action.begin <= d.start and d.end <= action.trigger] \
        + [d for d in found if d.end <= action.begin and _fronted(text, d, action)]
    # A deadline said in the clause is when the task is due, whatever date it is about: "I'll
    # confirm Friday with you by tonight" is due tonight; not one of a thing asked for ("call
    # them this afternoon and ask for a plan by Monday").
    deadline = [d for d in inside if is_deadline(text, d) and not _ASKED_FOR.search(text, action.start, d.start)]
    # When the one waiting will have it is when it is due, over when the work is done: "I'll
    # draft it tonight and you'll have it first thing tomorrow" is due tomorrow.
    delivered = [d for d in found if d.start > action.start
                 and _DELIVERED.search(text[max(action.start, d.start - _DELIVERED_REACH):d.start])]
    # Where the speaker will be, said in the clause just before: "I'll be here tomorrow from
    # ten, I can open up" opens up tomorrow.
    there = [d for d in found if d.end <= action.begin and _BE_THERE.search(text, 0, d.start)
             and not _CLAUSE_BREAK.search(text, d.end, action.begin)]
    # The day a thing is for gives way to another day the clause says: "I'll turn it off for
    # Friday and Saturday nights this afternoon" is done this afternoon.
    # ("an invite for Thursday the 12th, same time as today" compares, and says no day).
    if any(is_day_for(text, d) for d in inside):
        inside = [d for d in inside if not is_day_for(text, d) and not _COMPARED.search(text, 0, d.start)] \
            + [d for d in inside if is_day_for(text, d)]
    # A recurring task starts on the day it runs from: "I'll make sure a supervisor is on call every
    # Sunday night from the twenty-second" is first due on the 22nd, not on the coming Sunday.
    starts = [d for d in inside if _STARTING.search(text, 0, d.start)]
    if starts and any(_EVERY.search(text, 0, d.start) for d in inside):
        inside = starts + [d for d in inside if d not in starts]
    return (deadline or delivered or inside or before or there or [None])[0]


# A day set off by a comma before the clause it dates: "Tomorrow, I'll send it", "By Friday,
# I'll have it done", "First thing tomorrow, I'll call them", "Okay, so Monday morning, I'll …".
# The day is all its fragment says: not "Yesterday, I said I'd send it", "On Friday the shop was
# shut, I'll call them" (a clause of its own), nor "Tomorrow's meeting, I'll send the agenda".
# Only at the start of the sentence: "Everyone send me photos by the end of October, and I'll
# put it together" is the order's day, not the promise's.
_OPENS_FRONTED = re.compile(r"^\s*(?:(?:so|and|then|okay|ok|well|right|alright|yes|yeah|sure|great|fine|but)[,\s]+)*"
                            r"(?:(?:by|on|before|until|till|no\s+later\s+than|first\s+thing|sometime|some\s+time|early|later)\s+)*"
                            r"(?:the\s+)?$", re.IGNORECASE)
_CLOSES_FRONTED = re.compile(r"\s*(?:(?:morning|afternoon|evening|night|first\s+thing|at\s+the\s+latest)\s*)?,\s*"
                             r"(?:(?:and|so|then)\s+)?$", re.IGNORECASE)


def _fronted(text: str, when: dates.DateMatch, action: Action) -> bool:
    return bool(_OPENS_FRONTED.search(text, 0, when.start) and _CLOSES_FRONTED.fullmatch(text, when.end, action.begin))


_EVERY = re.compile(r"\bevery\s+(?:other\s+)?$", re.IGNORECASE)
_STARTING = re.compile(r"\b(?:from|starting(?:\s+(?:from|on))?|beginning(?:\s+(?:from|on))?|as\s+of)\s+(?:the\s+)?$", re.IGNORECASE)


_BE_THERE = re.compile(r"^(?:(?:so|and|well|okay|ok|oh|yes|yeah)[,\s]+)*(?:i|we)(?:['’]ll|\s+will|['’]m|\s+am|['’]re|\s+are)\s+(?:be\s+)?"
                       r"(?:here|there|in|around|back|on\s+site|in\s+the\s+\w+)\b[^,;.]*$", re.IGNORECASE)
# Only one comma between the day and the task: "I'll be here tomorrow from ten, I can open up".
_CLAUSE_BREAK = re.compile(r"[;.!?]|,[^,]*,")


_DELIVERED_REACH = 60  # characters: "you'll have the revised budget back by the "
_DELIVERED = re.compile(r"\b(?:you(?:['’]ll|\s+will|['’]d|\s+should)|it(?:['’]ll|\s+will)\s+be\s+with\s+you)\s*(?:(?:have|get|receive)\s+"
                        r"(?:it|them|that|this|those|these|the\s+[\w-]+|a\s+[\w-]+)(?:\s+back)?)?\s+(?:by\s+)?(?:the\s+)?(?:first\s+thing\s+)?$", re.IGNORECASE)


# "Now" closing a task's clause: "I'll send you the quote now", "I'll ring them right now". Not
# "for now", "by now", "until now", "from now on", "than now", nor "now" opening what comes next
# ("… now, the budget"), nor "now" after "is" ("I'll check who our manager is now": currently).
_NOW = re.compile(r"(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bfor\s)(?<!\bby\s)(?<!until\s)(?<!\btill\s)(?<!\bthan\s)(?<!\bfrom\s)(?<!\bof\s)(?<!\bjust\s)"
                  r"\b(?:right\s+)?now\b(?!\s+on\b)(?=\s*(?:[,.!?;]|$|and\b|so\b|then\b|too\b|please\b|before\b|while\b))",
                  re.IGNORECASE)


def right_away(text: str, action: Action, day: date) -> dates.DateMatch | None:
    """The day a task said to be done "now" is due: the day it is said (benchmarks/insights/README.md)."""
    said = _NOW.search(text, action.start, action.end)
    return dates.DateMatch(said.group(), said.start(), said.end(), day, day, day) if said else None


def is_now(when: dates.DateMatch) -> bool:
    return bool(_NOW.fullmatch(when.text))


# "The night before" with no event named: the day before the last date said just before it
# ("How's Thursday morning for you?" - "Thursday's fine." - "I'll text you the night before.").
_DAY_BEFORE = re.compile(r"\bthe\s+(?:night|day|evening)\s+before\b(?!\s+(?:the|our|my|your|his|her|their|that|this|it|we|you|yesterday|last)\b)",
                         re.IGNORECASE)
_EVENT_WINDOW = 3  # messages back


def day_before(conversation: Conversation, sentence: Sentence, begin: int = 0) -> dates.DateMatch | None:
    """The day "the night before" in `sentence`, from the action's clause at `begin` on, means.
    Another clause's is not this one's: "Send it to me the evening before and we can go over
    it that afternoon." meets on the day itself."""
    said = _DAY_BEFORE.search(sentence.text, begin)
    if said is None:
        return None
    today = conversation.day_of(sentence.message)
    pos = sentence.message.position
    for message in reversed(conversation.messages[max(0, pos - _EVENT_WINDOW):pos + 1]):
        text = sentence.text[:said.start()] if message.id == sentence.message.id else message.text
        found = [d for d in _dates(text, conversation.day_of(message)) if d.first == d.last and d.first > today]
        if found:
            eve = found[-1].first - timedelta(days=1)
            return dates.DateMatch(said.group(), said.start(), said.end(), eve, eve, eve) if eve >= today else None
    return None


# A date inside what is asked is the asked thing's, not the asking's: "ask Sanjay if he can do a
# call next week" is not due next week.
_ASKED = re.compile(r"\b(?:ask|check|see|find\s+out|confirm)\b.*\b(?:if|whether)\b", re.IGNORECASE)
# After what is asked, the asker's own time: "I'll ask them whether they have a room when I call
# them on Monday" is due Monday (the day is the call's, not the room's).
_OWN_TIME = re.compile(r"\b(?:if|whether)\b.*\b(?:when|once|as\s+soon\s+as)\s+(?:i|we)\b", re.IGNORECASE)
_ASKS_FOR = re.compile(r"^(?:ask|request)\s+(?:\w+\s+){0,3}for\b", re.IGNORECASE)
_ASKED_FOR = re.compile(r"\b(?:ask|request)\s+(?:\w+\s+){0,3}for\b", re.IGNORECASE)
# What is checked, said as a clause of its own after the verb: "check they can do two hundred
# roses for the fourteenth", "make sure that the hall is still free on Friday" (the date is the
# roses' or the hall's); "check the van by Friday" checks a thing, by a deadline of its own.
_CHECKS_A_CLAUSE = re.compile(
    r"^(?:(?:also|just|then)\s+)?(?:check|see|confirm|make\s+sure)\s+(?:that\s+)?"
    r"(?:they|he|she|it|we|you|there|(?:the|their|our|your|his|her)\s+[\w'’-]+)\s+(?:[a-z]+\s+)?"
    r"(?:can|could|will|would|have|has|are|is|was|were|do|does|did|still|got)\b", re.IGNORECASE)


def asks_for(text: str) -> bool:
    """ "ask for a plan by Monday" after "call them this afternoon and": the date may be the
    asked thing's, so it does not make the asking a task of its own; nor does a date inside
    what is checked ("… and check they can do the roses for the fourteenth")."""
    return bool(_ASKED.search(text) or _ASKS_FOR.match(text) or _CHECKS_A_CLAUSE.match(text))


# What makes a date a deadline rather than a time something happens: "due", "by", "before".
_DEADLINE = re.compile(r"\b(?:due|by|before|until|till|no\s+later\s+than)\s+(?:the\s+)?(?:end\s+of\s+)?$",
                       re.IGNORECASE)


def deadline_after(conversation: Conversation, sentence: Sentence, people: People) -> dates.DateMatch | None:
    """A deadline the speaker adds in the next sentence of the same message, when that sentence
    holds no task of its own: the date after "due", "by" or "before" in it, or the day it
    proposes ("I can come and look at both. How's Thursday morning for you?")."""
    after = conversation.sentences[sentence.index + 1:sentence.index + 2]
    if not after or after[0].message is not sentence.message or detect_all(after[0].text, people):
        return None
    text, day = after[0].text, conversation.day_of(sentence.message)
    if _ON_A_CONDITION.match(text):
        return None  # "I'll call her this afternoon. If the artwork's not in by Friday we can't print.": what hangs on it
    proposes = bool(_PROPOSES_A_DAY.search(text) or _MEETS_THEM.search(text))
    found = [d for d in _dates(text, day) if d.due >= day and (proposes or is_deadline(text, d) or _names_the_day(text, d))]
    return found[0].lent() if found else None


# A sentence opening on a condition says what happens if something is or is not done by a day,
# not when the task before it is due.
_ON_A_CONDITION = re.compile(r"^(?:(?:and|but|so|well|oh|um|uh|because)[,\s]+)*(?:if|unless|in\s+case|otherwise)\b", re.IGNORECASE)


# The speaker saying when they will see the one the task is with: "I can ask the head of
# department about the third TA. I'm seeing her Thursday anyway." (a task to ask, tell or check
# with someone is done when they meet).
_MEETS_THEM = re.compile(r"^(?:(?:and|but|so|well|oh)[,\s]+)?(?:i['’]?m|i\s+am|i['’]?ll\s+be|we['’]?re|i\s+will|i['’]?ll)\s+"
                         r"(?:(?:seeing|meeting|see|meet)\s+(?:her|him|them)|(?:with|talking\s+to|speaking\s+to)\s+(?:her|him|them))\b",
                         re.IGNORECASE)


# A sentence that is only the day, maybe hedged, and what comes with it: "Probably Friday, after
# the partners' meeting.", "Hopefully tomorrow.", "Thursday at the latest." ("Tomorrow's
# meeting is at nine." is about the meeting: the day is followed by more of a sentence.)
_DAY_ALONE = re.compile(r"^(?:(?:so|and|but|or|um|uh|well|ok|okay)[,\s]+)*(?:(?:probably|hopefully|maybe|likely|ideally|definitely|certainly|say)[,\s]+)?"
                        r"(?:(?:by|on|before|until|till|for)\s+)?$", re.IGNORECASE)
_DAY_ENDS = re.compile(r"^\s*(?:[,.!?;:]|$|at\s+the\s+latest\b)", re.IGNORECASE)


def _names_the_day(text: str, when: dates.DateMatch) -> bool:
    return bool(_DAY_ALONE.match(text[:when.start]) and _DAY_ENDS.match(text[when.end:]))


# Proposing a day for the task just said: "How's Thursday morning for you?", "Would Wednesday
# work for you?", "Does Friday suit?"
_PROPOSES_A_DAY = re.compile(r"^(?:(?:so|and|okay|ok)[,\s]+)?(?:how'?s|how\s+(?:is|about)|would|does|will|is)\b[^?]*"
                             r"\b(?:for\s+you|work|suit|suits|okay|ok|good|fine)\b[^?]*\?$", re.IGNORECASE)


# Someone asking by when: "When could you have that list?", "By when?", "What's the ETA?".
_WHEN = re.compile(r"^(?:(?:so|and|okay|ok|great|cool|sure|perfect|thanks|alright)[,.!\s]+)*(?:[A-Z]\w+,\s*)?"
                   r"(?:when\b|by\s+when\b|how\s+soon\b|what(?:'s|\s+is)\s+(?:the\s+|your\s+)?(?:timeline|eta|timeframe|deadline)\b)"
                   r"[^.!]*\?$", re.IGNORECASE)
_WINDOW = 2  # messages: the question comes within two of the task, the answer within two of it


def deadline_answered(conversation: Conversation, sentence: Sentence, assignee: str,
                      requester: str | None = None) -> tuple[dates.DateMatch, str] | None:
    """A deadline given in answer to "when?": "What I can do is audit the seats." - "When could
    you have that list?" - "End of next week should be fine." The date the assignee gives in
    their next message after someone else asks when, with that message's id; or, when the one
    asked to do something asks back ("When do you need that by?"), the date the one who asked
    (`requester`) answers with. "When?" is about the last task said before it: not about this
    sentence's when a later sentence of its message holds another."""
    messages = conversation.messages
    at = sentence.message.position
    if any(detect_all(s.text) for s in _rest_of_message(conversation, sentence)):
        return None
    for asked in messages[at + 1:at + 1 + _WINDOW]:
        answers_by = assignee
        if asked.speaker.name == assignee:
            if requester is None or requester == assignee:
                continue
            answers_by = requester  # "When do you need that by?" - "End of the month."
        if not any(_WHEN.match(s.text.strip()) for s in split(asked.text)):
            continue
        for answer in messages[asked.position + 1:asked.position + 1 + _WINDOW]:
            if answer.speaker.name != answers_by:
                continue
            day = conversation.day_of(answer)
            found = [d for d in _dates(answer.text, day) if d.due >= day]
            return (found[0].lent(), answer.id) if found else None
        return None
    return None


def _rest_of_message(conversation: Conversation, sentence: Sentence):
    """The sentences said after `sentence` in its message. Sentences are numbered in the order
    said, a message's together, so this stops at the first of another message instead of
    looking through the rest of the conversation (quadratic over a long one)."""
    said = conversation.sentences
    for k in range(sentence.index + 1, len(said)):
        if said[k].message.id != sentence.message.id:
            return
        yield said[k]


def is_deadline(text: str, when: dates.DateMatch) -> bool:
    return bool(_DEADLINE.search(text[:when.start]))


# A day compared with: "same time as today".
_COMPARED = re.compile(r"\b(?:as|than|since)\s+$", re.IGNORECASE)
# "for Thursday", "for Friday and Saturday nights"; a date changed to: "update the estimate to
# Friday", "move the tasting to the ninth" (the new day, not when the change is made).
_FOR = re.compile(r"(?:\bfor\s+(?:(?:[\w-]+\s+){1,2}(?:and|or)\s+)?"
                  r"|\b(?:updat\w*|chang\w*|mov\w*|push\w*|postpon\w*|shift\w*|reschedul\w*)\b[^,.;!?]{0,40}?\bto\s+(?:the\s+(?:morning|afternoon|evening|night)\s+of\s+)?)$",
                  re.IGNORECASE)


def is_day_for(text: str, when: dates.DateMatch) -> bool:
    """The date is the day a thing is for ("book a flight for the 14th", "an invite for
    Thursday"), or a day something is changed to ("update the estimate to Friday"), which is
    its due date only when no other day is said for the task."""
    return bool(_FOR.search(text[:when.start]))


@lru_cache(maxsize=256)
def _dates(text: str, day: date) -> tuple[dates.DateMatch, ...]:
    """The dates of a sentence, found once for all the actions in it."""
    return tuple(dates.find(text, day))


def assignee(conversation: Conversation, people: People, sentence: Sentence, action: Action):
    """The assignee object, and where the assignee is named in the sentence (if they are)."""
    speaker = sentence.message.speaker
    if action.kind in ("commitment", "group"):
        return person(speaker.name, speaker.email), None
    if action.kind == "assignment":
        mention = next((m for m in people.members_in(sentence.text) if m.name == action.who), None)
        member = people.member(action.who or "")
        return person(action.who or speaker.name, member.email if member else None), mention
    mention = people.addressee(sentence.text) or _name_before(people, sentence.text, action.trigger)
    if mention is not None and mention.member is None \
            and (taker := _taken_on_by(conversation, sentence)) is not None:
        # "Bob, please send the report." - "Sure, I'll send it." in a recording whose speakers
        # are only "Speaker 1", "Speaker 2": the name is no one in the conversation, and the
        # one who answers by taking it on is evidently the one it was said to.
        return person(taker.name, taker.email), mention
    if mention is not None:
        return person(mention.name, mention.member.email if mention.member else None), mention
    other = listener(conversation, sentence)
    if other is not None:
        return person(other.name, other.email), None
    return person(speaker.name, speaker.email), None


def addressees(conversation: Conversation, people: People, sentence: Sentence, action: Action,
               first: dict) -> tuple[dict, ...]:
    """Everyone a request to more than one is made to ("Ana, Ben, could you both send me your
    slides?"), when the conversation says who: the members named before it, else everyone but
    the speaker, when they are as many as its "both", "two" or "all" says. `first`, the one
    assignee the API's shape holds, leads; () for a request to one, or to people not known."""
    how = rewrite.addressed(sentence.text[action.trigger:action.start])
    if how is None:
        return ()
    fewest, most = how
    speaker = sentence.message.speaker
    named = {m.name: m.member.email for m in people.members_in(sentence.text)
             if m.end <= action.trigger and m.member is not None and m.member.id != speaker.id}
    if not fewest <= len(named) <= most:
        named = {m.name: m.email for m in conversation.members if m.id != speaker.id}
        if not fewest <= len(named) <= most:
            return ()
    if first["name"] not in named:
        return ()
    rest = [person(name, email) for name, email in named.items() if name != first["name"]]
    return (first, *rest)


def _name_before(people: People, text: str, at: int):
    """A member named just before a request without a comma: "Bob can you…"."""
    before = [m for m in people.members_in(text) if m.end <= at and not text[m.end:at].strip(" ,")]
    return before[-1] if before else None


def _taken_on_by(conversation: Conversation, sentence: Sentence) -> Speaker | None:
    """The other speaker whose next message opens by taking the request on ("Sure, …")."""
    speaker = sentence.message.speaker
    for message in conversation.messages[sentence.message.position + 1:sentence.message.position + 3]:
        if message.speaker.id != speaker.id:
            return message.speaker if takes_it_on(message.text) else None
    return None


def listener(conversation: Conversation, sentence: Sentence) -> Speaker | None:
    """Who a request without a name was most likely made to: whoever answers it, else the only
    other member."""
    speaker = sentence.message.speaker
    for message in conversation.messages[sentence.message.position + 1:sentence.message.position + 3]:
        if message.speaker.id != speaker.id:
            return message.speaker
    others = [m for m in conversation.members if m.id != speaker.id]
    return others[0] if len(others) == 1 else None


def spoken_to(conversation: Conversation, people: People, sentence: Sentence,
              merged: tuple[str, ...] = ()) -> Speaker | None:
    """Whom "you" means in the speaker's own task, the first that says it of:
    - the member named as the one spoken to ("I'll email it to you, Sharon");
    - the other speaker of a message the task is one item with (`merged`, message ids): the
      request it answers, or the answer that took the offer up ("I can have them pick you
      up." - "Oh, that'd help.");
    - the one whose question or request the speaker's message answers (Ana: "Ben, where's the
      deck?" - Ben: "I'll send it to you tonight." - Cleo: "Great." is Ana's deck), past the
      speaker's own messages just before ("Sure." "I'll send it to you.");
    - whoever answers it (`listener`)."""
    speaker = sentence.message.speaker
    named = people.addressee(sentence.text)
    if named is not None and named.member is not None and named.member.id != speaker.id:
        return named.member
    position = sentence.message.position
    near = conversation.messages[max(0, position - _ANSWERS):position + _ANSWERS + 1]
    for message in near:
        if message.id in merged and message.speaker.id != speaker.id:
            return message.speaker
    for message in reversed(conversation.messages[max(0, position - _ANSWERS):position]):
        if message.speaker.id != speaker.id:
            if _asks(message.text):
                return message.speaker
            break
    return listener(conversation, sentence)


_ANSWERS = 3  # messages back: the question, then up to two of the speaker's own


@lru_cache(maxsize=256)
def _asks(text: str) -> bool:
    """A message that asks something of the others: a question, or a request ("Send me the
    deck, please."). Cached: every task of a long answer asks it of the same message."""
    return "?" in text or any(a.kind == "request" for s in split(text) for a in detect_all(s.text))


def person(name: str, email: str | None) -> dict:
    return {"name": name, "email": email} if email else {"name": name}
