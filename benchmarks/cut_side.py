#!/usr/bin/env python3
"""What `prepare` itself costs while a long recording is cut as it is decoded, without ffmpeg.

    .venv/bin/python benchmarks/cut_side.py benchmarks/.work/meeting-8h.mkv WHOLE.wav

WHOLE.wav is the recording already decoded (16 kHz mono, e.g. the single pass's pieces joined
with ffmpeg's concat filter); a thread copies it into place in 1 MiB writes, standing in for
the decode, while `cutting.cut_while_decoding` reads it behind, meters it, cuts and hashes the
pieces, as in `prepare`. Prints this process's CPU (the copying thread's included), its page
faults, and each piece's hash.
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


def main(source: Path, decoded: Path) -> None:
    plan = pipeline.inspect(source, PrepareOptions(decoders=1))

    def decode(plan, out: Path, fmt, progress, stopper) -> None:
        with decoded.open("rb") as fin, out.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)

    staging = Path(tempfile.mkdtemp(prefix="cut-side-"))
    try:
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        hashes = [piece.sha256[:12] for piece, _ in cutting.cut_while_decoding(
            plan, staging, "piece", lambda *_: None, plan.info.duration, decode)]
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        shutil.rmtree(staging)
    print(f"wall {time.perf_counter() - started:.2f} s  user {after.ru_utime - before.ru_utime:.2f}"
          f"  sys {after.ru_stime - before.ru_stime:.2f}  page faults "
          f"{after.ru_minflt - before.ru_minflt}  pieces {hashes}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    main(Path(sys.argv[1]), Path(sys.argv[2]))
