"""The sandbox's built-in engines, registered like any plugin's (docs/sandbox-engines.md)."""

from __future__ import annotations

from symbl_media.plugins.hookspecs import hookimpl
from symbl_media.plugins.types import Engine


def _whisper():
    from symbl_media.server.engines.whisper import WhisperTranscriber

    return WhisperTranscriber()


def _voice_encoder():
    from symbl_media.server.engines.diarize import Diarizer

    return Diarizer()


def _heuristics():
    from symbl_media.server import insights

    return insights


@hookimpl
def register_engines(register):
    register(Engine("transcriber", "whisper", _whisper,
                    "faster-whisper tiny.en, offline, from a pinned model folder"))
    register(Engine("diarizer", "voice-encoder", _voice_encoder,
                    "speaker embeddings (Resemblyzer's encoder in numpy), k-means, smoothed; "
                    "messages split where the speaker changes"))
    register(Engine("insights", "heuristics", _heuristics,
                    "topics, action items, questions, follow-ups by plain-Python rules"))
