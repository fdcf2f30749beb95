"""Ways of decoding tried against the engine as it is, alternated in one process.

    .venv/bin/python -m benchmarks.realspeech.variants [--rounds N] [--only NAME ...]
                                                       [VARIANT ...]

On a machine shared with other work, two runs of the report minutes apart are under
different loads; here every recording is transcribed by each variant in turn (the order
flipped from one recording to the next and from one round to the next), on one loaded
model, so each pair ran under the same load. Each variant changes the engine from outside
(a method or a module setting wrapped for the run), the engine's code is unchanged. Printed
per variant: WER pooled over the recordings with a transcript (as report.py), the quiet
copies apart, the longest repeat, and the CPU seconds of all the process's threads summed
over the recordings (each recording's least over the rounds). A variant that gives a
recording different words in two rounds is reported.

Variants:

- ``engine``: as it is;
- ``no-timestamps``: every window decoded without timestamp tokens (``<|notimestamps|>``
  in the prompt, as faster-whisper's batched pipeline does). No reading then ends with two
  timestamps, so none is continued;
- ``no-timestamps-sampling``: only the sampled rungs of the fallback (temperature > 0)
  without them: their timestamps are never used, as a sampled reading is not continued;
- ``sampler-2-threads``: the sampling model on two CTranslate2 threads (the engine before
  it was given one);
- ``one-sampler``: all five sampled candidates on one one-thread sampling model (the engine
  before the candidates were shared out between two, decoded at once).

Wall-clock seconds are printed beside the CPU seconds (each recording's least over the
rounds): on a shared machine they mostly measure the wait for a core.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.realspeech.corpus import recordings
from benchmarks.realspeech.report import QUIET_OF, quiet_variant
from benchmarks.realspeech.scoring import errors, longest_repeat
from symbl_media.media.decode import to_recognition_wav
from symbl_media.server.engines import decoding, whisper


def _untimed_prompt(decoder) -> list[int]:
    return decoder.model.get_prompt(decoder.tokenizer, [], without_timestamps=True)


@contextmanager
def no_timestamps(sampled_only: bool):
    generate = decoding.Decoder._generate

    def wrapped(self, encoded, windows, indices, temperature, **kwargs):
        if sampled_only and temperature == 0:
            return generate(self, encoded, windows, indices, temperature, **kwargs)
        timed, self.prompt = self.prompt, _untimed_prompt(self)
        try:
            return generate(self, encoded, windows, indices, temperature, **kwargs)
        finally:
            self.prompt = timed

    decoding.Decoder._generate = wrapped
    try:
        yield
    finally:
        decoding.Decoder._generate = generate


@contextmanager
def sampler_threads(n: int):
    kept = whisper.SAMPLER_THREADS
    whisper.SAMPLER_THREADS = n
    try:
        yield
    finally:
        whisper.SAMPLER_THREADS = kept


@contextmanager
def samplers(n: int):
    kept = decoding.SAMPLERS
    decoding.SAMPLERS = n
    try:
        yield
    finally:
        decoding.SAMPLERS = kept


@contextmanager
def unchanged():
    yield


VARIANTS = {
    "engine": unchanged,
    "no-timestamps": lambda: no_timestamps(sampled_only=False),
    "no-timestamps-sampling": lambda: no_timestamps(sampled_only=True),
    "sampler-2-threads": lambda: sampler_threads(2),
    "one-sampler": lambda: samplers(1),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("variants", nargs="*", default=["engine", "no-timestamps"],
                        choices=sorted(VARIANTS), metavar="VARIANT")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=None, help="only these recordings")
    parser.add_argument("--no-quiet", action="store_true", help="skip the quiet variants")
    args = parser.parse_args(argv)
    names = list(dict.fromkeys(args.variants))
    recs = recordings()
    if args.only:
        recs = [r for r in recs if r.name in args.only]
    engine = whisper.WhisperTranscriber()
    texts: dict[tuple[str, str], str] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    wall: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="realspeech-variants-") as tmp:
        work = Path(tmp)
        if not args.no_quiet:
            recs += [quiet_variant(r, work) for r in recs if r.name in QUIET_OF]
        wavs = {}
        for r in recs:
            wavs[r.name] = work / f"{r.name}.16k.wav"
            to_recognition_wav(r.path, wavs[r.name])
        (jfk,) = recordings(names=("jfk",))
        to_recognition_wav(jfk.path, work / "warm.wav")
        engine.transcribe(work / "warm.wav")
        for k in range(args.rounds):
            for i, r in enumerate(recs):
                order = names if (i + k) % 2 == 0 else names[::-1]
                for v in order:
                    with VARIANTS[v]():
                        began, clock = time.process_time(), time.perf_counter()
                        t = engine.transcribe(wavs[r.name])
                        spent = time.process_time() - began
                        wall.setdefault((v, r.name), []).append(time.perf_counter() - clock)
                    said = " ".join(s.text for s in t.segments)
                    if texts.setdefault((v, r.name), said) != said:
                        print(f"  {v}: {r.name} gave other words in round {k + 1}")
                    cpu.setdefault((v, r.name), []).append(spent)
                print(f"  {r.name:24} " + "  ".join(
                    f"{v} {cpu[v, r.name][-1]:5.2f} ({wall[v, r.name][-1]:5.2f} wall)"
                    for v in names), flush=True)
    for v in names:
        scored = [r for r in recs if r.reference and not r.name.startswith("quiet-")]
        quiet = [r for r in recs if r.reference and r.name.startswith("quiet-")]
        e = errors([r.reference for r in scored], [texts[v, r.name] for r in scored])
        q = errors([r.reference for r in quiet], [texts[v, r.name] for r in quiet])
        worst = max(recs, key=lambda r: longest_repeat(texts[v, r.name])[0])
        times, phrase = longest_repeat(texts[v, worst.name])
        spent = sum(min(cpu[v, r.name]) for r in recs)
        waited = sum(min(wall[v, r.name]) for r in recs)
        wrong = e.substitutions + e.deletions + e.insertions
        print(f"{v}: WER {e.wer:.4f} ({wrong} of {e.words} words), quiet {q.wer:.4f}, "
              f"longest repeat {times}x {phrase!r} ({worst.name}), CPU {spent:.2f} s, "
              f"wall {waited:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
