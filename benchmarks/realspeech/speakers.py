#!/usr/bin/env python3
"""Who spoke when, on real recordings, as the sandbox answers it over HTTP.

    .venv/bin/python -m benchmarks.realspeech.speakers [--cache DIR] [--speaker-model DIR]
                                                        [--json OUT] [names ...]

Each recording with published speaker turns (benchmarks/realspeech/corpus.py: the two-party
phone call, the AMI meeting excerpts, the VoxConverse broadcast), and one built here by joining
real clips of two different people, is posted to a sandbox on 127.0.0.1 with
``enableSpeakerDiarization``, once with ``diarizationSpeakerCount`` set to the true count and
once without; the messages come back with ``verbose=true`` and every word's ``speakerTag``.

Scores, per recording and pooled over time:

* attribution: the share of the reference speech that has exactly one speaker which is
  attributed to the right speaker, after the best one-to-one mapping of labels to speakers
  (Hungarian, on overlap time). What is attributed is the words' time: each word from its start
  to its end, joined to the next word of the same speaker across gaps up to 0.5 s (the
  diarizer's own stretch rule). Speech with no words counts as wrong. The "words only" column
  joins nothing.
* ceiling: the same attribution with every word the transcriber found given its true speaker
  (the reference turn it overlaps most): the most any diarizer could score on these words.
* DER: pyannote.metrics' diarization error rate (no collar, overlapping speech scored), with
  the same hypothesis.
* time: the job's wall time and the diarizer's share of it. Transcripts are kept on disk
  (KeptTranscriber), so a job's time is mostly the diarizer's once a recording was transcribed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from benchmarks.realspeech.corpus import Recording, Turn, recordings

BRIDGE_SECONDS = 0.5
STEP = 0.01  # seconds per frame when comparing turns
JOIN_GAP = 0.4  # silence between the joined clips


@dataclass(frozen=True)
class Score:
    attributed: float  # seconds of single-speaker reference speech given to the right speaker
    single: float  # seconds of single-speaker reference speech
    strict: float  # the same as ``attributed``, words only, nothing joined
    der: float
    speakers: int  # how many labels came back


def joined_clips(cache: Path | None, folder: Path) -> Recording:
    """LibriVox reader, JFK, the reader again: real clips of two people, joined with pauses."""
    names = ("librivox-0870", "jfk", "librivox-0890", "librivox-0920")
    clips = {r.name: r for r in recordings(cache, names)}
    rate = 16000
    parts, turns, clock = [], [], 0.0
    for name in names:
        audio, sr = sf.read(str(clips[name].path), dtype="float32", always_2d=True)
        if sr != rate:
            raise RuntimeError(f"{name}: expected {rate} Hz, got {sr}")
        mono = audio.mean(axis=1)
        who = "jfk" if name == "jfk" else "reader"
        if turns and turns[-1].speaker == who:
            turns[-1] = Turn(turns[-1].start, clock + len(mono) / rate, who)
        else:
            turns.append(Turn(clock, clock + len(mono) / rate, who))
        gap = np.zeros(round(JOIN_GAP * rate), np.float32)
        parts += [mono, gap]
        clock += (len(mono) + len(gap)) / rate
    path = folder / "joined-reader-jfk.wav"
    sf.write(str(path), np.concatenate(parts), rate, subtype="PCM_16")
    return Recording("joined-reader-jfk", "joined", path, None, tuple(turns),
                     "joined: " + ", ".join(names), "public domain")


def hypothesis(messages: list[dict], origin: float, bridge: float) -> list[Turn]:
    """Each word's time under its speakerTag, joined across gaps up to ``bridge`` seconds."""
    words = sorted(((w["timeOffset"] if "timeOffset" in w else _seconds(w, origin)),
                    w.get("duration"), w) for m in messages for w in m.get("words", []))
    turns: list[Turn] = []
    for start, duration, w in words:
        end = start + (duration if duration is not None else 0.0)
        tag = str(w.get("speakerTag", "none"))
        if turns and turns[-1].speaker == tag and start - turns[-1].end <= bridge:
            turns[-1] = Turn(turns[-1].start, max(end, turns[-1].end), tag)
        else:
            turns.append(Turn(start, end, tag))
    return turns


def true_speakers(reference: tuple[Turn, ...], messages: list[dict]) -> list[dict]:
    """The same words, each tagged with the reference speaker it overlaps most (the nearest
    turn when it overlaps none): what a perfect diarizer would answer given these words. Its
    score is the ceiling the transcript sets, since speech without words counts as wrong."""
    tagged = []
    for m in messages:
        words = []
        for w in m.get("words", []):
            start = w["timeOffset"]
            end = start + (w.get("duration") or 0.0)
            best = max(reference, key=lambda t: (min(t.end, end) - max(t.start, start),
                                                 -min(abs(t.start - end), abs(start - t.end))))
            words.append({**w, "speakerTag": best.speaker})
        tagged.append({**m, "words": words})
    return tagged


def _seconds(word: dict, origin: float) -> float:
    from datetime import datetime

    return datetime.fromisoformat(word["startTime"].replace("Z", "+00:00")).timestamp() - origin


def score(reference: tuple[Turn, ...], found: list[Turn], strict: list[Turn]) -> Score:
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate
    from scipy.optimize import linear_sum_assignment

    length = max(t.end for t in (*reference, *found, *strict)) + 1.0
    names = sorted({t.speaker for t in reference})
    ref = _frames(reference, names, length)
    single = ref.sum(axis=0) == 1
    who = ref.argmax(axis=0)

    def right(turns: list[Turn]) -> float:
        labels = sorted({t.speaker for t in turns})
        if not labels:
            return 0.0
        hyp = _frames(turns, labels, length)
        overlap = np.array([[np.sum(single & (who == i) & hyp[j]) for j in range(len(labels))]
                            for i in range(len(names))])
        rows, cols = linear_sum_assignment(-overlap)
        return float(overlap[rows, cols].sum()) * STEP

    truth, guess = Annotation(), Annotation()
    for t in reference:
        truth[Segment(t.start, t.end)] = t.speaker
    for t in found:
        guess[Segment(t.start, t.end)] = t.speaker
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "uem was approximated": the union is what we want
        der = float(DiarizationErrorRate()(truth, guess))
    return Score(right(found), float(single.sum()) * STEP, right(strict), der,
                 len({t.speaker for t in found}))


def _frames(turns, labels: list[str], length: float) -> np.ndarray:
    grid = np.zeros((len(labels), int(np.ceil(length / STEP))), dtype=bool)
    for t in turns:
        grid[labels.index(t.speaker), int(round(t.start / STEP)):int(round(t.end / STEP))] = True
    return grid


def run(client, recording: Recording, count: int | None) -> tuple[list[dict], float]:
    query = {"enableSpeakerDiarization": "true"}
    if count is not None:
        query["diarizationSpeakerCount"] = str(count)
    began = time.perf_counter()
    reply = client.post("/v1/process/audio", data=recording.path.read_bytes(), params=query)
    reply.raise_for_status()
    ids = reply.json()
    status = client.wait(ids["jobId"], timeout=1800)
    took = time.perf_counter() - began
    if status != "completed":
        raise RuntimeError(f"{recording.name}: the job ended {status}")
    messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages",
                          params={"verbose": "true"}).json()["messages"]
    return messages, took


class KeptTranscriber:
    """The sandbox's transcriber, its transcripts kept on disk by the audio's and the engine's
    code's SHA-256: the count-given and count-estimated rounds (and a baseline run of an older
    checkout with the same transcriber) transcribe each recording once. Speakers are what is
    measured here; benchmarks for the words time the transcriber itself.

    The code is every module of the engine's package that the transcriber's words depend on
    (whisper.py, and speech.py's VAD and decoding.py's thresholds beside it): hashing only the
    class's own module kept transcripts made before a change to the VAD or the fallback."""

    def __init__(self, inner, folder: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.folder = folder
        self.code = transcriber_code(type(inner).__module__)

    def check_language(self, code: str) -> None:
        self.inner.check_language(code)

    def transcribe(self, wav, **options):
        from symbl_media.server.model import Segment, Transcript, Word

        digest = hashlib.sha256(Path(wav).read_bytes()).hexdigest()[:32]
        kept = self.folder / f"{digest}-{self.code}.json"
        if kept.is_file():
            raw = json.loads(kept.read_text())
            return Transcript(tuple(Segment(s["text"], s["start"], s["end"],
                                            tuple(Word(*w) for w in s["words"]))
                                    for s in raw["segments"]), raw["duration"], raw["engine"])
        found = self.inner.transcribe(wav, **options)
        self.folder.mkdir(parents=True, exist_ok=True)
        kept.write_text(json.dumps({
            "engine": found.engine, "duration": found.duration,
            "segments": [{"text": s.text, "start": s.start, "end": s.end,
                          "words": [[w.text, w.start, w.end, w.score] for w in s.words]}
                         for s in found.segments]}))
        return found


def transcriber_code(module: str) -> str:
    """A short SHA-256 of the transcriber's module and the engine modules it uses (those of
    its package that it imports), so a change to any of them transcribes again."""
    import inspect

    main = sys.modules[module]
    package = module.rpartition(".")[0] + "."
    used = sorted({m.__name__ for m in vars(main).values()
                   if inspect.ismodule(m) and m.__name__.startswith(package)}
                  | {o.__module__ for o in vars(main).values()
                     if (inspect.isclass(o) or inspect.isfunction(o))
                     and getattr(o, "__module__", "").startswith(package)})
    digest = hashlib.sha256()
    for name in [module, *[n for n in used if n != module]]:
        digest.update(inspect.getsource(sys.modules[name]).encode())
    return digest.hexdigest()[:16]


class TimedDiarizer:
    """The sandbox's diarizer, with the time it spends kept (the rest is transcription)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds = 0.0

    def assign(self, wav, segments, speakers):
        began = time.perf_counter()
        try:
            return self.inner.assign(wav, segments, speakers)
        finally:
            self.seconds += time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--speaker-model", type=Path, default=None,
                        help="an ONNX speaker model folder to use instead of the voice encoder")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)

    from symbl_media.server.engines.diarize import Diarizer
    from symbl_media.testing import running_sandbox

    with tempfile.TemporaryDirectory(prefix="realspeech-speakers-") as tmp:
        folder = Path(tmp)
        chosen = [r for r in recordings(args.cache) if r.turns]
        chosen.append(joined_clips(args.cache, folder))
        if args.names:
            chosen = [r for r in chosen if r.name in args.names]
        # Only with a model given, so the script also measures older checkouts (--baseline run).
        model = {"speaker_model": args.speaker_model} if args.speaker_model else {}
        diarizer = TimedDiarizer(Diarizer(**model))
        rows = []
        from benchmarks.realspeech.corpus import default_cache
        from symbl_media.server.engines.whisper import WhisperTranscriber

        transcriber = KeptTranscriber(WhisperTranscriber(),
                                      (args.cache or default_cache()) / "transcripts")
        with running_sandbox(folder / "sandbox", diarizer=diarizer,
                             transcriber=transcriber) as sandbox:
            client = sandbox.client()
            for mode in ("given", "estimated"):
                for recording in chosen:
                    count = recording.speakers if mode == "given" else None
                    before = diarizer.seconds
                    messages, took = run(client, recording, count)
                    found = score(recording.turns, hypothesis(messages, 0.0, BRIDGE_SECONDS),
                                  hypothesis(messages, 0.0, 0.0))
                    perfect = true_speakers(recording.turns, messages)
                    ceiling = score(recording.turns, hypothesis(perfect, 0.0, BRIDGE_SECONDS),
                                    hypothesis(perfect, 0.0, 0.0))
                    duration = sf.info(str(recording.path)).duration
                    rows.append({"recording": recording.name, "kind": recording.kind,
                                 "count": mode, "speakers": recording.speakers,
                                 "labels": found.speakers,
                                 "attribution": found.attributed / found.single,
                                 "words_only": found.strict / found.single,
                                 "der": found.der, "single_seconds": found.single,
                                 "attributed_seconds": found.attributed,
                                 "strict_seconds": found.strict,
                                 "ceiling": ceiling.attributed / ceiling.single,
                                 "ceiling_seconds": ceiling.attributed,
                                 "words": sum(len(m.get("words", [])) for m in messages),
                                 "job_seconds": took, "audio_seconds": duration,
                                 "diarizer_seconds": diarizer.seconds - before})
                    print(_line(rows[-1]), flush=True)
        for mode in ("given", "estimated"):
            mine = [r for r in rows if r["count"] == mode]
            real = [r for r in mine if r["kind"] != "joined"]
            for label, group in (("pooled, real", real), ("pooled, all", mine)):
                single = sum(r["single_seconds"] for r in group)
                print(f"{label:22} {mode:9} attribution "
                      f"{sum(r['attributed_seconds'] for r in group) / single:.3f} "
                      f"(words only {sum(r['strict_seconds'] for r in group) / single:.3f}; "
                      f"ceiling {sum(r['ceiling_seconds'] for r in group) / single:.3f})")
        print(f"diarizer: {diarizer.name}")
        if args.json:
            args.json.write_text(json.dumps({"diarizer": diarizer.name, "rows": rows}, indent=1))
    return 0


def _line(r: dict) -> str:
    return (f"{r['recording']:20} {r['count']:9} speakers {r['speakers']} labels {r['labels']}  "
            f"attribution {r['attribution']:.3f} (words only {r['words_only']:.3f}; "
            f"ceiling {r['ceiling']:.3f}, {r['words']} words)  "
            f"DER {r['der']:.3f}  job {r['job_seconds']:.1f} s for {r['audio_seconds']:.1f} s "
            f"(diarizer {r['diarizer_seconds']:.1f} s)")


if __name__ == "__main__":
    sys.exit(main())
