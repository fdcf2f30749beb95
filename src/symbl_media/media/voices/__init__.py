"""Speaker (voice) embeddings: the bundled numpy d-vector encoder, an optional ONNX speaker
model the user has, and the windows a span of a recording is embedded in.

encoder.py   Resemblyzer's pretrained LSTM in numpy (the default; weights pinned by SHA-256)
blas.py      numpy's OpenBLAS on one thread while the encoder runs
spans.py     SpanEmbedder: spans of a 16 kHz WAV -> windows -> embeddings
onnx_model.py  an ONNX speaker model (WeSpeaker's interface) in the encoder's place, checked
"""

from symbl_media.media.voices.blas import one_blas_thread
from symbl_media.media.voices.encoder import (
    EMBEDDING_SIZE,
    SAMPLE_RATE,
    TARGET_DBFS,
    WEIGHTS_PATH,
    WEIGHTS_SHA256,
    VoiceEncoder,
    VoiceEncoderError,
    set_level,
    shared_encoder,
)
from symbl_media.media.voices.onnx_model import (
    OnnxSpeakerModel,
    SpeakerModelError,
    check_speaker_model,
)
from symbl_media.media.voices.spans import HOP_SECONDS, WINDOW_SECONDS, SpanEmbedder, SpanWindows

__all__ = [
    "EMBEDDING_SIZE",
    "HOP_SECONDS",
    "SAMPLE_RATE",
    "TARGET_DBFS",
    "WEIGHTS_PATH",
    "WEIGHTS_SHA256",
    "WINDOW_SECONDS",
    "OnnxSpeakerModel",
    "SpanEmbedder",
    "SpanWindows",
    "SpeakerModelError",
    "VoiceEncoder",
    "VoiceEncoderError",
    "check_speaker_model",
    "one_blas_thread",
    "set_level",
    "shared_encoder",
]
