"""What the engines are told: which ones run, where their models are, which endpoints they call.

One frozen object, built one way for every process that runs jobs: ``sandbox serve`` (flags
over the environment), the embedded server inside ``submit`` and the Python API (the
environment alone), and any worker process. Engines receive it in their factory
(``Engine(kind, name, factory)``, ``factory(settings)``) and check it before the server starts
(``Engine.check(settings)``), so a missing model or endpoint is one line at start-up, not a
failed job an hour later.

Keys are never taken from argv: a key file, or the variable named below. ``OPENAI_API_KEY``
is what people already set for OpenAI; it is sent only to OpenAI's own host, never to the
endpoint of someone else who happens to be configured (``OPENAI_BASE_URL``, honoured when no
URL is given, may point anywhere).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from symbl_media.errors import EngineError
from symbl_media.redaction import MASK, keep_out, redact, scrub

OPENAI_HOSTS = frozenset({"api.openai.com"})

# Setting -> the variable it is read from when no flag gives it (docs/sandbox-engines.md).
VARIABLES = {
    "transcriber": "SYMBL_MEDIA_TRANSCRIBER",
    "diarizer": "SYMBL_MEDIA_DIARIZER",
    "insights": "SYMBL_MEDIA_INSIGHTS",
    "whisper_model": "SYMBL_MEDIA_WHISPER_MODEL_DIR",
    "speaker_model": "SYMBL_MEDIA_SPEAKER_MODEL_DIR",
    "transcriber_url": "SYMBL_MEDIA_TRANSCRIBER_URL",
    "transcriber_model": "SYMBL_MEDIA_TRANSCRIBER_MODEL",
    "transcriber_key": "SYMBL_MEDIA_TRANSCRIBER_KEY",
    "llm_url": "SYMBL_MEDIA_LLM_URL",
    "llm_model": "SYMBL_MEDIA_LLM_MODEL",
    "llm_key": "SYMBL_MEDIA_LLM_KEY",
    "load_engines": "SYMBL_MEDIA_LOAD_ENGINES",
}
KEYS = ("transcriber_key", "llm_key")
PATHS = ("whisper_model", "speaker_model")
# When a process that runs jobs loads its engines' models: as it starts, on a thread of its
# own (the default), or when its first job needs them.
LOAD_AT_START = "start"
LOAD_ON_FIRST_JOB = "first-job"
LOAD_CHOICES = (LOAD_AT_START, LOAD_ON_FIRST_JOB)


@dataclass(frozen=True)
class Secret:
    """A key, and where it came from; it prints as where it came from, never as itself."""

    value: str = field(repr=False)
    source: str  # "$SYMBL_MEDIA_LLM_KEY", "file /etc/llm.key", "$OPENAI_API_KEY"

    def __repr__(self) -> str:
        return f"Secret(from {self.source})"

    __str__ = __repr__


@dataclass(frozen=True)
class Endpoint:
    """An OpenAI-compatible endpoint as an engine calls it: the base URL (ending in /v1, as
    every such server documents it), the model to ask for, and the key if one applies."""

    url: str
    model: str | None
    key: Secret | None

    @property
    def shown(self) -> str:
        """The URL for messages and logs: without credentials, query or fragment."""
        return redact(self.url)

    def hide(self, text: str) -> str:
        """``text`` (an endpoint's reply may quote the key back) without this endpoint's key,
        whatever its length (``scrub`` leaves keys too short to mask safely in general), and
        without any other secret ``keep_out`` knows."""
        if self.key is not None and self.key.value:
            text = text.replace(self.key.value, MASK)
        return scrub(text)


@dataclass(frozen=True)
class EngineSettings:
    """Every engine's settings. ``None`` means "not given": the engine's default applies."""

    transcriber: str | None = None  # engine names (plugins' or built-in)
    diarizer: str | None = None
    insights: str | None = None
    whisper_model: Path | None = None  # a faster-whisper (CTranslate2) model folder
    speaker_model: Path | None = None  # a speaker-embedding model folder (ONNX)
    transcriber_url: str | None = None  # an OpenAI-compatible speech-to-text base URL
    transcriber_model: str | None = None
    transcriber_key: Secret | None = None
    llm_url: str | None = None  # an OpenAI-compatible chat base URL
    llm_model: str | None = None
    llm_key: Secret | None = None
    load_engines: str | None = None  # LOAD_CHOICES; None: LOAD_AT_START

    @property
    def load_at_start(self) -> bool:
        return (self.load_engines or LOAD_AT_START) == LOAD_AT_START

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, *,
                         key_files: Mapping[str, Path | None] | None = None,
                         **given) -> EngineSettings:
        """Settings from ``given`` (flags; ``None`` for one not given), else ``environ``
        (default ``os.environ``). ``key_files`` maps ``transcriber_key``/``llm_key`` to a file
        holding the key (``--transcriber-key-file``). Raises EngineError for an unreadable
        key file or a malformed URL."""
        env = os.environ if environ is None else environ
        unknown = set(given) - {f.name for f in fields(cls)} | set(given) & set(KEYS)
        if unknown:
            raise TypeError(f"not settings given as values: {', '.join(sorted(unknown))}")
        values: dict = {}
        for name, variable in VARIABLES.items():
            if name in KEYS:
                continue
            value = given.get(name)
            if value in (None, ""):
                value = env.get(variable, "").strip() or None
            if value is not None and name in PATHS:
                value = Path(value).expanduser()
            values[name] = value
        if values["load_engines"] not in (None, *LOAD_CHOICES):
            raise EngineError(f"{VARIABLES['load_engines']}={values['load_engines']!r}: "
                              f"give {' or '.join(LOAD_CHOICES)}")
        for kind in ("transcriber", "llm"):
            url_name = f"{kind}_url"
            if values[url_name] is None and env.get("OPENAI_BASE_URL", "").strip():
                values[url_name] = env["OPENAI_BASE_URL"].strip()
            if values[url_name] is not None:
                values[url_name] = _checked_url(values[url_name], url_name)
            values[f"{kind}_key"] = _key(kind, values[url_name], env,
                                         (key_files or {}).get(f"{kind}_key"))
        return cls(**values)

    def with_names(self, **names: str | None) -> EngineSettings:
        """These settings with engine names replaced where a name is given."""
        return replace(self, **{k: v for k, v in names.items() if v is not None})

    def endpoint(self, kind: str, default_model: str | None = None) -> Endpoint:
        """The ``transcriber`` or ``llm`` endpoint; EngineError naming the flag and variable
        when no URL is set."""
        url = getattr(self, f"{kind}_url")
        if not url:
            flag = f"--{kind}-url"
            raise EngineError(f"the {kind} engine needs an OpenAI-compatible endpoint: give "
                              f"{flag} URL or set {VARIABLES[f'{kind}_url']} (or "
                              f"OPENAI_BASE_URL)")
        return Endpoint(url, getattr(self, f"{kind}_model") or default_model,
                        getattr(self, f"{kind}_key"))


def is_openai(url: str | None) -> bool:
    """Whether ``url`` is OpenAI's own API (where OPENAI_API_KEY may be sent)."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and (parts.hostname or "").lower() in OPENAI_HOSTS


def _checked_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(f"the {name.split('_')[0]} URL {redact(url)!r} is not an http(s) URL "
                          f"(for example http://127.0.0.1:8000/v1)")
    if parts.password:
        keep_out(parts.password)
        raise EngineError(f"the {name.split('_')[0]} URL {redact(url)} carries a password; give "
                          f"the key with --{name.split('_')[0]}-key-file or "
                          f"{VARIABLES[name.replace('url', 'key')]} instead")
    return url.rstrip("/")


def _key(kind: str, url: str | None, env: Mapping[str, str], key_file: Path | None
         ) -> Secret | None:
    variable = VARIABLES[f"{kind}_key"]
    secret: Secret | None = None
    if key_file is not None:
        secret = Secret(_read_key_file(Path(key_file), f"--{kind}-key-file"),
                        f"file {key_file}")
    elif env.get(variable, "").strip():
        secret = Secret(env[variable].strip(), f"${variable}")
    elif is_openai(url) and env.get("OPENAI_API_KEY", "").strip():
        secret = Secret(env["OPENAI_API_KEY"].strip(), "$OPENAI_API_KEY")
    if secret is not None:
        keep_out(secret.value)
    return secret


def _read_key_file(path: Path, flag: str) -> str:
    try:
        text = path.expanduser().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not readable text"
        raise EngineError(f"{flag}: cannot read {path}: {reason}") from None
    if not text or "\n" in text:
        raise EngineError(f"{flag}: {path} must hold the key on one line")
    return text
