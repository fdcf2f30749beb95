"""Which earlier task a task restates, found without comparing it with every earlier one.

Two tasks of one assignee are the same when they share three quarters of the shorter one's
content words (``replies._restated``). Comparing each task with every kept one is quadratic in
a long conversation, and so is looking only among those sharing a pair of words when many
tasks share the same pair ("I will send the report on ..." said a thousand times). Prefix
filtering, as in set-similarity joins (Bayardo, Ma and Srikant, "Scaling up all pairs
similarity search", 2007), bounds the candidates by the rarest words instead: with the words
of every task ranked rarest first, two sets sharing at least t of the m words of the shorter
one share one of its first m - t + 1 (else at most t - 1 of its words are in the other). So a
task is compared only with the kept tasks holding one of its rarest words, and with those
shorter ones whose own rarest words it holds; the candidates are then checked exactly, in the
order kept. The same answers as comparing with every one, in the same order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable

SHARE = 0.75  # of the shorter task's content words


def needed(size: int) -> int:
    """Words two tasks must share when the shorter has ``size``: three quarters, rounded up."""
    return (3 * size + 3) // 4


def same(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= SHARE


class Kept:
    """The kept tasks, each an assignee, a message and its content words, in the order kept."""

    def __init__(self, every: Iterable[frozenset[str]]) -> None:
        counts = Counter(w for words in every for w in words)  # the rank: rarest first
        self._rank = lambda w: (counts[w], w)
        self._tasks: list[tuple[Hashable, Hashable, frozenset[str]]] = []
        self._holding: dict[tuple, list[int]] = {}  # (assignee, word) -> kept tasks with it
        self._leading: dict[tuple, list[int]] = {}  # (assignee, word) -> kept tasks led by it

    def _prefix(self, words: frozenset[str]) -> list[str]:
        return sorted(words, key=self._rank)[:len(words) - needed(len(words)) + 1]

    def restated(self, who: Hashable, message: Hashable, words: frozenset[str]) -> int | None:
        """The first kept task (its number) of ``who``, from another message, that ``words``
        restate; None for a new task."""
        if not words:
            return None
        found = {k for w in self._prefix(words) for k in self._holding.get((who, w), ())}
        found.update(k for w in words for k in self._leading.get((who, w), ()))
        return next((k for k in sorted(found) if self._tasks[k][1] != message
                     and same(self._tasks[k][2], words)), None)

    def add(self, who: Hashable, message: Hashable, words: frozenset[str]) -> int:
        number = len(self._tasks)
        self._tasks.append((who, message, words))
        for w in words:
            self._holding.setdefault((who, w), []).append(number)
        for w in self._prefix(words):
            self._leading.setdefault((who, w), []).append(number)
        return number
