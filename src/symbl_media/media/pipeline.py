"""The flow of one recording, stage by stage: probe → plan → extract → cut.

Returns values and reports progress through a callback; printing is the CLI's job.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from symbl_media.durations import tenths as clock
from symbl_media.errors import NotMedia, OutputError, PlanError, ProcessingError
from symbl_media.media import cutting, levels, preprocess
from symbl_media.media import plan as planning
from symbl_media.media import staging as staging_folders
from symbl_media.media.channels import likely_channels
from symbl_media.media.cut import Written, encoded_mp3, media_duration
from symbl_media.media.extract import extract
from symbl_media.media.head_start import HeadStart, decode_target, wait
from symbl_media.media.parts import machine_load
from symbl_media.media.plan import Plan, PrepareOptions
from symbl_media.media.prepared import MANIFEST, Prepared, PreparedPiece, read_manifest, write_json_atomic
from symbl_media.media.probe import check_declared_length, declares_length, probe

# on_progress(stage, done, total): stage is "extract", "pauses" or "cut"; seconds of audio.
# A long recording is cut while it is decoded: "extract" and "cut" interleave.
Progress = Callable[[str, float, float | None], None]

STEM = "piece"


def inspect(path: os.PathLike | str, options: PrepareOptions = PrepareOptions(), *,
            language: str | None = None, speakers=(), preprocessors=None) -> Plan:
    """Probe a recording, measure its channels and decide what to do with it.

    ``language`` is the submission's API language (None: the default), which picks the audio
    stream tagged with it; ``speakers`` (``--channel``) must name channels the stream has;
    ``preprocessors`` are the registered pre-processors by name (plugins.manager)."""
    return inspect_ahead(path, options, None, language=language, speakers=speakers,
                         preprocessors=preprocessors)[0]


def inspect_ahead(path: os.PathLike | str, options: PrepareOptions,
                  folder: Callable[[], Path] | None, *, language: str | None = None,
                  speakers=(), preprocessors=None) -> tuple[Plan, HeadStart | None]:
    """``inspect``, with the one pass started into ``folder()`` (called once the recording is
    known to be one) while the channels are measured, where the likely mix can be guessed
    (``head_start``). ``produce`` takes that decode on if the plan runs the same command; the
    caller closes what it returns (``with``), which stops a decode nobody took."""
    # Unknown pre-processors and bad options fail here, before anything is read.
    preprocess.resolve(options.preprocess, preprocessors, as_video=options.as_video)
    info = probe(path)
    choice = planning.choose_stream(info, options, language)
    planning.check_speakers(info, choice.stream, speakers)
    ahead = None
    load = machine_load()  # once: the guess and the measured plan decide the split alike
    with _about(info.path):
        check_declared_length(info)  # a cut-off file is refused before anything decodes it
        if folder is not None and not options.preprocess:
            ahead = _head_start(info, choice, options, folder, load)
        try:
            stats = levels.measure(info, choice.stream)
            if declares_length(info):
                check_complete(info.duration, stats.analysed_seconds,
                               levels.expected_seconds(info))
            plan = planning.make_plan(info, choice, stats, options, load=load)
        except BaseException:
            if ahead is not None:
                ahead.close()
            raise
        if speakers:
            plan = replace(plan, speakers=tuple(speakers))
        if not options.preprocess:
            return plan, ahead
        source = preprocess.AudioSource(info.path, choice.stream.audio_index,
                                        plan.channels.channels, plan.channels.pan,
                                        info.duration)
        steps = preprocess.build(options.preprocess, source, preprocessors,
                                 as_video=options.as_video)
        return replace(plan, preprocess=steps), None


def _head_start(info, choice, options: PrepareOptions, folder: Callable[[], Path],
                load: float | None) -> HeadStart | None:
    """The pass on the likely mix, started now; None where there is nothing to guess or to
    decode (the source sent as it is)."""
    likely = likely_channels(choice.stream, options.separate_channels)
    if likely is None:
        return None
    guess = planning.make_plan(info, choice, None, options, channels=likely, load=load)
    if guess.target.passthrough:
        return None
    out, fmt = decode_target(guess, folder(), STEM)
    return HeadStart(guess, out, fmt, _extract)


def check_complete(declared: float | None, decoded: float, expected: float | None) -> None:
    """A file that decodes to much less than its header promises is truncated or damaged.

    ffmpeg only logs "partial file" and carries on, so the lengths are compared instead. The
    tolerance leaves room for headers that estimate (MP3 without a Xing header).
    """
    if declared is None or expected is None:
        return
    if expected - decoded > max(2.0, 0.05 * expected):
        raise NotMedia(f"truncated or damaged: it declares {clock(declared)} but much less "
                       f"of its audio can be decoded")


@contextlib.contextmanager
def _about(source: Path):
    """Name the user's file in errors raised while working on it."""
    try:
        yield
    except (ProcessingError, NotMedia, PlanError) as exc:
        message = str(exc)
        if message.startswith(str(source)):
            raise
        raise type(exc)(f"{source}: {message}") from None


def prepare(path: os.PathLike | str, out_dir: os.PathLike | str,
            options: PrepareOptions = PrepareOptions(),
            on_progress: Progress | None = None, *, speakers=(), preprocessors=None
            ) -> Prepared:
    """Carry out the plan into ``out_dir``: pieces plus manifest.json, or nothing at all."""
    out = Path(out_dir)
    made: dict[str, Path | None] = {}
    held: list[staging_folders.Staging] = []

    def folder() -> Path:  # made once the recording is known to be one (bad input first)
        if not held:
            made["created"] = _ensure_folder(out)
            staging_folders.sweep(out)  # what a killed run left here
            held.append(staging_folders.Staging(out))
        return held[0].path

    try:
        plan, ahead = inspect_ahead(path, options, folder, speakers=speakers,
                                    preprocessors=preprocessors)
        staging = folder()
        with _about(plan.info.path), contextlib.nullcontext() if ahead is None else ahead:
            pieces = tuple(produce(plan, staging, on_progress, ahead))
            result = Prepared(out, plan, pieces)
            if declares_length(plan.info):
                check_complete(plan.info.duration, result.duration, plan.expected_duration())
        _commit(staging, out, result)
        return result
    except BaseException:
        for staged in held:
            staged.remove()
        if made.get("created") is not None:
            shutil.rmtree(made["created"], ignore_errors=True)
        raise
    finally:
        for staged in held:
            staged.remove()


def _quiet(stage: str, done: float, total: float | None) -> None:
    pass


def _ensure_folder(out: Path) -> Path | None:
    """Make ``out`` if needed; returns the topmost folder this created, to undo on failure."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    created = None
    for folder in [out, *out.absolute().parents]:
        if folder.exists():
            break
        created = folder
    try:
        out.mkdir(parents=True, exist_ok=True)
        # made only to see that the folder takes a file, and closed at once
        probe_file = tempfile.TemporaryFile(dir=out)  # noqa: SIM115
        probe_file.close()
    except OSError as exc:
        raise OutputError(f"{out}: cannot write there ({exc.strerror})") from None
    return created


def produce(plan: Plan, folder: Path, on_progress: Progress | None = None,
            ahead: HeadStart | None = None) -> Iterator[PreparedPiece]:
    """Carry out ``plan`` into ``folder``, yielding each piece as soon as it is written.

    A consumer can upload piece 1 while piece 2 is being cut. The folder is the caller's to
    clean up; ``prepare`` wraps this in a staging folder so that failures leave nothing.
    ``ahead``: the pass already started by ``inspect_ahead``, taken on if it is this plan's.
    """
    offset = 0.0
    # Closing this generator closes the one below at once (it stops the decode).
    with contextlib.closing(_produce(plan, folder, on_progress or _quiet, ahead)) \
            as written_pieces:
        for written, in_silence in written_pieces:
            piece = _describe(plan, written, offset, in_silence)
            offset += piece.duration
            yield piece


def _produce(plan: Plan, staging: Path, on_progress: Progress, ahead: HeadStart | None
             ) -> Iterator[tuple[Written, bool | None]]:
    target = plan.target
    ext = target.extension
    chunking = plan.chunking.piece_seconds is not None
    single = staging / f"{STEM}-001.{ext}"
    total = plan.expected_duration() or plan.info.duration  # output seconds, after --pre
    if target.passthrough:
        if ahead is not None:
            ahead.close()
        if not chunking:
            shutil.copyfile(plan.info.path, single)
            yield Written(single, media_duration(single)), None
            return
        yield from cutting.cut_source(plan, staging, STEM, on_progress)
        return
    out, fmt = decode_target(plan, staging, STEM)
    running = ahead.take(plan, out, fmt) if ahead is not None else None
    if chunking:
        # Chunked MP3 is extracted as WAV, cut sample-exactly, then encoded piece by piece.
        yield from cutting.cut_while_decoding(plan, staging, STEM, on_progress, total, _extract,
                                              running)
        return

    def progress(s):
        on_progress("extract", s, total)

    if running is not None:
        wait(running, progress)
    else:
        _extract(plan, single, ext, progress)
    yield (encoded_mp3(single) if ext == "mp3" else Written(single, media_duration(single))), \
        None


def _extract(plan: Plan, out: Path, fmt: str, on_progress, stopper=None) -> None:
    """The one ffmpeg pass, in parts at once or split between two processes where the plan
    says so (the same bytes)."""
    if plan.decoding.parts > 1 and fmt == "wav":
        from symbl_media.media import parallel

        parallel.decode(plan, out, on_progress=on_progress, stopper=stopper)
    elif plan.decoding.split:
        from symbl_media.media import split

        split.extract(plan, out, fmt=fmt, on_progress=on_progress, stopper=stopper)
    else:
        extract(plan, out, fmt=fmt, on_progress=on_progress, stopper=stopper)


def _describe(plan: Plan, piece: Written, offset: float, in_silence: bool | None
              ) -> PreparedPiece:
    digest, size = piece.sha256, piece.size
    if digest is None:  # not hashed while it was written
        with piece.path.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        size = piece.path.stat().st_size
    return PreparedPiece(piece.path.name, plan.target.content_type, offset, piece.duration,
                         size, digest, in_silence)


def _commit(staging: Path, out: Path, result: Prepared) -> None:
    """Move the pieces into place, then the manifest; drop pieces of an earlier run.

    Everything that can fail is checked or written inside the staging folder first, so a
    refusal leaves the output folder as it was.
    """
    earlier = read_manifest(out) or {}
    targets = [out / MANIFEST, *(out / p.file for p in result.pieces)]
    for target in targets:
        if target.is_dir() or target.is_symlink():
            raise OutputError(f"{target}: is in the way (a folder or link, not a file)")
    write_json_atomic(staging / MANIFEST, result.to_json())
    try:
        for piece in result.pieces:
            os.replace(staging / piece.file, out / piece.file)
        os.replace(staging / MANIFEST, out / MANIFEST)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write there ({exc.strerror})") from None
    keep = {p.file for p in result.pieces}
    for old in earlier.get("pieces") or []:
        name = old.get("file") if isinstance(old, dict) else None
        # Only plain names this tool wrote: a hand-edited manifest must not delete elsewhere.
        if isinstance(name, str) and name not in keep and name == Path(name).name \
                and name.startswith(f"{STEM}-"):
            (out / name).unlink(missing_ok=True)
