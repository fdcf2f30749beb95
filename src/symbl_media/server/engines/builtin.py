"""The sandbox's built-in engines, registered like any plugin's (docs/sandbox-engines.md)."""

from __future__ import annotations

from symbl_media.plugins.hookspecs import hookimpl
from symbl_media.plugins.types import Engine


def _whisper(settings):
    from symbl_media.server.engines.whisper import WhisperTranscriber

    return WhisperTranscriber(settings.whisper_model)


def _check_whisper(settings) -> None:
    # Hashing the pinned files takes a moment once per process; a job would do it anyway.
    from symbl_media.server.engines.models import load_model_dir

    load_model_dir(settings.whisper_model)


def _voice_encoder(settings):
    from symbl_media.server.engines.diarize import Diarizer

    return Diarizer()


def _heuristics(settings):
    from symbl_media.server import insights

    return insights


def _llm(settings):
    from symbl_media.server.engines import llm

    return llm.build(settings)


def _check_llm(settings) -> None:
    from symbl_media.server.engines import llm

    llm.check(settings)


@hookimpl
def register_engines(register):
    register(Engine("transcriber", "whisper", _whisper,
                    "faster-whisper tiny.en, offline, from a pinned model folder",
                    check=_check_whisper))
    register(Engine("diarizer", "voice-encoder", _voice_encoder,
                    "speaker embeddings (Resemblyzer's encoder in numpy) and k-means"))
    register(Engine("insights", "heuristics", _heuristics,
                    "topics, action items, questions, follow-ups by plain-Python rules"))
    register(Engine("insights", "llm", _llm,
                    "topics, action items, questions, follow-ups from an OpenAI-compatible "
                    "chat endpoint, grounded in the messages; the heuristics when it fails",
                    check=_check_llm))
