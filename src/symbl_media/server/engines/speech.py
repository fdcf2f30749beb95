"""Where the speech is in a piece of audio, and the windows Whisper is given to decode.

Real recordings arrive at every level: the AMI meeting excerpts sit around -41 dBFS, a phone
call at -33, a news report at -27. Silero VAD and Whisper both do worse on quiet input (on a
quiet meeting excerpt, faster-whisper with its VAD filter kept one sentence of thirty seconds
of talk), so a piece is first brought to a common speech level. Then the VAD marks the
speech, and consecutive stretches of speech are packed, without the pauses between them,
into windows of at most Whisper's 30 s, which are decoded together in batches.
"""

from __future__ import annotations

from dataclasses import dataclass

RATE = 16000
WINDOW_SECONDS = 30.0  # Whisper's own input length
FRAME = RATE // 50  # 20 ms, for measuring levels
SPEECH_LEVEL_DBFS = -20.0  # where a piece's loud speech frames are brought
MAX_GAIN_DB = 30.0  # a piece that needs more than this is mostly silence or noise
LOUD_FRAME_PERCENTILE = 95  # the "speech level": loud frames, not the pauses between them
PEAK_PERCENTILE = 99.9  # isolated clicks above this may clip; speech may not


@dataclass(frozen=True)
class Window:
    """Up to 30 s of speech, cut out of a piece: ``spans`` are (first, end) sample numbers in
    the piece, in order; their audio joined is what Whisper hears."""

    spans: tuple[tuple[int, int], ...]

    @property
    def samples(self) -> int:
        return sum(b - a for a, b in self.spans)

    @property
    def seconds(self) -> float:
        return self.samples / RATE

    def audio(self, piece):
        import numpy as np

        return np.concatenate([piece[a:b] for a, b in self.spans]).astype("float32")

    def shift(self, t: float) -> float:
        """What to add to a time in the window's joined audio (seconds) to place it in the
        piece: the pauses cut out before the stretch that holds it."""
        sample, before = round(t * RATE), 0
        for a, b in self.spans:
            if sample < before + (b - a):
                return (a - before) / RATE
            before += b - a
        a, b = self.spans[-1]
        return (a - (before - (b - a))) / RATE


def normalise_level(audio):
    """The audio with its speech brought near SPEECH_LEVEL_DBFS (a gain of at most
    MAX_GAIN_DB; never quieter than given), and the gain applied in dB."""
    import numpy as np

    frames = len(audio) // FRAME
    if not frames:
        return audio, 0.0
    power = np.square(audio[: frames * FRAME].reshape(frames, FRAME), dtype="float64").mean(1)
    level = 10 * np.log10(np.percentile(power, LOUD_FRAME_PERCENTILE) + 1e-12)
    peak = float(np.percentile(np.abs(audio), PEAK_PERCENTILE)) + 1e-9
    headroom = 20 * np.log10(0.9 / peak)  # keep speech peaks unclipped
    gain_db = float(min(SPEECH_LEVEL_DBFS - level, MAX_GAIN_DB, headroom))
    if gain_db <= 0.5:
        return audio, 0.0
    louder = audio * np.float32(10 ** (gain_db / 20))
    np.clip(louder, -1.0, 1.0, out=louder)
    return louder, gain_db


def speech_spans(audio) -> list[tuple[int, int]]:
    """Silero VAD's speech stretches (faster-whisper's bundled ONNX model), none over 30 s."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # faster-whisper's defaults for its VAD filter (2 s of silence ends a stretch, 0.4 s of
    # padding), with stretches split to fit a window.
    options = VadOptions(max_speech_duration_s=WINDOW_SECONDS - 1)
    return [(s["start"], s["end"]) for s in get_speech_timestamps(audio, options)]


def pack_windows(spans: list[tuple[int, int]]) -> list[Window]:
    """Consecutive speech stretches joined into windows of at most WINDOW_SECONDS."""
    limit = int(WINDOW_SECONDS * RATE)
    windows: list[Window] = []
    current: list[tuple[int, int]] = []
    filled = 0
    for a, b in spans:
        b = min(b, a + limit)
        if current and filled + (b - a) > limit:
            windows.append(Window(tuple(current)))
            current, filled = [], 0
        current.append((a, b))
        filled += b - a
    if current:
        windows.append(Window(tuple(current)))
    return windows


def split_at(window: Window, at: int) -> tuple[Window, Window]:
    """The window cut ``at`` samples into its joined audio: what comes before, what after."""
    head: list[tuple[int, int]] = []
    tail: list[tuple[int, int]] = []
    before = 0
    for a, b in window.spans:
        if before + (b - a) <= at:
            head.append((a, b))
        elif before >= at:
            tail.append((a, b))
        else:
            cut = a + (at - before)
            head.append((a, cut))
            tail.append((cut, b))
        before += b - a
    return Window(tuple(head)), Window(tuple(tail))


def halves(window: Window) -> list[Window]:
    """The window cut in two, at the join nearest its middle (or in the middle itself)."""
    if window.samples < 2 * RATE:
        return [window]
    middle = window.samples // 2
    if len(window.spans) > 1:
        at, best, best_i = 0, None, 1
        for i, (a, b) in enumerate(window.spans[:-1], start=1):
            at += b - a
            if best is None or abs(at - middle) < best:
                best, best_i = abs(at - middle), i
        if best is not None and best < window.samples // 3:
            return [Window(window.spans[:best_i]), Window(window.spans[best_i:])]
    # One long stretch: cut inside it.
    out_a, out_b, at = [], [], 0
    for a, b in window.spans:
        if at + (b - a) <= middle:
            out_a.append((a, b))
        elif at >= middle:
            out_b.append((a, b))
        else:
            cut = a + (middle - at)
            out_a.append((a, cut))
            out_b.append((cut, b))
        at += b - a
    return [Window(tuple(out_a)), Window(tuple(out_b))]
