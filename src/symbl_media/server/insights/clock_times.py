"""A clock time said as a deadline with no day, or an amount that only looks like one.

"Before eleven", "by four", "by 10:30 am" set a time on the day they are said. "Cut the spend
by 10", "extend by one", "one by one" name no hour: the number after "by" is the size of a
change. A bare number (no am/pm, o'clock, or minutes) after "by" is read as a clock time unless
its clause changes a quantity; after "before" it is always one (nobody cuts anything "before
ten"), as the labelled conversations read "before eleven".
"""

from __future__ import annotations

import re

from .lexicon import lemmas

_HOURS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# An hour said with its minutes in words: "eight-thirty", "quarter to seven", "half past six".
# After "at", only the quarters: "opens at five thirty" may be a thing's hours, not the task's.
_QUARTER = rf"(?:(?:a\s+)?quarter|half)\s+(?:to|past)\s+(?:{_HOURS})"
_SPOKEN = rf"{_QUARTER}|(?:{_HOURS})[\s-](?:fifteen|thirty|forty[\s-]five)"
# The pattern dates.py looks for: "by"/"before" and an hour of a twelve-hour clock (not "by 20",
# the amount of a change), or hh:mm; then the end of the clause ("by nine tomorrow" names its
# day, "by five percent" is an amount).
DEADLINE = (
    rf"\b(?P<cue>by|before)\s+(?:(?P<spoken>{_SPOKEN})|{_HOURS}|(?:1[0-2]|0?[1-9])(?![:.]?\d)|(?P<hm>(?:[01]?\d|2[0-3])[:.][0-5]\d))"
    r"(?:\s*(?P<ampm>am|pm|a\.m\.|p\.m\.|o'?clock))?"
    r"(?=\s*(?:[.,;!?]|$|and\b|so\b|because\b|if\b|at\s+the\s+latest\b|with\b))")
# A time of day said with "at" and its clock word, no day named: "at the two o'clock huddle",
# "at 3:30", "at four pm" (the day it is said). Without the clock word "at four" may be a count ("at four percent").
# The times of day with names are the same: "I'll call them at lunch", "at noon".
AT_TIME = (rf"\bat\s+(?:the\s+|our\s+|my\s+|your\s+)?(?:(?:{_HOURS}|1[0-2]|0?[1-9])\s*(?:o'?clock|am|pm|a\.m\.|p\.m\.)|{_QUARTER}"
           r"|(?:[01]?\d|2[0-3]):[0-5]\d|noon|midday|lunch(?:time)?"
           # an hour word alone closing its clause: "ring the staffing office at nine and see ...",
           # "do the gas at ten"; not "at ten percent", nor a level kept (is_bare_hour)
           rf"|(?P<bare>{_HOURS})(?=\s*(?:[.,;!?]|$|and\b|then\b|so\b|before\b|after\b|with\b|sharp\b)))\b"
           # the day named later in the clause decides: "at the two o'clock call on Friday"
           r"(?![^.,;!?]*\b(?:tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend|next\s+week|"
           r"(?:first|second|third|\d+(?:st|nd|rd|th))\b))")

# Verbs (and their nouns) that change a quantity: "trim the list by 12", "a cut by ten".
_CHANGES = frozenset(
    "cut trim reduce lower raise increase decrease grow shrink drop boost bump extend shorten "
    "lengthen expand scale delay postpone slip beat exceed overshoot overrun outnumber undercut "
    "discount inflate narrow widen improve fall rise climb jump multiply divide halve double "
    "triple slash hike shave underspend overspend miss lose win lead trail".split())
# Moving a date by an amount: "push it back by two", "bring the launch forward by one".
_MOVES = re.compile(r"\b(?:push|pushed|pushing|move|moved|moving|pull|pulled|bring|brought|set|put|"
                    r"slide|slid|shift|shifted)\b(?:\s+[\w']+){0,4}?\s+(?:back|forward|out)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r".*(?:[.,;:!?]|\b(?:and|then|but|so|or)\b)", re.IGNORECASE | re.DOTALL)
_NUMBER_BEFORE = re.compile(rf"\b(?:{_HOURS}|\d+)\s+$", re.IGNORECASE)
# A hyphenated word is one word: "double-check" is not "double".
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*", re.IGNORECASE)
# A change verb with a person as its object changes no quantity: "drop me a line by five".
_PERSON_OBJECT = frozenset("me us you him her them".split())


def is_deadline(m: re.Match, text: str) -> bool:
    """Whether DEADLINE's match `m` in `text` is a time of day rather than an amount."""
    if m.group("hm") or m.group("ampm") or m.group("spoken"):
        return True
    before = text[:m.start()]
    if _NUMBER_BEFORE.search(before):  # "one by one", "two by four"
        return False
    if m.group("cue").lower() != "by":
        return True
    start = _CLAUSE_START.match(before)
    clause = before[start.end():] if start else before
    # "drop it off by four", "cut off the water by ten": delivering or stopping, at a time.
    if re.search(r"\boff\b", clause, re.IGNORECASE):
        return True
    if _MOVES.search(clause):
        return False
    words = [w.lower() for w in _WORD.findall(clause)]
    return not any(lemmas(w) & _CHANGES and (i + 1 == len(words) or words[i + 1] not in _PERSON_OBJECT)
                   for i, w in enumerate(words))


# A level or a price, not an hour: "keep the flow at eight", "cap it at ten", "sell them at nine".
_LEVEL = re.compile(r"\b(?:keep|keeps|kept|set|sets|hold|holds|held|leave|leaves|left|cap|caps|capped|fix|fixed|"
                    r"price|priced|sell|sells|sold|buy|bought|stay|stays|stayed|stand|stands|stood|peak|peaked|"
                    r"is|are|was|were|be|been|it'?s|we'?re|they'?re)\b(?:\s+[\w']+){0,4}\s+at\s+\w+\W*$", re.IGNORECASE)


# A day said right before the hour is the hour's day: "Tuesday at nine", "tomorrow at ten".
_DAY_BEFORE = re.compile(r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|tonight|morning|"
                         r"afternoon|evening|\d+(?:st|nd|rd|th)|first|second|third|[a-z]+(?:th|st|nd|rd))['’]?s?\s*,?\s*$", re.IGNORECASE)


def is_bare_hour(m: re.Match, text: str) -> bool:
    """Whether AT_TIME's hour word said alone (``bare``) is an hour of the day it is said: not a
    level or a price, nor the hour of a day said right before it."""
    return not _LEVEL.search(text[:m.end()]) and not _DAY_BEFORE.search(text[:m.start()])
