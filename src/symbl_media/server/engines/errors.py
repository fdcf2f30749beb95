"""The one error an engine raises on purpose, inside symbl-media's exception tree."""

from __future__ import annotations

from symbl_media.errors import SymblMediaError


class EngineError(SymblMediaError):
    """An engine cannot run (model missing or altered) or cannot handle this request."""

    exit_code = 10
