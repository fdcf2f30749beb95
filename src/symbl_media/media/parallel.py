"""The one ffmpeg pass in parts: several decoders at once, joined where they agree, resampled
once. The WAV it writes is the same bytes as the single pass (``extract.py``).

Each part is an ffmpeg decoding the chosen stream, mixed as planned, at the source's rate and in
the decoder's own sample format: nothing is rounded yet. Part 0 starts at the first sample and
stops exactly where part 1 starts (``atrim`` counts samples), writing straight into the
resampler; it also leaves its last samples (the reference) in a small file. Every later part
seeks a little before its start and writes to a file of its own. Seeks are not sample-exact
(container timestamps are rounded, decoders prime after a seek), so the join is found by
content: where the part before's reference occurs, once, in the part's file, the part goes on
sample for sample, and the file is fed to the resampler from there. The part started early
enough for its decoder to have settled by then.

One resampler (ffmpeg, raw PCM in, s16le out) sees exactly the samples a single pass resamples,
in order, so its output is that pass's. A join that is not found (digital silence around it, a
seek that missed by seconds) is never guessed: the rest is decoded from the first sample,
skipping to the join by counting samples. Slower, and the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from symbl_media.errors import OutputError, ProcessingError
from symbl_media.media import ffmpeg
from symbl_media.media.parts import part_starts, wire_format
from symbl_media.media.plan import Plan

PREROLL_SECONDS = 4.0  # a part starts this early: its decoder has settled by the join
# The samples a join is recognised by: the last quarter second before it, or more of them
# where that much occurs more than once (a pause can repeat one frame's pattern)...
BEFORE = (0.25, 0.5, 1.0, 2.0)
AFTER = 1.0  # ...and checked by the second after it, which both decoders must agree on too
SEARCH_SECONDS = 2.0  # how far a seek may miss, either way, for the join still to be found
CHUNK = 1 << 20
_CODECS = {"s16le": "pcm_s16le", "s32le": "pcm_s32le", "f32le": "pcm_f32le",
           "f64le": "pcm_f64le"}
_WIDTH = {"s16le": 2, "s32le": 4, "f32le": 4, "f64le": 8}


@dataclass(frozen=True)
class Wire:
    """How the parts hand samples to the resampler."""

    fmt: str  # s16le, s32le, f32le, f64le
    rate: int
    channels: int

    @property
    def frame(self) -> int:
        return _WIDTH[self.fmt] * self.channels

    def output(self, target: str) -> list[str]:
        return ["-c:a", _CODECS[self.fmt], "-f", self.fmt, target]


@dataclass(frozen=True)
class Decoded:
    """How a parallel decode went: ``joined`` joins were found by content; ``restarted_at``
    is the part whose join was not, from which the rest was decoded from the first sample."""

    parts: int
    joined: int
    restarted_at: int | None


@dataclass(frozen=True)
class Part:
    start: int  # first sample of the source's stream this part contributes
    end: int | None  # sample where the next part takes over; None: the end of the recording
    seek: float  # seconds before ``start`` the decoder starts at (0: from the first sample)


def plan_parts(plan: Plan) -> tuple[Wire, tuple[Part, ...]]:
    stream = plan.stream.stream
    wire = Wire(wire_format(stream.sample_format) or "f32le", stream.sample_rate,
                plan.channels.channels if plan.channels.pan else stream.channels)
    total = round((plan.info.duration or 0.0) * wire.rate)
    starts = part_starts(total, plan.decoding.parts)
    ends = [*starts[1:], None]
    return wire, tuple(Part(s, e, max(0.0, s / wire.rate - PREROLL_SECONDS))
                       for s, e in zip(starts, ends))


def decode(plan: Plan, out: Path, *, on_progress: Callable[[float], None] | None = None,
           ) -> Decoded:
    """Write ``out``, a 16-bit WAV, as the single pass would, with ``plan.decoding.parts``
    decoders at once. Every file it makes besides ``out`` is gone when it returns or raises."""
    wire, parts = plan_parts(plan)
    target = plan.target
    run = _Run(plan, wire, parts, out.parent / f".{out.name}.parts")
    try:
        run.start()
        size = _write_wav(out, run.resampler.stdout.fileno(), target.sample_rate,
                          target.channels, on_progress)
        run.finish()
    except BaseException:
        run.stop()
        raise
    finally:
        run.clean()
    if size >= 1 << 32:
        raise OutputError(f"{out}: longer than a WAV file can hold")
    return Decoded(len(parts), run.joined, run.restarted_at)


def _pan(plan: Plan) -> list[str]:
    return [f"pan={plan.channels.pan}"] if plan.channels.pan else []


class _Run:
    """The processes of one parallel decode, and the thread that joins their parts."""

    def __init__(self, plan: Plan, wire: Wire, parts: tuple[Part, ...], folder: Path) -> None:
        self.plan, self.wire, self.parts, self.folder = plan, wire, parts, folder
        self.src = ffmpeg.file_arg(plan.info.path)
        self.pick = f"0:a:{plan.stream.stream.audio_index}"
        self.procs: list[subprocess.Popen] = []
        self.tails: dict[int, ffmpeg._StderrTail] = {}
        self.error: BaseException | None = None
        self.worker: threading.Thread | None = None
        self.feed = -1
        self.joined = 0
        self.restarted_at: int | None = None

    # -- processes
    def _spawn(self, args: list[str], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL):
        argv = [ffmpeg.binary("ffmpeg"), "-hide_banner", "-nostdin", "-y", "-loglevel",
                "error", *args]
        proc = subprocess.Popen(ffmpeg.dying_with_parent(argv), stdin=stdin, stdout=stdout,
                                stderr=subprocess.PIPE)
        self.procs.append(proc)
        self.tails[proc.pid] = ffmpeg._StderrTail(proc.stderr)
        return proc

    def _check(self, proc: subprocess.Popen, what: str) -> None:
        code = proc.wait()
        if code != 0:
            raise ProcessingError(f"{what}: ffmpeg failed: "
                                  f"{ffmpeg._why(code, self.tails[proc.pid])}")

    def start(self) -> None:
        self.folder.mkdir(exist_ok=True)
        wire, target = self.wire, self.plan.target
        read, self.feed = os.pipe()
        _widen(self.feed)
        try:
            self.resampler = self._spawn(
                ["-f", wire.fmt, "-ar", str(wire.rate), "-ac", str(wire.channels), "-i",
                 "pipe:0", "-ac", str(target.channels), "-ar", str(target.sample_rate),
                 "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1"],
                stdin=read, stdout=subprocess.PIPE)
        finally:
            os.close(read)
        first, rest = self.parts[0], self.parts[1:]
        # Part 0 stops exactly at the join; a copy of the samples around the join goes to a
        # small file, for the next part to be joined by.
        cut, before, after = first.end, self._frames(BEFORE[-1]), self._frames(AFTER)
        chain = ",".join([*_pan(self.plan), "asplit=2[a][b]"])
        self.first = self._spawn(
            ["-i", self.src, "-filter_complex",
             f"[{self.pick}]{chain};[a]atrim=end_sample={cut}[main];"
             f"[b]atrim=start_sample={max(0, cut - before)}:end_sample={cut + after}[ref]",
             "-map", "[main]", *wire.output("pipe:1"),
             "-map", "[ref]", *wire.output(ffmpeg.file_arg(self._file("reference-0")))],
            stdout=self.feed)
        self.decoders = [self._spawn(self._part_args(p, self._file(f"part-{k}")))
                         for k, p in enumerate(rest, 1)]
        self.worker = threading.Thread(target=self._join_all, daemon=True)
        self.worker.start()

    def _frames(self, seconds: float) -> int:
        return round(seconds * self.wire.rate)

    def _part_args(self, part: Part, out: Path) -> list[str]:
        seek = ["-ss", f"{part.seek:.6f}"] if part.seek > 0 else []
        limit = []
        if part.end is not None:  # enough to reach the next join, wherever the seek landed
            span = (part.end - part.start) / self.wire.rate
            limit = ["-t", f"{PREROLL_SECONDS + span + SEARCH_SECONDS + AFTER + 1:.6f}"]
        mix = ["-af", ",".join(_pan(self.plan))] if self.plan.channels.pan else []
        return [*seek, "-i", self.src, "-map", self.pick, "-vn", "-sn", "-dn", *mix, *limit,
                *self.wire.output(ffmpeg.file_arg(out))]

    def _file(self, name: str) -> Path:
        return self.folder / f"{name}.{self.wire.fmt}"

    # -- the joins, in a thread: the main thread writes the resampler's output meanwhile
    def _join_all(self) -> None:
        try:
            self._check(self.first, "decoding part 1")
            reference = self._file("reference-0").read_bytes()
            for k, (part, proc) in enumerate(zip(self.parts[1:], self.decoders), 1):
                self._check(proc, f"decoding part {k + 1}")
                reference = self._join(k, part, reference)
                if reference is None:
                    self.restarted_at = k
                    self._rest_from(part, k)
                    break
                self.joined += 1
                self._file(f"part-{k}").unlink()
        except BaseException as exc:  # handed to the main thread, which stops everything
            self.error = exc
            self.stop()
        finally:
            os.close(self.feed)
            self.feed = -1

    def _join(self, k: int, part: Part, reference: bytes) -> bytes | None:
        """Feed part k from its join on. Returns the samples around the next join (empty
        after the last part), or None when this join is not found."""
        frame, path = self.wire.frame, self._file(f"part-{k}")
        after = self._frames(AFTER) * frame
        before, check = reference[:-after], reference[-after:]
        landed = round(part.seek * self.wire.rate)  # where the seek was meant to land
        at = None
        for seconds in BEFORE:
            tail = before[-self._frames(seconds) * frame:]
            at = find_join(path, tail, frame, (part.start - landed) * frame,
                           self._frames(SEARCH_SECONDS) * frame)
            if at is not None or tail == before:
                break
        if at is None or _read(path, at, len(check)) != check:
            return None
        size = path.stat().st_size
        if part.end is None:
            _copy(path, self.feed, at, size - at)
            return b""
        length = (part.end - part.start) * frame
        keep = min(self._frames(BEFORE[-1]) * frame, length)
        around = _read(path, at + length - keep, keep + after)
        if len(around) < keep + after:  # the part ended early: shorter than it said
            return None
        _copy(path, self.feed, at, length)
        return around

    def _rest_from(self, part: Part, k: int) -> None:
        """The join before part k was not found: decode from the first sample, skip to it."""
        for proc in self.decoders[k - 1:]:
            ffmpeg._stop(proc)
        chain = ",".join([*_pan(self.plan), f"atrim=start_sample={part.start}"])
        proc = self._spawn(["-i", self.src, "-map", self.pick, "-vn", "-sn", "-dn",
                            "-af", chain, *self.wire.output("pipe:1")], stdout=self.feed)
        self._check(proc, f"decoding from part {k + 1} on")

    # -- the end
    def finish(self) -> None:
        self.worker.join()
        if self.error is not None:
            raise self.error
        self._check(self.resampler, "resampling")

    def stop(self) -> None:
        """Stop every process of this run (a part failed, or Ctrl-C)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()

    def clean(self) -> None:
        if self.worker is None and self.feed >= 0:  # the worker closes it once started
            os.close(self.feed)
            self.feed = -1
        self.stop()
        for proc in self.procs:
            proc.wait()
        if self.worker is not None:
            self.worker.join()
        for path in self.folder.glob("*"):
            path.unlink(missing_ok=True)
        self.folder.rmdir() if self.folder.exists() else None


def find_join(path: Path, reference: bytes, frame: int, expect: int, reach: int) -> int | None:
    """The byte offset in ``path`` just after the one place, on a frame boundary within
    ``reach`` bytes of ``expect``, where ``reference`` occurs; None if it is not there once."""
    if not reference:
        return None
    low = max(0, expect - reach - len(reference))
    with path.open("rb") as fh:
        fh.seek(low)
        window = fh.read(expect + reach + len(reference) - low)
    found = []
    at = window.find(reference)
    while at >= 0 and len(found) < 2:
        if (low + at) % frame == 0:
            found.append(low + at + len(reference))
        at = window.find(reference, at + 1)
    return found[0] if len(found) == 1 else None


def _read(path: Path, offset: int, count: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(offset)
        return fh.read(count)


def _copy(path: Path, fd: int, offset: int, count: int) -> None:
    with path.open("rb") as fh:
        while count > 0:
            sent = os.sendfile(fd, fh.fileno(), offset, min(count, CHUNK * 16))
            if sent == 0:
                raise ProcessingError(f"{path.name}: ended early")
            offset += sent
            count -= sent


def _widen(fd: int) -> None:
    """A 1 MB pipe instead of 64 KB: fewer wake-ups of the processes at either end."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, CHUNK)


def _write_wav(out: Path, fd: int, rate: int, channels: int,
               on_progress: Callable[[float], None] | None) -> int:
    """The resampler's samples into ``out`` behind a header of ours; the data size."""
    size, reported = 0, 0
    per_second = rate * channels * 2
    _widen(fd)
    try:
        with out.open("wb", buffering=0) as fh:
            fh.write(wav_header(rate, channels, 0))
            while chunk := os.read(fd, CHUNK):
                fh.write(chunk)
                size += len(chunk)
                if on_progress is not None and size - reported >= CHUNK:
                    reported = size
                    on_progress(size / per_second)
            fh.seek(0)
            fh.write(wav_header(rate, channels, size))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write there ({exc.strerror})") from None
    if on_progress is not None:
        on_progress(size / per_second)
    return size


def wav_header(rate: int, channels: int, data_bytes: int) -> bytes:
    """The 44 bytes ffmpeg's WAV muxer writes for 16-bit PCM (bitexact, two channels at most)."""
    block = channels * 2
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", min(36 + data_bytes, 0xFFFFFFFF),
                       b"WAVE", b"fmt ", 16, 1, channels, rate, rate * block, block, 16,
                       b"data", min(data_bytes, 0xFFFFFFFF))
