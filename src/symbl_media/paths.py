"""Where symbl-media keeps things, by the XDG base-directory rules (with their defaults)."""

from __future__ import annotations

import os
from pathlib import Path

_DEFAULTS = {"XDG_DATA_HOME": (".local", "share"), "XDG_STATE_HOME": (".local", "state"),
             "XDG_CACHE_HOME": (".cache",)}


def user_dir(variable: str, *parts: str) -> Path:
    """``$XDG_…_HOME/symbl-media/<parts>``, e.g. user_dir("XDG_STATE_HOME", "submissions")."""
    base = os.environ.get(variable) or os.path.join(os.path.expanduser("~"),
                                                    *_DEFAULTS[variable])
    return Path(base, "symbl-media", *parts)
