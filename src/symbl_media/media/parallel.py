"""The one ffmpeg pass in parts: several ffmpeg processes at once, each running the single
pass's own command on its part of the recording, joined where their samples agree. The WAV it
writes is the same bytes as the single pass (``extract.py``).

Part k seeks a few seconds before its start, to a point on a 20 ms grid: a whole number of
samples at the source's rate and at the target's, so its resampler works in the same phase as
a decode from the first sample (48 kHz to 16 kHz: a multiple of 3 input samples; 44.1 kHz: of
441). By its start the decoder has settled and every sample equals the single pass's. Each part
writes raw 16-bit samples to a file; part 0, from the first sample, writes to a pipe the WAV is
written from as it arrives. Part k-1 runs on a little past part k's start: the samples around
the join (2 s before, 1 s after) must occur exactly once in part k's file near where the seek
put them, or the join is not made. Such a join is never guessed: the rest is decoded from the
first sample, skipping to it. Slower, and the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from symbl_media.errors import OutputError, ProcessingError
from symbl_media.media import ffmpeg
from symbl_media.media.extract import extraction_args
from symbl_media.media.parts import GRID_PER_SECOND, part_starts
from symbl_media.media.plan import Plan

PREROLL_SECONDS = 4.0  # a part starts this early: its decoder has settled by the join
BEFORE_SECONDS = 2.0  # the samples a join is recognised by: before it...
AFTER_SECONDS = 1.0  # ...and after it, which both parts must agree on too
SEARCH_SECONDS = 1.0  # how far a seek may miss, either way, for the join still to be found
TAIL_SECONDS = 1.0  # a part decodes this much past what is used: its last samples are a flush
CHUNK = 1 << 20


@dataclass(frozen=True)
class Decoded:
    """How a parallel decode went: ``joined`` joins were found; ``restarted_at`` is the part
    whose join was not, from where the rest was decoded from the first sample."""

    parts: int
    joined: int
    restarted_at: int | None


@dataclass(frozen=True)
class Part:
    start: int  # the first output sample this part contributes
    end: int | None  # where the next part takes over; None: the end of the recording
    seek: int  # output sample the decoder starts at: a point on the 20 ms grid


def plan_parts(plan: Plan) -> tuple[Part, ...]:
    rate = plan.target.sample_rate
    total = round((plan.info.duration or 0.0) * rate)
    starts = part_starts(total, plan.decoding.parts)
    grid = rate // GRID_PER_SECOND
    preroll = round(PREROLL_SECONDS * GRID_PER_SECOND) * grid
    return tuple(Part(s, e, max(0, (s - preroll) // grid * grid))
                 for s, e in zip(starts, [*starts[1:], None]))


def decode(plan: Plan, out: Path, *, on_progress: Callable[[float], None] | None = None,
           stopper: ffmpeg.Stopper | None = None) -> Decoded:
    """Write ``out``, a 16-bit WAV, as the single pass would, with ``plan.decoding.parts``
    ffmpeg processes at once. Every other file it makes is gone when it returns, and ``out``
    too when it raises. ``stopper`` lets another thread stop the run (it then fails), at any
    stage: while a part decodes, or while the parts already done are copied into ``out``."""
    run = _Run(plan, out, on_progress, stopper)
    try:
        run.run()
    except BaseException:
        if run.opened:  # a WAV cut short is worse than none: nothing reads it as partial
            out.unlink(missing_ok=True)
        raise
    finally:
        run.stop()
        run.clean()
    return Decoded(len(run.parts), run.joined, run.restarted_at)


class _Run:
    def __init__(self, plan: Plan, out: Path, on_progress, stopper=None) -> None:
        self.plan, self.out, self.on_progress = plan, out, on_progress
        self.stopper = stopper
        target = plan.target
        self.rate, self.channels = target.sample_rate, target.channels
        self.frame = 2 * self.channels
        self.parts = plan_parts(plan)
        self.folder = out.parent / f".{out.name}.parts"
        self.procs: list[subprocess.Popen] = []
        self.tails: dict[int, ffmpeg._StderrTail] = {}
        self.joined, self.restarted_at = 0, None
        self.written = self.reported = 0
        self.opened = False
        self.awaited = range(0)  # the parts still decoding for a join: watched for a failure

    # -- processes: each runs the single pass's command, from its seek point, to raw samples
    def _spawn(self, part: Part, target: str, limit: int | None) -> subprocess.Popen:
        args = extraction_args(self.plan, Path("unused"), fmt="s16le")[:-1]
        seek = ["-ss", f"{part.seek / self.rate:.6f}"] if part.seek else []
        stop = ["-t", f"{limit / self.rate:.6f}"] if limit is not None else []
        argv = [ffmpeg.binary("ffmpeg"), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                *seek, *args, *stop, target]
        stdout = subprocess.PIPE if target == "pipe:1" else subprocess.DEVNULL
        proc = subprocess.Popen(ffmpeg.dying_with_parent(argv), stdin=subprocess.DEVNULL,
                                stdout=stdout, stderr=subprocess.PIPE)
        self.procs.append(proc)
        if self.stopper is not None:
            self.stopper.watch(proc)
        self.tails[proc.pid] = ffmpeg._StderrTail(proc.stderr)
        return proc

    def _limit(self, part: Part) -> int | None:
        """Output samples part k decodes: to the samples after the next join, and a flush."""
        if part.end is None:
            return None
        return part.end + self._n(AFTER_SECONDS + TAIL_SECONDS) - part.seek

    def _check(self, proc: subprocess.Popen, what: str) -> None:
        code = proc.wait()
        if code != 0:
            raise ProcessingError(f"{what}: ffmpeg failed: "
                                  f"{ffmpeg.why_it_ended(code, self.tails[proc.pid])}")

    def _n(self, seconds: float) -> int:
        return round(seconds * self.rate)

    def _file(self, k: int) -> Path:
        return self.folder / f"part-{k}.s16le"

    # -- the run
    def run(self) -> None:
        self.folder.mkdir(exist_ok=True)
        first, rest = self.parts[0], self.parts[1:]
        head = self._spawn(first, "pipe:1", self._limit(first))
        for k, part in enumerate(rest, 1):
            self._spawn(part, ffmpeg.file_arg(self._file(k)), self._limit(part))
        self.awaited = range(1, len(self.parts))
        try:
            self.fh = self.out.open("wb", buffering=0)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write there ({exc.strerror})") from None
        self.opened = True
        with self.fh:
            self._write(wav_header(self.rate, self.channels, 0))
            around = self._stream(head, first.end, self._window(first.end), "decoding part 1")
            for k, part in enumerate(rest, 1):
                self._check(self.procs[k], f"decoding part {k + 1}")
                self.awaited = range(k + 1, len(self.parts))
                around = self._join(k, part, around)
                if around is None:
                    self.restarted_at = k
                    self._restart(part, k)
                    break
                self.joined += 1
                self._file(k).unlink()
            if self.written - 44 >= 1 << 32:
                raise OutputError(f"{self.out}: longer than a WAV file can hold")
            self.fh.seek(0)
            self.fh.write(wav_header(self.rate, self.channels, self.written - 44))
        self._progress(final=True)

    def _window(self, join: int | None) -> tuple[int, int] | None:
        """The bytes, counted in the recording's output, a join is recognised by."""
        if join is None:
            return None
        return (max(0, join - self._n(BEFORE_SECONDS)) * self.frame,
                (join + self._n(AFTER_SECONDS)) * self.frame)

    def _stream(self, proc, upto: int | None, window, what: str, skip: int = 0) -> bytes:
        """Write what ``proc`` prints, from byte ``skip`` up to output sample ``upto``;
        returns the bytes of ``window`` (absolute, as is ``upto``)."""
        fd, at, keep = proc.stdout.fileno(), 0, bytearray()
        stop = None if upto is None else upto * self.frame
        while chunk := os.read(fd, CHUNK):
            self._go_on()
            lo, hi = at, at + len(chunk)
            use_lo, use_hi = max(lo, skip), hi if stop is None else min(hi, stop)
            if use_hi > use_lo:
                self._write(chunk[use_lo - lo:use_hi - lo])
            if window is not None and hi > window[0] and lo < window[1]:
                keep += chunk[max(window[0], lo) - lo:min(window[1], hi) - lo]
            at = hi
        self._check(proc, what)
        return bytes(keep)

    def _join(self, k: int, part: Part, around: bytes) -> bytes | None:
        """Write part k from its join on. Returns the bytes around the next join (empty
        after the last part), or None when this join is not found."""
        path, frame = self._file(k), self.frame
        window = self._window(part.start)
        if len(around) != window[1] - window[0]:
            return None  # the part before ended early: shorter than the container said
        expect = window[0] - part.seek * frame
        at = find_join(path, around, frame, expect, self._n(SEARCH_SECONDS) * frame)
        if at is None:
            return None
        begin = at + part.start * frame - window[0]  # where the part's own start lies
        size = path.stat().st_size
        if part.end is None:
            self._copy(path, begin, size - begin)
            return b""
        length = (part.end - part.start) * frame
        nxt = self._window(part.end)
        with path.open("rb") as fh:
            fh.seek(begin + nxt[0] - part.start * frame)
            ahead = fh.read(nxt[1] - nxt[0])
        if len(ahead) != nxt[1] - nxt[0]:
            return None  # the part ended early: shorter than the container said
        self._copy(path, begin, length)
        return ahead

    def _restart(self, part: Part, k: int) -> None:
        """The join before part k was not found: the single pass from the first sample,
        written from where the joined parts end."""
        self.awaited = range(0)  # stopped on purpose, not failed
        for proc in self.procs[k:]:
            ffmpeg._stop(proc)
        proc = self._spawn(Part(0, None, 0), "pipe:1", None)
        self._stream(proc, None, None, f"decoding from part {k + 1} on",
                     skip=self.written - 44)

    # -- output
    def _write(self, data: bytes) -> None:
        try:
            self.fh.write(data)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write there ({exc.strerror})") from None
        self.written += len(data)
        self._progress()

    def _copy(self, path: Path, offset: int, count: int) -> None:
        with path.open("rb") as src:
            while count > 0:
                self._go_on()  # every part may be done by now: nothing else would stop this
                try:
                    sent = os.sendfile(self.fh.fileno(), src.fileno(), offset,
                                       min(count, CHUNK * 16))
                except OSError as exc:
                    raise OutputError(f"{self.out}: cannot write there ({exc.strerror})") \
                        from None
                if sent == 0:
                    break
                offset, count = offset + sent, count - sent
                self.written += sent
                self._progress()

    def _progress(self, final: bool = False) -> None:
        if self.on_progress is not None and (final or self.written - self.reported >= CHUNK):
            self.reported = self.written
            self.on_progress((self.written - 44) / (self.rate * self.frame))

    def _go_on(self) -> None:
        """Raise if the run was stopped, or if a part it still waits for has failed: a
        killed part (or Ctrl-C in the thread that reads the WAV) ends the run now, not once
        the parts before it are written out."""
        if self.stopper is not None and self.stopper.stopped:
            raise ProcessingError("decoding was stopped")
        for k in self.awaited:
            if self.procs[k].poll():
                self._check(self.procs[k], f"decoding part {k + 1}")

    # -- the end, however it came
    def stop(self) -> None:
        """Stop every process of this run (a part failed, Ctrl-C, or all done)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()

    def clean(self) -> None:
        for proc in self.procs:
            proc.wait()
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
        for path in self.folder.glob("*"):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.folder.rmdir()


def find_join(path: Path, reference: bytes, frame: int, expect: int, reach: int) -> int | None:
    """Where in ``path`` ``reference`` occurs, once, on a frame boundary within ``reach``
    bytes of ``expect``; None if it is not there exactly once."""
    if not reference:
        return None
    low = max(0, expect - reach)
    with path.open("rb") as fh:
        fh.seek(low)
        window = fh.read(expect + reach + len(reference) - low)
    found = []
    at = window.find(reference)
    while at >= 0 and len(found) < 2:
        if (low + at) % frame == 0:
            found.append(low + at)
        at = window.find(reference, at + 1)
    return found[0] if len(found) == 1 else None


def wav_header(rate: int, channels: int, data_bytes: int) -> bytes:
    """The 44 bytes ffmpeg's WAV muxer writes for 16-bit PCM (bitexact, two channels at most)."""
    block = channels * 2
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", min(36 + data_bytes, 0xFFFFFFFF),
                       b"WAVE", b"fmt ", 16, 1, channels, rate, rate * block, block, 16,
                       b"data", min(data_bytes, 0xFFFFFFFF))
