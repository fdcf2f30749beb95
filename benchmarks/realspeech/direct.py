"""faster-whisper used directly, as its README shows, in a process of its own.

    python -m benchmarks.realspeech.direct FOLDER     (one audio path a line on stdin)

The baseline of report.py. It runs apart from the engine because CTranslate2 and its OpenMP
runtime read some settings once per process (``CT2_FORCE_CPU_ISA``, ``OMP_*``): an engine
that set one would hand it to the baseline too. Apart, the baseline gets exactly what a
plain ``pip install faster-whisper`` user gets, as a sandbox job gets what the server sets,
and each side's CPU seconds are its own. For each path: ``model.transcribe(path, beam_size=5,
vad_filter=True)`` with every segment consumed; one JSON line back with the text, the
wall-clock seconds and the CPU seconds (this process, all its threads).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from faster_whisper import WhisperModel

    model = WhisperModel(argv[0], device="cpu", compute_type="int8", cpu_threads=2)
    for line in sys.stdin:
        began, cpu = time.perf_counter(), time.process_time()
        segments, _ = model.transcribe(line.strip(), beam_size=5, vad_filter=True)
        text = " ".join(s.text.strip() for s in segments)
        print(json.dumps({"text": text, "wall": time.perf_counter() - began,
                          "cpu": time.process_time() - cpu}), flush=True)
    return 0


class Direct:
    """The baseline's process: ``run(path)`` -> (text, wall-clock seconds, CPU seconds)."""

    def __init__(self, folder: Path, environ: dict[str, str]) -> None:
        root = Path(__file__).resolve().parents[2]
        env = dict(environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(root), environ.get("PYTHONPATH", "")) if p))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.realspeech.direct", str(folder)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=root)

    def run(self, path: Path) -> tuple[str, float, float]:
        self.process.stdin.write(f"{Path(path).resolve()}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the faster-whisper baseline process ended")
        answer = json.loads(line)
        return answer["text"], answer["wall"], answer["cpu"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
