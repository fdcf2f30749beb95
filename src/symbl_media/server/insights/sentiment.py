"""Sentence sentiment by VADER (vaderSentiment), tuned for meeting speech.

VADER is a rule-based model with a 7,500-entry lexicon shipped in its wheel: negation, "but",
intensifiers, capitals and punctuation are handled by it, and it loads no model and downloads
nothing. Spoken meetings are full of politeness and fillers that VADER's social-media lexicon
counts as praise ("please", "sure", "okay", "well", "kind of", "like"), so those words are
neutral here, and greetings ("good morning") are left out before scoring. Sarcasm and domain
terms ("the build is green") remain beyond it.
"""

from __future__ import annotations

import re
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Words VADER scores but meetings use as politeness, answers or fillers.
_NEUTRAL = ("please sure yes yeah yep ok okay alright honestly well like kind pretty "
            "welcome thank thanks").split()
_FORMULAS = re.compile(r"\bgood\s+(?:morning|afternoon|evening|night|day)\b|\bthanks?\s+(?:you\s+)?"
                       r"(?:all|everyone|everybody|guys|for\s+(?:joining|coming|calling|having\s+me))\b",
                       re.IGNORECASE)
_PIECE = 200  # words
THRESHOLD = 0.3  # Symbl's bands: negative up to -0.3, positive from 0.3, neutral between


@cache
def _analyser() -> SentimentIntensityAnalyzer:
    analyser = SentimentIntensityAnalyzer()
    for word in _NEUTRAL:
        analyser.lexicon.pop(word, None)
    return analyser


def score(text: str) -> float:
    """Polarity in -1..1 (VADER's compound score); 0 when no opinion word is present. A very
    long unpunctuated text is scored in pieces, their scores averaged by length: VADER's time
    grows faster than the text."""
    text = _FORMULAS.sub(" ", text or "")
    words = text.split()
    if not words:
        return 0.0
    if len(words) <= _PIECE:
        return round(_analyser().polarity_scores(text)["compound"], 3)
    pieces = [words[i:i + _PIECE] for i in range(0, len(words), _PIECE)]
    total = sum(_analyser().polarity_scores(" ".join(p))["compound"] * len(p) for p in pieces)
    return round(total / len(words), 3)


def sentiment(text: str) -> dict:
    """The API's message sentiment object: polarity score and the suggested label."""
    value = score(text)
    label = "positive" if value >= THRESHOLD else "negative" if value <= -THRESHOLD else "neutral"
    return {"polarity": {"score": value}, "suggested": label}
