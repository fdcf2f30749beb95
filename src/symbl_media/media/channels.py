"""How a stream reaches mono: which channels are averaged, picked or kept, decided from their
measured levels (``plan_channels``). Pure decisions, like the rest of ``plan``.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbl_media.errors import PlanError
from symbl_media.media.levels import ChannelStats
from symbl_media.media.probe import AudioStream

SILENT_DB = -60.0  # a channel below this over the active frames carries nothing
DEAD_GAP_DB = 30.0  # a channel this far below the other is a dead or bleed-only side
CANCEL_DB = 9.0  # the average this far below the louder side means the sides cancel
DUAL_MONO_CORR = 0.98
ONE_SIDE_SHARE = 0.6  # calls: most speech is on one side at a time
HEADROOM = 0.98  # keep a mix's peak below full scale


@dataclass(frozen=True)
class ChannelPlan:
    mix: str  # mono | average | left | right | first | sum | centre | active | keep
    pan: str | None  # ffmpeg pan filter arguments, None when nothing is mixed
    channels: int  # channels in the output
    reason: str



def plan_channels(stream: AudioStream, stats: ChannelStats, separate: bool) -> ChannelPlan:
    c = stream.channels
    if separate:
        if c < 2:
            raise PlanError("--separate-channels needs more than one channel, and this stream "
                            "is mono")
        return ChannelPlan("keep", None, c, f"{c} channels kept for per-channel recognition "
                                            "(--separate-channels)")
    if c == 1:
        return ChannelPlan("mono", None, 1, "already mono")
    levels = stats.levels_db
    loud = max(range(c), key=lambda i: levels[i])
    if levels[loud] < SILENT_DB:
        return ChannelPlan("average", _average(range(c)), 1,
                           f"no channel carries sound above {SILENT_DB:.0f} dBFS; averaged")
    if c == 2:
        return _plan_stereo(stats)
    return _plan_surround(stats)


def likely_channels(stream: AudioStream, separate: bool) -> ChannelPlan | None:
    """The channel plan the measurement will most likely give, to start the one pass on before
    it is known (``head_start``); None where no answer is likely enough (surround). Certain
    for a mono stream and for kept channels; for stereo, the plain average."""
    if separate:
        return plan_channels(stream, None, separate) if stream.channels > 1 else None
    if stream.channels == 1:
        return ChannelPlan("mono", None, 1, "already mono")
    if stream.channels == 2:
        return ChannelPlan("average", _average(range(2)), 1, "likely ordinary stereo")
    return None


def _plan_stereo(stats: ChannelStats) -> ChannelPlan:
    left, right = stats.levels_db[:2]
    corr = stats.correlation if stats.correlation is not None else 0.0
    louder, name = (0, "left") if left >= right else (1, "right")
    quiet_name = "right" if louder == 0 else "left"
    gap = abs(left - right)
    if gap >= DEAD_GAP_DB or min(left, right) < SILENT_DB:
        return ChannelPlan(name, f"mono|c0=c{louder}", 1,
                           f"the {quiet_name} channel is silent ({min(left, right):.0f} dBFS "
                           f"vs {max(left, right):.0f}); taking the {name}")
    if corr <= -0.5 or stats.mix_db < max(left, right) - CANCEL_DB:
        return ChannelPlan(name, f"mono|c0=c{louder}", 1,
                           f"the channels cancel when averaged (correlation {corr:+.2f}, "
                           f"average {stats.mix_db:.0f} dBFS vs {max(left, right):.0f}): "
                           f"phase-inverted; taking the {name}")
    if corr >= DUAL_MONO_CORR and gap <= 1.0:
        return ChannelPlan("first", f"mono|c0=c{louder}", 1,
                           f"dual-mono (correlation {corr:.3f}, levels within {gap:.1f} dB); "
                           f"taking the {name} channel")
    if stats.one_side_share >= ONE_SIDE_SHARE and abs(corr) < 0.5:
        gain = min(1.0, HEADROOM / stats.sum_peak) if stats.sum_peak > 0 else 1.0
        return ChannelPlan("sum", f"mono|c0={gain:.3f}*c0+{gain:.3f}*c1", 1,
                           f"one talker per side ({stats.one_side_share:.0%} of speech on one "
                           f"side, correlation {corr:+.2f}); summed so each keeps its level")
    return ChannelPlan("average", _average(range(2)), 1,
                       f"ordinary stereo (correlation {corr:+.2f}); averaged")


def _plan_surround(stats: ChannelStats) -> ChannelPlan:
    names = stats.names
    levels = stats.levels_db
    top = max(levels)
    live = [i for i, lv in enumerate(levels) if lv >= top - DEAD_GAP_DB and names[i] != "LFE"]
    if "FC" in names and levels[names.index("FC")] >= top - 12:
        fc = names.index("FC")
        weights = {fc: 1.0}
        for side in ("FL", "FR"):
            if side in names and names.index(side) in live:
                weights[names.index(side)] = 0.3
        peak = sum(w * stats.peaks[i] for i, w in weights.items())
        gain = min(1.0, HEADROOM / peak) if peak > 0 else 1.0
        terms = "+".join(f"{w * gain:.3f}*c{i}" for i, w in weights.items())
        return ChannelPlan("centre", f"mono|c0={terms}", 1,
                           f"{len(names)}-channel audio with dialogue in the centre "
                           f"(FC {levels[fc]:.0f} dBFS); centre-weighted mix, LFE and "
                           f"surrounds left out")
    if not live:
        live = [max(range(len(levels)), key=lambda i: levels[i])]
    kept = ", ".join(names[i] for i in live)
    return ChannelPlan("active", _average(live), 1,
                       f"{len(names)}-channel audio without a live centre; averaged the "
                       f"channels that carry sound ({kept})")


def _average(channels) -> str:
    chosen = list(channels)
    w = 1.0 / len(chosen)
    return "mono|c0=" + "+".join(f"{w:.4f}*c{i}" for i in chosen)
