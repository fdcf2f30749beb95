"""The built-in pre-processors, registered like any plugin's: loudnorm, highpass, denoise, trim.

Each turns its options into an ffmpeg audio filter chain that ``prepare`` folds into its one
ffmpeg pass (after the channel mix, before resampling and encoding). Every chain streams:
memory stays flat however long the recording is.
"""

from __future__ import annotations

import math

from symbl_media.plugins.hookspecs import hookimpl
from symbl_media.plugins.types import Preprocessor


def _number(params: dict[str, str], key: str, default: str, lo: float, hi: float,
            unit: str = "") -> float:
    text = params.get(key, default)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"option {key} must be a number, not {text!r}") from None
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(f"option {key} must be between {lo:g} and {hi:g}{unit}, not {text}")
    return value


# ----------------------------------------------------------------------------- loudnorm

LOUDNORM = {"i": "-23", "tp": "-2", "lra": "11"}


def _loudnorm(params: dict[str, str]) -> str:
    i = _number(params, "i", LOUDNORM["i"], -70, -5, " LUFS")
    tp = _number(params, "tp", LOUDNORM["tp"], -9, 0, " dBTP")
    lra = _number(params, "lra", LOUDNORM["lra"], 1, 50, " LU")
    # Single pass (dynamic mode): no first pass over the whole file to measure it. loudnorm
    # works and outputs at 192 kHz; bring it back down at once so that whatever follows in the
    # chain (afftdn above all) does not run at four times the rate it needs. aformat, not
    # aresample=48000: ffmpeg 5.1 cannot negotiate the channel layout of an explicit
    # aresample after loudnorm when the source has none (a plain mono WAV), and refuses.
    return f"loudnorm=I={i:g}:TP={tp:g}:LRA={lra:g},aformat=sample_rates=48000"


# ----------------------------------------------------------------------------- highpass

HIGHPASS = {"f": "80", "order": "6"}


def _highpass(params: dict[str, str]) -> str:
    f = _number(params, "f", HIGHPASS["f"], 10, 1000, " Hz")
    order = _number(params, "order", HIGHPASS["order"], 2, 8)
    if order not in (2, 4, 6, 8):
        raise ValueError(f"option order must be 2, 4, 6 or 8, not {params['order']}")
    # ffmpeg's highpass is one 2-pole section (12 dB/octave): at f=80 it takes only about
    # 9 dB off 50 Hz mains hum. A Butterworth filter of order n is n/2 such sections with
    # these Qs; order 6 takes 24 dB off 50 Hz and is flat (-3 dB at f) from f upwards.
    n = int(order)
    qs = [1 / (2 * math.sin((2 * k - 1) * math.pi / (2 * n))) for k in range(1, n // 2 + 1)]
    return ",".join(f"highpass=f={f:g}:p=2:t=q:w={q:.4f}" for q in qs)


# ----------------------------------------------------------------------------- denoise

DENOISE = {"nr": "12", "nf": "-45"}


def _denoise(params: dict[str, str]) -> str:
    nr = _number(params, "nr", DENOISE["nr"], 0.01, 97, " dB")
    nf = _number(params, "nf", DENOISE["nf"], -80, -20, " dB")
    # afftdn with a fixed white-noise profile at nf: reduces what lies at or below that floor
    # by up to nr dB. 12 dB is gentle enough not to colour speech (recognisers cope with some
    # noise much better than with musical-noise artefacts); -45 suits a typical room or
    # laptop microphone. Set nf near the recording's own floor for a stronger effect.
    return f"afftdn=nr={nr:g}:nf={nf:g}"


# ----------------------------------------------------------------------------- trim

TRIM = {"threshold": "-50", "pad": "0.1"}


def _trim_settings(params: dict[str, str]) -> tuple[float, float]:
    return (_number(params, "threshold", TRIM["threshold"], -90, -10, " dBFS"),
            _number(params, "pad", TRIM["pad"], 0, 5, " s"))


def _trim_measure(params: dict[str, str], source) -> dict[str, str]:
    """Where the sound starts and ends, measured before the pass (see _trim)."""
    from symbl_media.media.silence import sound_span

    threshold, pad = _trim_settings(params)
    span = sound_span(source, threshold)
    if span is None:
        return {"sound": "none"}  # all silence: nothing is cut (an empty file helps nobody)
    start = max(0.0, span[0] - pad)
    end = span[1] + pad
    if source.duration is not None:
        end = min(end, source.duration)
    return {"start": f"{start:.3f}", "end": f"{end:.3f}"}


def _trim(params: dict[str, str]) -> str:
    # Leading silence could be dropped while streaming (silenceremove's start_periods), but
    # trailing silence cannot: the filter would have to know that no sound follows. The
    # usual recipe, areverse + silenceremove + areverse, holds the whole recording in memory;
    # silenceremove's stop_periods=-1 streams but removes every long pause in the middle too
    # (and stop_periods=1 drops everything after the first one), and its semantics changed
    # between ffmpeg releases. So both ends are measured before the pass (_trim_measure:
    # the start read until the first sound, the end read backwards in growing windows, both
    # streaming) and cut with atrim, which streams and leaves the middle untouched. Times are
    # counted in samples from the first one that reaches this step (a time base of one sample,
    # then each frame's timestamp is the samples before it, N), not from the container's
    # timestamps: Matroska's are whole milliseconds, so each frame's jitters and atrim cut a
    # few samples off where the split pass (which reads the samples through a pipe, with
    # exact timestamps of its own) cuts. Not N/SR/TB: that float truncates to N-1 at times.
    _trim_settings(params)
    if "start" not in params:
        return ""  # not measured yet (checking options), or no sound at all: nothing to cut
    start, end = float(params["start"]), float(params["end"])
    return (f"asettb=1/sr,asetpts=N,atrim=start={start:.3f}:end={end:.3f},"
            f"asetpts=PTS-STARTPTS")


@hookimpl
def register_preprocessors(register):
    register(Preprocessor(
        "loudnorm", _loudnorm,
        "EBU R128 loudness normalisation, single pass: i = integrated loudness target "
        "(LUFS, -70..-5), tp = true-peak ceiling (dBTP, -9..0), lra = loudness range (LU, "
        "1..50)", dict(LOUDNORM)))
    register(Preprocessor(
        "highpass", _highpass,
        "cut rumble and mains hum below f Hz (10..1000) with a Butterworth high-pass of "
        "order 2, 4, 6 or 8 (12 dB/octave per 2)", dict(HIGHPASS)))
    register(Preprocessor(
        "denoise", _denoise,
        "FFT noise reduction (afftdn) of a steady noise floor: nr = reduction (dB, "
        "0.01..97), nf = the floor's level (dB, -80..-20)", dict(DENOISE)))
    register(Preprocessor(
        "trim", _trim,
        "cut leading and trailing silence: sound is 20 ms RMS at or above threshold (dBFS, "
        "-90..-10); pad seconds (0..5) of the silence are kept at each end",
        dict(TRIM), measure=_trim_measure, changes_length=True))
