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
from symbl_media.media.chunking import Silence

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
    for frames in _frames(path):
        # float32 is plenty for dB
        power = np.einsum("ij,ij->i", frames, frames) / frames.shape[1]
        level = 10 * np.log10(np.maximum(power, 1e-12))
        hist += np.bincount(np.clip(level + 120, 0, 120).astype(int), minlength=121)
        for t in LADDER_DB:
            track(level < t, frame_no, open_at, runs, t)
        frame_no += len(level)
    for t in LADDER_DB:
        if open_at[t] is not None:
            _keep(runs[t], open_at[t], frame_no)
    pairs = runs[threshold(hist)]
    return [Silence(pairs[i] * FRAME_SECONDS, pairs[i + 1] * FRAME_SECONDS)
            for i in range(0, len(pairs), 2)]


def source_power(path: Path):
    """Mean power of each 20 ms frame of a file's first audio stream (full scale 1.0), in
    blocks, streaming: what ``cut_points`` decides cuts from, for a source sent as it is."""
    import numpy as np

    for frames in _frames(path):
        frames = frames.astype(np.float64)
        yield np.einsum("ij,ij->i", frames, frames) / frames.shape[1]


def _frames(path: Path):
    """The file's mono audio as whole 20 ms frames (float32, one row each), block by block;
    a frame split across two blocks is carried over, a last partial frame dropped."""
    import numpy as np

    rate, blocks = _mono_blocks(path)
    frame = round(rate * FRAME_SECONDS)
    tail = np.zeros(0, dtype="float32")
    for block in blocks:
        data = np.concatenate([tail, block]) if len(tail) else block
        whole = len(data) - len(data) % frame
        tail = data[whole:].copy()
        if whole:
            yield data[:whole].reshape(-1, frame)


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


def track(quiet, first_frame: int, open_at: dict, runs: dict[int, array], t: int) -> None:
    """Close the quiet runs under threshold ``t`` that end in this block (frames from
    ``first_frame`` on), keeping those of a pause's length; keep the one reaching its end
    open. Shared by ``find_silences`` and ``cut_points``."""
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


def threshold(hist) -> int:
    """The ladder step a little above the noise floor (the 10th percentile of the levels)."""
    import numpy as np

    total = int(hist.sum())
    if not total:
        return LADDER_DB[0]
    floor = int(np.searchsorted(np.cumsum(hist), 0.1 * total)) - 120  # 10th percentile
    for t in LADDER_DB:
        if t >= floor + ABOVE_FLOOR_DB:
            return t
    return LADDER_DB[-1]


# ----------------------------------------------------------------------------- sound span

SPAN_RATE = 8000
SPAN_FRAME = 160  # 20 ms at SPAN_RATE
SPAN_MIN_FRAMES = 3  # a click shorter than 60 ms does not end a silence
SPAN_WHOLE_UP_TO = 180.0  # read shorter recordings whole, in one pass
SPAN_TAIL_SECONDS = 30.0  # the first look at the end; each further look is 4 times longer


class _Runs:
    """Runs of frames louder than a threshold (on any channel), fed block by block: the first
    and the last one that lasts SPAN_MIN_FRAMES or more, in frames from the first block."""

    def __init__(self, threshold_db: float) -> None:
        self.limit = 10 ** (threshold_db / 10)
        self.frame_no = 0
        self.run_start: int | None = None
        self.first: int | None = None
        self.last_end: int | None = None
        self.tail = None

    def feed(self, block) -> None:
        import numpy as np

        data = np.concatenate([self.tail, block]) if self.tail is not None else block
        whole = len(data) - len(data) % SPAN_FRAME
        self.tail = data[whole:].copy()
        if not whole:
            return
        frames = data[:whole].reshape(-1, SPAN_FRAME, data.shape[1])
        loud = ((frames * frames).mean(axis=1).max(axis=1) >= self.limit).tolist()
        for i, is_loud in enumerate(loud, start=self.frame_no):
            if is_loud:
                if self.run_start is None:
                    self.run_start = i
                if self.first is None and i + 1 - self.run_start >= SPAN_MIN_FRAMES:
                    self.first = self.run_start  # known now, before the run ends
            elif self.run_start is not None:
                self._close(i)
        self.frame_no += len(loud)

    def finish(self) -> None:
        if self.run_start is not None:
            self._close(self.frame_no)

    def _close(self, end: int) -> None:
        if end - self.run_start >= SPAN_MIN_FRAMES:
            if self.first is None:
                self.first = self.run_start
            self.last_end = end
        self.run_start = None


def sound_span(source, threshold_db: float) -> tuple[float, float] | None:
    """Where sound starts and ends in ``source`` (a preprocess.AudioSource), in seconds from
    its first sample; None when nothing in it reaches ``threshold_db`` (20 ms RMS, dBFS).

    Streaming, in constant memory. A short recording is read once; a long one from the start
    until the first sound, then backwards from the end in growing windows until the last
    sound, so the cost follows the silence at its edges, not the length of the recording.
    """
    seconds = SPAN_FRAME / SPAN_RATE
    duration = source.duration
    if duration is None or duration <= SPAN_WHOLE_UP_TO:
        runs = _Runs(threshold_db)
        for block in source.blocks(rate=SPAN_RATE):
            runs.feed(block)
        runs.finish()
        if runs.first is None:
            return None
        return runs.first * seconds, runs.last_end * seconds
    head = _Runs(threshold_db)
    blocks = source.blocks(rate=SPAN_RATE)
    try:
        for block in blocks:
            head.feed(block)
            if head.first is not None:
                break
        else:
            head.finish()
    finally:
        blocks.close()  # stops ffmpeg: the rest of the recording is not read
    if head.first is None:
        return None
    start = head.first * seconds
    hi, width = duration, SPAN_TAIL_SECONDS
    while True:
        lo = max(start, hi - width)
        tail = _Runs(threshold_db)
        # The last window reads to the real end, whatever the container's duration says.
        for block in source.blocks(start=lo, seconds=None if hi >= duration else hi - lo,
                                   rate=SPAN_RATE):
            tail.feed(block)
        tail.finish()
        if tail.last_end is not None:
            return start, lo + tail.last_end * seconds
        if lo <= start:
            return start, start + SPAN_MIN_FRAMES * seconds
        hi, width = lo, width * 4
