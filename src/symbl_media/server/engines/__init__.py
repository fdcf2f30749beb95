"""Engines behind the sandbox: transcription, speaker diarization. Replaceable by plugins.

A transcriber is any object with ``name: str`` and
``transcribe(wav: Path, *, language: str, vocabulary: Sequence[str] = ()) -> Transcript``,
where ``wav`` is 16 kHz mono 16-bit PCM made by the sandbox from the upload, and the result's
segments are split at pauses, carry word timings, and are timed from the start of ``wav``.
"""
