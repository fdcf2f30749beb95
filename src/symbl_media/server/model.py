"""Plain values that pass between the sandbox's server, its store and its engines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the audio the engine was given
    end: float
    score: float  # recognition confidence, 0..1


@dataclass(frozen=True)
class Segment:
    """One message-to-be: words spoken by one voice, between pauses or changes of speaker."""

    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()
    channel: int | None = None  # 1-based, with per-channel recognition
    speaker: int | None = None  # diarization label (0-based), set by the diarizer


@dataclass(frozen=True)
class Transcript:
    segments: tuple[Segment, ...]
    duration: float
    engine: str  # which engine made it, e.g. "faster-whisper tiny.en int8"
    details: dict = field(default_factory=dict)
