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


def _openai(settings):
    from symbl_media.server.engines.openai_speech import build

    return build(settings)


def _check_openai(settings) -> None:
    from symbl_media.server.engines.openai_speech import check

    check(settings)


def _voice_encoder(settings):
    from symbl_media.server.engines.diarize import Diarizer

    return Diarizer(speaker_model=settings.speaker_model)


def _check_voice_encoder(settings) -> None:
    # The bundled encoder needs nothing; a speaker model the user named must load and answer.
    if settings.speaker_model is not None:
        from symbl_media.media.voices.onnx_model import check_speaker_model

        check_speaker_model(settings.speaker_model)


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
                    "faster-whisper, offline: tiny.en (pinned) or the model folder given",
                    check=_check_whisper))
    register(Engine("transcriber", "openai", _openai,
                    "any OpenAI-compatible speech-to-text endpoint (--transcriber-url)",
                    check=_check_openai))
    register(Engine("diarizer", "voice-encoder", _voice_encoder,
                    "speaker embeddings (Resemblyzer's encoder in numpy), k-means, smoothed; "
                    "messages split where the speaker changes", check=_check_voice_encoder))
    register(Engine("insights", "heuristics", _heuristics,
                    "topics, action items, questions, follow-ups by plain-Python rules"))
    register(Engine("insights", "llm", _llm,
                    "topics, action items, questions, follow-ups from an OpenAI-compatible "
                    "chat endpoint, grounded in the messages; the heuristics when it fails",
                    check=_check_llm))
