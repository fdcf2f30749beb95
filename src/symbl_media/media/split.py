"""The one ffmpeg pass split between two processes, for decoders that cannot be split in parts:
one decodes and mixes, the other does the rest (pre-processors, resample, encode) and writes
what the single pass writes, as it would.

AAC's noise substitution and AC-3's dither draw from a random state that runs on from the first
frame, so a part decoded from a seek never gives the single pass's bytes (``parts.py``). The
decoder's state stays in one process here, which decodes the stream from its first frame, as
the single pass does, mixes it as the plan says (the same ``pan``, straight after the decoder,
as in the single pass) and writes the result as 32-bit float WAV, at the stream's own rate, to
a pipe. Those decoders and the mix give float samples, so nothing is lost on the way: the
second process is the rest of the single pass's own command (``extract.extraction_args``)
reading the pipe instead of the file, and its filters see the same samples in the same layout.
The same bytes, with the resampler (and an MP3 encoder, or a pre-processor) on another core.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from symbl_media.errors import ProcessingError
from symbl_media.media import ffmpeg
from symbl_media.media.extract import extraction_args
from symbl_media.media.plan import Plan

# The pipe's buffer: 64 KiB by default, 21 ms of 48 kHz stereo float; 1 MiB (Linux's limit for
# a process without privileges) lets each side run on for a while when the other is held up.
PIPE_BYTES = 1 << 20
# The converter's packets: 1 MiB, 5.5 s of 48 kHz mono float (converter_input).
PACKET_BYTES = 1 << 20


def decoder_args(plan: Plan) -> list[str]:
    """ffmpeg arguments (after the global ones): the stream's decoder output, mixed as the
    plan says, as 32-bit float WAV, to stdout. Nothing is asked of the decoder that the single
    pass does not ask (no bitexact flags: they pick other code paths in some decoders)."""
    # The mix (pan) here, straight after the decoder as in the single pass, where it sees the
    # decoder's own planar float: every mix the plan makes is to mono, so the pipe carries
    # half the bytes of stereo (a sixth of 5.1), and the converter reads that much less. It
    # costs the decoder about what the writes it saves did (docs/benchmarks.md).
    mix = ["-af", f"pan={plan.channels.pan}"] if plan.channels.pan else []
    # -flush_packets 0: written a buffer (32 KiB) at a time, not a frame (8 KiB) at a time, as
    # ffmpeg does by default on a pipe: a quarter of the system calls on both sides.
    # WAV, not raw f32le, for the converter's sake (converter_input): the samples are the same.
    return ["-i", ffmpeg.file_arg(plan.info.path), "-map",
            f"0:a:{plan.stream.stream.audio_index}", "-vn", "-sn", "-dn", *mix, "-c:a",
            "pcm_f32le", "-flush_packets", "0", "-f", "wav", "pipe:1"]


def converter_args(plan: Plan, out: Path, fmt: str) -> list[str]:
    """The single pass's own command (``extract.extraction_args``) on the pipe, less the mix
    the decoder made: the pre-processors, resampling and encoding, as the single pass runs
    them after its mix."""
    unmixed = replace(plan, channels=replace(plan.channels, pan=None))
    return extraction_args(unmixed, out, fmt=fmt, source=converter_input(plan))


def converter_input(plan: Plan) -> list[str]:
    """How the second process reads the pipe: a WAV of unknown length, in big packets.

    ffmpeg's raw f32le demuxer cuts its input into packets of 1,024 samples (8 KiB of
    stereo), and each packet is a frame that goes through the whole filter graph: 337,500 of
    them for 2 hours of 48 kHz. That per-frame cost, not the samples, was most of the
    converter's CPU (docs/benchmarks.md). The WAV demuxer takes a packet size (max_size);
    at 1 MiB the same samples reach the filters in 128-times fewer frames, and the bytes out
    are the same (test_split). The rate and the channel layout come from the WAV header the
    decoder wrote (WAVE_FORMAT_EXTENSIBLE, with its channel mask, for 32-bit samples), so they
    are the decoder's own. ignore_length: the header was written before the length was known.
    """
    return ["-f", "wav", "-ignore_length", "1", "-max_size", str(PACKET_BYTES),
            "-i", "pipe:0"]


def extract(plan: Plan, out: Path, *, fmt: str, on_progress: Callable[[float], None] | None
            = None, stopper: ffmpeg.Stopper | None = None) -> None:
    """Write ``out`` as ``extract.extract(plan, out, fmt=fmt)`` does, in two processes. When
    either fails (killed, a full disk) or the run is stopped, the other is killed, ``out`` is
    removed and the error names the process that failed first."""
    # Both commands before the pipe: a missing ffmpeg raises with no fd to close.
    argv = [ffmpeg.binary("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error",
            *decoder_args(plan)]
    converter = converter_args(plan, out, fmt)
    read, write = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: not Linux
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    try:
        decoder = subprocess.Popen(ffmpeg.dying_with_parent(argv), stdin=subprocess.DEVNULL,
                                   stdout=write, stderr=subprocess.PIPE)
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)  # the decoder is the pipe's only writer: its end is the converter's EOF
    tail = None
    try:
        if stopper is not None:
            stopper.watch(decoder)
        tail = ffmpeg._StderrTail(decoder.stderr)
        stdin, read = read, None  # run_ffmpeg closes it from here on, whatever happens
        try:
            ffmpeg.run_ffmpeg(converter, what="extracting audio", on_progress=on_progress,
                              stopper=stopper, stdin=stdin)
        except ProcessingError:
            # Killed before the converter failed (the OOM killer, kill -9): the decoder is
            # why. Otherwise the converter's own error says it (a decoder that lost its
            # reader fails on the broken pipe, which says nothing).
            code = decoder.poll()
            if code is not None and code < 0 and code != -signal.SIGPIPE:
                raise ProcessingError(f"decoding audio: ffmpeg failed: "
                                      f"{ffmpeg.why_it_ended(code, tail)}") from None
            raise
        code = decoder.wait()  # its output ended, so it has ended or is about to
        # Failed: the converter saw the end of a stream cut short, not the recording. Unless
        # the converter stopped reading first, as the single pass stops reading the file (a
        # trim's atrim ends the output before the trailing silence is decoded).
        if code != 0 and not _reader_left(code, tail):
            raise ProcessingError(f"decoding audio: ffmpeg failed: {ffmpeg.why_it_ended(code, tail)}")
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    finally:
        ffmpeg._stop(decoder)
        if read is not None:  # never handed to a converter
            os.close(read)
        if tail is None:  # nothing drains (and closes) the decoder's stderr
            decoder.stderr.close()


def _reader_left(code: int, tail) -> bool:
    """Did the decoder fail only because its reader had gone? ffmpeg ignores SIGPIPE, so it
    exits with an error on the write's EPIPE, which it words "Broken pipe" (strerror: ffmpeg
    sets no locale). Killed by a signal, or any other error: the decode itself failed."""
    tail.last()  # waits for the rest of its stderr
    return code > 0 and any(line.endswith("Broken pipe") for line in tail.lines)
