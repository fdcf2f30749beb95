"""What a job pays before the transcriber starts: ffprobe + ffmpeg (what every upload got
before) against the header read that a 16 kHz mono 16-bit WAV upload now gets instead
(media/decode.recognition_wav_seconds); the median of 5 on three corpus recordings.

    .venv/bin/python -m benchmarks.realspeech.prepare_cost
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.realspeech.corpus import recordings
from symbl_media.media.decode import recognition_wav_seconds, to_recognition_wav
from symbl_media.media.probe import probe


def main() -> int:
    work = Path(tempfile.mkdtemp())
    for r in recordings(names=("librivox-0870", "jfk", "phone-call")):
        before, now = [], []
        for _ in range(5):
            began = time.perf_counter()
            probe(r.path)
            to_recognition_wav(r.path, work / "x.wav")
            between = time.perf_counter()
            assert recognition_wav_seconds(r.path) is not None
            before.append(between - began)
            now.append(time.perf_counter() - between)
        print(f"{r.name:16} probe + ffmpeg {statistics.median(before) * 1000:5.0f} ms   "
              f"header read {statistics.median(now) * 1000:5.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
