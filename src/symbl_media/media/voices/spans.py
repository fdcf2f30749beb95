"""Voice embeddings of spans of a 16 kHz WAV: each span cut into overlapping windows, each
window read from the file on its own (memory stays flat with length) and embedded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from symbl_media.errors import EngineError
from symbl_media.media.voices.encoder import (
    EMBEDDING_SIZE,
    SAMPLE_RATE,
    VoiceEncoder,
    shared_encoder,
)

WINDOW_SECONDS = 1.5
HOP_SECONDS = 0.75


@dataclass(frozen=True)
class SpanWindows:
    """The windows of some spans: embedding, which span, and where each window lies (seconds).
    A window shorter than the embedder's length (a short span) was padded with its own audio."""

    embeddings: np.ndarray  # (n, dimension), unit vectors
    owners: np.ndarray  # (n,) index of the span each window came from
    starts: np.ndarray  # (n,) seconds
    ends: np.ndarray  # (n,) seconds


class SpanEmbedder:
    """Voice embeddings of spans of a 16 kHz WAV: each span cut into overlapping windows (a
    short one padded), every window embedded. The server's diarizer clusters them; the client
    compares the voices of members across appended pieces (insights/speakers.py). ``encoder``
    is anything with ``embed(frames) -> (n, d)`` unit vectors: the bundled numpy encoder (the
    default) or an ONNX speaker model (onnx_model.OnnxSpeakerModel)."""

    def __init__(self, encoder: VoiceEncoder | None = None, *, window: float = WINDOW_SECONDS,
                 hop: float = HOP_SECONDS, batch_size: int = 64) -> None:
        self._encoder = encoder
        self.window = round(window * SAMPLE_RATE)
        self.hop = round(hop * SAMPLE_RATE)
        self.batch_size = batch_size

    @property
    def encoder(self) -> VoiceEncoder:
        if self._encoder is None:
            self._encoder = shared_encoder()
        return self._encoder

    def embed(self, wav: Path, spans: Sequence[tuple[float, float]]
              ) -> tuple[np.ndarray, np.ndarray]:
        """Window embeddings (n, d) and, for each, the index of the span it came from."""
        found = self.windows(wav, spans)
        return found.embeddings, found.owners

    def windows(self, wav: Path, spans: Sequence[tuple[float, float]]) -> SpanWindows:
        """Every window of every span, embedded, with its span and its place in time."""
        embeddings: list[np.ndarray] = []
        owners: list[int] = []
        places: list[tuple[int, int]] = []
        batch: list[np.ndarray] = []

        def flush() -> None:
            if batch:
                embeddings.append(self.encoder.embed(np.stack(batch), batch_size=self.batch_size))
                batch.clear()

        try:
            audio = sf.SoundFile(str(wav))
        except (OSError, RuntimeError) as e:
            raise EngineError(f"{wav}: cannot read the audio for diarization ({e})") from e
        with audio:
            if audio.samplerate != SAMPLE_RATE:
                raise EngineError(f"{wav}: diarization needs {SAMPLE_RATE} Hz audio, "
                                  f"not {audio.samplerate} Hz")
            for index, span in enumerate(spans):
                for start, stop, window in self._windows(audio, span):
                    batch.append(window)
                    owners.append(index)
                    places.append((start, stop))
                    if len(batch) == self.batch_size:
                        flush()
            flush()
        where = np.asarray(places, dtype=np.float64).reshape(-1, 2) / SAMPLE_RATE
        if not embeddings:
            size = getattr(self._encoder, "embedding_size", EMBEDDING_SIZE)
            embeddings = [np.zeros((0, size), dtype=np.float32)]
        return SpanWindows(np.concatenate(embeddings), np.asarray(owners, dtype=np.int64),
                           where[:, 0], where[:, 1])

    def _windows(self, audio, span: tuple[float, float]):
        """The span's windows (first frame, end frame, samples), each read on its own."""
        first = max(0, round(span[0] * SAMPLE_RATE))
        last = min(audio.frames, round(span[1] * SAMPLE_RATE))
        length = last - first
        if length <= 0:
            return
        if length <= self.window:
            starts = [first]
        else:
            starts = list(range(first, last - self.window, self.hop))
            starts.append(last - self.window)  # the last window ends with the segment
        for start in starts:
            audio.seek(start)
            frames = audio.read(min(self.window, last - start), dtype="float32", always_2d=True)
            mono = frames.mean(axis=1) if frames.shape[1] > 1 else frames[:, 0]
            if len(mono) == 0:
                continue
            yield start, start + len(mono), _pad(mono, self.window)


def _pad(mono: np.ndarray, size: int) -> np.ndarray:
    """A short window filled up to ``size`` by repeating its own audio."""
    if len(mono) >= size:
        return np.ascontiguousarray(mono[:size], dtype=np.float32)
    return np.resize(mono, size).astype(np.float32)
