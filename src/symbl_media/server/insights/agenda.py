"""Where a conversation turns to a thing: "what about the deposit?", "moving on to the budget",
"regarding the lease", "any news on the permit?".

The words that raise a subject, not the subject itself: a thing named right after them is
one the speakers chose to talk about, where a thing named anywhere else may be said in
passing. On tune/ a candidate so raised was a labelled topic 69 to 82 times in 100,
others 51 to 56 (among the 25 strongest candidates of each conversation; docs/benchmarks.md,
"Topics: small fixes, and what is raised").
"""

from __future__ import annotations

import re

# "about" covers "what about" and "how about" (and "talk about", "worried about").
_CUES = (r"about|regarding|as for|moving on to|move on to|turning to|update on|news on|status of")
_RAISED = re.compile(rf"(?i)\b(?:{_CUES})\s+(?:(?:the|your|our|my|a|an|this|that|these|those)\s+)?"
                     rf"(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)")


def raised(text: str) -> frozenset[str]:
    """The words (lower case) that open what `text` turns to: "what about the deposit" ->
    {"deposit"}; "moving on to travel insurance" -> {"travel"}; "what about the deposit's
    date" -> {"deposit"}, as topic_runs reads a word without its clitic 's."""
    return frozenset(m.group("word").lower().replace("’", "'").removesuffix("'s")
                     for m in _RAISED.finditer(text))
