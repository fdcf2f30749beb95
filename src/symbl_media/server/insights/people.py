"""Recognising people in sentences: members by name, the person addressed, names after cue words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .conversation import Speaker
from .dates import MONTHS, WEEKDAYS
from .words import STOPWORDS

# Capitalised words that start sentences or answer, and are not names.
NOT_NAMES = STOPWORDS | set(WEEKDAYS) | set(MONTHS) | set(
    "sure yes no okay ok alright right great good thanks thank please so well now also then "
    "sorry hi hello hey guys everyone team folks all anyway fine cool perfect awesome nice "
    "absolutely exactly actually really look listen wait speaker unknown i god gosh wow "
    "english monday today tomorrow".split())
_CAP_NAME = r"[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+)?"
_CUES = (r"(?:ask|asked|asking|tell|told|call|called|email|emailed|ping|pinged|meet|met|cc|"
         r"thanks|thank you|talk to|talked to|spoke to|speak to|spoke with|talk with|"
         r"this is|my name is|name's|i am|i'm|loop in|check with|checked with|according to)")
_AFTER_CUE = re.compile(rf"\b(?i:{_CUES})\s+(?P<name>{_CAP_NAME})\b")
_LEADING_VOCATIVE = re.compile(
    rf"^(?:(?i:hey|hi|okay|ok|so|and|well|alright|now)[, ]+)?(?P<name>{_CAP_NAME})\s*,")
_TRAILING_VOCATIVE = re.compile(rf",\s*(?P<name>{_CAP_NAME})\s*[.?!]*$")


@dataclass(frozen=True)
class Mention:
    name: str  # as the member is known, or as written
    text: str  # as written in the sentence
    start: int
    end: int
    member: Speaker | None


class People:
    """The members of one conversation, findable by full or (unambiguous) first name."""

    def __init__(self, members: tuple[Speaker, ...]):
        by_key: dict[str, Speaker | None] = {}
        for member in members:
            full = member.name.strip()
            if not full or full.lower() in ("unknown speaker",):
                continue
            by_key[full.lower()] = member
            first = full.split()[0]
            if first != full and len(first) > 1:
                key = first.lower()
                # A first name shared by two members names nobody in particular.
                by_key[key] = None if key in by_key and by_key[key] not in (None, member) else member
        self._by_key = {k: v for k, v in by_key.items() if v is not None}
        keys = sorted(self._by_key, key=len, reverse=True)
        self._pattern = (re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w])", re.IGNORECASE)
                         if keys else None)

    def member(self, name: str) -> Speaker | None:
        return self._by_key.get(name.strip().lower())

    def members_in(self, text: str) -> list[Mention]:
        """Member names in `text`. A name that is also a common word must be capitalised."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            word = m.group()
            if word.lower() in NOT_NAMES and not word[:1].isupper():
                continue
            member = self._by_key[word.lower()]
            found.append(Mention(member.name, word, m.start(), m.end(), member))
        return found

    def addressee(self, sentence: str) -> Mention | None:
        """The person spoken to: "Bob, please…", "…, can you, Bob?"."""
        for pattern in (_LEADING_VOCATIVE, _TRAILING_VOCATIVE):
            m = pattern.search(sentence)
            if m:
                mention = self._mention(m)
                if mention:
                    return mention
        return None

    def named_after_cues(self, text: str) -> list[Mention]:
        """Capitalised names after words like "ask", "tell", "this is": "ask Dana to review"."""
        found = []
        for m in _AFTER_CUE.finditer(text):
            mention = self._mention(m)
            if mention:
                found.append(mention)
        return found

    def _mention(self, m: re.Match) -> Mention | None:
        raw = m.group("name")
        # Keep a second word only when it is capitalised and a name too ("Dana Scully").
        words = raw.replace("-", " ").split()
        if words[0].lower() in NOT_NAMES:
            return None
        if len(words) > 1 and (words[1].lower() in NOT_NAMES or not words[1][0].isupper()):
            raw = words[0]
        start = m.start("name")
        member = self.member(raw) or self.member(raw.split()[0])
        return Mention(member.name if member else raw, raw, start, start + len(raw), member)
