"""How a returned insight is matched to a labelled one, and the figures computed from the pairs.

Kept apart from score.py (which runs the server) so the rules can be read, and tested, alone.
A returned item and a labelled item can pair only when they share a message; among those, the
pairs with the most similar text go first, one to one. Text similarity is difflib's ratio over
word tokens: enough to tell two action items drawn from one long message apart, without
requiring the returned wording to be the labelled wording (rewrites differ in many ways).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from lemminflect import getAllLemmas, getAllLemmasOOV

MIN_SIMILARITY = 0.3  # below this, two items that share a message are about different things
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_HYPHENATED = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOP = frozenset(("a", "an", "the", "of", "for", "to", "and", "or", "on", "in", "with", "about",
                   "our", "your", "my", "their"))


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


@dataclass(frozen=True)
class Pair:
    gold: dict
    found: dict
    similarity: float


def pair(gold: list[dict], found: list[dict]) -> list[Pair]:
    """One-to-one pairs: sharing a message, most similar text first."""
    candidates = []
    for gi, g in enumerate(gold):
        for fi, f in enumerate(found):
            if set(g["messages"]) & set(f["messages"]):
                score = similarity(g["text"], f["text"])
                if score >= MIN_SIMILARITY:
                    candidates.append((score, gi, fi))
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs = []
    for score, gi, fi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in used_gold and fi not in used_found:
            used_gold.add(gi)
            used_found.add(fi)
            pairs.append(Pair(gold[gi], found[fi], score))
    return pairs


@dataclass
class Tally:
    """Counts summed over conversations; the figures are computed from the sums."""
    gold: int = 0
    found: int = 0
    matched: int = 0

    def add(self, gold: int, found: int, matched: int) -> None:
        self.gold += gold
        self.found += found
        self.matched += matched

    def figures(self) -> dict:
        p = self.matched / self.found if self.found else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
                "gold": self.gold, "found": self.found, "matched": self.matched}


@dataclass
class Share:
    right: int = 0
    total: int = 0

    def add(self, right: bool) -> None:
        self.right += int(right)
        self.total += 1

    def figures(self) -> dict:
        return {"share": round(self.right / self.total, 3) if self.total else None,
                "right": self.right, "of": self.total}


def singular(word: str) -> str:
    """A noun's singular from LemmInflect's lexicon ("inboxes" -> "inbox", "messages" ->
    "message", "bugs" -> "bug", "policies" -> "policy"); other words as they are. The fold
    this replaces cut "es" from any word over four letters ("messages" -> "messag", so a
    returned "decline message" did not name a labelled "decline messages") and left words
    of four letters alone ("bugs", "fees", "logs")."""
    lemmas = getAllLemmas(word).get("NOUN") or getAllLemmasOOV(word, "NOUN").get("NOUN", ())
    return lemmas[0] if lemmas else word


def _topic_words(text: str) -> frozenset[str]:
    # A hyphenated word is one word here: a returned "call" does not name "on-call".
    found = _HYPHENATED.findall(text.lower().replace("’", "'"))
    return frozenset(singular(w) for w in found if w not in _STOP)


def topic_matches(found: str, variants: list[str]) -> bool:
    """A returned topic names a labelled one when its words and one variant's overlap by at
    least half (Jaccard): "annual plan quote" names "annual plan", "plan" names "annual
    plan", "call" names nothing."""
    got = _topic_words(found)
    for variant in variants:
        want = _topic_words(variant)
        if got and want and len(got & want) / len(got | want) >= 0.5:
            return True
    return False


def is_copy(text: str, sources: list[str], names: list[str]) -> bool:
    """True when ``text`` is a source sentence (or part of one) with at most names pasted in:
    names are removed from both sides, then the rest must appear word for word in a source."""
    drop = {w for name in names for w in words(name)}
    got = [w for w in words(text) if w not in drop]
    if not got:
        return True
    for source in sources:
        have = [w for w in words(source) if w not in drop]
        n = len(got)
        if any(have[i:i + n] == got for i in range(len(have) - n + 1)):
            return True
    return False
