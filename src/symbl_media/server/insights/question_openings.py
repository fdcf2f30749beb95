"""Small talk while a call opens: questions that warm up before the work starts.

In its first messages a call asks how someone's life is going ("How's the house hunting going,
anyway?", "How was everyone's week?", "How's the wedding prep going, you surviving?"), and
shares the trip in or the weather ("Did anyone else get soaked on the way here?", "Did you see
the rain this morning?", "Is the snow as bad out your way?", "Luis, you survived the weekend?").
None asks about the work (Symbl leaves chit chat out). question_acts.not_asking asks this
before its other rules; later in the call the same words may ask ("how was the demo?").

Near misses that ask, and stay questions: how the work is doing ("How's the oven behaving since
I left?", "How are your store managers using it today?"), how something went that the call is
about ("How did the first on-call week go?", "How did Tuesday's go?"), and a check of the work
("Did you get a chance to look at the mockups?").
"""

from __future__ import annotations

import re

from .conversation import Sentence

OPENING_MESSAGES = 4
_LEAD = r"^(?:(?:hi|hey|hello|so|and|oh|well|okay|ok|morning|anyway)[,!\s]+)*(?:(?-i:[A-Z])[^\W\d_]+[,.!]?\s+)?"
# A trailer after the question proper: where, a "by the way", the one asked by name, and a
# second short question of the same warm-up ("..., you surviving?", "..., did you survive?",
# "..., was the heat awful?", "..., all packed up already?").
_TRAILER = (r"(?:\s+(?:over|down|up|out)\s+there|\s+so\s+far|\s+lately|\s+then)?"
            r"(?:,\s*(?:anyway|by\s+the\s+way|apart\s+from\s+that|though|(?-i:[A-Z])[^\W\d_]+"
            r"|[^,?]{1,40}\b(?:surviv\w*|survive|awful|packed|settled|tired|exhausted)\b[^,?]*))*\W*$")
# Words that say the thing asked about is at work, not the one asked living: "how's the oven
# behaving since I left?", "how are your managers using it?".
_AT_WORK = r"(?!(?:behaving|working|running|doing|using|performing|looking|coming|selling|since|i|you|we|they|it|he|she)\b)"
_LIFE = r"(?:wedding|house|home|holiday|party|birthday|baby|christmas|garden|kitchen|renovation|reno|school|workshop|big|flat)"
# How someone's week, weekend, trip or move went, or how everything is: "How was everyone's last
# weekend of freedom?", "How's the house hunting going, anyway?", "How's everything over there?".
_HOW_LIFE = re.compile(
    _LEAD + r"how(?:'s|\s+(?:is|was|were|are|has|have))\s+(?:"
    r"(?:everyone|everybody|y'all)'s\s+(?:[\w-]+\s+){0,3}[\w-]+"
    r"|everything(?:\s+(?:going|been))?"
    r"|(?:the|your)\s+(?:(?:" + _AT_WORK + r"[\w-]+\s+){0,7}?(?:week|weekend|summer|holidays?|trip|drive|flight|"
    r"journey|hunting|house|wedding|packing|school\s+year|family|kids)"
    # a move, prep, planning or a "thing" is life's only with life's word before it, or none:
    # "the wedding prep", "the move into the new wing"; "the sprint planning", "the website
    # move", "the data migration thing" are the work, and ask
    r"|(?:" + _LIFE + r"\s+){0,2}(?:move|prep|planning|thing))"
    r"(?:\s+(?:back|in|up|down|over|into|from|to)\b[^,?]{0,40})?)"
    r"(?:\s+(?:going|been|gone|treating\s+you))?" + _TRAILER, re.IGNORECASE)
# A weather or traffic word is the weather only when no noun follows it that it names a kind
# of: "the website traffic numbers", "the heat pump readings", "the storm drain" are the work.
_NOT_OF_A_THING = (r"(?=\s*(?:[^\w\s]|$|(?:on|in|at|out|where|as|is|was|were|are|has|had|or|and|here|there|again|"
                   r"earlier|over|up|down|off|behind|the|that|this|last|yesterday|today|tonight|too|yet|then|so|from|"
                   r"into|to|through|for|a|an|coming|round|like|get|got|hit)\b))")
# The weather and the trip in, shared: "Did anyone else get stuck behind the roadworks?", "Anyone
# else's feet killing them?", "Did you get any of that rain last night?", "Is the snow as bad
# out your way?", "Did everyone get soaked on the way in, or was it just me?".
_SHARED = re.compile(
    r"\b(?:anyone\s+else|anybody\s+else|or\s+(?:was|is)\s+it\s+(?:just|only)\s+(?:me|mine)|only\s+mine|"
    r"on\s+the\s+way\s+(?:in|here|over)|out\s+your\s+way|where\s+you\s+are|"
    r"(?:rain|rained|raining|snow|snowed|snowing|soaked|drenched|melt|heat|heatwave|cold\s+snap|storm|weather|"
    r"roadworks|traffic)\b" + _NOT_OF_A_THING + r"|surviv\w*)\b", re.IGNORECASE)
# ...asked of the others about themselves, not of the work: "did you see ...", "did anyone ...",
# "is the snow as bad ...", "you survived the weekend?".
_TO_THEM = re.compile(_LEAD + r"(?:(?:did|has|have|is|are)\s+(?:you|anyone|anybody|everyone|everybody|the\s+(?:snow|rain|weather|heat))"
                      r"|anyone|anybody|you\s+(?:survived|surviving)|surviving)\b", re.IGNORECASE)


def is_small_talk(sentence: Sentence) -> bool:
    """True when `sentence`, asked in the call's first messages, is warming up rather than
    asking about the work."""
    if sentence.message.position >= OPENING_MESSAGES:
        return False
    text = sentence.text.strip()
    return bool(_HOW_LIFE.match(text) or _TO_THEM.match(text) and _SHARED.search(text))
