"""A long recording cut into pieces: as it is decoded (each piece written as its audio is read,
``piece_files``, then hashed and handed on once its cut is decided, ``cut_points``), or, for
a source sent as it is, between its packets at the pauses found in it.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from symbl_media.media import follow, silence
from symbl_media.media.cut import Written, cut_copy, encoded_mp3, media_duration
from symbl_media.media.cut_points import CutPoints
from symbl_media.media.extract import encode_mp3
from symbl_media.media.piece_files import PieceFiles
from symbl_media.media.plan import Plan

Progress = Callable[[str, float, float | None], None]
# extract(plan, out, fmt, on_progress, stopper): the one ffmpeg pass, in parts or not
Extract = Callable[..., None]


def cut_while_decoding(plan: Plan, staging: Path, stem: str, on_progress: Progress,
                       total: float | None, extract: Extract,
                       running: follow.Growing | None = None
                       ) -> Iterator[tuple[Written, bool | None]]:
    """Decode to a WAV in the background and cut it as it grows: each piece is written as
    the audio is read (``piece_files``) and yielded once its cut is decided, long before the
    decode ends (``cut_points``). ``running``: that decode, already started (``head_start``)
    into staging/whole.wav."""
    rate, channels = plan.target.sample_rate, plan.target.channels
    whole = staging / "whole.wav"
    cutter = CutPoints(plan.chunking.piece_seconds, total)
    meter = follow.Meter(rate, channels)
    with running or follow.Growing(whole, channels, lambda stopper, progress: extract(
            plan, whole, "wav", progress, stopper)) as decoding:
        files = PieceFiles(decoding, staging, stem, rate, channels,
                           hashed=plan.target.extension == "wav",
                           cut_expected=cutter.pending is not None)
        pieces = _Pieces(plan, files, on_progress)
        with contextlib.closing(files):
            for data in decoding.blocks():
                files.add(data)
                on_progress("extract", decoding.decoded, total)
                for cut in cutter.feed(meter.feed(data)):
                    yield pieces.close_at(round(cut.at * rate)), cut.in_silence
            length = decoding.data_bytes // (2 * channels)
            on_progress("extract", length / rate, length / rate)
            for cut in cutter.finish(length / rate):
                yield pieces.close_at(round(cut.at * rate)), cut.in_silence
            if not files.count:  # asked for pieces, but the recording is shorter than one
                files.close()  # whole.wav is that piece, as the decode wrote it
                single = staging / f"{stem}-001.{plan.target.extension}"
                if plan.target.extension == "wav":
                    whole.rename(single)
                    yield Written(single, media_duration(single)), None
                else:
                    encode_mp3(whole, single, plan.target.mode)
                    yield encoded_mp3(single), None
                return
            last = pieces.close_at(length)
    whole.unlink(missing_ok=True)
    yield last, None


class _Pieces:
    """The pieces as they are handed on: closed at their cut, encoded if the target is MP3."""

    def __init__(self, plan: Plan, files: PieceFiles, on_progress: Progress) -> None:
        self.plan, self.files, self.on_progress = plan, files, on_progress
        self.done = 0.0

    def close_at(self, end: int) -> Written:
        target = self.plan.target
        start = self.files.start
        out, size, digest = self.files.cut(end)
        piece = Written(out, (end - start) / target.sample_rate, size, digest)
        if target.extension == "mp3":
            mp3 = out.with_suffix(".mp3")
            encode_mp3(out, mp3, target.mode)
            out.unlink()
            piece = encoded_mp3(mp3)
        self.done += piece.duration
        self.on_progress("cut", self.done, self.plan.expected_duration() or
                         self.plan.info.duration)
        return piece


def cut_source(plan: Plan, staging: Path, stem: str, on_progress: Progress
               ) -> Iterator[tuple[Written, bool | None]]:
    """A source sent as it is, cut between its packets (no re-encoding) in its pauses."""
    source = plan.info.path
    ext = plan.target.extension
    expected = plan.info.duration
    on_progress("pauses", 0.0, expected)
    cutter = CutPoints(plan.chunking.piece_seconds, expected)
    cuts = []
    for power in silence.source_power(source):
        cuts += cutter.feed(power)
    duration = media_duration(source)
    cuts += cutter.finish(duration)
    on_progress("pauses", duration, duration)
    if not cuts:  # asked for pieces, but the recording is shorter than one
        single = staging / f"{stem}-001.{ext}"
        shutil.copyfile(source, single)
        yield Written(single, media_duration(single)), None
        return
    # Judge each cut where it really fell (video cuts move to the next keyframe).
    at = 0.0
    pieces = cut_copy(source, tuple(cuts), staging, stem, ext)
    for index, piece in enumerate(pieces):
        at += piece.duration
        yield piece, (None if index == len(pieces) - 1 else cutter.in_silence(at))
