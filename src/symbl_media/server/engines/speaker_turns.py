"""Who spoke each word: window labels smoothed along time, words labelled from the windows
around them, and messages split where the speaker changes.

The diarizer embeds overlapping windows over each stretch of speech (words closer than
MERGE_GAP). A window is 1.5 s long, so a change of speaker shows as a run of windows that
drift from one voice to the other; ``smooth`` picks, per stretch, the label sequence that fits
the windows best while paying SWITCH_PENALTY for every change, so a speaker does not flicker
on one odd window, yet a reply of one short window still stands when it is clearly another
voice. A word then takes the label of the windows whose centres are nearest to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from symbl_media.server.model import Segment

# Words closer than this are one stretch of speech: embedded as one span, smoothed as one run.
MERGE_GAP = 0.5
# What one change of speaker costs, in cosine similarity summed over windows. At a 0.25 s hop
# a change must be backed by windows worth 0.12 of cosine over the other voice: about two
# windows that lean to it clearly. Tuned on the two-party phone call and the espeak-ng tests
# (docs/sandbox-diarization.md).
SWITCH_PENALTY = 0.12


@dataclass(frozen=True)
class Unit:
    """A word to label, or a whole segment that has no words."""

    start: float
    end: float
    segment: int  # index of its segment
    word: int | None  # index among the segment's words; None for a segment without words


def units_of(segments: Sequence[Segment]) -> list[Unit]:
    units = []
    for index, segment in enumerate(segments):
        if segment.words:
            units += [Unit(w.start, w.end, index, n) for n, w in enumerate(segment.words)]
        else:
            units.append(Unit(segment.start, segment.end, index, None))
    return units


def stretches(units: Sequence[Unit], gap: float = MERGE_GAP
              ) -> tuple[list[tuple[float, float]], np.ndarray]:
    """Spans of speech (units closer than ``gap`` joined) and each unit's stretch index."""
    order = sorted(range(len(units)), key=lambda i: (units[i].start, i))
    spans: list[list[float]] = []
    owner = np.zeros(len(units), dtype=np.int64)
    for i in order:
        unit = units[i]
        if spans and unit.start - spans[-1][1] <= gap:
            spans[-1][1] = max(spans[-1][1], unit.end)
        else:
            spans.append([unit.start, max(unit.end, unit.start)])
        owner[i] = len(spans) - 1
    return [(a, b) for a, b in spans], owner


def smooth(similarity: np.ndarray, penalty: float = SWITCH_PENALTY) -> np.ndarray:
    """The labels (one per row) maximising the summed similarity less ``penalty`` per change
    of label between neighbouring rows (Viterbi, two states' worth of bookkeeping per row)."""
    n, k = similarity.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    score = similarity[0].astype(np.float64).copy()
    back = np.zeros((n, k), dtype=np.int64)
    states = np.arange(k)
    for t in range(1, n):
        best = int(np.argmax(score))
        switch = score[best] - penalty
        stay = score >= switch  # ties stay: no change without a reason
        back[t] = np.where(stay, states, best)
        score = np.where(stay, score, switch) + similarity[t]
    labels = np.zeros(n, dtype=np.int64)
    labels[-1] = int(np.argmax(score))
    for t in range(n - 1, 0, -1):
        labels[t - 1] = back[t, labels[t]]
    return labels


def unit_labels(units: Sequence[Unit], unit_stretch: np.ndarray, window_stretch: np.ndarray,
                centres: np.ndarray, window_labels: np.ndarray) -> np.ndarray:
    """Each unit's label: the one whose windows' cells it overlaps most, where a window's cell
    is the time nearer its centre than its neighbours'. -1 for a stretch with no windows."""
    labels = np.full(len(units), -1, dtype=np.int64)
    k = int(window_labels.max()) + 1 if len(window_labels) else 1
    for stretch in np.unique(unit_stretch):
        mine = np.flatnonzero(window_stretch == stretch)
        if len(mine) == 0:
            continue
        mine = mine[np.argsort(centres[mine], kind="stable")]
        mids = (centres[mine][1:] + centres[mine][:-1]) / 2
        lows = np.concatenate(([-np.inf], mids))
        highs = np.concatenate((mids, [np.inf]))
        for i in np.flatnonzero(unit_stretch == stretch):
            unit = units[i]
            votes = np.zeros(k)
            overlap = np.minimum(highs, unit.end) - np.maximum(lows, unit.start)
            np.add.at(votes, window_labels[mine], np.maximum(overlap, 0.0))
            if votes.max() <= 0:  # a zero-length word: the cell it sits in
                cell = int(np.searchsorted(mids, unit.start))
                votes[window_labels[mine][cell]] = 1.0
            labels[i] = int(np.argmax(votes))
    return labels


def fill_unheard(units: Sequence[Unit], labels: np.ndarray) -> np.ndarray:
    """A unit without audio (no windows) takes the label of the nearest heard unit in time."""
    heard = np.flatnonzero(labels >= 0)
    if len(heard) == 0:
        return np.zeros(len(units), dtype=np.int64)
    out = labels.copy()
    for i in np.flatnonzero(labels < 0):
        nearest = min(heard, key=lambda j: (abs(units[j].start - units[i].start), j))
        out[i] = labels[nearest]
    return out


def number_by_appearance(units: Sequence[Unit], labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... in the order the speakers first talk."""
    numbering: dict[int, int] = {}
    for i in sorted(range(len(units)), key=lambda i: (units[i].start, i)):
        numbering.setdefault(int(labels[i]), len(numbering))
    return np.array([numbering[int(x)] for x in labels], dtype=np.int64)


def split_by_speaker(segments: Sequence[Segment], units: Sequence[Unit],
                     labels: np.ndarray) -> tuple[Segment, ...]:
    """The segments, in order, each cut where its words' speaker changes; a piece keeps the
    segment's channel and takes its words' speaker."""
    per_segment: list[list[tuple[Unit, int]]] = [[] for _ in segments]
    for unit, label in zip(units, labels):
        per_segment[unit.segment].append((unit, int(label)))
    out: list[Segment] = []
    for segment, labelled in zip(segments, per_segment):
        if segment.words:
            labelled.sort(key=lambda pair: pair[0].word)
        runs: list[tuple[int, list[int]]] = []
        for unit, label in labelled:
            if runs and runs[-1][0] == label:
                runs[-1][1].append(unit.word)
            else:
                runs.append((label, [unit.word]))
        if len(runs) == 1:
            out.append(replace(segment, speaker=runs[0][0]))
            continue
        for label, indices in runs:
            words = tuple(segment.words[i] for i in indices)
            out.append(replace(segment, text=" ".join(w.text for w in words).strip(),
                               start=words[0].start, end=words[-1].end, words=words,
                               speaker=label))
    return tuple(out)
