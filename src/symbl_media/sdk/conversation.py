"""A conversation as the Python API hands it out: the submission making it (ids, state,
callbacks, ``result``) and, through ``sdk/reads.py``, its insights as typed values.

A submission runs on the caller's thread (``wait=True``) or on a daemon thread
(``wait=False``); either way through ``submission.submitter.Submitter``, so it is recorded and resumable like
a CLI submission.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from symbl_media.client.settings import Settings
from symbl_media.contract import endpoints as api
from symbl_media.errors import InvalidArgument
from symbl_media.sdk.arguments import check_conversation_id, in_python_terms
from symbl_media.sdk.reads import ConversationReads
from symbl_media.sdk.runtime import RUNTIME, settings_for
from symbl_media.submission.events import EventKind
from symbl_media.submission.records import Store

log = logging.getLogger("symbl_media")


class Conversation(ConversationReads):
    """A conversation, and the submission making it when it came from a ``process_*`` or
    ``append_*`` call: its ids, state, callbacks and insights.

    ``Conversation(conversation_id)`` opens one that already exists.
    """

    def __init__(self, conversation_id: str, credentials: dict | None = None) -> None:
        self._setup(settings_for(credentials),
                    check_conversation_id(conversation_id, "Conversation"))
        self._status = api.COMPLETED
        self._sent.set()
        self._done.set()
        self._called.set()

    def _setup(self, settings: Settings, conversation_id: str | None) -> None:
        self._settings = settings
        self._conversation_id = conversation_id
        self._job_ids: list[str] = []
        self._status = api.IN_PROGRESS
        self._error: BaseException | None = None
        self._submission: str | None = None
        self._notes: tuple[str, ...] = ()
        self._lock = threading.Lock()
        self._sent = threading.Event()  # an id (or the failure) is known
        self._done = threading.Event()
        self._called = threading.Event()  # done, and its callbacks have returned
        self._callbacks: dict[str, list] = {"complete": [], "error": []}
        self._cancel = threading.Event()
        self._service = None

    @classmethod
    def _for_submission(cls, settings: Settings, append_to: str | None) -> Conversation:
        self = cls.__new__(cls)
        self._setup(settings, append_to)
        return self

    # ------------------------------------------------------------------ ids and state

    @property
    def conversation_id(self) -> str:
        """Waits until the service has accepted the first piece (at once for an append);
        raises the submission's error if it failed before that."""
        if self._conversation_id is None:
            self._sent.wait()
        if self._conversation_id is None:
            raise self._error
        return self._conversation_id

    @property
    def job_id(self) -> str | None:
        """The job of the latest piece sent (the only one, unless the recording was cut);
        waits for the first; None when the submission failed before any job existed."""
        self._sent.wait()
        with self._lock:
            return self._job_ids[-1] if self._job_ids else None

    @property
    def job_ids(self) -> tuple[str, ...]:
        """Every job sent so far, one per piece."""
        with self._lock:
            return tuple(self._job_ids)

    @property
    def status(self) -> str:
        """"in_progress", "scheduled", "completed" or "failed" (the SDK's job statuses)."""
        return self._status

    @property
    def submission(self) -> str | None:
        """The key of the submission record (``symbl-media resume KEY`` carries it on)."""
        return self._submission

    @property
    def notes(self) -> tuple[str, ...]:
        """What the pipeline wants you to know, e.g. how speakers were matched across
        pieces."""
        return self._notes

    def done(self) -> bool:
        return self._done.is_set()

    def result(self, timeout: float | None = None) -> Conversation:
        """Wait until every job has ended; returns self, or raises what went wrong
        (``TimeoutError`` when ``timeout`` seconds pass first)."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"{self!r} is still running after {timeout:g} s")
        if self._error is not None:
            raise self._error
        return self

    def exception(self, timeout: float | None = None) -> BaseException | None:
        """What went wrong (None when it completed); waits like ``result``."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"{self!r} is still running after {timeout:g} s")
        return self._error

    def on_complete(self, callback: Callable[[Conversation], object]) -> Conversation:
        """Call ``callback(conversation)`` once when it completes (at once if it already
        has). Chainable."""
        return self._add("complete", callback)

    def on_error(self, callback: Callable[[Conversation], object]) -> Conversation:
        """Call ``callback(conversation)`` once if it fails (at once if it already has);
        ``conversation.exception()`` says why. Chainable."""
        return self._add("error", callback)

    def keep_alive(self) -> Conversation:
        """Make interpreter exit wait for this conversation (and its callbacks). Chainable."""
        RUNTIME.keep(self)
        return self

    # The official SDK's spellings.
    def get_conversation_id(self) -> str:
        return self.conversation_id

    def get_job_id(self) -> str | None:
        return self.job_id

    def get_job_status(self) -> str:
        return self.status

    def __repr__(self) -> str:
        return f"<Conversation {self._conversation_id or '(not yet sent)'} {self._status}>"

    # ------------------------------------------------------------------ running

    def _run(self, store: Store, make_request, *, raise_errors: bool,
             on_success: Callable[[], None] | None = None) -> None:
        from symbl_media.submission.finish import without_insights
        from symbl_media.submission.submitter import Submitter

        try:
            self._service = RUNTIME.service(self._settings)
            client = self._service.client
            if self._conversation_id:  # appending: a 404 here, before any upload
                client.conversation(self._conversation_id)
            submitter = Submitter(client, self._service.name, store, on_event=self._on_event,
                                  poll=_first_poll(client), cancel=self._cancel)
            request = make_request(store, self._on_event)
            if request.source.kind != "text":  # the embedded server's model loads meanwhile
                self._service.recording_coming()
            outcome = submitter.submit(request)
            self._submission = outcome.record.key
            self._notes = without_insights(submitter, outcome.record)
            if on_success is not None:
                on_success()
        except BaseException as exc:
            in_python_terms(exc)
            self._settle(exc)
            if raise_errors:
                raise
        else:
            self._settle(None)

    def _on_event(self, kind: str, data: dict) -> None:
        if kind == EventKind.SENT:
            with self._lock:
                if self._conversation_id is None:
                    self._conversation_id = str(data["conversation_id"])
                self._job_ids.append(str(data["job_id"]))
                self._status = api.SCHEDULED
            self._sent.set()
        elif kind == EventKind.JOB and data.get("status") in api.RUNNING:
            self._status = data["status"]
        elif kind == EventKind.NOTICE:
            log.info("symbl-media: %s", data.get("text"))
        if self._submission is None and data.get("submission"):
            self._submission = data["submission"]

    def _settle(self, error: BaseException | None) -> None:
        with self._lock:
            self._error = error
            self._status = api.FAILED if error is not None else api.COMPLETED
            callbacks = self._callbacks["error" if error is not None else "complete"]
            self._callbacks = {"complete": [], "error": []}
            self._sent.set()
            self._done.set()
        try:
            if RUNTIME.exiting:
                return  # stopped at exit: nobody is left to hear about it
            for callback in callbacks:
                self._call(callback)
        finally:
            self._called.set()

    def _add(self, which: str, callback) -> Conversation:
        if not callable(callback):
            raise InvalidArgument(f"on_{which} takes a function, not "
                                  f"{type(callback).__name__}")
        with self._lock:
            if not self._done.is_set():
                self._callbacks[which].append(callback)
                return self
            fire = (which == "complete") == (self._error is None)
        if fire:
            self._call(callback)
        return self

    def _call(self, callback) -> None:
        try:
            callback(self)
        except Exception:  # one failing callback must not stop the others
            log.exception("symbl-media: the %r callback of %r raised",
                          getattr(callback, "__name__", callback), self)

    def _wait_quietly(self) -> None:
        self._called.wait()


def _first_poll(client) -> float:
    """Seconds before the first job poll (it grows from there): a service on this machine
    (the sandbox) is asked more often, as that costs nothing."""
    host = urlsplit(client.settings.base_url).hostname or ""
    return 0.2 if host in ("127.0.0.1", "localhost", "::1") else 0.5


def start(settings: Settings, store: Store, make_request, *, wait: bool,
           append_to: str | None, on_success=None) -> Conversation:
    conversation = Conversation._for_submission(settings, append_to)
    if append_to:
        conversation._sent.set()
    if wait:
        conversation._run(store, make_request, raise_errors=True, on_success=on_success)
        return conversation
    RUNTIME.track(conversation._cancel)
    threading.Thread(target=conversation._run, args=(store, make_request),
                     kwargs={"raise_errors": False, "on_success": on_success},
                     name="symbl-media-conversation", daemon=True).start()
    return conversation


