"""Word tokens, stopwords and a small suffix-stripping stemmer shared by the other modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Letters or digits, with inner apostrophes ("don't", "Bob's") and hyphens ("follow-up").
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


STOPWORDS = frozenset("""
a about above after again against all almost also although always am among an and another any
anybody anyone anything anyway are aren't around as at away be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't done
down during each either else enough even ever every everybody everyone everything few for from
further get gets getting go goes going gone got gotta gonna had hadn't has hasn't have haven't
having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll
i'm i've if in into is isn't it it'd it'll it's its itself just kind least less let let's like
lot lots many may maybe me might mine more most much must mustn't my myself need needs neither
never no nobody none nor not nothing now of off oh ok okay on once one only onto or other others
otherwise our ours ourselves out over own per perhaps please quite rather really right same shall
shan't she she'd she'll she's should shouldn't since so some somebody someone something sometimes
somewhat soon still such sure than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've thing things this those though through thus
till to together too toward towards um uh under until up upon us very via was wasn't we we'd we'll
we're we've well were weren't what what's whatever when whenever where where's whether which while
who who's whom whose why will with within without won't would wouldn't yeah yes yet you you'd
you'll you're you've your yours yourself yourselves hi hello hey thanks thank bye alright actually
basically definitely probably literally totally sort
""".split())

_IRREGULAR = {
    "sent": "send", "went": "go", "made": "make", "said": "say", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "bought": "buy", "thought": "think", "brought": "bring",
    "told": "tell", "met": "meet", "paid": "pay", "spent": "spend", "built": "build",
    "began": "begin", "begun": "begin", "ran": "run", "came": "come", "got": "get", "gotten": "get",
    "kept": "keep", "left": "leave", "lost": "lose", "found": "find", "held": "hold",
    "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak", "broke": "break",
    "broken": "break", "chose": "choose", "chosen": "choose", "knew": "know", "known": "know",
    "sold": "sell", "did": "do", "done": "do", "was": "be", "were": "be", "been": "be",
    "is": "be", "are": "be", "am": "be", "has": "have", "had": "have", "people": "person",
    "children": "child", "men": "man", "women": "woman",
}
_DOUBLE_OK = set("lsz")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Fold common English inflections: "shipping" and "ships" -> "ship", "sent" -> "send"."""
    w = word.lower().replace("’", "'")
    w = w.removesuffix("'s")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ing") and len(w) >= 6:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and len(w) >= 5:
        w = _undouble(w[:-2])
    elif w.endswith("es") and w[-3] in "sxz" or w.endswith(("ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def _undouble(w: str) -> str:
    if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in _DOUBLE_OK and w[-1] not in "aeiou":
        return w[:-1]
    return w
