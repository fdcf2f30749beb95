"""Days worked out from an event said in the call.

Once someone dates an event ("So, the Lefèvre-Gaillard wedding, the fifteenth of May.", "the
festival's Saturday the 25th", "The board meets on March eighteenth", "we move on Saturday"),
a task said later against it is due on a day worked out from that date:

- "the morning of the wedding", "the night of the gala": the event's day;
- "the day (night, evening) before the move", "the day after the launch": a day either side;
- "the Friday before the wedding", "the Monday after the audit": the nearest such weekday
  before (after) it;
- "two days before the audit", "a week after the launch": so many days or weeks either side;
- "before (by, at, for, on, during) the board meeting", "before we move": the event's day,
  as the labelled conversations read a deadline set by an event (benchmarks/insights/README.md:
  "by the kickoff on the 6th of October" is that day).

A later mention names the same event when its last word is the event's and one's other words
are among the other's ("the friends night" and "the friends and family night", "the wedding"
and "the Lefèvre-Gaillard wedding", "the board meeting" and "the board meets"); the latest
such dating said before the task counts. "The Friday before" with no event after it reads
back: the last day said in the three messages before it, else the dated event the call has
named most so far (a PTA planning its festival: "I'll get the float from the bank on the
Friday before."). A bare "then" closing a task is the event its own sentence just dated
("Group meeting's Monday, I'll do it then."). An event never dated gives no day ("the day
before the visit"), and a day already passed gives none; nor is the weekday inside "the
Friday before the festival" then the coming Friday (weekdays_worked_out).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from . import dates
from .conversation import Conversation, Sentence
from .numbers import word_value

# Things that happen on a day, which a call plans around. A head noun: its modifiers
# ("board", "friends and family", "staff") are read from the words before it.
_EVENT_NOUNS = (
    "wedding festival launch audit move gala meeting shoot session competition regional tasting "
    "pickup pick-up delivery inspection re-inspection visit party night conference trip opening "
    "kickoff kick-off concert show game final match race tournament interview presentation "
    "appointment funeral ceremony rehearsal run-through performance workshop training fair sale "
    "event dinner release cutover go-live handover walk-through walkthrough surgery exam "
    "graduation demo pitch retreat offsite off-site recital premiere fundraiser auction hearing "
    "closing move-in move-out day weekend tour camp reunion"
).split()
_HEAD = "|".join(re.escape(n) for n in sorted(_EVENT_NOUNS, key=len, reverse=True))
_DETERMINER = r"(?:the|our|your|their|his|her|my|this|that)"
_WORD = r"[^\W\d_][\w'’-]*"
# "the Lefèvre-Gaillard wedding", "the friends and family night", "Group meeting" opening a sentence.
_MODIFIER = rf"(?!{_DETERMINER}\b){_WORD}\s+"
# The head and, when one event noun names another, both: "the shoot day", "the race day".
_HEADS = rf"(?:{_HEAD})(?:e?s)?(?:\s+(?:{_HEAD})(?:e?s)?)?"
_MENTION = re.compile(rf"(?:\b{_DETERMINER}\s+(?P<mods>(?:{_MODIFIER}){{0,3}}?)|^(?P<first>{_MODIFIER})?)(?P<head>{_HEADS})\b",
                      re.IGNORECASE)
# "The board meets on March eighteenth": the board's meeting.
_MEETS = re.compile(rf"\b{_DETERMINER}\s+(?P<mods>(?:{_MODIFIER}){{0,2}}?{_WORD})\s+(?:meets|meet)\b", re.IGNORECASE)
# "we move on Saturday", "we leave on the Friday": what the speakers will do, as an event.
# Not "open": "before we open" is a restaurant's service that day (dates.py).
_GOINGS = "move|leave|start|arrive|fly|launch|go\\s+live"
_GOING = re.compile(rf"\b(?:we|you|they|i)\s+(?:(?:will|['’]ll|are\s+going\s+to)\s+)?(?P<head>{_GOINGS})\b", re.IGNORECASE)
# What may stand between an event and the date that dates it: "the festival's Saturday the
# 25th", "the regional in Stockholm on the 7th", "the wedding, the fifteenth of May", "the
# board meets on March eighteenth". A verb of doing does not ("send the report on Friday").
_LINK_WORDS = frozenset(
    "'s ’s is are will be falls takes place happens meets meet starts start opens open begins begin "
    "kicks off lands booked set scheduled planned on for at in this coming".split())
_LINK_REACH = 30  # characters between the event and its date
_OR = re.compile(r"^\s*,?\s*or\s+", re.IGNORECASE)
_NOT_MODIFIERS = frozenset("the a an our your their his her my this that of and big whole".split())

_WD = "|".join(dates.WEEKDAYS)
_COUNT = r"(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple\s+of|couple\s+of)"
_REF = rf"(?:{_DETERMINER}\s+(?P<np>(?:{_MODIFIER}){{0,3}}?{_HEADS})|(?P<who>we|you|they|i)\s+(?P<going>{_GOINGS}))\b"
_RELATIVE = re.compile(
    r"\b(?:"
    r"(?:the\s+)?(?P<of>morning|afternoon|evening|night|day)\s+of"
    r"|the\s+(?P<span>day|night|evening|morning|afternoon)\s+(?P<span_side>before|after)"
    rf"|the\s+(?P<wd>{_WD})\s+(?P<wd_side>before|after)"
    rf"|{_COUNT}\s+(?P<unit>days?|weeks?)\s+(?P<n_side>before|after|ahead\s+of|prior\s+to)"
    r"|(?P<at>before|by|until|till|at|for|on|during|ahead\s+of|in\s+time\s+for)"
    rf")\s+{_REF}",
    re.IGNORECASE)
# "the Friday before", "the day before", said with nothing after them.
_BEFORE_ALONE = re.compile(rf"\bthe\s+(?:(?P<wd>{_WD})|(?:day|night|evening))\s+before\b(?!\s+(?:the|our|my|your|his|her|their|that|this|it|we|you|they|i|yesterday|last)\b)",
                           re.IGNORECASE)
_WINDOW = 3  # messages back, as assignees.day_before reads "the night before"


# Heads that also name a stretch of any day ("for the day", "the night"): a later mention
# needs a word of the event's own ("the friends night", "the shoot day").
_NEEDS_A_MODIFIER = frozenset("day night weekend event".split())
# A bare "then" closing the task's clause, after the sentence dated an event: "Group meeting's
# Monday, I'll do it then."
_THEN = re.compile(r"\bthen\s*[.!]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Event:
    head: str
    mods: frozenset[str]
    day: date
    index: int  # the sentence that dated it
    end: int  # where its date ends in that sentence


def day_of(calendar: Calendar, sentence: Sentence, begin: int = 0, end: int | None = None) -> dates.DateMatch | None:
    """The day a phrase relative to an event the call dated, in `sentence` between `begin` and
    `end` (the action's clause), says; None when there is none or it has passed."""
    conversation = calendar.conversation
    text = sentence.text
    end = len(text) if end is None else end
    today = conversation.day_of(sentence.message)
    for m in _RELATIVE.finditer(text, begin, end):
        event = _named(calendar, sentence, m)
        day = None if event is None else _worked_out(m, event.day)
        if day is not None and day >= today:
            return dates.DateMatch(m.group(), m.start(), m.end(), day, day, day)
    alone = _BEFORE_ALONE.search(text, begin, end)
    if alone is not None:
        day = _before_alone(calendar, sentence, alone)
        if day is not None and day >= today:
            return dates.DateMatch(alone.group(), alone.start(), alone.end(), day, day, day)
    then = _THEN.search(text[:end], begin)
    if then is not None:
        last = calendar.last_before((sentence.index, begin + 1))
        if last is not None and last.index == sentence.index and last.day >= today:
            return dates.DateMatch(then.group().strip(" .!"), then.start(), then.start() + 4, last.day,
                                   last.day, last.day)
    return None


def weekdays_worked_out(text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where a weekday is said relative to another day in `text` between `begin` and `end`:
    "the Friday before the festival", "the Monday after the audit", "the Friday before". Such a
    weekday is no day of its own: when day_of gives none (the event was never dated, or is
    today and the Friday before it has passed), the task has none either, not the coming
    Friday that "Friday" alone means."""
    end = len(text) if end is None else end
    spans = [(m.start(), m.end()) for m in _RELATIVE.finditer(text, begin, end) if m.group("wd")]
    spans += [(m.start(), m.end()) for m in _BEFORE_ALONE.finditer(text, begin, end) if m.group("wd")]
    return spans


def _worked_out(m: re.Match, day: date) -> date | None:
    g = m.groupdict()
    if g["of"] or g["at"]:
        return day
    if g["span"]:
        return day + timedelta(days=-1 if g["span_side"].lower() == "before" else 1)
    if g["wd"]:
        return _weekday_beside(dates.WEEKDAYS.index(g["wd"].lower()), g["wd_side"].lower(), day)
    count = g["n"].lower()
    n = 2 if "couple" in count else 1 if count in ("a", "one") else int(count) if count.isdigit() else word_value(count)
    if n is None:
        return None
    days = n * (7 if g["unit"].lower().startswith("week") else 1)
    return day + timedelta(days=days if g["n_side"].lower() == "after" else -days)


def _weekday_beside(weekday: int, side: str, day: date) -> date:
    """The nearest `weekday` strictly before (after) `day`."""
    if side == "before":
        return day - timedelta(days=(day.weekday() - weekday - 1) % 7 + 1)
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def _named(calendar: Calendar, sentence: Sentence, m: re.Match) -> Event | None:
    """The latest event dated before `m` that the words after the relation name."""
    mods: frozenset[str] = frozenset()
    if m.group("going"):
        head = _going(m.group("going"))
    else:
        words = [w.lower() for w in m.group("np").split()]
        head, mods = _singular(words[-1]), frozenset(w for w in words[:-1] if w not in _NOT_MODIFIERS)
        if head in _NEEDS_A_MODIFIER and not mods:
            return None
    return calendar.latest(head, mods, (sentence.index, m.start()))


def _before_alone(calendar: Calendar, sentence: Sentence, alone: re.Match) -> date | None:
    """ "The Friday before" with no event said: before the last day said just before, else
    before the last event the call dated."""
    conversation = calendar.conversation
    pos = sentence.message.position
    today = conversation.day_of(sentence.message)
    for message in reversed(conversation.messages[max(0, pos - _WINDOW):pos + 1]):
        text = sentence.text[:alone.start()] if message.id == sentence.message.id else message.text
        # A weekday inside a day worked out ("I'll collect the flowers the Friday before.") is
        # no day said: dates.py reads it as the coming one.
        relative = [(m.start(), m.end()) for p in (_BEFORE_ALONE, _RELATIVE) for m in p.finditer(text)]
        found = [d for d in dates.find(text, conversation.day_of(message))
                 if d.first == d.last and d.first > today
                 and not any(start < d.end and d.start < end for start, end in relative)]
        if found:
            return _before(alone, found[-1].first)
    # else the event the call is about: of those dated and still to come, the one named most
    # so far (a festival planned all call, over "the meeting next Thursday" said in passing),
    # the latest of them on a tie
    named = calendar.named
    events = [e for head in calendar.heads if (e := calendar.latest_to_come(head, sentence.index, today)) is not None]
    if not events:
        return None
    return _before(alone, max(events, key=lambda e: (_times_named(named, e.head, sentence.index), e.index, e.end)).day)


def _times_named(named: dict[str, list[int]], head: str, before: int) -> int:
    """How many times the call named `head` before sentence `before`; `named` holds, per head,
    the indices of the sentences that name it, in order (a count read for each task, it
    would cost a pass over the call each)."""
    return bisect_left(named.get(head, ()), before)


def _before(alone: re.Match, day: date) -> date:
    if alone.group("wd"):
        return _weekday_beside(dates.WEEKDAYS.index(alone.group("wd").lower()), "before", day)
    return day - timedelta(days=1)


class Calendar:
    """What one call says of its events: the events it dates, in the order said, and the
    sentences naming each event's head. Read when a task first asks (most calls never do) and
    then once for all the tasks of the call; action_items makes one per call."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    @cached_property
    def events(self) -> tuple[Event, ...]:
        return _dated_events(self.conversation)

    # Indices over the events, made once per call, so that a task looks up the event it means
    # rather than walking every event dated before it: a call's tasks cost in proportion to
    # the call (test_insights_shapes.py).

    @cached_property
    def _keys(self) -> list[tuple[int, int]]:
        return [(e.index, e.end) for e in self.events]

    @cached_property
    def _by_word(self) -> dict[tuple[str, str | None], tuple[list[Event], list[tuple[int, int]]]]:
        """Per (head, modifier) the events, in order, with their keys; (head, "") holds those
        with no modifier, (head, None) every event of the head."""
        index: dict[tuple[str, str | None], tuple[list[Event], list[tuple[int, int]]]] = {}
        for e in self.events:
            for word in (None, *(e.mods or ("",))):
                got, keys = index.setdefault((e.head, word), ([], []))
                got.append(e)
                keys.append((e.index, e.end))
        return index

    @cached_property
    def heads(self) -> tuple[str, ...]:
        return tuple(head for head, word in self._by_word if word is None)

    def last_before(self, at: tuple[int, int]) -> Event | None:
        """The last event dated before `at` (sentence index, offset), whatever it is."""
        i = bisect_left(self._keys, at)
        return self.events[i - 1] if i else None

    def latest(self, head: str, mods: frozenset[str], at: tuple[int, int]) -> Event | None:
        """The latest event of `head` dated up to `at` whose modifiers and `mods` are one within
        the other ("the friends night" and "the friends and family night"). Such an event has no
        modifiers of its own or shares one of `mods`: only those lists are read."""
        best = None
        for word in ("", *mods) if mods else (None,):
            got, keys = self._by_word.get((head, word), ((), ()))
            for i in range(bisect_left(keys, (at[0], at[1] + 1)) - 1, -1, -1):
                e = got[i]
                if best is not None and (e.index, e.end) <= (best.index, best.end):
                    break
                if mods <= e.mods or e.mods <= mods:
                    best = e
                    break
        return best

    def latest_to_come(self, head: str, before: int, today: date) -> Event | None:
        """The latest event of `head` dated in a sentence before `before`, on a day after `today`."""
        got, keys = self._by_word.get((head, None), ((), ()))
        for i in range(bisect_left(keys, (before, 0)) - 1, -1, -1):
            if got[i].day > today:
                return got[i]
        return None

    @cached_property
    def named(self) -> dict[str, list[int]]:
        """Per head, the indices of the sentences naming it, in order (a count read for each
        task would cost a pass over the call each)."""
        named: dict[str, list[int]] = {}
        for sentence in self.conversation.sentences:
            for head, _, _ in _mentions(sentence.text):
                named.setdefault(head, []).append(sentence.index)
        return named


def _dated_events(conversation: Conversation) -> tuple[Event, ...]:
    """Every event the call gives a date, in the order said."""
    found: list[Event] = []
    for sentence in conversation.sentences:
        text = sentence.text
        if not (_MENTION.search(text) or _MEETS.search(text) or _GOING.search(text)):
            continue
        today = conversation.day_of(sentence.message)
        days = [d for d in dates.find(text, today) if d.first == d.last and d.first >= today]
        if not days:
            continue
        for head, mods, at in _mentions(text):
            dated = _date_after(conversation, sentence, text, at, days)
            if dated is not None:
                found.append(Event(head, mods, dated[0], sentence.index, dated[1]))
    return tuple(sorted(found, key=lambda e: (e.index, e.end)))


def _mentions(text: str):
    for m in _MENTION.finditer(text):
        words = f"{m.group('mods') or m.group('first') or ''} {m.group('head')}".lower().split()
        yield _singular(words[-1]), frozenset(w for w in words[:-1] if w not in _NOT_MODIFIERS), m.end()
    for m in _MEETS.finditer(text):
        words = m.group("mods").lower().split()
        yield "meeting", frozenset(w for w in words if w not in _NOT_MODIFIERS), m.end()
    for m in _GOING.finditer(text):
        yield _going(m.group("head")), frozenset(), m.end()


def _date_after(conversation: Conversation, sentence: Sentence, text: str, at: int,
                days: list[dates.DateMatch]) -> tuple[date, int] | None:
    """The date said right after an event, linked to it ("'s", "is on", ", the fifteenth of"),
    and where it ends; of two offered ("on the eighth or the ninth?"), the one the next message
    answers with."""
    for d in days:
        if d.start < at:
            continue
        gap = text[at:d.start]
        if len(gap) > _LINK_REACH or re.search(r"[.?!;:]", gap) or not _links(gap):
            return None
        if _OR.match(text[d.end:]):
            answered = _answered(conversation, sentence)
            return None if answered is None else (answered, d.end)
        return d.first, d.end
    return None


def _links(gap: str) -> bool:
    words = re.findall(r"[’']s\b|[\w’'-]+", gap)
    for i, w in enumerate(words):
        if w.lower() in _LINK_WORDS:
            continue
        if w[:1].isupper() and i and words[i - 1].lower() == "in":
            continue  # "the regional in Stockholm on the 7th"
        return False
    return True


def _answered(conversation: Conversation, sentence: Sentence) -> date | None:
    """ "Are we doing it on the eighth or the ninth?" - "The eighth.": the day the answer opens with."""
    pos = sentence.message.position
    if pos + 1 >= len(conversation.messages):
        return None
    answer = conversation.messages[pos + 1]
    if answer.speaker.id == sentence.message.speaker.id:
        return None
    # read as the question's "on": a bare "the eighth" is a day only after a cue word (dates.py)
    found = dates.find("on " + answer.text, conversation.day_of(answer))
    if found and found[0].start <= 7 and found[0].first == found[0].last:
        return found[0].first
    return None


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun in _EVENT_NOUNS:
        return noun
    for cut in ("es", "s"):
        if noun.endswith(cut) and noun[:-len(cut)] in _EVENT_NOUNS:
            return noun[:-len(cut)]
    return noun


def _going(verb: str) -> str:
    return re.sub(r"\s+", " ", verb.lower())
