"""What a whisper model folder costs and gains: word error rate, realtime factor and peak
memory of the sandbox's built-in engine with one model, on recordings with a reference text.

    .venv/bin/python benchmarks/bench_whisper_models.py                        # tiny.en
    .venv/bin/python benchmarks/bench_whisper_models.py --model ~/models/whisper-base \
        samples/mono-16k.wav=samples/transcript.txt /tmp/jfk.wav=/tmp/jfk.txt
    .venv/bin/python benchmarks/bench_whisper_models.py --endpoint http://127.0.0.1:8000/v1

``--endpoint URL`` measures the ``openai`` engine against an OpenAI-compatible server instead
(its own CPU time is not counted: it is another process).

Run it once per model (peak RSS is the process's own). A reference is plain text, or
``SPEAKER: text`` lines (samples/transcript.txt). WER uses the normaliser of
tests/server/test_transcribe.py (lowercase, punctuation stripped, hyphens split, 0-20 spelt
out), so figures compare with docs/sandbox-engines.md's; pooled WER weighs each file by its
reference words. Results: docs/sandbox-engines.md ("Choosing a model").
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "server"))

from test_transcribe import word_error_rate, words_of  # noqa: E402

from symbl_media.media.decode import to_recognition_wav  # noqa: E402
from symbl_media.server.engines.openai_speech import OpenAITranscriber  # noqa: E402
from symbl_media.server.engines.settings import Endpoint  # noqa: E402
from symbl_media.server.engines.whisper import WhisperTranscriber  # noqa: E402


def reference_text(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and all(":" in line for line in lines if line.strip()):
        return " ".join(line.split(":", 1)[1] for line in lines if ":" in line)
    return " ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="model folder (default tiny.en)")
    parser.add_argument("--endpoint", help="an OpenAI-compatible base URL (.../v1)")
    parser.add_argument("--endpoint-model", default=None)
    parser.add_argument("--language", default="en-US")
    parser.add_argument("recordings", nargs="*",
                        default=[f"{ROOT / 'samples/mono-16k.wav'}="
                                 f"{ROOT / 'samples/transcript.txt'}"])
    args = parser.parse_args()
    if args.endpoint:
        engine = OpenAITranscriber(Endpoint(args.endpoint, args.endpoint_model, None))
        print(engine.name)
    else:
        engine = WhisperTranscriber(args.model)
        began = time.perf_counter()
        engine._whisper()  # load once, outside the timings
        print(f"{engine.name}: loaded in {time.perf_counter() - began:.2f} s")
    errors = words = seconds = wall = cpu = 0.0
    work = Path(f"/tmp/bench-whisper-models-{id(engine)}")
    work.mkdir(exist_ok=True)
    print("| recording | seconds | words | WER | RTF (wall) | CPU/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for item in args.recordings:
        audio, _, ref = item.partition("=")
        wav = work / (Path(audio).stem + ".wav")
        to_recognition_wav(Path(audio), wav)
        t0, c0 = time.perf_counter(), time.process_time()
        found = engine.transcribe(wav, language=args.language)
        t1, c1 = time.perf_counter() - t0, time.process_time() - c0
        hypothesis = " ".join(s.text for s in found.segments)
        seconds, wall, cpu = seconds + found.duration, wall + t1, cpu + c1
        row = f"| {Path(audio).name} | {found.duration:.1f} |"
        if ref:
            text = reference_text(Path(ref))
            n = len(words_of(text))
            wer = word_error_rate(text, hypothesis)
            errors, words = errors + wer * n, words + n
            row += f" {n} | {wer:.3f} |"
        else:
            row += " - | - |"
        print(f"{row} {t1 / found.duration:.3f} | {c1 / found.duration:.3f} |")
    pooled = f"{errors / words:.3f}" if words else "-"
    print(f"| pooled | {seconds:.1f} | {words:.0f} | {pooled} | {wall / seconds:.3f} | "
          f"{cpu / seconds:.3f} |")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
