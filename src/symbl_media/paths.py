"""Where symbl-media keeps things, by the XDG base-directory rules (with their defaults)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

_DEFAULTS = {"XDG_DATA_HOME": (".local", "share"), "XDG_STATE_HOME": (".local", "state"),
             "XDG_CACHE_HOME": (".cache",)}


def user_dir(variable: str, *parts: str) -> Path:
    """``$XDG_…_HOME/symbl-media/<parts>``, e.g. user_dir("XDG_STATE_HOME", "submissions")."""
    base = os.environ.get(variable) or os.path.join(os.path.expanduser("~"),
                                                    *_DEFAULTS[variable])
    return Path(base, "symbl-media", *parts)


def private_folder(folder: Path) -> bool:
    """Make ``folder`` (and missing parents) and see that only this user can use it: 0700,
    whatever the umask, and tightened if it already existed with looser permissions. False
    when that cannot be (another user's folder, or not a folder)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = folder.stat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask; an old folder kept its own
    return True
