"""What a speaker model costs against the bundled encoder, in CPU seconds.

    M=$(.venv/bin/python -m benchmarks.realspeech.speaker_model)
    .venv/bin/python -m benchmarks.realspeech.speaker_cost "$M"            # per window
    .venv/bin/python -m benchmarks.realspeech.speaker_cost "$M" --diarizer # the whole diarizer

Per window: 200 windows of 1.5 s at a 0.75 s hop from the VoxConverse broadcast, embedded by
each model on one thread, three rounds alternated in one process, the least CPU of the three.
With --diarizer: the diarizer on the broadcast's kept transcript (speaker_variants.transcripts,
VAD onset 0.5), count given, three alternated rounds. CPU seconds, not wall clock: on a shared
machine the wall clock moves with the load; the ratio of CPU seconds does far less.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from benchmarks.realspeech.corpus import recordings
from symbl_media.media.voices.encoder import shared_encoder
from symbl_media.media.voices.onnx_model import OnnxSpeakerModel

BROADCAST = "voxconverse-aepyx"
ROUNDS = 3


def _least(runs: dict[str, list[float]]) -> dict[str, float]:
    return {name: min(cpu) for name, cpu in runs.items()}


def per_window(model: Path, windows: int = 200) -> dict[str, float]:
    (broadcast,) = recordings(None, (BROADCAST,))
    audio, rate = sf.read(broadcast.path, dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    size, hop = round(1.5 * rate), round(0.75 * rate)
    batch = np.stack([audio[s:s + size] for s in range(0, windows * hop, hop)])
    encoders = {"bundled": shared_encoder(), "model": OnnxSpeakerModel(model, threads=1)}
    for encoder in encoders.values():
        encoder.embed(batch[:8])  # warm up
    runs: dict[str, list[float]] = {name: [] for name in encoders}
    for _ in range(ROUNDS):
        for name, encoder in encoders.items():
            start = time.process_time()
            encoder.embed(batch)
            runs[name].append(time.process_time() - start)
    return {name: cpu / len(batch) for name, cpu in _least(runs).items()}


def diarizer(model: Path) -> dict[str, float]:
    from benchmarks.realspeech.speaker_variants import transcripts
    from symbl_media.server.engines import diarize

    with tempfile.TemporaryDirectory() as tmp:
        kept = transcripts(None, Path(tmp))
        recording, wav, segments = next(d for d in kept[0.5] if d[0].name == BROADCAST)
        makers = {"bundled": diarize.Diarizer, "model": lambda: diarize.Diarizer(speaker_model=model)}
        runs: dict[str, list[float]] = {name: [] for name in makers}
        for _ in range(ROUNDS):
            for name, make in makers.items():
                d = make()
                start = time.process_time()
                d.assign(wav, segments, recording.speakers)
                runs[name].append(time.process_time() - start)
    return _least(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="an ONNX speaker-model folder or file")
    parser.add_argument("--diarizer", action="store_true", help="time the whole diarizer, not windows")
    args = parser.parse_args(argv)
    if args.diarizer:
        least = diarizer(args.model)
        print(f"diarizer on {BROADCAST}: model {least['model']:.2f} s CPU, bundled {least['bundled']:.2f} s")
    else:
        least = {k: v * 1000 for k, v in per_window(args.model).items()}
        print(f"per 1.5 s window: model {least['model']:.1f} ms CPU, bundled {least['bundled']:.1f} ms")
    print(f"ratio {least['model'] / least['bundled']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
