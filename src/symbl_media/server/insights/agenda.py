"""Where a conversation turns to a thing: "what about the deposit?", "moving on to the budget",
"regarding the lease", "any news on the permit?", "Okay, deductions.".

The words that raise a subject, not the subject itself: a thing named right after them is
one the speakers chose to talk about, where a thing named anywhere else may be said in
passing. On tune/ a candidate so raised was a labelled topic 69 to 82 times in 100,
others 51 to 56 (among the 25 strongest candidates of each conversation; docs/benchmarks.md,
"Topics: small fixes, and what is raised").
"""

from __future__ import annotations

import re

from .lexicon import classes
from .numbers import SCALES, TENS, UNITS
from .words import STOPWORDS

# "about" covers "what about" and "how about", and a subject brought up in other frames too:
# "mine's about salary packaging", "I'm not sure about the Stagecoach services", "is the
# company going to do anything about the service charge?". Narrowing it to "what about",
# "how about" and verbs of talk ("talk about", "ask about") lost labelled topics on both halves
# of tune/ (docs/benchmarks.md, "General language rules found by reading"). Not "about" as
# an approximation, before an amount or a time ("about ten minutes", "about half done",
# "about a week", "about noon"), nor "about to" (on the point of).
_AMOUNT = "|".join(sorted([*UNITS, *TENS, *SCALES, "half", "quarter", "noon", "midnight", "dozen", "couple", "to"],
                          key=len, reverse=True))
_SPAN = r"(?:a|an)\s+(?:few\s+|couple\s+of\s+)?(?:minute|hour|day|week|month|year|second|third|quarter|half|dozen|hundred|thousand|million|couple)s?"
_ABOUT = rf"about(?!\s+(?:{_AMOUNT}|{_SPAN})\b)"
_CUES = (rf"{_ABOUT}|regarding|as for|moving on to|move on to|turning to|update on|news on|status of")
_RAISED = re.compile(rf"(?i)\b(?:{_CUES})\s+(?:(?:the|your|our|my|a|an|this|that|these|those)\s+)?"
                     rf"(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)")


# A sentence that is nothing but a thing named, after the words that move a meeting on:
# "Okay, deductions.", "Right, the deposit.", "Next, presentation night.", "Last thing, the
# deposit.": the speaker announces what comes next, as a line of an agenda does.
_MARKERS = r"(?:okay|ok|so|right|alright|all\s+right|next|now|and|then|first|finally|great|good|perfect|lastly|last\s+thing|one\s+more\s+thing|one\s+more|number\s+\w+)"
_HEADING = re.compile(rf"(?i)^\s*(?:{_MARKERS}[,.:]?\s+)+(?:(?:the|your|our|my)\s+)?"
                      rf"(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)(?:\s+[^\W\d_]+(?:['’\-][^\W\d_]+)*){{0,2}}\s*[.?!:]?\s*$")


def _names_a_thing(rest: str) -> bool:
    """Whether the words of a heading are a thing's name ("presentation night", "the
    deposit"), not a clause or a reply ("so the budget is fine", "sounds good", "got it"):
    no function word, and a last word that can be a noun and not an adjective."""
    words = re.findall(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", rest.lower())
    if any(w in STOPWORDS for w in words):
        return False
    tags = classes(words[-1])
    return not tags or ("NOUN" in tags and "ADJ" not in tags)


def raised(text: str) -> frozenset[str]:
    """The words (lower case) that open what `text` turns to: "what about the deposit" ->
    {"deposit"}; "moving on to travel insurance" -> {"travel"}; "what about the deposit's
    date" -> {"deposit"}, as topic_runs reads a word without its clitic 's."""
    found = [m.group("word") for m in _RAISED.finditer(text)]
    heading = _HEADING.match(text)
    if heading and _names_a_thing(text[heading.start("word"):]):
        found.append(heading.group("word"))
    return frozenset(w.lower().replace("’", "'").removesuffix("'s") for w in found)
