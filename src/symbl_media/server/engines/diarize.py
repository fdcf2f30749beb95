"""Who spoke each segment: voice embeddings of short windows, clustered, then a vote per segment.

Each segment's span is read from the WAV on its own (the file is never loaded whole), cut into
1.5 s windows at a 0.75 s hop (a shorter segment gives one window, padded), and every window is
embedded by the numpy voice encoder.  The window embeddings are clustered - spherical k-means
with k-means++ starts when the speaker count is given, an estimate of the count otherwise - and
each segment takes the label most of its windows got.  Labels are numbered 0, 1, ... in the
order the speakers first talk.  The same input always gives the same labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from symbl_media.errors import EngineError
from symbl_media.media.voices import (
    HOP_SECONDS,
    SAMPLE_RATE,
    WINDOW_SECONDS,
    SpanEmbedder,
    VoiceEncoder,
    one_blas_thread,
)
from symbl_media.server.model import Segment

MAX_ESTIMATED_SPEAKERS = 8
SEED = 20240601
RESTARTS = 30  # an hour has thousands of windows; 10 starts missed the best split 1 time in 20
# Thresholds for guessing the speaker count, on cosine similarity of window embeddings. Tuned on
# espeak-ng voices (docs/sandbox-diarization.md): a single voice gave a mean similarity to its own
# mean direction of 0.90-0.92, two or more voices 0.82-0.87; centres of k-means clusters of one
# voice split in two came out above 0.88, distinct voices mostly below.
SINGLE_SPEAKER_SPREAD = 0.885
DISTINCT_CENTRES = 0.875


class Diarizer:
    """Speaker labels for transcript segments, from the voices in the WAV they came from."""

    name = "resemblyzer d-vector (numpy) + spherical k-means"

    def __init__(self, encoder: VoiceEncoder | None = None, *, window: float = WINDOW_SECONDS,
                 hop: float = HOP_SECONDS, batch_size: int = 64) -> None:
        self.spans = SpanEmbedder(encoder, window=window, hop=hop, batch_size=batch_size)
        self.window = self.spans.window

    def assign(self, wav: Path, segments: Sequence[Segment],
               speakers: int | None) -> tuple[Segment, ...]:
        """Copies of ``segments`` with ``speaker`` set; ``speakers`` is the count if known."""
        segments = tuple(segments)
        if speakers is not None and (isinstance(speakers, bool) or int(speakers) != speakers
                                     or speakers < 1):
            raise EngineError(f"the speaker count must be a whole number of at least 1, "
                              f"not {speakers!r}")
        if not segments:
            return ()
        if speakers == 1:
            return tuple(replace(s, speaker=0) for s in segments)
        with one_blas_thread():
            labels = self._labels(Path(wav), segments, speakers)
        return tuple(replace(s, speaker=label) for s, label in zip(segments, labels))

    def _labels(self, wav: Path, segments: tuple[Segment, ...], speakers: int | None) -> list[int]:
        embeddings, owners = self.embed_segments(wav, segments)
        if len(embeddings) == 0:
            return [0] * len(segments)
        if speakers is None:
            # Windows padded out of short segments are noisy; judge the count on full ones.
            full = np.array([(s.end - s.start) * SAMPLE_RATE >= self.window
                             for s in segments])[owners]
            sample = embeddings[full] if full.sum() >= 2 * MAX_ESTIMATED_SPEAKERS else embeddings
            speakers = estimate_speakers(sample)
        window_labels = spherical_kmeans(embeddings, min(int(speakers), len(embeddings)))
        return _vote(segments, embeddings, owners, window_labels)

    def embed_segments(self, wav: Path,
                       segments: Sequence[Segment]) -> tuple[np.ndarray, np.ndarray]:
        """Window embeddings (n, 256) and, for each, the index of the segment it came from."""
        return self.spans.embed(wav, [(s.start, s.end) for s in segments])


def spherical_kmeans(x: np.ndarray, k: int, *, seed: int = SEED, restarts: int = RESTARTS,
                     max_iter: int = 100) -> np.ndarray:
    """Labels of unit vectors in ``k`` clusters by cosine; the best of several k-means++ starts."""
    n = len(x)
    if k <= 1 or n <= 1:
        return np.zeros(n, dtype=np.int64)
    if k >= n:
        return np.arange(n, dtype=np.int64)
    x = _unit(x.astype(np.float64))
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
    return _unit(sums)


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norm > 0, norm, 1.0)


def estimate_speakers(x: np.ndarray, max_speakers: int = MAX_ESTIMATED_SPEAKERS) -> int:
    """How many voices the unit vectors ``x`` hold, 1..max_speakers (tuned on synthetic voices).

    One voice when the vectors sit close around their mean direction; otherwise the largest k
    (from 2 up) for which k-means gives clusters of at least two windows whose centres are all
    further apart than ``DISTINCT_CENTRES``.  See docs/sandbox-diarization.md for how reliable
    this is: pass the count whenever it is known.
    """
    x = _unit(np.asarray(x, dtype=np.float64))
    if len(x) < 2:
        return 1
    centre = _unit(x.mean(axis=0, keepdims=True))[0]
    if float(np.mean(x @ centre)) > SINGLE_SPEAKER_SPREAD:
        return 1
    k = 2
    for candidate in range(3, max_speakers + 1):
        if candidate > len(x) // 2:
            break
        labels = spherical_kmeans(x, candidate)
        if np.bincount(labels, minlength=candidate).min() < 2:
            break
        centres = _unit(np.stack([x[labels == j].mean(axis=0) for j in range(candidate)]))
        closeness = centres @ centres.T
        np.fill_diagonal(closeness, -1.0)
        if closeness.max() >= DISTINCT_CENTRES:
            break
        k = candidate
    return k


def _vote(segments, embeddings, owners, window_labels) -> list[int]:
    """Each segment's majority label, numbered by first appearance in time."""
    n = len(segments)
    k = int(window_labels.max()) + 1
    votes = np.zeros((n, k))
    np.add.at(votes, (owners, window_labels), 1.0)
    # Ties go to the cluster whose centre the segment's windows are closest to on average.
    members = (window_labels[:, None] == np.arange(k)[None, :]).astype(np.float64)
    centres = _unit(members.T @ embeddings.astype(np.float64))  # an empty cluster stays at zero
    closeness = np.zeros((n, k))
    np.add.at(closeness, owners, embeddings @ centres.T)
    counts = np.bincount(owners, minlength=n)
    closeness /= np.maximum(counts, 1)[:, None]
    raw = np.argmax(votes + 1e-3 * closeness, axis=1)
    has_audio = counts > 0
    order = sorted(range(n), key=lambda i: (segments[i].start, i))
    heard = [i for i in order if has_audio[i]]
    for i in range(n):
        if not has_audio[i]:  # no audio (empty or past the end): the nearest heard segment's
            nearest = min(heard, key=lambda j: (abs(segments[j].start - segments[i].start), j))
            raw[i] = raw[nearest]
    numbering: dict[int, int] = {}
    for i in order:
        numbering.setdefault(int(raw[i]), len(numbering))
    return [numbering[int(raw[i])] for i in range(n)]
