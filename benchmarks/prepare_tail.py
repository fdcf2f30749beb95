#!/usr/bin/env python3
"""What `prepare` still does once its decode has ended: the tail, on its critical path.

    .venv/bin/python benchmarks/prepare_tail.py benchmarks/.work/meeting-8h.mkv [DECODERS]

Runs `pipeline.prepare` in-process (DECODERS: `--decoders`, 2 by default: the split on AAC)
into a fresh folder, and prints the wall and CPU seconds of this process from the moment the
decode's thread ends (the last ffmpeg of the pass done) to prepare's return, then each piece's
hash. CPU seconds hold on a busy machine; the wall seconds need an idle one.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from symbl_media.media import follow, pipeline
from symbl_media.media.plan import PrepareOptions


def main(source: Path, decoders: int = 2) -> None:
    ended: dict[str, float] = {}
    run = follow.Growing._run

    def timed(self) -> None:
        run(self)
        ended["wall"], ended["cpu"] = time.perf_counter(), time.process_time()

    follow.Growing._run = timed  # type: ignore[method-assign]
    out = Path(tempfile.mkdtemp(prefix="prepare-tail-"))
    try:
        result = pipeline.prepare(source, out / "out", PrepareOptions(decoders=decoders))
        wall, cpu = time.perf_counter() - ended["wall"], time.process_time() - ended["cpu"]
    finally:
        shutil.rmtree(out)
    print(f"tail {wall:.2f} s wall, {cpu:.2f} CPU s  pieces "
          f"{[p.sha256[:12] for p in result.pieces]}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    main(Path(sys.argv[1]), *map(int, sys.argv[2:]))
