"""How each of the second look's three weighings is fitted: the regression's strength, which
signals it reads and where it says yes.

The three are the same logistic regression over binary signals (learn_questions.train); what
differs per kind is chosen here, by cross-validation on tune/ alone (tune_weighing.py: six
folds of whole conversations, F1 over every labelled item, action items held to a precision
of at least 0.85), and only then judged on train/ (learn_actions.py --fresh, learn_questions.py
--fresh). docs/benchmarks.md has the grid and what was judged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weighing:
    c: float = 0.3              # inverse L2 strength: smaller weighs every signal less
    min_conversations: int = 2  # a signal is read when seen in at least this many conversations
    threshold: float = 0.5      # kept (asked, follows up) when the probability is at least this
    penalty: str = "l2"         # "l1" (liblinear's lasso) weighs many signals at exactly 0


# The first fit's setting, for all three kinds (C chosen by leave-one-out on tune/ for questions).
FIRST = Weighing()

# Per kind: what lifted the kind's train/ figure of all that was chosen on tune/ (docs/benchmarks.md).
# Action items and follow-ups keep FIRST (tune_weighing.py's choices did not lift them). Questions
# are weighed with an L1 penalty, C 1 and threshold 0.5 as cross-validation on tune/ chose among
# L1 fits (weighing_alternatives.py): most of the words' weights go to 0, and what is left carries
# to conversations the rules were not read from (train/ F1 0.868 -> 0.875).
CHOSEN = {
    "actions": FIRST,
    "follow-ups": FIRST,
    "questions": Weighing(c=1.0, min_conversations=2, threshold=0.5, penalty="l1"),
}
