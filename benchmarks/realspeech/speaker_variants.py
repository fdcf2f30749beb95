#!/usr/bin/env python3
"""Diarizer variants on real recordings, each tried on several transcripts of the same audio.

    .venv/bin/python -m benchmarks.realspeech.speaker_variants [--cache DIR] [--estimated]
                                                            [--speaker-model DIR]

On 30 s meeting excerpts a handful of words decides the score, so a change to the diarizer is
judged here on more than one transcript: the built-in transcriber's, and the same engine's
with Silero VAD's onset threshold at 0.3 and at 0.2 instead of 0.5 (a few words more or fewer,
moved a little: 57, 63 and 64 words on AMI tst00). A variant that only helps on one of them
fits those words, not the voices. Scoring is speakers.py's (attribution, count given unless
--estimated), in process: the Diarizer is called directly on the 16 kHz WAV the server would
make, with no HTTP. Transcripts are kept as speakers.py keeps them, one folder per threshold.

The variants are the ones tried for the four-person AMI excerpts (docs/benchmarks.md, "who
spoke when"): the shipped diarizer; a higher switch penalty; 2 s windows; and the embeddings
centred on the recording's mean, or projected on its first principal axes, before clustering.
With ``--speaker-model DIR`` the shipped diarizer is compared with the same diarizer on that
ONNX speaker model instead (speaker_model.py fetches CAM++), and the other variants are left out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.realspeech import speakers as bench
from benchmarks.realspeech.corpus import default_cache, recordings

THRESHOLDS = (0.5, 0.3, 0.2)  # 0.5 is the engine's (faster-whisper's default)
NAMES = ("phone-call", "ami-dev00", "ami-dev01", "ami-tst00", "ami-tst01",
         "voxconverse-aepyx", "joined-reader-jfk")


def transcripts(cache: Path | None, folder: Path):
    """{threshold: [(recording, wav, segments)]}, each transcript made once and kept."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from symbl_media.media.decode import to_recognition_wav
    from symbl_media.server.engines import speech, whisper
    from symbl_media.server.engines.whisper import WhisperTranscriber

    chosen = [r for r in recordings(cache) if r.turns]
    chosen.append(bench.joined_clips(cache, folder))
    wavs = []
    for r in chosen:
        wav = folder / f"{r.name}.16k.wav"
        to_recognition_wav(r.path, wav)
        wavs.append((r, wav))
    out = {}
    shipped = whisper.speech_spans
    for threshold in THRESHOLDS:
        def spans(audio, threshold=threshold):
            options = VadOptions(max_speech_duration_s=speech.WINDOW_SECONDS - 1,
                                 threshold=threshold)
            return [(s["start"], s["end"]) for s in get_speech_timestamps(audio, options)]

        whisper.speech_spans = shipped if threshold == 0.5 else spans
        kept = bench.KeptTranscriber(WhisperTranscriber(), (cache or default_cache())
                                     / "transcripts" / ("" if threshold == 0.5
                                                        else f"vad-{threshold}"))
        try:
            out[threshold] = [(r, wav, kept.transcribe(wav).segments) for r, wav in wavs]
        finally:
            whisper.speech_spans = shipped
    return out


def variants():
    """name -> a Diarizer factory."""
    from symbl_media.server.engines import diarize
    from symbl_media.server.engines.speaker_clusters import unit_rows

    class Transformed(diarize.Diarizer):
        """The shipped diarizer, its window embeddings transformed per recording first."""

        def __init__(self, transform, **kw) -> None:
            super().__init__(**kw)
            windows = self.spans.windows

            def transformed(wav, spans):
                found = windows(wav, spans)
                if len(found.embeddings) < 2:
                    return found
                return type(found)(transform(found.embeddings.astype(np.float64)),
                                   found.owners, found.starts, found.ends)

            self.spans.windows = transformed

    def centred(x):
        return unit_rows(x - x.mean(axis=0))

    def principal(x, keep=10):
        c = x - x.mean(axis=0)
        _, _, vt = np.linalg.svd(c, full_matrices=False)
        return unit_rows(c @ vt[:keep].T)

    return {
        "shipped": lambda: diarize.Diarizer(),
        "switch penalty 0.25": lambda: diarize.Diarizer(switch_penalty=0.25),
        "windows of 2 s": lambda: diarize.Diarizer(window=2.0),
        "centred embeddings": lambda: Transformed(centred),
        "10 principal axes": lambda: Transformed(principal),
    }


def attribution(diarizer, data, estimated: bool) -> dict[str, float]:
    scores, right, single = {}, 0.0, 0.0
    for r, wav, segments in data:
        out = diarizer.assign(wav, segments, None if estimated else r.speakers)
        messages = [{"words": [{"timeOffset": w.start, "duration": w.end - w.start,
                                "speakerTag": s.speaker} for w in s.words]} for s in out]
        found = bench.score(r.turns, bench.hypothesis(messages, 0.0, bench.BRIDGE_SECONDS),
                            bench.hypothesis(messages, 0.0, 0.0))
        scores[r.name] = found.attributed / found.single
        if r.kind != "joined":
            right, single = right + found.attributed, single + found.single
    scores["pooled, real"] = right / single
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--estimated", action="store_true", help="the count not given")
    parser.add_argument("--speaker-model", type=Path, default=None,
                        help="compare the shipped diarizer with this ONNX speaker model only")
    args = parser.parse_args(argv)
    chosen = variants()
    if args.speaker_model is not None:
        from symbl_media.server.engines import diarize
        chosen = {"shipped": chosen["shipped"],
                  f"model {args.speaker_model.name[:16]}":
                      lambda: diarize.Diarizer(speaker_model=args.speaker_model)}
    columns = (*NAMES, "pooled, real")
    with tempfile.TemporaryDirectory(prefix="realspeech-variants-") as tmp:
        sets = transcripts(args.cache, Path(tmp))
        print(f"{'variant':22} {'VAD':4} " + " ".join(f"{n[-9:]:>9}" for n in columns))
        for name, make in chosen.items():
            rows = []
            for threshold, data in sets.items():
                scores = attribution(make(), data, args.estimated)
                rows.append(scores)
                print(f"{name:22} {threshold:<4} "
                      + " ".join(f"{scores[n]:9.3f}" for n in columns), flush=True)
            print(f"{name:22} mean " + " ".join(
                f"{np.mean([s[n] for s in rows]):9.3f}" for n in columns), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
