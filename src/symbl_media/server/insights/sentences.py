"""Sentence splitting with character offsets, tolerant of unpunctuated ASR text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import STOPWORDS

# A run of terminal punctuation (plus closing quotes or brackets) followed by space or the end,
# or a line break. Decimals ("3.5") and times ("10:30") have no space after the dot.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n+")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc inc ltd co corp approx dept fig e.g i.e a.m p.m".split())
# "No." is the answer "No." unless a number follows: "invoice No. 4411".
_NUMBER_SIGN = re.compile(r"(?<![\w.])no$", re.IGNORECASE)
_DIGIT_NEXT = re.compile(r"\s*\d")


@dataclass(frozen=True)
class Span:
    text: str
    start: int  # character offset in the message text
    end: int


def split(text: str) -> list[Span]:
    """The sentences of `text`, stripped, each with its offset; empty text gives none."""
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group().startswith(".") and len(m.group()) == 1 and _is_abbreviation(text, m.start()):
            continue
        if m.group() == "." and _is_number_sign(text, m.start()):
            continue
        _add(spans, text, start, m.end())
        start = m.end()
    _add(spans, text, start, len(text))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"[\w.]*$", text[max(0, dot - 12):dot]).group()
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper() and _an_initial(text, dot))


# A capital letter and a dot is a name's initial ("J. Smith", "talk to J. Smith"), but not a
# letter naming a thing after a lowercase noun ("let's hold that as plan B. I'll let you know",
# "option A.") nor one before "I" or "we".
_NAMES_A_THING = re.compile(r"(?<![\w'’-])([a-z][\w'’-]*)\s+[A-Z]$")
_A_SUBJECT_NEXT = re.compile(r"\s+(?:I|I['’](?:ll|m|ve|d)|We|We['’](?:ll|re|ve|d)|You|They|He|She|It)\b")


def _an_initial(text: str, dot: int) -> bool:
    thing = _NAMES_A_THING.search(text[max(0, dot - 40):dot])
    return not (thing and thing.group(1) not in STOPWORDS or _A_SUBJECT_NEXT.match(text, dot + 1))


def _is_number_sign(text: str, dot: int) -> bool:
    return bool(_NUMBER_SIGN.search(text[max(0, dot - 3):dot]) and _DIGIT_NEXT.match(text, dot + 1))


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not any(ch.isalnum() for ch in stripped):
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append(Span(stripped, start + lead, start + lead + len(stripped)))
