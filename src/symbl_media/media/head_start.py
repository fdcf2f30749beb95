"""The one ffmpeg pass started while the channels are still being measured.

The mix is part of the pass's command, and it is decided from the channel measurement
(``levels.measure``: a few windows of the stream decoded and measured), so the pass used to
wait for it: 0.6 s on the 2-hour benchmark input, before any of the decode began. Now the pass
starts at once on the likely mix (``channels.likely_channels``: a mono stream is mono, kept
channels are kept, stereo is averaged) and the measurement runs beside it. If the measured plan
runs the same command, the decode carries on as the one pass; if not (a dead side, dual mono,
one talker per side, a surround mix...), it is stopped, its output removed, and the pass starts
again on the measured plan. Either way the bytes are those of the measured plan's pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Self

from symbl_media.media import follow
from symbl_media.media.extract import extraction_args
from symbl_media.media.plan import Plan

# extract(plan, out, fmt, on_progress, stopper): the one ffmpeg pass, in parts or not
Extract = Callable[..., None]


def decode_target(plan: Plan, folder: Path, stem: str) -> tuple[Path, str]:
    """Where the one pass writes, and as what: a long recording as a WAV its pieces are cut
    from, anything else as the single piece itself."""
    if plan.chunking.piece_seconds is not None:
        return folder / "whole.wav", "wav"  # chunked MP3 too: cut as WAV, encoded per piece
    return folder / f"{stem}-001.{plan.target.extension}", plan.target.extension


def _command(plan: Plan, out: Path, fmt: str) -> tuple:
    """What decides the bytes the pass writes: its ffmpeg arguments, and the parts."""
    target = plan.target
    return (tuple(extraction_args(plan, out, fmt=fmt)), plan.decoding.parts,
            plan.decoding.split, target.sample_rate, target.channels)


class HeadStart:
    """The pass of ``guess`` (a plan on the likely mix), running in a thread into ``out``."""

    def __init__(self, guess: Plan, out: Path, fmt: str, extract: Extract) -> None:
        self.out, self.command = out, _command(guess, out, fmt)
        self.taken = False
        self.decoding = follow.Growing(out, guess.target.channels or 1, lambda stopper,
                                       progress: extract(guess, out, fmt, progress, stopper))
        self.decoding.__enter__()

    def take(self, plan: Plan, out: Path, fmt: str) -> follow.Growing | None:
        """The running decode, if it is ``plan``'s pass into ``out``; else it is stopped and
        its output removed, and None says to start the pass afresh."""
        if not self.taken and _command(plan, out, fmt) == self.command:
            self.taken = True
            return self.decoding
        self.close()
        return None

    def close(self) -> None:
        """Stop it and remove what it wrote, unless its decode was taken (then its owner's)."""
        if self.taken:
            return
        self.taken = True  # once: a second close must not remove a file someone else made
        self.decoding.stop()  # waits for the thread: the parts' files are gone by then
        self.out.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def wait(decoding: follow.Growing, on_progress: Callable[[float], None]) -> None:
    """Wait for a decode taken from a head start to finish, passing its progress on."""
    try:
        while not decoding.done.wait(0.1):
            on_progress(decoding.decoded)
        decoding.thread.join()
        if decoding.error is not None:
            raise decoding.error
        on_progress(decoding.decoded)
    except BaseException:
        decoding.stop()
        raise
