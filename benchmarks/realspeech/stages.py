"""Where the built-in engine's time goes, stage by stage, on corpus recordings.

    .venv/bin/python -m benchmarks.realspeech.stages [NAME ...]

Each stage's function is wrapped with a timer (the engine itself is unchanged), the model is
warmed on jfk, then the recordings are transcribed one after the other. Each stage gets its
wall-clock seconds and its CPU seconds (all the process's threads): on a shared machine the
first mostly measures waiting for a core, the second the work. Default: the five
LibriVox clips, jfk, the phone call and ami-tst01 (the one whose windows fall back).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.realspeech.corpus import recordings
from symbl_media.media.decode import to_recognition_wav
from symbl_media.server.engines import (
    decoding,
    whisper,
)

DEFAULT = ("librivox-0870", "librivox-0880", "librivox-0890", "librivox-0920",
           "librivox-0930", "jfk", "phone-call", "ami-tst01")
SECONDS: Counter = Counter()
CPU: Counter = Counter()
CALLS: Counter = Counter()


def _timed(owner, name: str, label: str) -> None:
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        began, cpu = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            SECONDS[label] += time.perf_counter() - began
            CPU[label] += time.process_time() - cpu
            CALLS[label] += 1

    setattr(owner, name, wrapper)


def main(argv: list[str]) -> int:
    for owner, name, label in [
            (whisper, "find_silences", "pause finding (whole file)"),
            (whisper, "normalise_level", "level normalisation"),
            (whisper, "speech_spans", "Silero VAD"),
            (whisper, "_sampler", "loading the sampling model"),
            (decoding.Decoder, "_encode", "features + encoder"),
            (decoding.Decoder, "_generate", "decoding (all temperatures)"),
            (decoding.Decoder, "_timed", "word alignment")]:
        _timed(owner, name, label)
    names = tuple(argv) or DEFAULT
    work = Path(tempfile.mkdtemp())
    wavs = {}
    for r in recordings(names=tuple({*names, "jfk"})):
        wavs[r.name] = work / f"{r.name}.wav"
        to_recognition_wav(r.path, wavs[r.name])
    engine = whisper.WhisperTranscriber()
    engine.transcribe(wavs["jfk"])
    SECONDS.clear()
    CPU.clear()
    CALLS.clear()
    total, total_cpu, audio = 0.0, 0.0, 0.0
    for name in names:
        began, cpu = time.perf_counter(), time.process_time()
        t = engine.transcribe(wavs[name])
        spent, cpu = time.perf_counter() - began, time.process_time() - cpu
        total, total_cpu, audio = total + spent, total_cpu + cpu, audio + t.duration
        print(f"{name:16} {t.duration:6.1f} s audio  {spent:5.2f} s  {cpu:5.2f} s CPU")
    print(f"{'all':16} {audio:6.1f} s audio  {total:5.2f} s  {total_cpu:5.2f} s CPU  "
          f"(load average {os.getloadavg()[0]:.1f})")
    for label, seconds in SECONDS.most_common():
        print(f"  {label:30} {seconds:5.2f} s  {CPU[label]:5.2f} s CPU ({CALLS[label]} calls, "
              f"{100 * CPU[label] / total_cpu:.0f} % of the CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
