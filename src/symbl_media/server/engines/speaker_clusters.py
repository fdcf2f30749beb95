"""Voices into speakers: spherical k-means on unit embeddings, and how many speakers there are.

k-means with greedy k-means++ starts from a fixed seed, the best of RESTARTS (cosine on unit
vectors), so the same vectors always give the same labels. The count, when not given, comes
from ``estimate_speakers`` (docs/sandbox-diarization.md says how it was tuned and how far to
trust it).
"""

from __future__ import annotations

import numpy as np

MAX_ESTIMATED_SPEAKERS = 8
SEED = 20240601
RESTARTS = 30  # an hour has thousands of windows; 10 starts missed the best split 1 time in 20
# Thresholds for guessing the speaker count, on cosine similarity of window embeddings. Tuned on
# espeak-ng voices (docs/sandbox-diarization.md): a single voice gave a mean similarity to its own
# mean direction of 0.90-0.92, two or more voices 0.82-0.87; centres of k-means clusters of one
# voice split in two came out above 0.88, distinct voices mostly below.
SINGLE_SPEAKER_SPREAD = 0.885
DISTINCT_CENTRES = 0.875
# The smallest share of the windows a speaker found by the estimate may hold. Real voices vary
# more from window to window than espeak-ng's, and k-means then splits one voice into a big
# cluster and a few stray windows (on the 30 s AMI excerpts, 3-5 "speakers" for 2); a person
# in the conversation says more than that. On those excerpts 0.10 took the 4-speaker AMI one
# from 8 to 4 and a 2-speaker one from 5 to 4 (docs/sandbox-diarization.md); the estimate
# stays a guess on real speech.
MIN_SPEAKER_SHARE = 0.10


def spherical_kmeans(x: np.ndarray, k: int, *, seed: int = SEED, restarts: int = RESTARTS,
                     max_iter: int = 100) -> np.ndarray:
    """Labels of unit vectors in ``k`` clusters by cosine; the best of several k-means++ starts."""
    n = len(x)
    if k <= 1 or n <= 1:
        return np.zeros(n, dtype=np.int64)
    if k >= n:
        return np.arange(n, dtype=np.int64)
    x = unit_rows(x.astype(np.float64))
    rng = np.random.default_rng(seed)
    best_labels, best_cost = None, np.inf
    for _ in range(restarts):
        centres = _kmeanspp(x, k, rng)
        labels = None
        for _ in range(max_iter):
            sims = x @ centres.T
            new = sims.argmax(axis=1)
            if labels is not None and np.array_equal(new, labels):
                break
            labels = new
            centres = _centres(x, labels, k, sims)
        sims = x @ centres.T
        labels = sims.argmax(axis=1)
        cost = float(np.sum(1.0 - sims.max(axis=1)))
        if cost < best_cost - 1e-9:
            best_labels, best_cost = labels, cost
    return best_labels


def _kmeanspp(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++: each new centre is the best of a few candidates drawn by D^2 weighting."""
    trials = 2 + int(np.log(k))
    centres = [x[rng.integers(len(x))]]
    closest = np.maximum(2.0 - 2.0 * (x @ centres[0]), 0.0)
    for _ in range(1, k):
        total = closest.sum()
        if total <= 0:
            picks = rng.integers(len(x), size=trials)
        else:
            picks = rng.choice(len(x), size=trials, p=closest / total)
        candidates = np.minimum(closest[None, :], np.maximum(2.0 - 2.0 * (x[picks] @ x.T), 0.0))
        best = int(np.argmin(candidates.sum(axis=1)))
        centres.append(x[picks[best]])
        closest = candidates[best]
    return np.stack(centres)


def _centres(x: np.ndarray, labels: np.ndarray, k: int, sims: np.ndarray) -> np.ndarray:
    members = (labels[:, None] == np.arange(k)[None, :]).astype(x.dtype)
    sums = members.T @ x
    counts = np.bincount(labels, minlength=k)
    taken = set()
    for j in np.flatnonzero(counts == 0):
        # An empty cluster restarts at the point its centre fits worst (not yet used).
        order = np.argsort(sims.max(axis=1), kind="stable")
        pick = next(int(i) for i in order if int(i) not in taken)
        taken.add(pick)
        sums[j] = x[pick]
    return unit_rows(sums)


def unit_rows(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norm > 0, norm, 1.0)


def estimate_speakers(x: np.ndarray, max_speakers: int = MAX_ESTIMATED_SPEAKERS,
                      min_share: float = MIN_SPEAKER_SHARE, *,
                      single_speaker_spread: float = SINGLE_SPEAKER_SPREAD,
                      distinct_centres: float = DISTINCT_CENTRES) -> int:
    """How many voices the unit vectors ``x`` hold, 1..max_speakers (tuned on synthetic voices).

    One voice when the vectors sit close around their mean direction; otherwise the largest k
    (from 2 up) for which k-means gives clusters of at least two windows and ``min_share`` of
    them, whose centres are all further apart than ``distinct_centres``.  The two thresholds
    default to the bundled encoder's; another speaker model may carry its own (onnx_model.py).
    See docs/sandbox-diarization.md for how reliable this is: pass the count whenever it is
    known.
    """
    x = unit_rows(np.asarray(x, dtype=np.float64))
    if len(x) < 2:
        return 1
    centre = unit_rows(x.mean(axis=0, keepdims=True))[0]
    if float(np.mean(x @ centre)) > single_speaker_spread:
        return 1
    k = 2
    for candidate in range(3, max_speakers + 1):
        if candidate > len(x) // 2:
            break
        labels = spherical_kmeans(x, candidate)
        if np.bincount(labels, minlength=candidate).min() < max(2.0, min_share * len(x)):
            break
        centres = unit_rows(np.stack([x[labels == j].mean(axis=0) for j in range(candidate)]))
        closeness = centres @ centres.T
        np.fill_diagonal(closeness, -1.0)
        if closeness.max() >= distinct_centres:
            break
        k = candidate
    return k
