#!/usr/bin/env python3
"""What `prepare` itself costs while a long recording is cut as it is decoded, without ffmpeg.

    .venv/bin/python benchmarks/cut_side.py benchmarks/.work/meeting-8h.mkv WHOLE.wav [SECONDS]

WHOLE.wav is the recording already decoded (16 kHz mono, e.g. the single pass's pieces joined
with ffmpeg's concat filter); a thread copies it into place in 1 MiB writes, standing in for
the decode (taking SECONDS, as a real decoder would: 15 for 8 hours; by default as fast as
it can), while `cutting.cut_while_decoding` reads it behind, meters it, cuts and hashes the
pieces, as in `prepare`. Prints this process's CPU (the copying thread's included), its page
faults, each piece's hash, and the tail: the wall and CPU seconds from the decode's end to the
last piece handed on (what `prepare` adds after its decoder is done).
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from symbl_media.media import cutting, pipeline
from symbl_media.media.plan import PrepareOptions


def main(source: Path, decoded: Path, seconds: float = 0.0) -> None:
    plan = pipeline.inspect(source, PrepareOptions(decoders=1))

    ended = {}

    def decode(plan, out: Path, fmt, progress, stopper) -> None:
        rate = decoded.stat().st_size / seconds if seconds else None  # bytes a second
        began = time.perf_counter()
        with decoded.open("rb") as fin, out.open("wb", buffering=0) as fout:
            while block := fin.read(1 << 20):
                fout.write(block)
                if rate is not None:
                    time.sleep(max(0.0, began + fin.tell() / rate - time.perf_counter()))
        ended["cpu"], ended["wall"] = time.process_time(), time.perf_counter()

    staging = Path(tempfile.mkdtemp(prefix="cut-side-"))
    try:
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        hashes = [piece.sha256[:12] for piece, _ in cutting.cut_while_decoding(
            plan, staging, "piece", lambda *_: None, plan.info.duration, decode)]
        after = resource.getrusage(resource.RUSAGE_SELF)
        tail = time.process_time() - ended["cpu"], time.perf_counter() - ended["wall"]
    finally:
        shutil.rmtree(staging)
    print(f"wall {time.perf_counter() - started:.2f} s  user {after.ru_utime - before.ru_utime:.2f}"
          f"  sys {after.ru_stime - before.ru_stime:.2f}  page faults "
          f"{after.ru_minflt - before.ru_minflt}  tail {tail[0]:.2f} CPU s ({tail[1]:.2f} s)"
          f"  pieces {hashes}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip())
    main(Path(sys.argv[1]), Path(sys.argv[2]), *map(float, sys.argv[3:]))
