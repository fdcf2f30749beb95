#!/usr/bin/env python3
"""Where a recording's pieces are cut: the rule decided as the audio arrives (cut_points, now)
against the whole-recording search it replaced (find_silences + plan_cuts), on the same WAV.

    .venv/bin/python benchmarks/compare_cuts.py benchmarks/.work/meeting-8h.mkv [--chunk-minutes N]

Decodes the input once (the plan's own pass) into a temporary WAV, then prints each cut of
both rules, whether it lies in a pause of the whole-recording search, and how far apart they are.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from symbl_media.media import pipeline  # noqa: E402
from symbl_media.media.chunking import plan_cuts  # noqa: E402
from symbl_media.media.cut import wav_duration  # noqa: E402
from symbl_media.media.cut_points import CutPoints  # noqa: E402
from symbl_media.media.follow import Meter  # noqa: E402
from symbl_media.media.plan import PrepareOptions  # noqa: E402
from symbl_media.media.silence import find_silences  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--chunk-minutes", type=float)
    args = ap.parse_args()
    plan = pipeline.inspect(args.input, PrepareOptions(chunk_minutes=args.chunk_minutes))
    piece = plan.chunking.piece_seconds
    if piece is None:
        sys.exit("one piece: nothing is cut (use --chunk-minutes)")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "whole.wav"
        pipeline._extract(plan, wav, "wav", None)
        duration = wav_duration(wav)
        pauses = find_silences(wav)
        before = plan_cuts(duration, pauses, piece)
        cutter = CutPoints(piece, plan.expected_duration() or plan.info.duration)
        meter = Meter(plan.target.sample_rate, plan.target.channels)
        now = []
        with wav.open("rb") as fh:
            fh.seek(44)
            while block := fh.read(1 << 22):
                now += cutter.feed(meter.feed(block))
        now += cutter.finish(duration)
    print(f"{args.input.name}: {duration:.1f} s, pieces of {piece:.1f} s, "
          f"{len(pauses)} pauses in the whole-recording search")
    print("cut  before (s)  in pause   now (s)  in pause  in a whole-search pause  apart (s)")
    for i, (b, n) in enumerate(zip(before, now), 1):
        whole = any(p.start <= n.at <= p.end for p in pauses)
        print(f"{i:>3}  {b.at:>10.2f}  {b.in_silence!s:>8}  {n.at:>8.2f}  {n.in_silence!s:>8}"
              f"  {whole!s:>23}  {abs(b.at - n.at):>9.2f}")
    if len(before) != len(now):
        print(f"different counts: {len(before)} before, {len(now)} now")


if __name__ == "__main__":
    main()
