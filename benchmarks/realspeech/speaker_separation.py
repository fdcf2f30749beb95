#!/usr/bin/env python3
"""How well a speaker encoder tells the people in a real recording apart, without a diarizer.

    .venv/bin/python -m benchmarks.realspeech.speaker_separation [--cache DIR]
                                                [--speaker-model DIR ...] [names ...]

For each recording with published turns (corpus.py: the phone call, the AMI excerpts, the
VoxConverse broadcast), 1.5 s windows at a 0.75 s hop are cut from the stretches where exactly
one person speaks, and every pair of windows of the recording is compared by the cosine of
their embeddings. Per recording: the mean cosine of same-speaker and of different-speaker
pairs, and the equal error rate of telling them apart with one threshold (lower is better;
0.5 is chance); the mean is over the recordings where two people or more have a window. The
bundled encoder is always measured; each ``--speaker-model`` too. The clustering, smoothing
and transcript play no part, so this isolates the encoder; it also shows where a cosine threshold tuned for one encoder (the count estimate's) sits for another.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from benchmarks.realspeech.corpus import Recording, recordings

WINDOW = 1.5  # seconds, the diarizer's window
HOP = 0.75


def single_speaker_windows(rec: Recording) -> tuple[np.ndarray, list[str]]:
    """(n, samples) windows lying wholly inside one person's speech, and whose each is."""
    audio, rate = sf.read(rec.path, dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    turns = rec.turns or ()
    size, hop = round(WINDOW * rate), round(HOP * rate)
    windows, who = [], []
    for start in range(0, len(audio) - size + 1, hop):
        t0, t1 = start / rate, (start + size) / rate
        covering = {t.speaker for t in turns if t.start <= t0 and t.end >= t1}
        touching = {t.speaker for t in turns if t.start < t1 and t.end > t0}
        if len(covering) == 1 and touching == covering:
            windows.append(audio[start:start + size])
            who.append(covering.pop())
    return (np.stack(windows) if windows else np.zeros((0, size), np.float32)), who


def equal_error_rate(same: np.ndarray, different: np.ndarray) -> float:
    """The error rate where wrongly accepted different-speaker pairs equal wrongly rejected
    same-speaker pairs, over all thresholds."""
    scores = np.concatenate([same, different])
    is_same = np.concatenate([np.ones(len(same)), np.zeros(len(different))])
    order = np.argsort(-scores, kind="stable")
    accepted_same = np.cumsum(is_same[order]) / max(len(same), 1)
    accepted_diff = np.cumsum(1 - is_same[order]) / max(len(different), 1)
    miss, false_alarm = 1 - accepted_same, accepted_diff
    i = int(np.argmin(np.abs(miss - false_alarm)))
    return float((miss[i] + false_alarm[i]) / 2)


def separation(encoder, windows: np.ndarray, who: list[str]) -> dict[str, float]:
    emb = encoder.embed(windows)
    sims = emb @ emb.T
    labels = np.array(who)
    upper = np.triu_indices(len(who), k=1)
    same_mask = (labels[:, None] == labels[None, :])[upper]
    pairs = sims[upper]
    same, different = pairs[same_mask], pairs[~same_mask]
    return {"windows": len(who), "same": float(same.mean()), "different": float(different.mean()),
            "eer": equal_error_rate(same, different)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--speaker-model", type=Path, action="append", default=[])
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    from symbl_media.media.voices.encoder import shared_encoder
    from symbl_media.media.voices.onnx_model import check_speaker_model
    encoders = [("bundled encoder", shared_encoder())]
    encoders += [(str(p), check_speaker_model(p)) for p in args.speaker_model]
    chosen = [r for r in recordings(args.cache, tuple(args.names) or None)
              if r.turns and r.speakers and r.speakers > 1]
    pooled: dict[str, list[float]] = {name: [] for name, _ in encoders}
    for rec in chosen:
        windows, who = single_speaker_windows(rec)
        if len(set(who)) < 2:  # tst01: only one person has 1.5 s to themselves
            print(f"{rec.name:18} {len(who)} windows of {len(set(who))} speaker(s): no pairs "
                  "of different speakers to compare")
            continue
        for name, encoder in encoders:
            began = time.process_time()
            s = separation(encoder, windows, who)
            cpu = time.process_time() - began
            pooled[name].append(s["eer"])
            print(f"{rec.name:18} {name[-28:]:28} {s['windows']:4} windows  same {s['same']:.3f}"
                  f"  different {s['different']:.3f}  EER {s['eer']:.3f}  cpu {cpu:.1f} s",
                  flush=True)
    for name, eers in pooled.items():
        print(f"{'mean EER':18} {name[-28:]:28} {np.mean(eers):.3f} over {len(eers)} recordings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
