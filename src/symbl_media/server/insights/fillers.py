"""Fillers and hedges said inside an action, which are not the task.

"I'll send it, you know, by Friday" said by Ana to Ben is "Ana will send it by Friday", not
"Ana will send it, Ben knows, by Friday": set off by commas (or opening or closing the phrase
before or after one), "you know", "you see", "I mean", "I guess", "I think" and their like say
nothing about anyone, and rewritten in the third person they would become a claim about the
listener or the speaker. So would "um" and "uh", which rewritten are only noise ("Jenna has to
apply at least, um."). They are dropped from the rewritten text; the action phrase as said
(`phrases`) keeps them.

Only set off by punctuation: "let me know as soon as you know", "where I think it sags" and
"if you see the email" are clauses of their own, with a verb that means what it says.

The name of the one spoken to, set off the same way, goes too: "I'll text you, Fiona, once I
hear back" is "Craig will text Fiona Baird once they hear back", not "… Fiona Baird, Fiona, …";
the rewrite has already put their name where "you" was.
"""

from __future__ import annotations

import re

from .words import STOPWORDS

SAID = (r"you\s+know(?:\s+what\s+i\s+mean)?|you\s+see|i\s+mean|i\s+guess|i\s+think|i\s+suppose|i\s+reckon|"
        r"i\s+believe|i['’]d\s+say|i(?:['’]m|\s+am)\s+guessing|mind\s+you|um+|uh+|erm|er|ah")
# A filler set off after a comma does not open a clause of its own (actions.py): "I'll send
# you the figures, I think, by Friday" is one clause, due Friday.
SET_OFF = rf"(?:{SAID})\s*,"
# Between two commas, or between the phrase's edge and a comma: never the whole phrase.
_BETWEEN_COMMAS = re.compile(rf"(?P<before>[\w'’]+)?\s*,\s*(?:{SAID})(?:\s*,\s*(?:{SAID}))*\s*,(?=\s*(?P<after>[\w'’]+)?)",
                             re.IGNORECASE)
_OPENING = re.compile(rf"^\s*(?:{SAID})(?:\s*,\s*(?:{SAID}))*\s*,\s*(?=\S)", re.IGNORECASE)
_CLOSING = re.compile(rf"(?<=\S)\s*,\s*(?:{SAID})(?:\s*,\s*(?:{SAID}))*\s*[.!?…]*\s*$", re.IGNORECASE)
# Words after which the phrase goes straight on once the filler is gone ("send it, you know, by
# Friday", "the, um, quarterly report", "need to, you know, agree"), and words that carry it on
# ("…, I think, by Friday"); between other words the filler sat where a comma belongs ("it's the
# drain, I think, not the cleaning", "it came in last week, I think, it's in review").
_INTERJECTIONS = frozenset("oh okay ok so well yeah yes no right".split())
_GOES_ON = frozenset("by before after until till on in at to for with from into about tomorrow today tonight once when if "
                     "next this first".split())
# A word said again as the speaker restarts ("the, the tank", "send the, um, the report", "I, I
# got lost"): short words only, since "that that", "had had" and "is is" can be meant. The word
# again, whole: "check it, it's the cable" and "forward it to you, you'll have it" say a new
# clause's "it's" and "you'll", which are no restart.
_RESTARTED = re.compile(r"\b(the|a|an|to|of|in|on|for|with|and|or|i|we|you|it|my|our|your|this|will)"
                        r"(?:\s*,?\s+\1(?![\w'’-]))+", re.IGNORECASE)
# "I" and "we" are only ever subjects: said again with their verb worn on, they restart all
# the same ("when I, I'm back" is "when I'm back").
_RESTARTED_SUBJECT = re.compile(r"\b(i|we)\s*,?\s+(?=\1['’](?:m|ll|ve|d|re)\b)", re.IGNORECASE)


def drop(phrase: str, names: frozenset[str] = frozenset()) -> str:
    """`phrase` without the fillers and hedges set off in it: "send it, you know, by Friday"
    -> "send it by Friday" (both commas were the filler's; "the drain, I think, not the
    cleaning" keeps one); "you know, send it" -> "send it"; "apply at least, um" -> "apply
    at least"; a word said again as the speaker restarts is said once ("the, um, the report"
    -> "the report"). `names`: the conversation's names in lower case ("will" for Will)."""
    phrase = _CLOSING.sub("", _OPENING.sub("", _BETWEEN_COMMAS.sub(_one_comma_or_none, phrase)))
    return _RESTARTED_SUBJECT.sub("", _RESTARTED.sub(lambda m: _said_once(m, names), phrase))


def _said_once(m: re.Match, names: frozenset[str]) -> str:
    """The restarted word once; said again with another case it is another word ("send the
    list to Will, will you?": a name, then the tag). Opening the phrase, a word has its
    capital from the sentence ("The, the tank"), unless it is the name of someone in the
    conversation: "Will, will you send it?" speaks to Will."""
    first, again = m.group(1), re.findall(r"\w+", m.group())[1:]
    capital_of_the_sentence = m.start() == 0 and first.lower() not in names
    same = first.lower() == "i" or capital_of_the_sentence or all(w == first for w in again)
    return first if same else m.group()


def _one_comma_or_none(m: re.Match) -> str:
    """What stands where ", filler," was: nothing when the phrase runs straight on, else a comma."""
    before, after = (m.group("before") or ""), (m.group("after") or "").lower()
    joined = before.lower() in STOPWORDS and before.lower() not in _INTERJECTIONS or after in _GOES_ON
    return before if joined else before + ","


# The one spoken to, named between commas or closing the phrase: "…, Fiona, …", "…, Mrs Mitchell."
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+)?"
_ADDRESS = re.compile(rf"(?P<before>[\w'’]+)?\s*,\s*{_TITLE}(?P<name>(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)?)"
                      rf"\s*(?:,(?=\s*(?P<after>[\w'’]+)?)|(?P<end>[.!?…]*\s*$))")


def drop_address(phrase: str, addressed: str | None) -> str:
    """`phrase` without the name of `addressed` (the one spoken to) set off by commas: "text
    you, Fiona, once I hear back" -> "text you once I hear back", "pick it up for you this
    afternoon, Mrs Mitchell" -> "… this afternoon". Not a name in a list ("email Sam, Fiona, and
    Ben"), nor someone else's."""
    if not addressed:
        return phrase
    known = {w.lower() for w in addressed.split()}

    def unsaid(m: re.Match) -> str:
        said = {w.lower() for w in m.group("name").split()}
        listed = (m.group("after") or "").lower() in ("and", "or")
        if not said <= known or listed:
            return m.group()
        return (m.group("before") or "") if m.group("end") is not None else _one_comma_or_none(m)

    return _ADDRESS.sub(unsaid, phrase)
