"""Sentence sentiment from a small built-in lexicon, with negation and intensifiers.

A local heuristic, not Symbl's model: words it does not know count as neutral, and sarcasm,
idioms and domain terms ("the build is green") are beyond it.
"""

from __future__ import annotations

import math

from .words import tokens

# Valence from -3 (very negative) to +3 (very positive). Written for meeting speech.
_LEXICON: dict[str, float] = {}
for _valence, _words in {
    3.0: "excellent amazing awesome fantastic outstanding wonderful brilliant superb perfect "
         "delighted thrilled love loved loves incredible phenomenal",
    2.0: "great good happy glad pleased excited nice impressive success successful win won "
         "enjoy enjoyed liked helpful useful beautiful appreciate appreciated thank thanks "
         "grateful congratulations congrats proud recommend solid smooth smoothly exciting",
    1.0: "ready fine ok okay better improve improved improvement progress resolved fixed "
         "agree agreed interesting clear easy fast stable confident hope hopeful "
         "benefit benefits correct welcome cool fun fair reasonable positive",
    -1.0: "problem problems issue issues concern concerned worry worried delay delayed slow "
          "difficult hard confusing confused unclear late risk risky bug bugs error errors "
          "miss missed missing unfortunately sorry wrong expensive stuck blocked tired negative",
    -2.0: "bad fail fails failed failing failure broken crash crashed crashes "
          "angry upset annoyed annoying frustrated frustrating disappointed disappointing poor "
          "unhappy hate hated worse lost lose losing complaint complain complained sad mess "
          "useless painful",
    -3.0: "terrible awful horrible disaster disastrous worst hateful furious unacceptable "
          "catastrophic appalling pathetic",
}.items():
    for _word in _words.split():
        _LEXICON[_word] = _valence

_NEGATORS = frozenset("not no never none nobody nothing neither nor without hardly barely "
                      "isn't aren't wasn't weren't don't doesn't didn't can't cannot won't "
                      "wouldn't shouldn't couldn't haven't hasn't hadn't ain't".split())
_BOOSTERS = {"very": 0.3, "really": 0.3, "so": 0.2, "extremely": 0.5, "super": 0.4,
             "incredibly": 0.5, "totally": 0.3, "absolutely": 0.4, "quite": 0.1,
             "slightly": -0.4, "somewhat": -0.3}
# Formulas whose words are in the lexicon but which carry no feeling: "good morning".
_FORMULAS = {("good", "morning"), ("good", "afternoon"), ("good", "evening"), ("good", "night"),
             ("good", "bye"), ("fine", "print"), ("bad", "debt")}
_NEGATION_WINDOW = 3
_NEGATION_FACTOR = -0.6  # "not bad" is mildly good, not as good as "good" is
_ALPHA = 8.0  # squashes a raw sum into -1..1: one "great" gives 0.58, one "fine" 0.33
THRESHOLD = 0.3


def score(text: str) -> float:
    """Polarity in -1..1; 0 when no lexicon word is present."""
    words = [t.lower for t in tokens(text)]
    # Words after "but"/"however" carry the speaker's conclusion, so they weigh more.
    pivot = max((i for i, w in enumerate(words) if w in ("but", "however", "although")), default=-1)
    total = 0.0
    for i, word in enumerate(words):
        valence = _LEXICON.get(word)
        if valence is None or tuple(words[i:i + 2]) in _FORMULAS:
            continue
        before = words[max(0, i - _NEGATION_WINDOW):i]
        if i >= 1 and words[i - 1] in _BOOSTERS:
            boost = _BOOSTERS[words[i - 1]]
            valence += math.copysign(boost, valence)
        if any(w in _NEGATORS or w.endswith("n't") for w in before):
            valence *= _NEGATION_FACTOR
        if pivot >= 0:
            valence *= 1.5 if i > pivot else 0.5
        total += valence
    if total == 0:
        return 0.0
    return round(max(-1.0, min(1.0, total / math.sqrt(total * total + _ALPHA))), 3)


def sentiment(text: str) -> dict:
    """The API's message sentiment object: polarity score and the suggested label."""
    value = score(text)
    label = "positive" if value >= THRESHOLD else "negative" if value <= -THRESHOLD else "neutral"
    return {"polarity": {"score": value}, "suggested": label}
