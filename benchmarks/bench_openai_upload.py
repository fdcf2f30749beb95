"""Memory of the ``openai`` transcriber against recording length: the pieces are read from the
WAV while they are sent, so the engine's peak RSS should not grow with the recording.

    .venv/bin/python benchmarks/bench_openai_upload.py 14 56

For each length (minutes) a WAV of tone bursts is written, a child process transcribes it
through the engine against the loopback stand-in of tests/server/openai_standin.py (itself in
another process, so its buffers are not counted), and the child's peak RSS, the uploads and
their largest body are printed. Results: docs/sandbox-engines.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STANDIN = """
import sys, time
sys.path.insert(0, {tests!r})
from openai_standin import StandIn
s = StandIn(key=None).start()
print(s.url, flush=True)
sys.stdin.read()
print(__import__("json").dumps([[h.status, h.content_length] for h in s.heard]), flush=True)
"""

CLIENT = """
import resource, sys, time
from pathlib import Path
from symbl_media.server.engines.openai_speech import OpenAITranscriber
from symbl_media.server.engines.settings import Endpoint
t0 = time.perf_counter()
found = OpenAITranscriber(Endpoint(sys.argv[1], None, None)).transcribe(Path(sys.argv[2]))
words = sum(len(s.words) for s in found.segments)
print(words, round(time.perf_counter() - t0, 1),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def tones(path: Path, minutes: int) -> None:
    import numpy as np
    import soundfile as sf

    with sf.SoundFile(str(path), "w", 16000, 1, subtype="PCM_16") as out:
        for _ in range(minutes):  # a minute at a time: the writer's memory stays flat too
            t = np.arange(60 * 16000) / 16000
            on = (t % 1.0 >= 0.2) & (t % 1.0 < 0.6)
            out.write((0.3 * np.sin(2 * np.pi * 440 * t) * on).astype(np.float32))


def main() -> None:
    minutes = [int(m) for m in sys.argv[1:]] or [14, 56]
    print("| minutes | WAV MB | uploads | largest body MB | words | seconds | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for m in minutes:
            wav = Path(tmp) / f"tones-{m}.wav"
            tones(wav, m)
            standin = subprocess.Popen(
                [sys.executable, "-c", STANDIN.format(tests=str(ROOT / "tests" / "server"))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            url = standin.stdout.readline().strip()
            done = subprocess.run([sys.executable, "-c", CLIENT, url, str(wav)],
                                  capture_output=True, text=True, check=True)
            words, seconds, rss = done.stdout.split()
            heard = json.loads(standin.communicate("")[0])
            largest = max(length for _, length in heard) / 1e6
            print(f"| {m} | {wav.stat().st_size / 1e6:.1f} | {len(heard)} | {largest:.1f} | "
                  f"{words} | {seconds} | {rss} |")
            wav.unlink()


if __name__ == "__main__":
    main()
