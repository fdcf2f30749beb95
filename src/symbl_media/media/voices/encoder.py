"""A speaker (d-vector) encoder in plain numpy: Resemblyzer's pretrained LSTM, without torch.

The network is ``power mel spectrogram (40 bands) -> LSTM(40 -> 256, 3 layers) -> final hidden
state of the last layer -> Linear(256 -> 256) -> ReLU -> L2 norm``.  Its weights come from
Resemblyzer 0.1.4 (Apache-2.0, see data/NOTICE) and were converted to numpy arrays by
``scripts/convert-voice-encoder.py``; the file is checked against a pinned SHA-256 before use.

Two voices are compared by the cosine of their embeddings (a dot product, since they are unit
vectors).  Windows of 1.5-2 s give stable embeddings; much shorter ones are noisy.
"""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path

import numpy as np

from symbl_media.errors import EngineError
from symbl_media.media.voices.blas import one_blas_thread

SAMPLE_RATE = 16000
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40
EMBEDDING_SIZE = 256

WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "data" / "voice-encoder.npz"
WEIGHTS_SHA256 = "ea3b2408199a1f28b18b4fe563d4e1a0fba1d017f8dd681b3dc558464e52f3ba"

# embed() brings every window to this RMS level first. The model reads a power (not log)
# spectrogram, so level changes the embedding: the same window 12 dB louder scored cosine 0.72
# against itself, as far apart as two different voices. Resemblyzer raises quiet audio to -30
# dBFS and leaves loud audio alone; scaling both ways makes the embedding independent of level.
TARGET_DBFS = -30.0

_HIDDEN = 256
_LAYERS = 3


class VoiceEncoderError(EngineError):
    """The weights file is missing, altered or unreadable."""


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 0.5 * (1 + tanh(x / 2)) is the logistic function without exp() overflow warnings.
    return 0.5 + 0.5 * np.tanh(0.5 * x)


class VoiceEncoder:
    """Embeds batches of 16 kHz mono float32 windows into unit 256-d voice vectors."""

    def __init__(self, path: Path | str = WEIGHTS_PATH, sha256: str | None = WEIGHTS_SHA256):
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise VoiceEncoderError(f"voice encoder weights {path} cannot be read: {e}") from e
        digest = hashlib.sha256(data).hexdigest()
        if sha256 is not None and digest != sha256:
            raise VoiceEncoderError(
                f"voice encoder weights {path} have SHA-256 {digest}, expected {sha256}: "
                "the file was altered or replaced; regenerate it with "
                "scripts/convert-voice-encoder.py")
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                arrays = {name: z[name] for name in z.files}
        except Exception as e:  # any parse failure means an unusable file
            raise VoiceEncoderError(f"voice encoder weights {path} are unreadable: {e}") from e
        try:
            self.mel_basis_t = np.ascontiguousarray(arrays["mel_basis"].T, dtype=np.float32)
            # Per layer: input weights transposed (in, 4H), recurrent weights transposed (H, 4H),
            # both biases summed.  Gate order is PyTorch's: input, forget, cell, output.
            self.layers = []
            for layer in range(_LAYERS):
                w_ih = arrays[f"lstm.weight_ih_l{layer}"].astype(np.float32)
                w_hh = arrays[f"lstm.weight_hh_l{layer}"].astype(np.float32)
                bias = (arrays[f"lstm.bias_ih_l{layer}"].astype(np.float32)
                        + arrays[f"lstm.bias_hh_l{layer}"].astype(np.float32))
                self.layers.append((np.ascontiguousarray(w_ih.T), np.ascontiguousarray(w_hh.T),
                                    bias))
            self.linear_w_t = np.ascontiguousarray(arrays["linear.weight"].T, dtype=np.float32)
            self.linear_b = arrays["linear.bias"].astype(np.float32)
        except KeyError as e:
            raise VoiceEncoderError(f"voice encoder weights {path} lack the array {e}") from e
        if self.mel_basis_t.shape != (N_FFT // 2 + 1, N_MELS) or self.linear_w_t.shape != (
                _HIDDEN, EMBEDDING_SIZE):
            raise VoiceEncoderError(f"voice encoder weights {path} have unexpected shapes")
        self.path = path
        self.sha256 = digest
        # Periodic Hann, as scipy.signal.get_window('hann', 400) gives librosa.
        hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
        self._window = hann.astype(np.float32)

    # -- features ------------------------------------------------------------------------------

    def mel(self, frames: np.ndarray) -> np.ndarray:
        """Power mel spectrogram of a batch (n, samples) -> (n, 1 + samples // 160, 40), float32.

        Same as ``librosa.feature.melspectrogram(y, sr=16000, n_fft=400, hop_length=160,
        n_mels=40)`` (periodic Hann window, centred frames, zero padding) transposed.
        """
        frames = np.asarray(frames, dtype=np.float32)
        if frames.ndim != 2:
            raise ValueError("frames must be a 2-d batch (windows, samples)")
        pad = N_FFT // 2
        padded = np.pad(frames, ((0, 0), (pad, pad)))
        framed = np.lib.stride_tricks.sliding_window_view(padded, N_FFT, axis=1)[:, ::HOP]
        spectrum = np.fft.rfft(framed * self._window, axis=-1)
        power = (spectrum.real ** 2 + spectrum.imag ** 2).astype(np.float32)
        return power @ self.mel_basis_t

    # -- network -------------------------------------------------------------------------------

    def forward(self, mels: np.ndarray) -> np.ndarray:
        """Embeddings of a batch of mel spectrograms (n, steps, 40) -> (n, 256), unit length."""
        x = np.asarray(mels, dtype=np.float32)
        n, steps, _ = x.shape
        h = np.zeros((n, _HIDDEN), dtype=np.float32)
        for index, (w_ih_t, w_hh_t, bias) in enumerate(self.layers):
            last = index == _LAYERS - 1
            # Input contributions for every step at once; only the recurrence is sequential.
            xw = x.reshape(n * steps, -1) @ w_ih_t
            xw += bias
            xw = xw.reshape(n, steps, 4 * _HIDDEN)
            h = np.zeros((n, _HIDDEN), dtype=np.float32)
            c = np.zeros((n, _HIDDEN), dtype=np.float32)
            out = None if last else np.empty((n, steps, _HIDDEN), dtype=np.float32)
            for t in range(steps):
                gates = h @ w_hh_t
                gates += xw[:, t]
                i = _sigmoid(gates[:, :_HIDDEN])
                f = _sigmoid(gates[:, _HIDDEN:2 * _HIDDEN])
                g = np.tanh(gates[:, 2 * _HIDDEN:3 * _HIDDEN])
                o = _sigmoid(gates[:, 3 * _HIDDEN:])
                c = f * c + i * g
                h = o * np.tanh(c)
                if out is not None:
                    out[:, t] = h
            if out is not None:
                x = out
        raw = np.maximum(h @ self.linear_w_t + self.linear_b, 0.0)
        norm = np.linalg.norm(raw, axis=1, keepdims=True)
        # A window whose every output is cut by the ReLU has no direction; leave it at zero.
        return (raw / np.where(norm > 0, norm, 1.0)).astype(np.float32)

    def embed(self, frames: np.ndarray, *, normalize_volume: bool = True,
              batch_size: int = 64) -> np.ndarray:
        """Embed a batch of equal-length windows, float32 16 kHz mono (n, samples) -> (n, 256).

        With ``normalize_volume`` (the default) each window is first scaled to -30 dBFS RMS
        (see TARGET_DBFS); without it the result is exactly Resemblyzer's network on the samples.
        """
        frames = np.asarray(frames, dtype=np.float32)
        if frames.ndim == 1:
            frames = frames[None, :]
        if frames.ndim != 2:
            raise ValueError("frames must be (windows, samples)")
        if frames.shape[0] == 0:
            return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
        if frames.shape[1] < HOP:
            raise ValueError("windows must be at least 10 ms long")
        out = np.empty((frames.shape[0], EMBEDDING_SIZE), dtype=np.float32)
        with one_blas_thread():
            for start in range(0, frames.shape[0], batch_size):
                batch = frames[start:start + batch_size]
                if normalize_volume:
                    batch = set_level(batch)
                out[start:start + batch_size] = self.forward(self.mel(batch))
        return out


def set_level(frames: np.ndarray, target_dbfs: float = TARGET_DBFS) -> np.ndarray:
    """Each row scaled to ``target_dbfs`` RMS; digital silence stays silent."""
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    target = 10.0 ** (target_dbfs / 20.0)
    gain = np.where(rms > 0, target / np.maximum(rms, 1e-12), 1.0)
    return (frames * gain[:, None]).astype(np.float32)


_shared: VoiceEncoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> VoiceEncoder:
    """The bundled encoder, loaded (and verified) once per process."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = VoiceEncoder()
        return _shared
