"""Pure decisions: is the recording decoded in several parts at once, and where do they start.

The one ffmpeg pass decodes on one core. A long recording is decoded faster in parts, each by
its own ffmpeg running the same command from a little before its start; the parts are joined
where their samples agree exactly, so the result is the same bytes as one pass (``parallel.py``
carries it out). Where joins could not be exact, or there is nothing to gain,
one pass it is, and the rule that said so is the plan's reason (``probe`` prints it).

A decoder that cannot be split in parts (AAC, AC-3) can still share the pass with another
core: it decodes and mixes in one process and hands its float samples through a pipe to a
second that runs the rest of the pass (pre-processors, resample, encode, ``split.py``). That
costs 1.1-1.2x the single pass's CPU, so it is only worth it with a core to spare.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Below this much audio per part, starting another ffmpeg costs more than it saves.
MIN_PART_SECONDS = 120.0
MIN_PART_ENV = "SYMBL_MEDIA_MIN_PART_SECONDS"  # tests force parts on short files with 0
MAX_DECODERS = 64

# Parts seek to points on a grid of 1/50 s: a whole number of samples at every rate that is
# a multiple of 50 Hz (8, 16, 22.05, 32, 44.1, 48 kHz...), at the source's and the target's,
# so a part's resampler runs in the same phase as the single pass's.
GRID_PER_SECOND = 50
# Decoders whose output after a seek settles into exactly what a decode from the start gives
# (their state is the last frame or two). AAC and AC-3 are not among them: AAC's noise
# substitution and AC-3's dither draw from a random state that runs on from the first frame,
# so a part never matches a decode from the start bit for bit (measured: a seeked AAC part
# stays about 1e-4 off).
SETTLING_CODECS = {"flac", "alac", "mp3", "vorbis", "opus"}  # each one tested (test_parallel)
# Decoders whose output is 32-bit float, so their samples pass through a pipe as raw float
# unchanged and the second process computes exactly what the single pass does (test_split).
# A decoder giving integers (s16, s32) would reach the mix as float instead: other bytes.
SPLIT_CODECS = {"aac", "ac3", "eac3"}
# Unasked, the split runs only with three CPUs and when the last minute's load average leaves
# at least 2.5 of them idle. Three processes work at once: the decoder, the converter and this
# one, which reads, measures and hashes what the converter writes. The decoder alone costs
# 0.8-0.9x the single pass's CPU, so any sharing of its core loses the gain: on two idle CPUs
# (load 0.1) prepare split took 1.03x the single pass's wall time on the 2-hour input and 1.22x
# on the 8-hour one, and 1.5-2x at load 4-5 (docs/benchmarks.md). Since then the converter
# reads 1 MiB packets, the decoder mixes, and the meter and the cut stopped costing system
# CPU: what runs beside the decoder fell from about its own CPU to about 0.6 of it (8 hours:
# 16.9 -> 8.9 s against 14.5-14.8). Measured again on two idle CPUs (load 0.0-0.1, two runs):
# the split now wins, but by 1-3 % of the wall time (2 h: 0.99-1.00x the one-liner against
# 1.01x; 8 h: 0.88-0.93x against 0.91-0.95x) for 1.2-1.3x the CPU, so unasked it still waits
# for a third CPU. Asked for with --decoders, it runs whatever the machine.
SPLIT_CPUS = 3
SPLIT_IDLE_CPUS = 2.5


@dataclass(frozen=True)
class Decoding:
    parts: int  # decoders at once, each on its own part of the recording; 1: one pass
    reason: str
    # The one pass in two processes: the decoder, and the rest of the pass (split.py)
    split: bool = False

    def to_json(self) -> dict:
        return {"parts": self.parts, "split": self.split, "reason": self.reason}


ONE_PASS = Decoding(1, "one pass")


def settles(codec: str) -> bool:
    return codec in SETTLING_CODECS or codec.startswith("pcm_")


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, which containers and taskset limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def machine_load() -> float | None:
    """The load average of the last minute (None where the system does not say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        return None


def min_part_seconds() -> float:
    raw = os.environ.get(MIN_PART_ENV)
    if raw is None:
        return MIN_PART_SECONDS
    try:
        value = float(raw)
    except ValueError:
        return MIN_PART_SECONDS
    return max(0.0, value)


def check_decoders(decoders: int | None) -> None:
    from symbl_media.errors import PlanError

    if decoders is None:
        return
    if isinstance(decoders, bool) or not isinstance(decoders, int) \
            or not 1 <= decoders <= MAX_DECODERS:
        raise PlanError(f"--decoders must be a whole number from 1 to {MAX_DECODERS}, "
                        f"not {decoders!r}")


def plan_decoding(*, decoders: int | None, duration: float | None, codec: str,
                  source_rate: int, out_rate: int | None, out_channels: int,
                  target_format: str, passthrough: bool, preprocessed: bool,
                  layout: str = "", load: float | None = None) -> Decoding:
    """How many parts the one ffmpeg pass runs in, or whether it is split between a decoder
    and the rest, and why. The first rule that applies wins. ``load``: the load average the
    plan is made at (``machine_load``, read once a plan), None if unknown."""
    one = "one pass"
    if decoders == 1:
        return Decoding(1, f"{one}, as asked (--decoders 1)")
    if passthrough:
        return Decoding(1, f"{one}: nothing to decode, the source is sent as it is")
    if target_format == "mp4":
        return Decoding(1, f"{one}: --as-video re-muxes the video with the audio")
    if codec in SPLIT_CODECS:
        # No parts here, so no join: MP3 output and the pre-processors run in the second
        # process on the whole recording, as in the single pass.
        return _split(decoders, duration, codec, layout, load)
    if target_format == "mp3":
        return Decoding(1, f"{one}: MP3 output (the encoder's delay and bit reservoir run "
                           f"across any join)")
    if preprocessed:
        return Decoding(1, f"{one}: the pre-processors (--pre) carry state across the "
                           f"whole recording")
    if duration is None:
        return Decoding(1, f"{one}: the container states no length to place the parts by "
                           f"(a stream without an index)")
    if out_channels > 2:
        return Decoding(1, f"{one}: more than two channels kept (ffmpeg's own WAV header)")
    if source_rate % GRID_PER_SECOND or (out_rate or 0) % GRID_PER_SECOND:
        return Decoding(1, f"{one}: {source_rate} Hz has no whole sample every "
                           f"1/{GRID_PER_SECOND} s to start a part on")
    wanted = decoders or available_cpus()
    if wanted == 1:
        return Decoding(1, f"{one}: one CPU available to this process")
    floor = min_part_seconds()
    if duration < floor:
        return Decoding(1, f"{one}: too short to gain (under {floor:g} s)")
    if not settles(codec):
        return Decoding(1, f"{one}: {codec} cannot be decoded in parts that join exactly (its "
                           f"decoder's state runs on from the first frame)")
    fit = int(duration // floor) if floor > 0 else wanted
    parts = max(1, min(wanted, fit))
    if parts == 1:
        return Decoding(1, f"{one}: too short to gain ({floor:g} s a part at least)")
    how = "as asked (--decoders)" if decoders else "one a CPU"
    return Decoding(parts, f"{parts} parts decoded at once ({how}), joined where they agree "
                           f"sample for sample")


def _split(decoders: int | None, duration: float | None, codec: str, layout: str,
           load: float | None) -> Decoding:
    """AAC, AC-3: one pass, in one process or split between the decoder and the rest."""
    one = (f"one pass: {codec} cannot be decoded in parts that join exactly (its decoder's "
           f"state runs on from the first frame)")
    cpus = decoders or available_cpus()
    if cpus == 1:
        return Decoding(1, f"{one}, and one CPU available to this process")
    floor = min_part_seconds()
    if duration is not None and duration < floor:
        return Decoding(1, f"{one}, and too short to gain from a second process "
                           f"(under {floor:g} s)")
    # ffprobe says "6 channels" for channels in no stated order: nothing to tell the converter
    if not layout or layout == "unknown" or layout.endswith(" channels"):
        return Decoding(1, f"{one}, and its channel layout is not stated (the WAV between "
                           f"the two processes would name none)")
    if decoders is None and available_cpus() < SPLIT_CPUS:
        return Decoding(1, f"{one}, and {available_cpus()} CPUs: a second ffmpeg gains only "
                           f"with {SPLIT_CPUS} (decoder, converter, and this process reading "
                           f"them)")
    if decoders is None and load is not None and available_cpus() - load < SPLIT_IDLE_CPUS:
        return Decoding(1, f"{one}, and no CPUs to spare for a second process (load "
                           f"{load:.1f} on {available_cpus()} CPUs)")
    how = "as asked (--decoders)" if decoders else "CPUs to spare"
    return Decoding(1, f"one pass in two processes ({how}): {codec} decoded in one, mixed "
                       f"and resampled in the other (no parts: its decoder's state runs on "
                       f"from the first frame)",
                    split=True)


def part_starts(total_frames: int, parts: int) -> tuple[int, ...]:
    """Where each part starts, in output samples from the start of the recording."""
    return tuple(round(k * total_frames / parts) for k in range(parts))
