"""One chat completion from an OpenAI-compatible endpoint (Ollama, llama.cpp's server, vLLM,
LM Studio, OpenAI): ``POST {base}/chat/completions``, the answer's text back.

Structured output is asked for the strongest way the endpoint accepts: ``response_format``
with a JSON schema, else ``json_object``, else nothing (the caller validates every answer
anyway). An endpoint that refuses a form with an error naming it (a 400, FastAPI's 422,
llama-cpp-python's 500) is asked again in the next form, and the form that worked is kept
for the engine's later calls.

Retries follow the package's one policy (``symbl_media.retries``): 429 and gateway errors and
failed connections are tried again after growing pauses, a ``Retry-After`` honoured; a
``Retry-After`` longer than the policy's cap, a deadline that would pass, a read timeout (a
model too slow for this piece will be as slow again) or any other status ends the call with
``EngineUnavailable``, whose one-line reason never holds the key.
"""

from __future__ import annotations

import logging
import threading
import time

import requests

from symbl_media.errors import EngineUnavailable
from symbl_media.retries import RetryPolicy, retry_after_seconds
from symbl_media.server.engines.settings import Endpoint

log = logging.getLogger("symbl_media.server")

FORMS = ("json_schema", "json_object", "none")
# A job waits for its insights; these bound how long an endpoint can hold it.
POLICY = RetryPolicy(attempts=4, backoff=1.0, max_backoff=20.0)
TIMEOUT = 180.0  # seconds for one answer: a CPU-only local model on a long piece is slow
_REFUSED_FORM = ("response_format", "json_schema", "schema", "json_object")


class Chat:
    def __init__(self, endpoint: Endpoint, *, timeout: float = TIMEOUT,
                 policy: RetryPolicy = POLICY, max_tokens: int = 2048, sleep=time.sleep
                 ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.policy = policy
        self.max_tokens = max_tokens
        self._sleep = sleep
        self._form = 0  # index into FORMS: the strongest form this endpoint has accepted
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.endpoint.url}/chat/completions"

    def complete(self, messages: list[dict], schema: dict, *, deadline: float) -> str:
        """The assistant's text for ``messages``; ``deadline`` is a time.monotonic() after
        which no new try starts."""
        attempt = 0
        while True:
            attempt += 1
            form = self._form
            try:
                # No shared Session: jobs of several conversations call at once.
                reply = requests.post(self.url, json=self._body(messages, schema, form),
                                      headers=self._headers(), timeout=self.timeout)
            except requests.exceptions.ReadTimeout:
                raise EngineUnavailable(f"the chat endpoint gave no answer within "
                                        f"{self.timeout:g} s") from None
            except requests.exceptions.RequestException as exc:
                reason = f"the chat endpoint cannot be reached ({type(exc).__name__})"
                self._pause_or_fail(attempt, None, reason, deadline)
                continue
            if reply.status_code == 200:
                return self._content(reply)
            reason = f"the chat endpoint answered {reply.status_code}: {self._error(reply)}"
            # A refused form: 400 (OpenAI, vLLM), 422 (FastAPI's validation), even 500
            # (llama-cpp-python's server wraps its validation error in one).
            if reply.status_code >= 400 and form + 1 < len(FORMS) and \
                    any(word in reason.lower() for word in _REFUSED_FORM):
                with self._lock:
                    self._form = max(self._form, form + 1)
                log.info("the chat endpoint %s refused response_format %s; asking with %s",
                         self.endpoint.shown, FORMS[form], FORMS[form + 1])
                attempt -= 1  # a form refused is not a failed try
                continue
            if not self.policy.retries(reply.status_code):
                raise EngineUnavailable(reason)
            self._pause_or_fail(attempt, reply.headers.get("Retry-After"), reason, deadline)

    def _pause_or_fail(self, attempt: int, retry_after: str | None, reason: str,
                       deadline: float) -> None:
        asked = retry_after_seconds(retry_after)
        if asked is not None and asked > self.policy.max_backoff:
            raise EngineUnavailable(f"{reason} (asked to wait {asked:.0f} s)")
        if attempt >= self.policy.attempts:
            raise EngineUnavailable(f"{reason} ({attempt} tries)")
        pause = self.policy.pause(attempt, retry_after)
        if time.monotonic() + pause > deadline:
            raise EngineUnavailable(f"{reason} (no time left to try again)")
        log.warning("%s; trying again in %.1f s", reason, pause)
        self._sleep(pause)

    def _headers(self) -> dict:
        headers = {"Accept": "application/json"}
        if self.endpoint.key is not None:
            headers["Authorization"] = f"Bearer {self.endpoint.key.value}"
        return headers

    def _body(self, messages: list[dict], schema: dict, form: int) -> dict:
        body = {"model": self.endpoint.model, "messages": messages, "temperature": 0,
                "max_tokens": self.max_tokens, "stream": False}
        if FORMS[form] == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "conversation_insights", "strict": True, "schema": schema}}
        elif FORMS[form] == "json_object":
            # llama-cpp-python and a few others read a schema here; the rest ignore it.
            body["response_format"] = {"type": "json_object", "schema": schema}
        return body

    def _content(self, reply: requests.Response) -> str:
        try:
            choice = reply.json()["choices"][0]
            message = choice["message"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise EngineUnavailable("the chat endpoint's answer is not a chat completion"
                                    ) from None
        if message.get("refusal"):
            raise EngineUnavailable(f"the model refused: {self._clean(message['refusal'])}")
        content = message.get("content")
        if not isinstance(content, str):
            raise EngineUnavailable("the chat endpoint's answer holds no text")
        return content

    def _error(self, reply: requests.Response) -> str:
        """The error body's message (``{"error": {"message": ...}}`` as OpenAI writes it,
        ``{"error": "..."}`` or ``{"detail": ...}`` as others do, FastAPI's validation list
        as llama-cpp-python's server sends it), on one line, key masked."""
        try:
            body = reply.json()
        except ValueError:
            body = None
        message = None
        if isinstance(body, dict):
            error = body.get("error", body.get("detail"))
            if isinstance(error, list):  # FastAPI's 422: [{"loc": [...], "msg": "..."}]
                error = "; ".join(".".join(map(str, e.get("loc") or ())) + f": {e.get('msg')}"
                                  for e in error if isinstance(e, dict))
            message = error.get("message") if isinstance(error, dict) else error
        if not isinstance(message, str) or not message.strip():
            message = reply.reason or "no message"
        return self._clean(message)

    def _clean(self, text: str) -> str:
        text = self.endpoint.hide(" ".join(str(text).split()))
        return text if len(text) <= 200 else text[:199] + "…"
