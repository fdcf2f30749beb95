"""Who spoke each word: voice embeddings of short overlapping windows over the speech,
clustered, smoothed along time, and the messages split where the speaker changes.

Each stretch of speech (the transcript's words, joined across pauses under 0.5 s) is read from
the WAV on its own (the file is never loaded whole), cut into 1.5 s windows at a 0.25 s hop (a
shorter stretch gives one window, padded), and every window is embedded by the voice encoder:
the bundled numpy one, or an ONNX speaker model the user has (``speaker_model``). The windows
are clustered (spherical k-means with the count given, or estimated), each stretch's labels are
smoothed so a speaker does not flicker (speaker_turns.smooth), and the cluster centres are
re-estimated from the smoothed labels once more. Every word takes the label of the windows
around it, and a segment whose words change speaker is split there. Labels are numbered 0, 1,
... in the order the speakers first talk. The same input always gives the same labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from symbl_media.errors import EngineError
from symbl_media.media.voices import SAMPLE_RATE, SpanEmbedder, VoiceEncoder, one_blas_thread
from symbl_media.media.voices.onnx_model import OnnxSpeakerModel
from symbl_media.server.engines import speaker_turns as turns
from symbl_media.server.engines.speaker_clusters import (
    MAX_ESTIMATED_SPEAKERS,
    MIN_SPEAKER_SHARE,
    estimate_speakers,
    spherical_kmeans,
    unit_rows,
)
from symbl_media.server.model import Segment

WINDOW_SECONDS = 1.5  # the encoder's embeddings are stable from about 1.5 s of speech
HOP_SECONDS = 0.25  # where a change of speaker can fall, give or take
REFINEMENTS = 2  # centres re-estimated from the smoothed labels, then smoothed again


class Diarizer:
    """Speaker labels for transcript segments, from the voices in the WAV they came from."""

    name = "resemblyzer d-vector (numpy) + spherical k-means + smoothing"

    def __init__(self, encoder: VoiceEncoder | None = None, *, window: float = WINDOW_SECONDS,
                 hop: float = HOP_SECONDS, batch_size: int = 64,
                 switch_penalty: float = turns.SWITCH_PENALTY,
                 speaker_model: Path | None = None,
                 min_speaker_share: float = MIN_SPEAKER_SHARE) -> None:
        """``speaker_model``: a folder (or .onnx file) holding an ONNX speaker-embedding model
        of the WeSpeaker family, used in place of the bundled encoder; it is loaded and
        checked here, so a bad one is refused (SpeakerModelError) before any job runs."""
        if speaker_model is not None:
            if encoder is not None:
                raise ValueError("give an encoder or a speaker_model, not both")
            encoder = OnnxSpeakerModel(speaker_model)
            self.name = f"{encoder.name} + spherical k-means + smoothing"
        self.spans = SpanEmbedder(encoder, window=window, hop=hop, batch_size=batch_size)
        self.window = self.spans.window
        self.switch_penalty = switch_penalty
        self.min_speaker_share = min_speaker_share
        # The count estimate's cosine thresholds follow the encoder's vectors: a model that
        # carries its own in its metadata uses them, anything else the bundled encoder's.
        self.count_thresholds = dict(getattr(encoder, "count_thresholds", None) or {})

    def assign(self, wav: Path, segments: Sequence[Segment],
               speakers: int | None) -> tuple[Segment, ...]:
        """The segments with ``speaker`` set, in order; one whose words change speaker comes
        back as several, cut there. ``speakers`` is the count if known."""
        segments = tuple(segments)
        if speakers is not None and (isinstance(speakers, bool) or int(speakers) != speakers
                                     or speakers < 1):
            raise EngineError(f"the speaker count must be a whole number of at least 1, "
                              f"not {speakers!r}")
        if not segments:
            return ()
        units = turns.units_of(segments)
        if speakers == 1:
            labels = np.zeros(len(units), dtype=np.int64)
        else:
            with one_blas_thread():
                labels = self._labels(Path(wav), units, speakers)
        return turns.split_by_speaker(segments, units, labels)

    def _labels(self, wav: Path, units: list[turns.Unit], speakers: int | None) -> np.ndarray:
        spans, unit_stretch = turns.stretches(units)
        found = self.spans.windows(wav, spans)
        embeddings = found.embeddings.astype(np.float64)
        if len(embeddings) == 0:
            return np.zeros(len(units), dtype=np.int64)
        if speakers is None:
            # Windows padded out of short stretches are noisy; judge the count on full ones.
            full = (found.ends - found.starts) * SAMPLE_RATE >= self.window - 1
            sample = embeddings[full] if full.sum() >= 2 * MAX_ESTIMATED_SPEAKERS else embeddings
            speakers = estimate_speakers(sample, min_share=self.min_speaker_share,
                                         **self.count_thresholds)
        k = min(int(speakers), len(embeddings))
        labels = spherical_kmeans(embeddings, k)
        for _ in range(REFINEMENTS):
            labels = self._smoothed(embeddings, labels, found.owners, k)
        centres = (found.starts + found.ends) / 2
        per_unit = turns.unit_labels(units, unit_stretch, found.owners, centres, labels)
        return turns.number_by_appearance(units, turns.fill_unheard(units, per_unit))

    def _smoothed(self, embeddings: np.ndarray, labels: np.ndarray, owners: np.ndarray,
                  k: int) -> np.ndarray:
        """Labels again from the clusters' centres, each stretch smoothed along time."""
        members = (labels[:, None] == np.arange(k)[None, :]).astype(np.float64)
        centres = unit_rows(members.T @ embeddings)  # a cluster left empty stays at zero
        similarity = embeddings @ centres.T
        out = np.empty_like(labels)
        # Windows come out stretch by stretch, in time order within each.
        for stretch in np.unique(owners):
            rows = np.flatnonzero(owners == stretch)
            out[rows] = turns.smooth(similarity[rows], self.switch_penalty)
        return out

    def embed_segments(self, wav: Path,
                       segments: Sequence[Segment]) -> tuple[np.ndarray, np.ndarray]:
        """Window embeddings (n, d) and, for each, the index of the segment it came from."""
        return self.spans.embed(wav, [(s.start, s.end) for s in segments])
