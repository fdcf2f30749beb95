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


# The first fit's setting, for all three kinds (C chosen by leave-one-out on tune/ for questions).
FIRST = Weighing()

# Per kind, as tune_weighing.py chooses them; a kind whose choice did not lift its train/ figure
# keeps FIRST.
CHOSEN = {
    "actions": FIRST,
    "follow-ups": FIRST,
    "questions": FIRST,
}
