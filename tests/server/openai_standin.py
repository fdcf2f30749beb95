"""A loopback stand-in for an OpenAI-compatible speech-to-text service, for tests.

It speaks the documented wire format of ``POST /v1/audio/transcriptions`` and enforces what
the hosted service enforces: multipart/form-data with a ``file`` and a ``model``, a Bearer key,
the 25 MB body limit (413 with OpenAI's message), known model names, ISO-639-1 languages,
``timestamp_granularities[]`` only with ``verbose_json``, a file that is audio. Errors come in
OpenAI's shape, ``{"error": {"message", "type", "param", "code"}}``.

What it hears: ``mode="tones"`` gives one word per burst of sound (``tone1``, ``tone2``, ...),
one sentence per run of bursts, so times can be checked anywhere in a long file;
``mode="whisper"`` runs the real faster-whisper tiny.en on the upload. Words come back as
OpenAI sends them: no punctuation, no confidence (segments carry both).

Faults on demand, one per request, in order: ``then("429:2", "500", "401", "hang",
"garbage", "echo500")`` (the last a 500 whose message quotes the request's headers, key
included).
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import math
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

LIMIT = 26_214_400  # OpenAI's documented 25 MB, as its 413 message states it
FORMATS = ("json", "text", "srt", "verbose_json", "vtt")


@dataclass
class Heard:
    """One request as the stand-in received it."""

    fields: dict[str, list[str]]
    authorization: str | None
    content_length: int
    file_name: str | None = None
    audio_seconds: float = 0.0
    status: int = 0


@dataclass
class StandIn:
    key: str | None = "sk-standin-key-0123456789"
    models: tuple[str, ...] = ("whisper-1",)
    mode: str = "tones"
    limit: int = LIMIT
    heard: list[Heard] = field(default_factory=list)
    faults: deque = field(default_factory=deque)
    release: threading.Event = field(default_factory=threading.Event)
    _whisper: object = None
    _server: ThreadingHTTPServer | None = None

    def then(self, *faults: str) -> None:
        self.faults.extend(faults)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self, port: int = 0) -> StandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                standin._handle(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # ------------------------------------------------------------------ one request
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or -1)
        heard = Heard({}, h.headers.get("Authorization"), length)
        self.heard.append(heard)
        if length < 0:
            return self._error(h, heard, 411, "Content-Length is required", "invalid_request")
        if length > self.limit:
            _drain(h, length)
            return self._error(h, heard, 413, f"Maximum content size limit ({self.limit}) "
                               f"exceeded ({length} bytes read)", None, "server_error")
        body = h.rfile.read(length)
        fault = self.faults.popleft() if self.faults else None
        if fault == "hang":
            self.release.wait(60)
            h.close_connection = True
            return
        if fault == "garbage":
            return self._send(h, heard, 200, b"<html><body>502 Bad Gateway</body></html>",
                              "text/html")
        if fault == "echo500":  # a crashed proxy that dumps the request it choked on
            return self._error(h, heard, 500, f"upstream failed on Authorization: "
                               f"{h.headers.get('Authorization')}; all headers: "
                               f"{dict(h.headers)}", None, "server_error")
        if fault and fault.split(":")[0] in ("429", "500", "503"):
            status = int(fault.split(":")[0])
            headers = {"Retry-After": fault.split(":")[1]} if ":" in fault else {}
            message = "Rate limit reached for requests" if status == 429 else \
                "The server had an error while processing your request. Sorry about that!"
            return self._error(h, heard, status, message, None, "requests" if status == 429
                               else "server_error", headers)
        given = (heard.authorization or "").removeprefix("Bearer ").strip()
        if fault == "401" or (self.key is not None and given != self.key):
            return self._error(h, heard, 401, f"Incorrect API key provided: {given}. You can "
                               f"find your API key at https://platform.openai.com/account/"
                               f"api-keys.", "invalid_api_key")
        parts = _multipart(h.headers.get("Content-Type", ""), body)
        if parts is None:
            return self._error(h, heard, 400, "Could not parse multipart form", None)
        fields, files = parts
        heard.fields = fields
        return self._transcribe(h, heard, fields, files)

    def _transcribe(self, h, heard: Heard, fields: dict, files: dict) -> None:
        if "file" not in files:
            return self._error(h, heard, 400, "you must provide a file", None, param="file")
        if not fields.get("model"):
            return self._error(h, heard, 400, "you must provide a model parameter", None,
                               param="model")
        model = fields["model"][-1]
        if model not in self.models:
            return self._error(h, heard, 404, f"The model `{model}` does not exist or you do "
                               f"not have access to it.", "model_not_found", param="model")
        fmt = (fields.get("response_format") or ["json"])[-1]
        if fmt not in FORMATS:
            return self._error(h, heard, 400, f"'{fmt}' is not one of {list(FORMATS)} - "
                               f"'response_format'", None, param="response_format")
        grains = fields.get("timestamp_granularities[]", [])
        if grains and (fmt != "verbose_json" or set(grains) - {"word", "segment"}):
            return self._error(h, heard, 400, "timestamp_granularities requires "
                               "response_format=verbose_json and word or segment", None,
                               param="timestamp_granularities")
        language = (fields.get("language") or [None])[-1]
        if language is not None and (len(language) != 2 or not language.isalpha()):
            return self._error(h, heard, 400, f"Invalid language '{language}'. Language "
                               f"parameter must be specified in ISO-639-1 format.", None,
                               param="language")
        name, data = files["file"]
        heard.file_name = name
        try:
            import soundfile as sf

            audio, rate = sf.read(io.BytesIO(data), dtype="float32")
        except (RuntimeError, TypeError, ValueError):  # what libsndfile raises for non-audio
            return self._error(h, heard, 400, "Invalid file format. Supported formats: "
                               "['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', "
                               "'wav', 'webm']", None, param="file")
        audio = audio if audio.ndim == 1 else audio.mean(axis=1)
        heard.audio_seconds = len(audio) / rate
        words, segments = (self._whisper_words(audio, rate, language) if self.mode == "whisper"
                           else _tones(audio, rate))
        reply = {"task": "transcribe", "language": "english", "duration": len(audio) / rate,
                 "text": " ".join(s["text"] for s in segments)}
        if "segment" in grains or not grains:
            reply["segments"] = segments
        if "word" in grains:
            reply["words"] = words
        self._send(h, heard, 200, json.dumps(reply).encode(), "application/json")

    def _whisper_words(self, audio, rate, language):
        from faster_whisper import WhisperModel

        from symbl_media.server.engines.models import load_model_dir

        if self._whisper is None:
            self._whisper = WhisperModel(str(load_model_dir(None)), device="cpu",
                                         compute_type="int8", cpu_threads=1)
        assert rate == 16000
        found, _ = self._whisper.transcribe(audio, language=language or "en",
                                            word_timestamps=True, vad_filter=True,
                                            condition_on_previous_text=False, temperature=0.0)
        words, segments = [], []
        for i, s in enumerate(found):
            segments.append({"id": i, "seek": 0, "start": s.start, "end": s.end,
                             "text": s.text, "tokens": [], "temperature": 0.0,
                             "avg_logprob": s.avg_logprob, "compression_ratio": 1.0,
                             "no_speech_prob": s.no_speech_prob})
            words += [{"word": "".join(c for c in w.word.strip() if c.isalnum() or c in "'-"),
                       "start": w.start, "end": w.end} for w in s.words or ()]
        return words, segments

    # ------------------------------------------------------------------ replies
    def _error(self, h, heard, status, message, code, kind="invalid_request_error",
               headers=None, param=None) -> None:
        body = {"error": {"message": message, "type": kind, "param": param, "code": code}}
        self._send(h, heard, status, json.dumps(body).encode(), "application/json", headers)

    @staticmethod
    def _send(h, heard, status, body: bytes, content_type: str, headers=None) -> None:
        heard.status = status
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(body)


def _drain(h, length: int) -> None:
    while length > 0:
        block = h.rfile.read(min(length, 1 << 20))
        if not block:
            break
        length -= len(block)


def _multipart(content_type: str, body: bytes):
    if not content_type.startswith("multipart/form-data") or "boundary=" not in content_type:
        return None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        return None
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = (filename, payload)
        else:
            fields.setdefault(name, []).append(payload.decode())
    return fields, files


def _tones(audio, rate, frame_seconds: float = 0.02):
    """One word per stretch of sound (frames louder than a tenth of the loudest), one
    segment per run of words closer than 0.5 s."""
    n = int(rate * frame_seconds)
    frames = audio[: len(audio) // n * n].reshape(-1, n)
    loud = np.sqrt((frames ** 2).mean(axis=1)) > max(float(np.abs(audio).max()) / 10, 1e-4)
    words, run_start = [], None
    for i, on in enumerate([*loud, False]):
        if on and run_start is None:
            run_start = i
        elif not on and run_start is not None:
            if i - run_start >= 3:
                words.append({"word": f"tone{len(words) + 1}",
                              "start": round(run_start * frame_seconds, 2),
                              "end": round(i * frame_seconds, 2)})
            run_start = None
    segments: list[dict] = []
    for w in words:
        if segments and w["start"] - segments[-1]["end"] < 0.5:
            segments[-1]["end"] = w["end"]
            segments[-1]["text"] += " " + w["word"]
        else:
            segments.append({"id": len(segments), "start": w["start"], "end": w["end"],
                             "text": w["word"], "avg_logprob": math.log(0.9)})
    for s in segments:
        s["text"] = " " + s["text"] + "."
    return words, segments
