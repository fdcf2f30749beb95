"""How does a recording become pieces? Inspect it, pin the plan's choices in the record (the
options a resume re-cuts with), and cut it into the work folder one piece at a time, each
handed to the sending thread through the ledger as soon as it is written."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from symbl_media.errors import SymblMediaError
from symbl_media.media import pipeline
from symbl_media.media.plan import PrepareOptions
from symbl_media.media.prepared import api_parameters
from symbl_media.plugins import manager as plugins
from symbl_media.submission.events import EventKind
from symbl_media.submission.ledger import Ledger
from symbl_media.submission.records import PieceRecord, Record
from symbl_media.submission.request import Events, Request, prepare_json


def cut(request: Request, ledger: Ledger, work: Path, emit: Events,
        stopping: Callable[[], bool]) -> None:
    """Cut the recording into the work folder, handing each piece over as it is written."""
    # Cut into a staging folder: a piece an earlier run recorded (and the sender may be
    # reading) is replaced only while it is still pending, under the ledger's lock. Made
    # first: the one pass may start in it while the channels are measured (head_start).
    staging = work / ".cutting"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        plan, ahead = pipeline.inspect_ahead(
            request.source.path, request.prepare, lambda: staging,
            language=request.api.language, speakers=request.api.channels,
            preprocessors=plugins.preprocessors())
        with contextlib.nullcontext() if ahead is None else ahead:
            _cut(plan, ahead, request, ledger, staging, work, emit, stopping)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _cut(plan, ahead, request: Request, ledger: Ledger, staging: Path, work: Path,
         emit: Events, stopping: Callable[[], bool]) -> None:
    prepare = _pin_stream(request.prepare, plan)
    if plan.stream.warning:
        emit(EventKind.NOTICE, {"text": f"warning: {plan.stream.warning}"})
    derived = api_parameters(plan)
    emit(EventKind.PLAN, {"plan": plan, "key": ledger.record.key})

    def options(record: Record) -> Record:
        merged = {**derived, **record.options}  # the user's choices win over the plan's
        # The resolved options (the stream --language picked) are what a resume re-cuts.
        return replace(record, options=merged,
                       extra={**record.extra, "prepare": prepare_json(prepare),
                              "sample_rate": plan.target.sample_rate})

    ledger.update(options)

    def progress(stage: str, done: float, total: float | None) -> None:
        emit(EventKind.PROGRESS, {"stage": stage, "done": done, "total": total})

    # Closed on the way out, however it is left (a stop, a refusal from the ledger): that
    # stops the decode still running behind the pieces now, not whenever the generator
    # happens to be collected (a traceback kept by a caller would keep it running).
    with contextlib.closing(pipeline.produce(plan, staging, progress, ahead)) as pieces:
        for made in pieces:
            if stopping():
                return
            ledger.update(lambda r, made=made: _record_piece(r, made, staging, work))
            emit(EventKind.PIECE, {"piece": made})
    ledger.update(lambda r: replace(r, prepared=True, stage="sending"))


def _record_piece(record: Record, made, staging: Path, work: Path) -> Record:
    """Add a freshly cut piece, or check it against the one an earlier run recorded.

    Called under the ledger's lock, so the file and its record change together: a pending
    piece takes the new file; one already sent (or being sent) keeps the file and hash that
    went out, and the new cut must agree with it.
    """
    index = int(made.file.rsplit("-", 1)[-1].split(".")[0]) - 1
    fresh = PieceRecord(index, made.file, made.content_type, made.offset, made.duration,
                        made.bytes, made.sha256)
    if index < len(record.pieces) and record.pieces[index].state != "pending":
        earlier = record.pieces[index]
        if abs(earlier.offset - fresh.offset) > 0.05 or abs(earlier.duration -
                                                             fresh.duration) > 0.05:
            raise SymblMediaError(
                f"{made.file} came out different from the piece an earlier run sent "
                f"({earlier.offset:.2f}+{earlier.duration:.2f} s, now {fresh.offset:.2f}+"
                f"{fresh.duration:.2f} s); submit with --again to start a new conversation")
        if (work / made.file).is_file():
            (staging / made.file).unlink()
            return record
        # Its file is gone (a failed piece to resend): the new cut stands in for it.
        fresh = replace(earlier, file=made.file, bytes=made.bytes, sha256=made.sha256) \
            if earlier.state == "failed" else earlier
    os.replace(staging / made.file, work / made.file)
    return record.with_piece(fresh)


def _pin_stream(options: PrepareOptions, plan) -> PrepareOptions:
    """The options with the audio stream the plan chose (by the language, or the default
    one's tag): what a resume, which has no language to go by, re-cuts."""
    if options.audio_stream is not None or options.language or len(plan.info.audio) < 2:
        return options
    return replace(options, audio_stream=plan.stream.stream.audio_index)
