"""A speaker-embedding model the user has, as ONNX: the WeSpeaker family's interface.

WeSpeaker exports its models (ResNet34, CAM++, ECAPA-TDNN, ...) with one input, ``feats``,
shaped (batch, frames, 80): Kaldi-style log mel filterbanks of 16 kHz audio scaled to 16-bit
range (25 ms frames every 10 ms, Hamming window, no dither), with each window's mean over time
subtracted; and one output, ``embs``, shaped (batch, dimension). This module computes those
features with kaldi-native-fbank (Kaldi's own algorithm, the extractor WeSpeaker's and
sherpa-onnx's runtimes use) and runs the model with onnxruntime, so the diarizer and the
client's speaker matching can use it in place of the bundled numpy encoder.

``check_speaker_model`` loads a model folder (or .onnx file) and proves it fits before a
server starts on it: the file is there, onnxruntime loads it, the input takes (batch, frames,
bins) and the output of a test window is one finite vector per window.

The analysis window is WeSpeaker's Hamming unless the model says otherwise in its metadata
(``window_type``, any of Kaldi's: 3D-Speaker's models, CAM++ among them, were trained on
Kaldi's default Povey window; scripts/convert-campplus.py writes ``povey``). Audio is scaled
to 16-bit range unless the metadata says ``normalize_samples=1`` (sherpa-onnx's key: 0 for
WeSpeaker, 1 for 3D-Speaker, whose models were trained on samples in [-1, 1]). The mean removal
does not cancel that scale: Kaldi floors each filterbank energy at float epsilon before the
log, and on samples in [-1, 1] the quiet low bins of real speech sit on that floor.

A model may also carry the two cosine thresholds the diarizer's speaker-count estimate uses
(``single_speaker_spread`` and ``distinct_centres``, speaker_clusters.py): they belong to the
model's vectors, not the diarizer, and a model whose same-voice cosines sit lower than the
bundled encoder's needs lower ones. Absent keys leave the bundled values; a value outside
(0, 1) is refused on load.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from symbl_media.errors import EngineError
from symbl_media.media.voices.encoder import SAMPLE_RATE

PREFERRED_NAMES = ("model.onnx", "avg_model.onnx")  # what WeSpeaker's exports are called
DEFAULT_WINDOW = "hamming"  # WeSpeaker's; a model's metadata may name another
KALDI_WINDOWS = ("hamming", "hanning", "povey", "rectangular", "blackman")
# Metadata keys for the speaker-count estimate's thresholds (cosines, each strictly in (0, 1)).
COUNT_THRESHOLD_KEYS = ("single_speaker_spread", "distinct_centres")
INT16_SCALE = 32768.0  # WeSpeaker's samples; normalize_samples=1 in the metadata keeps [-1, 1]
PROBE_SECONDS = 1.5
MIN_DIMENSION = 16  # a speaker embedding is tens to hundreds of numbers, never a handful
INSTALL_HINT = ("an ONNX speaker model needs onnxruntime and kaldi-native-fbank: "
                "pip install 'symbl-media[sandbox]'")


class SpeakerModelError(EngineError):
    """The speaker model folder is missing, incomplete or not a speaker-embedding model."""


def model_file(path: Path | str) -> Path:
    """The .onnx file a speaker model path names: the file itself, or the one in a folder
    (model.onnx or avg_model.onnx first, else the folder's only .onnx)."""
    path = Path(path)
    if path.is_file():
        return path
    if not path.is_dir():
        raise SpeakerModelError(f"speaker model {path}: no such file or folder")
    for name in PREFERRED_NAMES:
        if (path / name).is_file():
            return path / name
    found = sorted(p for p in path.glob("*.onnx") if p.is_file())
    if len(found) != 1:
        what = "no .onnx file" if not found else f"{len(found)} .onnx files and no model.onnx"
        raise SpeakerModelError(f"speaker model {path}: the folder has {what}")
    return found[0]


class OnnxSpeakerModel:
    """Embeds batches of 16 kHz mono float32 windows with an ONNX speaker model, as unit
    vectors; a drop-in for ``VoiceEncoder`` in ``SpanEmbedder``."""

    def __init__(self, path: Path | str, *, threads: int = 1) -> None:
        self.path = model_file(path)
        try:
            import kaldi_native_fbank
            import onnxruntime
        except ImportError:
            raise SpeakerModelError(f"speaker model {self.path}: {INSTALL_HINT}") from None
        self._fbank = kaldi_native_fbank
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # its warnings would go to stderr, not our log
        try:
            self._session = onnxruntime.InferenceSession(
                str(self.path), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own types for a bad file
            raise SpeakerModelError(f"speaker model {self.path}: onnxruntime cannot load it "
                                    f"({_first_line(exc)})") from None
        self._input, self.bins = self._check_input()
        meta = self._session.get_modelmeta().custom_metadata_map or {}
        self.window = self._window_type(meta)
        self.sample_scale = self._sample_scale(meta)
        self.count_thresholds = self._count_thresholds(meta)
        self._output = self._session.get_outputs()[0].name
        self._lock = threading.Lock()
        self.embedding_size = self._probe()
        self.name = f"ONNX speaker model {self.path.parent.name}/{self.path.name}"

    def _check_input(self) -> tuple[str, int]:
        inputs = self._session.get_inputs()
        shape = inputs[0].shape if len(inputs) == 1 else None
        if shape is None or len(shape) != 3 or not isinstance(shape[2], int) or shape[2] < 1:
            got = [tuple(i.shape) for i in inputs]
            raise SpeakerModelError(
                f"speaker model {self.path}: takes {got}, expected one input of "
                "(batch, frames, mel bins) filterbank features, as WeSpeaker models do")
        return inputs[0].name, int(shape[2])

    def _window_type(self, meta: dict[str, str]) -> str:
        window = meta.get("window_type", DEFAULT_WINDOW)
        if window not in KALDI_WINDOWS:
            raise SpeakerModelError(f"speaker model {self.path}: window_type {window!r} in its "
                                    f"metadata is none of Kaldi's ({', '.join(KALDI_WINDOWS)})")
        return window

    def _sample_scale(self, meta: dict[str, str]) -> float:
        normalize = meta.get("normalize_samples", "0")
        if normalize not in ("0", "1"):
            raise SpeakerModelError(f"speaker model {self.path}: normalize_samples "
                                    f"{normalize!r} in its metadata is neither 0 nor 1")
        return 1.0 if normalize == "1" else INT16_SCALE

    def _count_thresholds(self, meta: dict[str, str]) -> dict[str, float]:
        """The count-estimate thresholds the model names (only those it names)."""
        found = {}
        for key in COUNT_THRESHOLD_KEYS:
            if key not in meta:
                continue
            try:
                value = float(meta[key])
            except ValueError:
                value = float("nan")
            if not 0.0 < value < 1.0:  # also refuses nan and inf
                raise SpeakerModelError(f"speaker model {self.path}: {key} {meta[key]!r} in its "
                                        "metadata is not a cosine strictly between 0 and 1")
            found[key] = value
        return found

    def _probe(self) -> int:
        noise = np.random.default_rng(0).normal(0, 0.05, round(PROBE_SECONDS * SAMPLE_RATE))
        try:
            out = self._run(self.features(noise.astype(np.float32))[None])
        except Exception as exc:
            raise SpeakerModelError(f"speaker model {self.path}: a test window failed "
                                    f"({_first_line(exc)})") from None
        if out.ndim != 2 or out.shape[0] != 1 or out.shape[1] < MIN_DIMENSION \
                or not np.all(np.isfinite(out)):
            raise SpeakerModelError(
                f"speaker model {self.path}: gives {tuple(out.shape)} for one window, expected "
                f"(1, dimension) with dimension >= {MIN_DIMENSION}: not a speaker-embedding "
                "model")
        return int(out.shape[1])

    def features(self, window: np.ndarray) -> np.ndarray:
        """(frames, bins) log mel filterbanks of one window, mean over time removed."""
        options = self._fbank.FbankOptions()
        options.frame_opts.samp_freq = SAMPLE_RATE
        options.frame_opts.dither = 0.0
        options.frame_opts.window_type = self.window
        options.mel_opts.num_bins = self.bins
        fbank = self._fbank.OnlineFbank(options)
        fbank.accept_waveform(SAMPLE_RATE, (window * self.sample_scale).tolist())
        fbank.input_finished()
        feats = np.array([fbank.get_frame(i) for i in range(fbank.num_frames_ready)],
                         dtype=np.float32).reshape(-1, self.bins)
        return feats - feats.mean(axis=0, keepdims=True)

    def _run(self, feats: np.ndarray) -> np.ndarray:
        with self._lock:  # one session, used by one thread at a time
            return np.asarray(self._session.run([self._output], {self._input: feats})[0])

    def embed(self, frames: np.ndarray, *, batch_size: int = 64,
              normalize_volume: bool = True) -> np.ndarray:
        """Unit embeddings of equal-length windows (n, samples) -> (n, dimension).
        ``normalize_volume`` is accepted for VoiceEncoder's signature; log filterbanks with
        their mean removed do not depend on the level anyway."""
        frames = np.asarray(frames, dtype=np.float32)
        if frames.ndim == 1:
            frames = frames[None, :]
        out = np.empty((len(frames), self.embedding_size), dtype=np.float32)
        for start in range(0, len(frames), batch_size):
            batch = np.stack([self.features(w) for w in frames[start:start + batch_size]])
            raw = self._run(batch).astype(np.float32)
            norm = np.linalg.norm(raw, axis=1, keepdims=True)
            out[start:start + batch_size] = raw / np.where(norm > 0, norm, 1.0)
        return out


def check_speaker_model(path: Path | str) -> OnnxSpeakerModel:
    """The loaded model, or SpeakerModelError (an EngineError) with one line naming it."""
    return OnnxSpeakerModel(path)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
