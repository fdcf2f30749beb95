"""Numbers and percentages written as digits or spoken as words ("eighty percent", "two thousand")."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

_ORDINAL_UNITS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                  "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                  "nineteenth").split()
ORDINALS: dict[str, int] = {w: i for i, w in enumerate(_ORDINAL_UNITS, 1)}
ORDINALS.update({"twentieth": 20, "thirtieth": 30})
ORDINALS.update({f"twenty {w}": 20 + i for i, w in enumerate(_ORDINAL_UNITS[:9], 1)})
ORDINALS.update({"thirty first": 31})

_NUMBER_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
# A run of number words, joined by spaces, hyphens or "and" ("two hundred and five").
_SPOKEN = re.compile(
    rf"\b(?:a\s+(?=(?:hundred|thousand|million|billion)\b))?(?:{_NUMBER_WORD})"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\w.])[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])[-+]?\d+(?:\.\d+)?(?![\w]|[.,]\d)")
_PERCENT = re.compile(r"\s*(?:%|per\s*cent\b|percent\b)", re.IGNORECASE)
# "one" after these is a pronoun, not a count: "the one I sent", "no one".
_PRONOUN_ONE = re.compile(r"\b(?:the|this|that|no|any|every|each|which|some|another|someone|every)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMatch:
    text: str
    start: int
    end: int
    value: float
    percent: bool

    @property
    def display(self) -> str:
        """The value as the API's entity `value`: "3", "2.5", "80%"."""
        number = f"{self.value:g}" if abs(self.value) < 1e15 else f"{self.value:.0f}"
        if "e" in number:
            number = f"{self.value:f}".rstrip("0").rstrip(".")
        return number + ("%" if self.percent else "")


def word_value(text: str) -> int | None:
    """The value of one spoken number ("twenty five", "a hundred and two"), None if it is not one."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if words and words[0] == "a":
        words[0] = "one"
    total = current = 0
    seen = False
    for w in words:
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in SCALES:
            total += max(current, 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _runs(text: str) -> list[tuple[int, int]]:
    """Split a run of number words where a new number starts: "two three" is 2 and 3."""
    pieces: list[tuple[int, int]] = []
    last = None  # kind of the previous word: unit, teen, tens, scale
    for m in re.finditer(r"[a-z]+", text, re.IGNORECASE):
        w = m.group().lower()
        if w == "and":
            continue
        kind = ("scale" if w in SCALES else "tens" if w in TENS
                else "unit" if w in UNITS and UNITS[w] < 10 or w == "a" else "teen")
        new = (last is None
               or (kind in ("unit", "teen") and last in ("unit", "teen"))
               or (kind == "tens" and last in ("unit", "teen", "tens")))
        if new:
            pieces.append((m.start(), m.end()))
        else:
            pieces[-1] = (pieces[-1][0], m.end())
        last = kind
    return pieces


def find(text: str) -> list[NumberMatch]:
    """Numbers and percentages in `text`, in order, not overlapping."""
    found: list[NumberMatch] = []
    for m in _DIGITS.finditer(text):
        try:
            value = float(m.group().replace(",", ""))
        except ValueError:  # pragma: no cover - the pattern only admits numbers
            continue
        found.append(_with_percent(text, m.start(), m.end(), value))
    for m in _SPOKEN.finditer(text):
        for a, b in _runs(m.group()):
            start, end = m.start() + a, m.start() + b
            piece = text[start:end]
            value = word_value(piece)
            if value is None:
                continue
            if piece.lower() == "one" and _PRONOUN_ONE.search(text[max(0, start - 12):start]):
                continue
            found.append(_with_percent(text, start, end, float(value)))
    return sorted(found, key=lambda n: n.start)


def _with_percent(text: str, start: int, end: int, value: float) -> NumberMatch:
    tail = _PERCENT.match(text, end)
    if tail:
        end = tail.end()
    return NumberMatch(text[start:end], start, end, value, bool(tail))
