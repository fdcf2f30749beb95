#!/usr/bin/env python3
"""The built-in transcriber on real recordings, against faster-whisper used directly.

    .venv/bin/python -m benchmarks.realspeech.report [--cache DIR] [--model-dir DIR ...]
                                                     [--no-serve] [--no-quiet] [--save]
                                                     [--beam N] [--threads N]

For each recording of corpus.py (fetched on first use), one after the other in one process:

- **engine**: the server's transcriber object (``WhisperTranscriber.transcribe``) on the
  16 kHz WAV the server makes of the upload (``to_recognition_wav``, timed apart);
- **direct**: faster-whisper as its README shows it, on the file as shipped, in a process of
  its own (direct.py): ``WhisperModel(folder, device="cpu", compute_type="int8",
  cpu_threads=2)`` then ``model.transcribe(path, beam_size=5, vad_filter=True)`` (its
  default temperature fallback);
- **job** (default model only, unless --no-serve): the file POSTed to a real
  ``symbl-media sandbox serve`` on 127.0.0.1, timed from the request to the job's
  ``completed``, the text read back from the Conversation API's messages; faster-whisper direct
  is timed again on the same file right after it, so each pair ran under the same load.

Both models are loaded and run once on jfk.wav before anything is timed. Quiet variants
(``quiet-*``: the clip at -45 dBFS mean level as 32-bit float WAV, made with ffmpeg) are added
unless --no-quiet. Scores (scoring.py): WER with jiwer after Whisper's English normaliser,
pooled over the recordings that have a reference; a loop is one word or phrase eight times in
a row. ``--model-dir`` adds any faster-whisper (CTranslate2) folder, run the same way.
``--save`` writes the figures into benchmarks/results.json under "realspeech".

Every time is taken twice: wall-clock seconds, and CPU seconds (all threads of the process
that did the work: this one for engine and direct, the server's for a job, read from
/proc). On a machine shared with other work the wall-clock time mostly measures the waiting
for a core; the CPU seconds measure the work, and are what two free cores would have to do.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.realspeech import serve  # noqa: E402
from benchmarks.realspeech.corpus import Recording, recordings  # noqa: E402
from benchmarks.realspeech.direct import Direct  # noqa: E402
from benchmarks.realspeech.scoring import errors, longest_repeat  # noqa: E402

QUIET_DBFS = -45.0
QUIET_OF = ("jfk", "phone-call", "librivox-0870")
# The environment as the report started, before the engine adds its own settings: the
# baseline's process gets this one.
START_ENVIRON = dict(os.environ)


def quiet_variant(r: Recording, folder: Path) -> Recording:
    """The recording at QUIET_DBFS mean level, as a 32-bit float WAV (ffmpeg)."""
    import numpy as np
    import soundfile as sf

    audio, _ = sf.read(str(r.path), dtype="float32")
    level = 10 * np.log10(float(np.mean(np.square(audio, dtype="float64"))) + 1e-12)
    out = folder / f"quiet-{r.name}.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f"file:{r.path}", "-af",
                    f"volume={QUIET_DBFS - level:.2f}dB", "-c:a", "pcm_f32le", f"file:{out}"],
                   check=True)
    return replace(r, name=f"quiet-{r.name}", path=out,
                   source=f"{r.source}, at {QUIET_DBFS:g} dBFS, 32-bit float")


def engine_for(model_dir: Path | None, **tuning):
    """The server's transcriber; for another folder, the same engine loading that folder
    (its own checks of a folder belong to the server's settings, not to this benchmark).
    ``tuning``: WhisperTranscriber's beam_size or threads, to try other values."""
    from symbl_media.server.engines.whisper import WhisperTranscriber

    if model_dir is None:
        return WhisperTranscriber(**tuning)

    class FolderTranscriber(WhisperTranscriber):
        def _whisper(self):
            from faster_whisper import WhisperModel

            if self._model is None:
                self._folder = model_dir
                self._model = WhisperModel(str(model_dir), device="cpu", compute_type="int8",
                                           cpu_threads=self.threads, local_files_only=True)
            return self._model

    return FolderTranscriber(**tuning)


def direct_model(model_dir: Path | None) -> Direct:
    """faster-whisper as its README shows, in its own process (direct.py says why)."""
    from symbl_media.server.engines.models import load_model_dir

    return Direct(model_dir or load_model_dir(), START_ENVIRON)


def run_direct(model: Direct, path: Path) -> tuple[str, float, float]:
    """The text, wall-clock seconds and CPU seconds of faster-whisper on ``path``."""
    return model.run(path)


def run_engine(engine, r: Recording, work: Path) -> tuple[str, float, float, float, float]:
    """The text, the seconds to make the WAV, the engine's wall-clock and CPU seconds, and
    the recording's length."""
    from symbl_media.media.decode import to_recognition_wav

    wav = work / f"{r.name}.16k.wav"
    began = time.perf_counter()
    to_recognition_wav(r.path, wav)
    decoded, cpu = time.perf_counter(), time.process_time()
    t = engine.transcribe(wav)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    return (" ".join(s.text for s in t.segments), decoded - began, done - decoded, cpu,
            t.duration)


def measure_model(label: str, model_dir: Path | None, recs: list[Recording], work: Path,
                  with_server: bool, **tuning) -> dict:
    engine, direct = engine_for(model_dir, **tuning), direct_model(model_dir)
    warm = next(r for r in recs if r.name == "jfk")
    run_engine(engine, warm, work)
    run_direct(direct, warm.path)
    rows = []
    for r in recs:
        text, decode_s, engine_s, engine_cpu, duration = run_engine(engine, r, work)
        direct_text, direct_s, direct_cpu = run_direct(direct, r.path)
        rows.append({"name": r.name, "kind": r.kind, "seconds": round(duration, 2),
                     "engine_s": round(engine_s, 3), "decode_s": round(decode_s, 3),
                     "direct_s": round(direct_s, 3), "engine_cpu": round(engine_cpu, 3),
                     "direct_cpu": round(direct_cpu, 3), "engine_text": text,
                     "direct_text": direct_text, "reference": r.reference})
        print(f"  {r.name:24} {duration:6.1f} s  engine {engine_s:6.2f} s "
              f"({engine_cpu:5.2f} CPU)  direct {direct_s:6.2f} s ({direct_cpu:5.2f} CPU)",
              flush=True)
    if with_server:
        with serve.Sandbox(work / "sandbox") as sandbox:
            sandbox.job_text(warm.path)
            for row, r in zip(rows, recs):
                text, job_s, job_cpu = sandbox.job_text(r.path)
                _, direct_s, direct_cpu = run_direct(direct, r.path)
                row.update(job_s=round(job_s, 3), job_direct_s=round(direct_s, 3),
                           job_cpu=round(job_cpu, 3), job_direct_cpu=round(direct_cpu, 3),
                           job_text=text)
                print(f"  {r.name:24} job {job_s:6.2f} s ({job_cpu:5.2f} CPU)  "
                      f"direct {direct_s:6.2f} s ({direct_cpu:5.2f} CPU)", flush=True)
    direct.close()
    return {"model": label, "rows": rows, "summary": summarise(rows)}


def summarise(rows: list[dict]) -> dict:
    scored = [r for r in rows if r["reference"] and not r["name"].startswith("quiet-")]
    quiet = [r for r in rows if r["reference"] and r["name"].startswith("quiet-")]
    audio = sum(r["seconds"] for r in rows)
    out = {"audio_seconds": round(audio, 1), "reference_words": 0}
    for who in ("engine", "direct", "job"):
        key = f"{who}_text"
        if not all(key in r for r in rows):
            continue
        if scored:
            e = errors([r["reference"] for r in scored], [r[key] for r in scored])
            out["reference_words"] = e.words
            out[f"{who}_wer"] = round(e.wer, 4)
        if quiet:
            out[f"{who}_wer_quiet"] = round(
                errors([r["reference"] for r in quiet], [r[key] for r in quiet]).wer, 4)
        worst = max(rows, key=lambda r: longest_repeat(r[key])[0])
        times, phrase = longest_repeat(worst[key])
        out[f"{who}_longest_repeat"] = f"{times}x '{phrase}' ({worst['name']})"
    out["engine_x_realtime"] = round(audio / sum(r["engine_s"] for r in rows), 1)
    out["direct_x_realtime"] = round(audio / sum(r["direct_s"] for r in rows), 1)
    out["engine_over_direct"] = round(sum(r["engine_s"] + r["decode_s"] for r in rows)
                                      / sum(r["direct_s"] for r in rows), 3)
    # CPU seconds. The engine's leave out making its WAV (ffmpeg, a child process, for the
    # files that are not 16 kHz mono 16-bit already); direct's include its decoding (PyAV,
    # in its process); a job's include the server's ffmpeg. A few hundredths of a second a
    # file, against direct.
    out["engine_cpu_x_realtime"] = round(audio / sum(r["engine_cpu"] for r in rows), 1)
    out["direct_cpu_x_realtime"] = round(audio / sum(r["direct_cpu"] for r in rows), 1)
    out["engine_cpu_over_direct"] = round(sum(r["engine_cpu"] for r in rows)
                                          / sum(r["direct_cpu"] for r in rows), 3)
    if all("job_s" in r for r in rows):
        out["job_x_realtime"] = round(audio / sum(r["job_s"] for r in rows), 1)
        out["job_over_direct"] = round(sum(r["job_s"] for r in rows)
                                       / sum(r["job_direct_s"] for r in rows), 3)
        out["job_cpu_over_direct"] = round(sum(r["job_cpu"] for r in rows)
                                           / sum(r["job_direct_cpu"] for r in rows), 3)
    out["load_average"] = [round(x, 1) for x in os.getloadavg()]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--model-dir", type=Path, action="append", default=[],
                        help="another faster-whisper model folder to run the same way")
    parser.add_argument("--base", action="store_true",
                        help="also Whisper base (multilingual), fetched by models.py")
    parser.add_argument("--no-serve", action="store_true", help="skip the sandbox jobs")
    parser.add_argument("--no-quiet", action="store_true", help="skip the quiet variants")
    parser.add_argument("--only", nargs="*", default=None, help="only these recordings")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--beam", type=int, default=None,
                        help="the engine's beam size (default: the engine's, 5); direct "
                             "stays at 5 as its README shows")
    parser.add_argument("--threads", type=int, default=None,
                        help="the engine's CTranslate2 threads (default: the engine's, 2)")
    args = parser.parse_args(argv)
    tuning = {k: v for k, v in (("beam_size", args.beam), ("threads", args.threads))
              if v is not None}
    if tuning and not args.no_serve:
        parser.error("--beam and --threads change the in-process engine only: add --no-serve")
    recs = recordings(args.cache)
    if args.only:
        recs = [r for r in recs if r.name in args.only or r.name == "jfk"]
    results = []
    with tempfile.TemporaryDirectory(prefix="realspeech-") as tmp:
        work = Path(tmp)
        if not args.no_quiet:
            recs += [quiet_variant(r, work) for r in recs if r.name in QUIET_OF]
        models = [("tiny.en (built in)", None), *((str(d), d) for d in args.model_dir)]
        if args.base:
            from benchmarks.realspeech.models import base_model_dir

            models.append(("base (multilingual)", base_model_dir(args.cache)))
        for i, (label, folder) in enumerate(models):
            print(f"{label}:", flush=True)
            results.append(measure_model(label, folder, recs, work,
                                         with_server=not args.no_serve and i == 0, **tuning))
            results[-1]["engine_settings"] = tuning
            print(json.dumps(results[-1]["summary"], indent=2), flush=True)
    if args.save:
        path = ROOT / "benchmarks" / "results.json"
        saved = json.loads(path.read_text()) if path.exists() else {}
        saved["realspeech"] = results
        path.write_text(json.dumps(saved, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
