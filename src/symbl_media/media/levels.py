"""Measure the channels of one audio stream: levels, correlation, who talks where.

The channel plan is decided from these numbers, not from the layout alone: a "stereo" file
may be dual-mono, phase-inverted, one live side, or a call with one party per side.
Decoding streams through a pipe in blocks, so memory stays flat; long recordings are
sampled in a few windows spread over their length so the cost stays flat too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from symbl_media.media import ffmpeg
from symbl_media.media.probe import AudioStream, MediaInfo

ANALYSIS_RATE = 8000  # speech energy and correlation are well described below 4 kHz
FRAME = 400  # 50 ms at ANALYSIS_RATE
ACTIVE_GATE_DB = -50.0  # a frame counts as "something is said" above this
WHOLE_UP_TO = 180.0  # analyse shorter recordings entirely
WINDOWS = 8
WINDOW_SECONDS = 15.0


@dataclass(frozen=True)
class ChannelStats:
    """What the channels of a stream carry, measured over its active (non-silent) frames."""

    names: tuple[str, ...]
    levels_db: tuple[float, ...]  # RMS per channel over active frames, dBFS
    peaks: tuple[float, ...]  # absolute sample peak per channel (1.0 = full scale)
    correlation: float | None  # channel 0 vs 1, -1..1; None for mono
    mix_db: float  # RMS of the plain average of all channels
    sum_peak: float  # peak of c0+c1 (stereo), to know whether a sum would clip
    one_side_share: float  # share of active frames where one side is >= 10 dB louder
    active_seconds: float
    analysed_seconds: float

    def to_json(self) -> dict:
        return {
            "channels": list(self.names),
            "levels_db": [round(v, 1) for v in self.levels_db],
            "correlation": None if self.correlation is None else round(self.correlation, 3),
            "mix_db": round(self.mix_db, 1),
            "one_side_share": round(self.one_side_share, 3),
            "active_seconds": round(self.active_seconds, 2),
            "analysed_seconds": round(self.analysed_seconds, 2),
        }


def db(power: float) -> float:
    return 10 * math.log10(power) if power > 1e-12 else -120.0


def measure(info: MediaInfo, stream: AudioStream) -> ChannelStats:
    """Decode (a sample of) the stream and measure its channels. (A file whose header promises
    far more than it holds is refused before this: ``probe.check_declared_length``.)"""
    args = _window_args(info, stream)
    acc = _Accumulator(stream.channels)
    for block in ffmpeg.pcm_blocks(args, channels=stream.channels, rate=ANALYSIS_RATE,
                                   block_frames=FRAME * 200,
                                   what="measuring channels"):
        acc.add(block)
    return acc.result(stream.channel_names)


def expected_seconds(info: MediaInfo) -> float | None:
    """How much audio ``measure`` should decode from an intact file."""
    if info.duration is None:
        return None
    if info.duration <= WHOLE_UP_TO:
        return info.duration
    return WINDOWS * WINDOW_SECONDS


def _window_args(info: MediaInfo, stream: AudioStream) -> list[str]:
    src = ffmpeg.file_arg(info.path)
    pick = f"a:{stream.audio_index}"
    if info.duration is None or info.duration <= WHOLE_UP_TO:
        return ["-i", src, "-map", f"0:{pick}", "-vn", "-sn", "-dn"]
    # One process, several seeking inputs, concatenated: a handful of windows costs about as
    # much as one ffmpeg start, whatever the length of the recording.
    args: list[str] = []
    step = info.duration / WINDOWS
    for k in range(WINDOWS):
        start = max(0.0, (k + 0.5) * step - WINDOW_SECONDS / 2)
        args += ["-ss", f"{start:.3f}", "-t", f"{WINDOW_SECONDS:.3f}", "-i", src]
    chain = "".join(f"[{k}:{pick}]" for k in range(WINDOWS))
    return args + ["-filter_complex", f"{chain}concat=n={WINDOWS}:v=0:a=1[m]", "-map", "[m]"]


class _Accumulator:
    def __init__(self, channels: int) -> None:
        import numpy as np

        self.np = np
        self.c = channels
        self.gram = np.zeros((channels, channels))  # sums of x_i * x_j over active frames
        self.peaks = np.zeros(channels)
        self.sum_peak = 0.0
        self.active = 0
        self.one_side = 0
        self.frames = 0
        self.tail = np.zeros((0, channels), dtype="float32")

    def add(self, block) -> None:
        np = self.np
        data = np.concatenate([self.tail, block]) if len(self.tail) else block
        whole = len(data) - len(data) % FRAME
        self.tail = data[whole:].copy()
        if not whole:
            return
        x = data[:whole].astype("float64").reshape(-1, FRAME, self.c)
        self.frames += x.shape[0]
        power = (x * x).mean(axis=1)  # (frames, channels)
        loud = power.max(axis=1)
        active = loud > 10 ** (ACTIVE_GATE_DB / 10)
        if not active.any():
            return
        xa = x[active].reshape(-1, self.c)
        self.active += int(active.sum())
        self.gram += xa.T @ xa
        self.peaks = np.maximum(self.peaks, np.abs(xa).max(axis=0))
        if self.c >= 2:
            self.sum_peak = max(self.sum_peak, float(np.abs(xa[:, 0] + xa[:, 1]).max()))
            pa = power[active]
            ratio = np.abs(10 * np.log10((pa[:, 0] + 1e-12) / (pa[:, 1] + 1e-12)))
            self.one_side += int((ratio >= 10).sum())

    def result(self, names: tuple[str, ...]) -> ChannelStats:
        n = self.active * FRAME
        diag = [self.gram[i, i] / n if n else 0.0 for i in range(self.c)]
        corr = None
        if self.c >= 2:
            denom = math.sqrt(self.gram[0, 0] * self.gram[1, 1])
            corr = float(self.gram[0, 1] / denom) if denom > 0 else 0.0
        mix_power = float(self.gram.sum() / (self.c * self.c) / n) if n else 0.0
        return ChannelStats(
            names=names,
            levels_db=tuple(db(p) for p in diag),
            peaks=tuple(float(p) for p in self.peaks),
            correlation=corr,
            mix_db=db(mix_power),
            sum_peak=self.sum_peak,
            one_side_share=self.one_side / self.active if self.active else 0.0,
            active_seconds=self.active * FRAME / ANALYSIS_RATE,
            analysed_seconds=self.frames * FRAME / ANALYSIS_RATE,
        )
