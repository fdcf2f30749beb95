"""The engines one server runs: named by its settings, checked before it starts, built and
loaded in the background as whatever runs jobs starts (or on first use, when the settings say
so); a server that only answers requests builds none."""

from __future__ import annotations

import logging
import threading
import time

from symbl_media.errors import EngineError, SymblMediaError
from symbl_media.server.engines.settings import EngineSettings

KINDS = ("transcriber", "diarizer", "insights")
log = logging.getLogger("symbl_media.server")


class Engines:
    """The transcriber, diarizer and insights engine. Each is an object given as is (the test
    kit and the Python API pass engines directly), or a name (or ``None``, the built-in one)
    looked up among the plugins' engines, the built-in ones registered the same way."""

    def __init__(self, settings: EngineSettings | None = None, **given) -> None:
        self.settings = settings or EngineSettings()
        names = {k: v for k, v in given.items() if isinstance(v, str)}
        self.settings = self.settings.with_names(**names)
        self._built = {k: None if given.get(k) is None or isinstance(given.get(k), str)
                       else given[k] for k in KINDS}
        self._lock = threading.Lock()
        self.loading: threading.Thread | None = None  # start_loading's thread, once started

    def name(self, kind: str) -> str | None:
        return getattr(self.settings, kind)

    def check(self) -> None:
        """Refuse (EngineError, one line) settings an engine to be built cannot work with:
        an unknown name, a missing or altered model folder, an endpoint without a URL."""
        from symbl_media.plugins import manager as plugins

        register_builtin_engines()
        for kind in KINDS:
            if self._built[kind] is not None:
                continue
            try:
                entry = plugins.engine_entry(kind, self.name(kind))
            except SymblMediaError as exc:
                raise EngineError(str(exc)) from None
            if entry.check is not None:
                entry.check(self.settings)

    def load(self) -> None:
        """Build every engine now and let each load what it loads lazily (its optional
        ``load()``: the Whisper model), so the first job is not the one that waits for it. A
        model that does not load is refused here with one line (EngineError)."""
        for kind in KINDS:
            built = self.get(kind)
            load = getattr(built, "load", None)
            if not callable(load):
                continue
            try:
                load()
            except SymblMediaError:
                raise
            except Exception as exc:  # a library's own error: one line, not a traceback
                raise EngineError(f"the {kind} ({getattr(built, 'name', kind)}) did not load: "
                                  f"{type(exc).__name__}: {exc}") from None

    def start_loading(self) -> threading.Thread | None:
        """``load()`` on a thread of its own, unless the settings say to load on the first
        job (``--load-engines first-job``); what runs jobs calls it as it starts, so a job
        arriving meanwhile waits only for the rest of the load (on the model's thread, behind
        it), and nothing else waits at all: answering, claiming, a stop. A load that fails is
        logged; the first job then loads again and fails as it would have without this."""
        if not self.settings.load_at_start:
            return None
        return self.load_in_background()

    def load_in_background(self) -> threading.Thread:
        """``load()`` on a thread of its own now, whatever the settings say (once: a second
        call returns the first thread). The embedded server calls it when a recording is on
        its way (client/service.py)."""
        with self._lock:
            if self.loading is None:
                self.loading = threading.Thread(target=self._load_logged, name="engines-load",
                                                daemon=True)
                self.loading.start()
            return self.loading

    def _load_logged(self) -> None:
        began = time.monotonic()
        try:
            self.load()
        except Exception as exc:  # SymblMediaError is one line already; another is made one
            log.warning("the engines did not load in advance (%s); the first job that "
                        "needs them loads them again", exc)
            return
        log.info("engines loaded in %.1f s", time.monotonic() - began)

    def describe(self) -> str:
        """Which engine of each kind runs, for the server's start-up line (no keys)."""
        from symbl_media.plugins import manager as plugins

        parts = []
        for kind in KINDS:
            built = self._built[kind]
            name = (getattr(built, "name", type(built).__name__) if built is not None
                    else self.name(kind) or plugins.DEFAULT_ENGINES[kind])
            parts.append(f"{kind} {name}")
        return ", ".join(parts)

    def get(self, kind: str):
        with self._lock:
            if self._built[kind] is None:
                self._built[kind] = engine(kind, self.name(kind), self.settings)
            return self._built[kind]

    @property
    def transcriber(self):
        return self.get("transcriber")

    @property
    def diarizer(self):
        return self.get("diarizer")

    @property
    def insights(self):
        return self.get("insights")


def register_builtin_engines() -> None:
    """Add the sandbox's own engines (whisper, voice-encoder, heuristics) to the plugin
    manager as a built-in plugin: the server registers them itself, so the plugin manager
    names no server module, and a lookup finds them beside any plugin's."""
    from symbl_media.plugins import manager as plugins
    from symbl_media.server.engines import builtin

    plugins.add_builtin(builtin)


def engine(kind: str, name: str | None = None, settings: EngineSettings | None = None):
    """Build the ``kind`` engine called ``name`` (default: the built-in one)."""
    from symbl_media.plugins import manager as plugins

    register_builtin_engines()
    return plugins.engine(kind, name, settings or EngineSettings())
