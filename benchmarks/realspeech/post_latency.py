"""How long ``POST /v1/process/audio`` takes to answer for jfk.wav (16 kHz mono 16-bit WAV,
350 KB) on a real ``sandbox serve``: 8 submissions, each waited for before the next.

    .venv/bin/python -m benchmarks.realspeech.post_latency
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

from benchmarks.realspeech import serve
from benchmarks.realspeech.corpus import recordings


def main() -> int:
    body = recordings(names=("jfk",))[0].path.read_bytes()
    with serve.Sandbox(Path(tempfile.mkdtemp()) / "sandbox") as sandbox:
        times = []
        for _ in range(8):
            began = time.perf_counter()
            reply = sandbox.client.post("/v1/process/audio", data=body,
                                        headers={"Content-Type": "audio/wav"})
            times.append(time.perf_counter() - began)
            reply.raise_for_status()
            job = reply.json()["jobId"]
            while sandbox.client.get(f"/v1/job/{job}").json()["status"] not in (
                    "completed", "failed"):
                time.sleep(0.05)
    print(f"POST answered in {statistics.median(times) * 1000:.0f} ms (median of 8; "
          f"{', '.join(f'{t * 1000:.0f}' for t in sorted(times))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
