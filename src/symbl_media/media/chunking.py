"""Where a long recording is cut: the piece length (``plan_chunking``) and the cut points,
each in the nearest silence (``plan_cuts``). Pure decisions, like ``plan``: no I/O, so each
rule is unit-tested without ffmpeg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from symbl_media.errors import PlanError

MAX_PIECE_SECONDS = 4 * 3600.0  # the Async API refuses longer files
MIN_PIECE_SECONDS = 60.0
# Auto-chunking aims this far below the limit so that moving a cut into silence never
# pushes a piece over it.
LIMIT_MARGIN_SECONDS = 600.0



class ChunkRequest(Protocol):
    """What the piece length is decided from: ``PrepareOptions`` (``media/plan.py``) is one."""

    chunk_minutes: float | None


@dataclass(frozen=True)
class ChunkPolicy:
    piece_seconds: float | None  # None: one piece
    reason: str



@dataclass(frozen=True)
class Silence:
    start: float
    end: float


@dataclass(frozen=True)
class Cut:
    at: float  # seconds from the start of the prepared audio
    in_silence: bool



def plan_chunking(duration: float | None, options: ChunkRequest) -> ChunkPolicy:
    if options.chunk_minutes is not None:
        minutes = options.chunk_minutes
        if not 1 <= minutes <= MAX_PIECE_SECONDS / 60:
            raise PlanError(f"--chunk-minutes must be between 1 and "
                            f"{MAX_PIECE_SECONDS / 60:.0f}, not {minutes:g}")
        return ChunkPolicy(minutes * 60, f"pieces of about {minutes:g} min, as asked "
                                         f"(--chunk-minutes), cut in silence")
    if duration is not None and duration > MAX_PIECE_SECONDS:
        n = math.ceil(duration / (MAX_PIECE_SECONDS - LIMIT_MARGIN_SECONDS))
        piece = duration / n
        return ChunkPolicy(piece, f"longer than the API's 4-hour limit: {n} pieces of about "
                                  f"{piece / 3600:.1f} h, cut in silence")
    return ChunkPolicy(None, "within the API's 4-hour limit: one piece")


def plan_cuts(duration: float, silences: list[Silence], piece_seconds: float | None, *,
              max_seconds: float = MAX_PIECE_SECONDS,
              min_seconds: float = MIN_PIECE_SECONDS) -> tuple[Cut, ...]:
    """Cut points near every ``piece_seconds``, each inside the nearest silence.

    No piece is shorter than ``min_seconds`` (a short tail joins the last piece) or longer
    than ``max_seconds``; where no silence lies in reach the cut falls at the target itself.
    """
    if piece_seconds is None or duration <= max(piece_seconds, min_seconds):
        if duration > max_seconds:
            raise PlanError(f"a piece of {duration:.0f} s would exceed the API limit")
        return ()
    cuts: list[Cut] = []
    prev = 0.0
    while duration - prev > piece_seconds:
        remaining = duration - prev
        target = prev + piece_seconds
        if remaining - piece_seconds < min_seconds:
            if remaining <= max_seconds:
                break  # the short tail joins this last piece
            target = prev + remaining / 2
        lo = prev + min_seconds
        hi = min(prev + max_seconds, duration - min_seconds)
        cut = cut_near(target, lo, hi, silences)
        cuts.append(cut)
        prev = cut.at
    return tuple(cuts)


def cut_near(target: float, lo: float, hi: float, silences: list[Silence]) -> Cut:
    """The middle of the silence nearest ``target`` within [lo, hi], or the target itself."""
    best: tuple[float, float] | None = None  # (distance to target, cut point)
    for s in silences:
        start, end = max(s.start, lo), min(s.end, hi)
        if start > end:
            continue
        distance = 0.0 if start <= target <= end else min(abs(start - target), abs(end - target))
        point = (start + end) / 2  # the middle leaves room either side for frame-aligned cuts
        if best is None or distance < best[0]:
            best = (distance, point)
    if best is None:
        return Cut(min(max(target, lo), hi), in_silence=False)
    return Cut(best[1], in_silence=True)
