"""Where a long recording is cut, decided while its audio is still arriving.

The cut near each piece boundary goes in the nearest pause within ``reach`` of the target
(``chunking.cut_near``, the rule ``plan_cuts`` uses). Each decision is taken at one fixed point
of the audio, the end of its search window, from what came before it only: the pause threshold
from the level histogram of the audio so far (``silence.threshold``), the pauses under it that
began by then. So a cut depends on the samples and the plan alone, never on how the audio was
split into blocks, how fast it was decoded or how long the recording turns out to be past
that point: piece 1 is cut and can be sent while the rest is still being decoded, and every
path (one decoder or several, prepare or submit, a first run or a resume) cuts alike.

Levels come in as mean power per 20 ms frame (full scale 1.0); compared with precomputed
power thresholds, never through a logarithm, so the same frames give the same answer on
every machine and in every block size.
"""

from __future__ import annotations

import math
from array import array

from symbl_media.errors import PlanError
from symbl_media.media.chunking import MAX_PIECE_SECONDS, MIN_PIECE_SECONDS, Cut, Silence, cut_near
from symbl_media.media.silence import FRAME_SECONDS, LADDER_DB, MIN_PAUSE_FRAMES, threshold, track

# How far from its target a cut may move to find a pause: five minutes, or a quarter of a
# piece when pieces are short (--chunk-minutes). Well inside the 10 minutes auto-chunking
# keeps below the API's limit.
REACH_SECONDS = 300.0
# Histogram bins: 1 dB from -120 to 0 dBFS, as powers (bin b holds levels in [b-120, b-119)).
_EDGES = [10 ** ((b - 120) / 10) for b in range(1, 121)]
_LIMITS = {t: 10 ** (t / 10) for t in LADDER_DB}


def reach(piece_seconds: float) -> float:
    return min(REACH_SECONDS, piece_seconds / 4)


class CutPoints:
    """Feed it frame powers as they are decoded; it returns each cut as soon as it is decided.

    ``expected`` is the length the plan expects (seconds; None when unknown): where to stop
    cutting is judged by it until the audio really ends, then by the real length (``finish``).
    """

    def __init__(self, piece_seconds: float, expected: float | None, *,
                 max_seconds: float = MAX_PIECE_SECONDS,
                 min_seconds: float = MIN_PIECE_SECONDS) -> None:
        import numpy as np

        self.piece, self.expected = piece_seconds, expected
        self.max, self.min = max_seconds, min_seconds
        self.reach = reach(piece_seconds)
        self.hist = np.zeros(121, dtype=np.int64)
        # Pause runs (start, end frame pairs) under each threshold of the ladder; only runs
        # long enough to count are kept, and those before the last cut are dropped.
        self.runs: dict[int, array] = {t: array("q") for t in LADDER_DB}
        self.open_at: dict[int, int | None] = {t: None for t in LADDER_DB}
        self.frames = 0
        self.prev = 0.0
        self.cuts: list[Cut] = []
        self.chosen: list[Silence] = []  # the pause each cut went into (for in_silence later)
        self.ended = False
        self.pending = self._next(expected)

    # -- the rule: the next target and its window, as plan_cuts places them
    def _next(self, duration: float | None):
        """(target, window low, window high, decided at) of the next cut, in seconds, or None:
        no more cuts. Without a length to go by, the decision waits a minimum piece past the
        window: a recording that ends before then is cut by its real length (``finish``), as
        plan_cuts would, never leaving a tail shorter than a minimum piece."""
        prev, piece = self.prev, self.piece
        if duration is not None:
            remaining = duration - prev
            if not self.cuts and duration <= max(piece, self.min):
                if duration > self.max:
                    raise PlanError(f"a piece of {duration:.0f} s would exceed the API limit")
                return None
            if remaining <= piece:
                return None
            target = prev + piece
            if remaining - piece < self.min:
                if remaining <= self.max:
                    return None  # the short tail joins this last piece
                target = prev + remaining / 2
            hi = min(prev + self.max, duration - self.min)
        else:
            target, hi = prev + piece, prev + self.max
        lo = prev + self.min
        lo, hi = max(lo, target - self.reach), min(hi, target + self.reach)
        return target, lo, hi, hi + (self.min if duration is None else 0.0)

    def _decide_at(self) -> int:
        """The frame a pending cut is decided at: the end of its window."""
        return math.ceil(round(self.pending[3] / FRAME_SECONDS, 6))

    # -- feeding
    def feed(self, power) -> list[Cut]:
        """``power``: mean power of each next 20 ms frame. Returns the cuts decided in it."""
        decided: list[Cut] = []
        while True:
            # A window may end where the frames so far do, or before (a short last piece's
            # window can close before the previous decision point): decided there, then.
            while self.pending is not None and self.frames >= self._decide_at():
                decided.append(self._decide())
            if not len(power):
                return decided
            if self.pending is None:
                self._measure(power)
                return decided
            room = self._decide_at() - self.frames
            self._measure(power[:room])
            power = power[room:]

    def finish(self, duration: float) -> list[Cut]:
        """The audio ended at ``duration`` seconds: decide the rest with its real length."""
        self.ended = True
        decided = []
        self.pending = self._next(duration)
        while self.pending is not None:
            decided.append(self._decide())
            self.pending = self._next(duration)
        return decided

    def _measure(self, power) -> None:
        import numpy as np

        if not len(power):
            return
        self.hist += np.bincount(np.searchsorted(_EDGES, power, side="right"), minlength=121)
        for t, limit in _LIMITS.items():
            # The same run keeping as find_silences: only runs long enough to count.
            track(power < limit, self.frames, self.open_at, self.runs, t)
        self.frames += len(power)

    # -- deciding
    def _decide(self) -> Cut:
        target, lo, hi, _ = self.pending
        t = threshold(self.hist)
        pairs = self.runs[t]
        pauses = [Silence(pairs[i] * FRAME_SECONDS, pairs[i + 1] * FRAME_SECONDS)
                  for i in range(0, len(pairs), 2)]
        begin = self.open_at[t]
        if begin is not None and self.frames - begin >= MIN_PAUSE_FRAMES:
            pauses.append(Silence(begin * FRAME_SECONDS, self.frames * FRAME_SECONDS))
        cut = cut_near(target, lo, hi, pauses)
        if cut.in_silence:
            self.chosen.append(next(p for p in pauses
                                    if max(p.start, lo) <= cut.at <= min(p.end, hi)))
        self.cuts.append(cut)
        self.prev = cut.at
        self._forget(cut.at)
        self.pending = None if self.ended else self._next(self.expected)
        return cut

    def _forget(self, before: float) -> None:
        """Runs ending before the last cut cannot hold a later one: memory stays flat."""
        frame = before / FRAME_SECONDS
        for t in LADDER_DB:
            pairs = self.runs[t]
            keep = next((i for i in range(0, len(pairs), 2) if pairs[i + 1] >= frame),
                        len(pairs))
            if keep:
                del pairs[:keep]

    def in_silence(self, at: float) -> bool:
        """Whether a cut that really fell at ``at`` (video: the next keyframe) is in a pause
        a cut was placed in."""
        return any(p.start <= at <= p.end for p in self.chosen)
