"""Which failures are for good? A refusal no later run can change (the service's 400/413/415/
422, our own findings about the input) becomes ``Rejected`` (exit 20) or ``LanguageRefused``
(exit 21), so the submission is recorded as rejected and a bare ``resume`` leaves it."""

from __future__ import annotations

from symbl_media.errors import ApiError, AuthError, LanguageRefused, NoAudio, NotMedia, PlanError, Rejected
from symbl_media.submission.records import Record

# A refusal with one of these statuses is about the request itself (its parameters, its body):
# sending the same again is refused again, so the submission is recorded as rejected.
PERMANENT_STATUSES = (400, 413, 415, 422)
# Our own findings about the input that no later run can change (its identity is in the key).
PERMANENT_INPUT_ERRORS = (NotMedia, NoAudio, PlanError)


class ServiceRejected(Rejected, ApiError):
    """The service refused a submission for good (400, 413, 415): exit 20, and still an
    ApiError with the status and the service's message for Python callers."""

    def __init__(self, status: int, message: str, *, what: str, key: str) -> None:
        ApiError.__init__(self, status, message)
        self.args = (f"{what}: the service refused it for good (HTTP {status}: "
                     f"{self.message}); sending it again cannot help, so `symbl-media resume` "
                     f"leaves it (`symbl-media resume --forget {key}` drops its record)",)


class ServiceLanguageRefused(LanguageRefused, ApiError):
    """The service does not support the submission's language: exit 21."""

    def __init__(self, status: int, message: str, *, what: str, language: str) -> None:
        ApiError.__init__(self, status, message)
        self.args = (f"{what}: the service does not support language {language} (HTTP "
                     f"{status}: {self.message})",)


def refusal(exc: ApiError, record: Record, what: str) -> ApiError:
    """A permanent refusal as Rejected (or LanguageRefused); any other ApiError as it is."""
    if isinstance(exc, AuthError) or exc.status not in PERMANENT_STATUSES:
        return exc
    language = record.options.get("languageCode")
    if language and "language" in exc.message.lower():
        return ServiceLanguageRefused(exc.status, exc.message, what=what, language=language)
    return ServiceRejected(exc.status, exc.message, what=what, key=record.key)
