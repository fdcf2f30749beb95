"""The speakers benchmark's kept transcripts (benchmarks/realspeech/speakers.py) are keyed by
the transcriber's code: every engine module it uses, not only its own. Keyed by whisper.py
alone, transcripts made before a change to the VAD (speech.py) or the fallback (decoding.py)
were reused, and the published four-person meeting figures were measured on stale words."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.realspeech.speakers import transcriber_code  # noqa: E402


def _package(root: Path, threshold: str) -> None:
    package = root / "fake_engines"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "speech.py").write_text(f"THRESHOLD = {threshold}\n\ndef spans():\n"
                                       "    return THRESHOLD\n")
    (package / "whisper.py").write_text("from fake_engines.speech import spans\n\n"
                                        "class Transcriber:\n    pass\n")


def _code(root: Path) -> str:
    import linecache

    for name in ("fake_engines.whisper", "fake_engines.speech", "fake_engines"):
        sys.modules.pop(name, None)
    linecache.clearcache()  # inspect.getsource reads the file as it is now
    importlib.invalidate_caches()
    importlib.import_module("fake_engines.whisper")
    return transcriber_code("fake_engines.whisper")


def test_a_change_to_a_module_the_transcriber_imports_changes_the_key(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    _package(tmp_path, "0.5")
    before = _code(tmp_path)
    assert _code(tmp_path) == before  # the same code, the same key
    _package(tmp_path, "0.3")  # only speech.py changes; whisper.py is the same
    assert _code(tmp_path) != before
    for name in ("fake_engines.whisper", "fake_engines.speech", "fake_engines"):
        sys.modules.pop(name, None)


def test_the_real_transcriber_s_key_covers_its_vad_and_its_decoding():
    import inspect

    from symbl_media.server.engines import whisper

    used = {o.__module__ for o in vars(whisper).values()
            if inspect.isclass(o) or inspect.isfunction(o)}
    assert {"symbl_media.server.engines.speech", "symbl_media.server.engines.decoding"} <= used
    assert len(transcriber_code("symbl_media.server.engines.whisper")) == 16
