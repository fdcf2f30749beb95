"""One exception tree. Only the CLI (cli/main.py) turns these into messages and exit codes.

Every message is written for the person at the terminal: it names the file and says what is
wrong in one line. ``exit_code`` is part of the documented CLI contract (docs/cli.md).
"""

from __future__ import annotations


class SymblMediaError(Exception):
    """Base of every error symbl-media raises on purpose."""

    exit_code = 1


class InputNotFound(SymblMediaError):
    """The input path does not exist or is not a regular file."""

    exit_code = 3


class NotMedia(SymblMediaError):
    """The input exists but is empty, truncated, or not a recording ffprobe can read."""

    exit_code = 4


class NoAudio(SymblMediaError):
    """The input is media but carries no audio stream."""

    exit_code = 5


class PlanError(SymblMediaError):
    """The options ask for something this input cannot give (a missing stream, no video...)."""

    exit_code = 6


class ProcessingError(SymblMediaError):
    """ffmpeg failed while extracting or cutting; carries ffmpeg's last stderr line."""

    exit_code = 7


class EngineError(SymblMediaError):
    """A speech or insight engine cannot run (its model missing or altered) or cannot handle
    this request (a language it does not know, audio at another rate)."""

    exit_code = 10


class EngineUnavailable(EngineError):
    """An engine's outside service failed during a job (down, too slow, refusing, answering
    nonsense). The server falls back to its built-in engine and says so; a job never fails
    for it. The message is one line without keys."""


class OutputError(SymblMediaError):
    """The output folder cannot be written."""

    exit_code = 8


class ToolMissing(SymblMediaError):
    """ffmpeg or ffprobe is not installed."""

    exit_code = 9


class Interrupted(SymblMediaError):
    """The user pressed Ctrl-C; everything temporary was removed."""

    exit_code = 130


class ApiError(SymblMediaError):
    """The Symbl API (or the sandbox) refused a request; carries its status and message."""

    exit_code = 11

    def __init__(self, status: int, message: str, *, what: str = "") -> None:
        # A server may quote the token it refused: never carried into our message.
        from symbl_media.redaction import scrub

        message = scrub(message)
        super().__init__(f"{what + ': ' if what else ''}HTTP {status}: {message}")
        self.status = status
        self.message = message


class AuthError(ApiError):
    """The credentials were refused, or none are configured for a real endpoint."""

    exit_code = 12


class Unreachable(SymblMediaError):
    """The API could not be reached, even after retrying; ``maybe_sent`` when a submission's
    body may have arrived before the connection was lost."""

    exit_code = 13

    def __init__(self, message: str, *, maybe_sent: bool = False) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


class TextInputError(SymblMediaError):
    """A transcript or Symbl text payload that cannot be read or is not in a known shape."""

    exit_code = 14


class UrlError(SymblMediaError):
    """A URL input that is malformed, refused, unreachable, redirects in a loop or is too big."""

    exit_code = 15


class DeliveryUnknown(SymblMediaError):
    """A piece may or may not have reached the service and the service cannot tell us which;
    nothing is resent until the user says (``resume --assume-sent`` / ``--assume-lost``)."""

    exit_code = 16


class JobFailed(SymblMediaError):
    """The service ended a job as failed; the submission can be resumed to try that piece again."""

    exit_code = 17


class NotFinished(SymblMediaError):
    """The conversation's job is still running: its insights would be partial, so none are
    printed or written to sinks (``--wait`` waits for it instead)."""

    exit_code = 19


class Rejected(SymblMediaError):
    """The service refused a submission in a way that sending it again cannot fix (an empty
    or unreadable file, bad parameters). Its record is kept as rejected and ``resume`` does
    not retry it; ``resume --forget KEY`` drops the record."""

    exit_code = 20


class LanguageRefused(Rejected):
    """The service does not support the language the submission asks for."""

    exit_code = 21


class Busy(SymblMediaError):
    """Something this run needs is held by another symbl-media process: the embedded
    sandbox's data folder, or the same submission being worked on. Try again when it ends."""

    exit_code = 22


class StoreError(SymblMediaError):
    """The sandbox's database cannot be used: its URL or file is unusable, it was made by a
    newer version, or it cannot be reached. The message names it without credentials."""

    exit_code = 24


class StoreUnavailable(StoreError):
    """The database did not answer (down, restarting, refusing connections). The server
    answers 503 while it lasts and its worker waits; at start it stops the server."""


class RecordNotFound(SymblMediaError):
    """No submission record matches the key, prefix or conversation id given."""

    exit_code = 23


class ManifestCorrupt(SymblMediaError):
    """A submission record that cannot be read back (not JSON, not ours)."""

    exit_code = 8


class AmbiguousSubmission(SymblMediaError):
    """A key prefix or conversation id that matches several records: a usage error."""

    exit_code = 2


class InvalidArgument(SymblMediaError, ValueError):
    """A Python API call was given something it cannot use: an empty conversation_id, a
    payload without a URL, credentials without a secret. Raised before anything is sent."""

    exit_code = 2
