"""The speaker-count estimate's two thresholds for a speaker model, from audio outside the benchmark.

    .venv/bin/python -m benchmarks.realspeech.speaker_count_calibration [--speaker-model DIR]

The estimate (speaker_clusters.estimate_speakers) says "one voice" when the windows' mean
cosine to their mean direction is above ``single_speaker_spread``, and stops adding speakers
when two k-means centres are closer than ``distinct_centres``. Both are cosines of the model's
vectors, so each model needs its own. They are set here the way the bundled encoder's were
(docs/sandbox-diarization.md): on voices whose identity is known, each threshold half-way
between what one voice gives and what two voices give.

The voices, none of them from the speaker benchmark's recordings:
- the five espeak-ng voices the synthetic sets use (en-us+m3, f2, m7, f4, klatt), 12 lines
  each;
- one real reader from pocketsphinx 5.1.1's test data: the LibriVox reader, its five Sense
  and Sensibility clips joined (25 s). The same clips feed the WER table and the reader half
  of the "reader + JFK" line of the speaker tables, which is not pooled with the real
  recordings. The package's other speech is no second reader to set against it: its other
  clips are 2-6 s long, and ``test/regression/chan3.wav`` splits in two by k-means at cosine
  0.21, so it is not one known voice.

Measured on 1.5 s windows at the diarizer's 0.25 s hop, speech only (windows at least a tenth
of the recording's loud-window level):
- spread: each voice alone (mean cosine to its centre), against every pair of voices joined;
- centres: each voice split in two by k-means (cosine between the halves' centres), against
  the centres of every pair of different voices.
``single_speaker_spread`` is half-way between the lowest single voice and the highest pair;
``distinct_centres`` half-way between the lowest split voice and the closest pair. Where the
two sides overlap, the midpoint is still printed, with the overlap.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.realspeech.corpus import POCKETSPHINX, default_cache, fetch

ESPEAK_VOICES = ("en-us+m3", "en-us+f2", "en-us+m7", "en-us+f4", "en-us+klatt")
LINES = (
    "Good morning everyone, let's review the launch plan.",
    "The beta is ready, but three of the tests still fail.",
    "Can we still ship the release on Monday?",
    "Yes, if I can fix the failing tests today.",
    "Please send the budget report to finance by Friday.",
    "Sure, I will send it tomorrow before lunch.",
    "What did the customers say about the new pricing?",
    "Most of them liked it, a few asked for a discount.",
    "Let's schedule a call with the largest accounts next week.",
    "I can set that up and share the invitation.",
    "Does anyone have questions before we wrap up?",
    "No questions from me, thanks for the update.",
)
LIBRIVOX = [f"pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-{n}.wav"
            for n in ("0870", "0880", "0890", "0920", "0930")]
RATE = 16000
WINDOW, HOP = 1.5, 0.25
QUIET = 0.1  # of the 90th percentile window RMS: pauses are not a voice


def _decode(data: bytes) -> np.ndarray:
    """Any audio ffmpeg reads, as 16 kHz mono float32."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", "pipe:0", "-ar", str(RATE),
                          "-ac", "1", "-f", "f32le", "pipe:1"], input=data, check=True,
                         capture_output=True).stdout
    return np.frombuffer(out, dtype=np.float32)


def espeak(voice: str, folder: Path) -> np.ndarray:
    parts = []
    for i, line in enumerate(LINES):
        path = folder / f"{voice}-{i}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), line], check=True,
                       capture_output=True)
        parts += [_decode(path.read_bytes()), np.zeros(int(0.3 * RATE), np.float32)]
    return np.concatenate(parts)


def readers(cache: Path) -> dict[str, np.ndarray]:
    sdist = fetch(POCKETSPHINX, cache / "packages")
    with tarfile.open(sdist) as tar:
        def joined(members):
            return np.concatenate([_decode(tar.extractfile(m).read()) for m in members])
        return {"LibriVox reader": joined(LIBRIVOX)}


def windows(audio: np.ndarray) -> np.ndarray:
    size, hop = int(WINDOW * RATE), int(HOP * RATE)
    starts = range(0, max(len(audio) - size, 0) + 1, hop)
    frames = np.stack([audio[s:s + size] for s in starts])
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    return frames[rms >= QUIET * np.percentile(rms, 90)]


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def spread(x: np.ndarray) -> float:
    return float(np.mean(x @ _unit(x.mean(axis=0))))


def measure(vectors: dict[str, np.ndarray]) -> dict[str, list[tuple[str, float]]]:
    from symbl_media.server.engines.speaker_clusters import spherical_kmeans
    out = {"single": [], "pair": [], "split": [], "centres": []}
    for name, x in vectors.items():
        out["single"].append((name, spread(x)))
        labels = spherical_kmeans(x, 2)
        halves = [_unit(x[labels == j].mean(axis=0)) for j in (0, 1)]
        out["split"].append((name, float(halves[0] @ halves[1])))
    for (a, xa), (b, xb) in itertools.combinations(vectors.items(), 2):
        n = min(len(xa), len(xb))  # equal time for each voice
        out["pair"].append((f"{a} + {b}", spread(np.concatenate([xa[:n], xb[:n]]))))
        out["centres"].append((f"{a} / {b}", float(_unit(xa.mean(0)) @ _unit(xb.mean(0)))))
    return out


def thresholds(found: dict[str, list[tuple[str, float]]]) -> dict[str, tuple[float, float, float]]:
    """(one-voice boundary, two-voice boundary, midpoint) for each threshold."""
    single = min(v for _, v in found["single"])
    pair = max(v for _, v in found["pair"])
    split = min(v for _, v in found["split"])
    centres = max(v for _, v in found["centres"])
    return {"single_speaker_spread": (single, pair, (single + pair) / 2),
            "distinct_centres": (split, centres, (split + centres) / 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speaker-model", type=Path, default=None,
                        help="an ONNX speaker model (default: the bundled encoder)")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    from symbl_media.media.voices import VoiceEncoder
    from symbl_media.media.voices.onnx_model import OnnxSpeakerModel
    encoder = OnnxSpeakerModel(args.speaker_model) if args.speaker_model else VoiceEncoder()
    cache = args.cache or default_cache()
    with tempfile.TemporaryDirectory() as tmp:
        audio = {v: espeak(v, Path(tmp)) for v in ESPEAK_VOICES}
    audio.update(readers(cache))
    vectors = {name: encoder.embed(windows(a)).astype(np.float64) for name, a in audio.items()}
    found = measure(vectors)
    for kind, rows in found.items():
        print(f"{kind}:")
        for name, value in sorted(rows, key=lambda r: r[1]):
            print(f"  {value:6.3f}  {name}  ({len(vectors.get(name, ()))} windows)"
                  if name in vectors else f"  {value:6.3f}  {name}")
    for key, (one, two, mid) in thresholds(found).items():
        gap = "gap" if (one > two) else "OVERLAP"
        print(f"{key}: one voice >= {one:.3f}, two voices <= {two:.3f} ({gap}); "
              f"midpoint {mid:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
