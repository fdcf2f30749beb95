"""What plugins register: frozen descriptions the host validates and looks up by name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class SinkCall:
    """One ``--sink NAME[:TARGET][,key=value...]``, as the sink receives it."""

    target: str | None  # None when no TARGET was given; "-" means standard output
    options: dict[str, str] = field(default_factory=dict)
    name: str = ""  # the submission's name (the input's file name), for default targets


@dataclass(frozen=True)
class Sink:
    """``write(insights, call)`` hands one conversation's insights on and returns where they
    went (a path, "standard output", "Slack #channel"), for the summary. It raises a
    ``SymblMediaError`` subclass with a one-line message when it cannot."""

    name: str
    write: Callable[..., str]
    description: str = ""
    writes_stdout_by_default: bool = False  # true when a missing TARGET means stdout
    # The option names the sink takes: any other is refused (exit 2) before anything is sent.
    # None: the sink checks its own options when it writes.
    options: tuple[str, ...] | None = None
    # ``check(call)``, when given, runs before anything is sent: it raises ``ValueError`` for a
    # bad option value (exit 2) or a ``SymblMediaError`` for a target that cannot be written.
    check: Callable[..., None] | None = None
    # The sink writes files: a TARGET ending in "/" (or, with several inputs, one without a
    # suffix) is a folder that gets one file per conversation.
    writes_files: bool = False

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError(f"sink name {self.name!r}: lowercase letters, digits, - and _")


@dataclass(frozen=True)
class InputSource:
    """A kind of input ``submit`` takes. ``matches(text)`` says whether an argument is this
    kind. Then either ``expand(text)`` turns it into several inputs (a folder, a glob), or
    ``fetch(text, folder, on_progress)`` makes a local copy in ``folder`` and returns its
    path (stdin, a storage bucket); a source with neither is handled by the host (a file,
    an http(s) URL). A fetched copy's file name is its identity: running the same input again
    must give the same name (a content hash, or a hash of the reference) so the submission
    is recognised and carried on rather than sent again."""

    name: str
    matches: Callable[[str], bool]
    expand: Callable[[str], list[str]] | None = None
    fetch: Callable[..., object] | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError(f"source name {self.name!r}: lowercase letters, digits, - and _")


ENGINE_KINDS = ("transcriber", "diarizer", "insights")


@dataclass(frozen=True)
class Engine:
    """A sandbox engine: ``factory(settings)`` builds it when the first job needs it, from the
    server's ``EngineSettings`` (``symbl_media.server.engines.settings``: model folders,
    endpoints, keys); a factory that takes no argument is called without it. ``check(settings)``,
    when given, runs before the server starts and raises ``EngineError`` with one line for
    settings the engine cannot work with (a missing model folder, no endpoint URL). A
    transcriber has ``transcribe(wav, language=..., vocabulary=...)``, a diarizer
    ``diarize(...)`` and an insights engine ``analyse()``, ``sentiment()`` and ``phrases()``,
    like the built-in ones in ``symbl_media.server.engines`` and
    ``symbl_media.server.insights``."""

    kind: str
    name: str
    factory: Callable[..., object]
    description: str = ""
    check: Callable[..., None] | None = None

    def __post_init__(self) -> None:
        if self.kind not in ENGINE_KINDS:
            raise ValueError(f"engine kind {self.kind!r}: one of {', '.join(ENGINE_KINDS)}")
        if not NAME.match(self.name):
            raise ValueError(f"engine name {self.name!r}: lowercase letters, digits, - and _")

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Preprocessor:
    """An audio pre-processor for ``--pre NAME[:key=value,...]``, folded into ``prepare``'s one
    ffmpeg pass after the channel mix and before resampling and encoding.

    ``filter(params)`` gets the options as given (keys lowercased, values as strings, only keys
    listed in ``options``) and returns an ffmpeg audio filter chain (``"highpass=f=80"``,
    ``"a=1,b=2"``; no labels or ``;``); it raises ``ValueError`` with a message that names the
    option for a bad value. ``options`` maps each key to its default, as text, for listings
    and for the plan; ``""`` means none. The chain must stream: memory must not grow with the
    length of the recording (no ``areverse``, no whole-file buffers).

    ``measure(params, source)``, when given, runs once per recording while planning, before
    ``filter``: it reads the audio through ``source`` (a
    ``symbl_media.media.preprocess.AudioSource``, streaming) and returns extra parameters,
    which are passed to ``filter`` with the user's and shown in the plan as measured.
    ``changes_length`` says the chain drops or adds audio (refused with ``--as-video``, whose
    video would no longer line up); such a step reports the span it keeps as measured
    ``start`` and ``end`` seconds, so the prepared length can still be checked."""

    name: str
    filter: Callable[[dict[str, str]], str]
    description: str = ""
    options: dict[str, str] = field(default_factory=dict)
    measure: Callable[..., dict[str, str]] | None = None
    changes_length: bool = False

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError(f"pre-processor name {self.name!r}: lowercase letters, digits, "
                             f"- and _")
        for key in self.options:
            if not re.match(r"^[a-z][a-z0-9_]*$", key):
                raise ValueError(f"pre-processor {self.name!r}: option {key!r}: lowercase "
                                 f"letters, digits and _")
