"""Find the pauses in prepared audio, streaming, in constant memory.

Recordings differ in noise floor, so one fixed threshold either finds no pause in a noisy
room or calls quiet speech a pause. One pass measures 20 ms frames, keeps a level histogram
and the pause runs under each threshold of a small ladder; the threshold is then chosen a
little above the measured noise floor.
"""

from __future__ import annotations

from array import array
from pathlib import Path

from symbl_media.media import ffmpeg
from symbl_media.media.plan import Silence

RATE = 8000  # for files decoded through ffmpeg
FRAME_SECONDS = 0.02
LADDER_DB = (-60, -55, -50, -45, -40, -35, -30)
ABOVE_FLOOR_DB = 10.0
MIN_PAUSE_SECONDS = 0.3
MIN_PAUSE_FRAMES = round(MIN_PAUSE_SECONDS / FRAME_SECONDS)


def find_silences(path: Path) -> list[Silence]:
    """Pauses of at least MIN_PAUSE_SECONDS in the file's audio, in seconds."""
    import numpy as np

    hist = np.zeros(121, dtype=np.int64)  # frame levels, 1 dB bins from -120 to 0 dBFS
    # (start, end) frame pairs, flat; only runs long enough to count as pauses are kept, so a
    # noise floor flickering across a threshold does not pile up millions of tiny runs.
    runs: dict[int, array] = {t: array("q") for t in LADDER_DB}
    open_at: dict[int, int | None] = {t: None for t in LADDER_DB}
    frame_no = 0
    rate, blocks = _mono_blocks(path)
    frame = round(rate * FRAME_SECONDS)
    tail = np.zeros(0, dtype="float32")
    for block in blocks:
        data = np.concatenate([tail, block]) if len(tail) else block
        whole = len(data) - len(data) % frame
        tail = data[whole:].copy()
        if not whole:
            continue
        frames = data[:whole].reshape(-1, frame)
        power = np.einsum("ij,ij->i", frames, frames) / frame  # float32 is plenty for dB
        level = 10 * np.log10(np.maximum(power, 1e-12))
        hist += np.bincount(np.clip(level + 120, 0, 120).astype(int), minlength=121)
        for t in LADDER_DB:
            _track(level < t, frame_no, open_at, runs, t)
        frame_no += len(level)
    for t in LADDER_DB:
        if open_at[t] is not None:
            _keep(runs[t], open_at[t], frame_no)
    pairs = runs[_threshold(hist)]
    return [Silence(pairs[i] * FRAME_SECONDS, pairs[i + 1] * FRAME_SECONDS)
            for i in range(0, len(pairs), 2)]


def _mono_blocks(path: Path):
    """(rate, blocks of mono float32 samples). WAV is read directly: no second decode."""
    if path.suffix == ".wav":
        import numpy as np
        import soundfile as sf

        rate = sf.info(str(path)).samplerate

        def wav_blocks():
            for block in sf.blocks(str(path), blocksize=rate * 60, dtype="float32",
                                   always_2d=True):
                # Power across channels, not their average: kept channels may cancel out.
                yield np.sqrt((block ** 2).mean(axis=1)) if block.shape[1] > 1 else block[:, 0]

        return rate, wav_blocks()
    blocks = ffmpeg.pcm_blocks(["-i", ffmpeg.file_arg(path), "-map", "0:a:0"],
                               output_args=["-ac", "1"], channels=1, rate=RATE,
                               block_frames=RATE * 10, what="finding pauses")
    return RATE, (b[:, 0] for b in blocks)


def _keep(pairs: array, begin: int, end: int) -> None:
    if end - begin >= MIN_PAUSE_FRAMES:
        pairs.extend((begin, end))


def _track(quiet, first_frame: int, open_at: dict, runs: dict[int, array], t: int) -> None:
    """Close the quiet runs that end in this block; keep the one reaching its end open."""
    import numpy as np

    was_open = open_at[t] is not None
    edges = np.diff(np.concatenate([[was_open], quiet, [False]]).astype(np.int8))
    starts = [first_frame + int(i) for i in np.flatnonzero(edges == 1)]
    if was_open:
        starts.insert(0, open_at[t])
    ends = np.flatnonzero(edges == -1)  # every run ends, at the latest at len(quiet)
    open_at[t] = None
    for begin, end in zip(starts, ends):
        if end == len(quiet):
            open_at[t] = begin
        else:
            _keep(runs[t], begin, first_frame + int(end))


def _threshold(hist) -> int:
    import numpy as np

    total = int(hist.sum())
    if not total:
        return LADDER_DB[0]
    floor = int(np.searchsorted(np.cumsum(hist), 0.1 * total)) - 120  # 10th percentile
    for t in LADDER_DB:
        if t >= floor + ABOVE_FLOOR_DB:
            return t
    return LADDER_DB[-1]
