"""Transcription by an OpenAI-compatible speech-to-text endpoint (``--transcriber openai``):
speaches, faster-whisper-server, LocalAI, vLLM or OpenAI itself, through
``POST {base}/audio/transcriptions``.

Hosted endpoints refuse uploads over 25 MB (OpenAI: 26,214,400 bytes), about 13 minutes of
the 16 kHz 16-bit WAV the sandbox makes, so a longer recording goes in pieces cut at pauses
(``find_silences``, ``plan_cuts``, as the built-in engine cuts), each read from the WAV as it is
sent, and the words are moved back onto the whole file's clock. Segments are then rebuilt
from the words exactly as the built-in engine rebuilds them, so messages split the same way
and the diarizer applies on top unchanged.

Calls are retried by the one policy in ``symbl_media.retries`` (429 and 5xx, failed
connections; ``Retry-After`` honoured). A piece that gets no answer in time is sent once
more, not more: the server may still be working on it, and each try adds to its load. A CPU
server can take about as long as the audio, so the wait is 60 s plus the piece's length
unless set. Anything else ends the job with
JobFailure naming the endpoint and what it said, the key masked. Redirects are not followed,
so the key is never carried to another host.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import requests

from symbl_media.contract.languages import DEFAULT_LANGUAGE
from symbl_media.errors import EngineError
from symbl_media.media.chunking import plan_cuts
from symbl_media.media.silence import find_silences
from symbl_media.retries import RetryPolicy
from symbl_media.server.engines.settings import Endpoint, EngineSettings, is_openai
from symbl_media.server.engines.speech_reply import NotATranscription, reply_words
from symbl_media.server.engines.speech_upload import RATE, SAMPLE_BYTES, PieceBody
from symbl_media.server.engines.whisper import (
    clamp_words,
    split_segments,
    whisper_language,
)
from symbl_media.server.failures import JobFailure
from symbl_media.server.model import Transcript, Word

log = logging.getLogger("symbl_media.server")

DEFAULT_MODEL = "whisper-1"
UPLOAD_LIMIT = 25_000_000  # bytes of one request body, under OpenAI's 26,214,400
PIECE_SECONDS = 600.0  # 19.2 MB of WAV; a cut may move up to 1.25 times that to find a pause
PROMPT_CHARS = 600  # OpenAI reads the last 224 tokens of a prompt; keep the list short
REPLY_LIMIT = 32 << 20  # a reply larger than this is not a transcription of 13 minutes
POLICY = RetryPolicy(attempts=5, backoff=1.0, max_backoff=20.0)


class OpenAITranscriber:
    """A transcriber (see engines/__init__.py) that sends the audio to ``endpoint``."""

    def __init__(self, endpoint: Endpoint, *, piece_seconds: float = PIECE_SECONDS,
                 policy: RetryPolicy = POLICY, connect_timeout: float = 10.0,
                 read_timeout: float | None = None,
                 upload_limit: int = UPLOAD_LIMIT) -> None:
        room = (upload_limit - 64 * 1024) / (RATE * SAMPLE_BYTES)  # seconds that fit
        if room < 40:
            raise ValueError("upload_limit leaves room for less than 40 s of audio")
        self.endpoint = endpoint
        self.model = endpoint.model or DEFAULT_MODEL
        self.max_seconds = room
        self.piece_seconds = min(piece_seconds, room / 1.25)
        self.policy = policy
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.name = f"openai-compatible {self.model} at {endpoint.shown}"

    def transcribe(self, wav: Path, *, language: str = DEFAULT_LANGUAGE,
                   vocabulary: Sequence[str] = ()) -> Transcript:
        wav = Path(wav)
        frames = _frames(wav)
        duration = frames / RATE
        silences = find_silences(wav)
        cuts = plan_cuts(duration, silences, self.piece_seconds, max_seconds=self.max_seconds,
                         min_seconds=min(self.piece_seconds / 4, 60.0))
        edges = [0, *(round(c.at * RATE) for c in cuts), frames]
        bounds = [(a, b) for a, b in pairwise(edges) if b - a >= RATE // 10]
        fields = self._fields(language, vocabulary)
        words: list[Word] = []
        for index, (first, end) in enumerate(bounds, 1):
            body = PieceBody(wav, first, end, fields)
            log.info("transcriber: piece %d/%d (%.0f-%.0f s, %.1f MB) to %s", index,
                     len(bounds), first / RATE, end / RATE, len(body) / 1e6, self.endpoint.shown)
            reply = self._post(body)
            offset = first / RATE
            pauses = [(q.start - offset, q.end - offset) for q in silences
                      if q.end > offset and q.start < end / RATE]
            try:
                found = reply_words(reply, (end - first) / RATE, pauses)
            except NotATranscription as exc:
                raise self._failure(f"answered with something that is not a transcription "
                                    f"({exc})") from None
            words += [Word(w.text, offset + w.start, offset + w.end, w.score) for w in found]
        words = clamp_words(words, duration)
        return Transcript(segments=tuple(split_segments(words, silences)), duration=duration,
                          engine=self.name,
                          details={"pieces": [(a / RATE, b / RATE) for a, b in bounds]})

    def _fields(self, language: str, vocabulary: Sequence[str]) -> list[tuple[str, str]]:
        fields = [("model", self.model), ("response_format", "verbose_json"),
                  ("timestamp_granularities[]", "word"),
                  ("timestamp_granularities[]", "segment"),
                  ("language", whisper_language(language)), ("temperature", "0")]
        # Whisper reads the prompt as the text before the audio: the words it should expect,
        # as a list, steer it as the built-in engine's hotwords do.
        prompt = ", ".join(v.strip() for v in vocabulary if v.strip())
        if prompt:
            fields.append(("prompt", prompt[:PROMPT_CHARS]))
        return fields

    def _post(self, body: PieceBody) -> object:
        url = f"{self.endpoint.url}/audio/transcriptions"
        attempts = self.policy.attempts
        wait = self.read_timeout or 60.0 + (body.end - body.first) / RATE
        timeouts = 0
        for attempt in range(1, attempts + 1):
            retry_after = None
            headers = {"Content-Type": body.content_type, "Accept": "application/json"}
            if self.endpoint.key is not None:
                headers["Authorization"] = f"Bearer {self.endpoint.key.value}"
            try:
                with requests.post(url, data=body, headers=headers,
                                   timeout=(self.connect_timeout, wait),
                                   allow_redirects=False, stream=True) as reply:
                    text = self.endpoint.hide(_read(reply))  # before any of it is cut short
                    status = reply.status_code
                    retry_after = reply.headers.get("Retry-After")
            except requests.ConnectTimeout:  # nothing was sent: safe to try again
                problem = f"no connection within {self.connect_timeout:g} s"
            except requests.Timeout:
                problem = f"no answer within {wait:g} s"
                timeouts += 1
            except requests.RequestException as exc:
                problem = _unreachable(exc)
            else:
                if status == 200:
                    try:
                        return json.loads(text)
                    except ValueError:
                        raise self._failure("answered with something that is not JSON: "
                                            f"{_said(text)}") from None
                said = f"{status}: {_said(text)}"
                if not self.policy.retries(status):
                    raise self._failure(f"refused the audio ({said})")
                problem = said
            if attempt == attempts or timeouts == 2:
                raise self._failure(f"failed {attempt} times, the last with {problem}")
            pause = self.policy.pause(attempt, retry_after)
            log.warning("transcriber: %s (%s); trying again in %.1f s", self.endpoint.shown,
                        self.endpoint.hide(problem), pause)
            time.sleep(pause)
            body = body.reopen()
        raise AssertionError("unreachable")

    def _failure(self, what: str) -> JobFailure:
        return JobFailure(self.endpoint.hide(f"the transcriber endpoint {self.endpoint.shown} {what}"))


def _read(reply: requests.Response) -> str:
    """The body, at most REPLY_LIMIT bytes (a reply past that is garbage, not a transcript)."""
    chunks, size = [], 0
    for chunk in reply.iter_content(64 * 1024):
        size += len(chunk)
        if size > REPLY_LIMIT:
            return "<a reply over 32 MB>"
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def _said(text: str) -> str:
    """What an error reply says: OpenAI's ``{"error": {"message"}}``, FastAPI's
    ``{"detail"}``, or the start of the text, on one line."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        message = (error.get("message") if isinstance(error, dict) else error) \
            or data.get("detail") or data.get("message")
        if message:
            text = message if isinstance(message, str) else json.dumps(message)
    text = " ".join(text.split()) or "an empty reply"
    return text if len(text) <= 300 else text[:299] + "…"


def _unreachable(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.ConnectionError):
        reason = str(exc.__context__ or exc)
        if "refused" in reason.lower():
            return "the connection refused"
        if "name or service" in reason.lower() or "resolve" in reason.lower():
            return "a host name that does not resolve"
        return "a broken connection"
    return type(exc).__name__


def _frames(wav: Path) -> int:
    import soundfile as sf

    try:
        info = sf.info(str(wav))
    except RuntimeError as exc:
        raise EngineError(f"{wav}: not a WAV file the transcriber can read ({exc})") from None
    if info.samplerate != RATE or info.channels != 1 or info.subtype != "PCM_16":
        raise EngineError(f"{wav}: the transcriber takes 16 kHz mono 16-bit audio, not "
                          f"{info.samplerate} Hz {info.subtype} with {info.channels} channels")
    return info.frames


def build(settings: EngineSettings) -> OpenAITranscriber:
    return OpenAITranscriber(settings.endpoint("transcriber", DEFAULT_MODEL))


def check(settings: EngineSettings) -> None:
    """Refuse at start what cannot work: no URL; OpenAI's own API without a key."""
    endpoint = settings.endpoint("transcriber", DEFAULT_MODEL)
    if is_openai(endpoint.url) and endpoint.key is None:
        raise EngineError("OpenAI's API needs a key: set OPENAI_API_KEY or "
                          "SYMBL_MEDIA_TRANSCRIBER_KEY, or give --transcriber-key-file FILE")
