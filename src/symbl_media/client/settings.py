"""Where the API is and who we are: flags, then the environment, then symbl.conf.

symbl.conf is read the way the official SDK reads it: an INI file with a [credentials]
section holding app_id and app_secret, first in the working directory, then in the home one.

The app secret and every access token are registered with ``redaction.keep_out`` as they
become known, so no message, traceback or log record can show them.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field
from pathlib import Path

from symbl_media.redaction import keep_out

DEFAULT_URL = "https://api.symbl.ai"


@dataclass(frozen=True)
class Settings:
    base_url: str
    app_id: str | None
    app_secret: str | None = field(repr=False)  # never shown, not even in a repr
    source: str  # where the credentials came from: "flags", "environment", a path, or "none"

    def __post_init__(self) -> None:
        keep_out(self.app_secret)

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id and self.app_secret)


def resolve(api_url: str | None = None, app_id: str | None = None,
            app_secret: str | None = None, *, cwd: Path | None = None,
            home: Path | None = None) -> Settings:
    base = (api_url or os.environ.get("SYMBL_API_URL") or DEFAULT_URL).rstrip("/")
    # Each half from a flag, else the environment: `--app-id ID` with SYMBL_APP_SECRET set (the
    # secret is never a flag's value, see docs/cli.md) is one pair.
    env_id, env_secret = os.environ.get("SYMBL_APP_ID"), os.environ.get("SYMBL_APP_SECRET")
    pair = (app_id or env_id, app_secret or env_secret)
    if all(pair):
        flags = (bool(app_id), bool(app_secret))
        source = {(True, True): "flags", (False, False): "environment"}.get(
            flags, "flags and environment")
        return Settings(base, pair[0], pair[1], source)
    for folder in (cwd or Path.cwd(), home or Path.home()):
        found = _from_conf(folder / "symbl.conf")
        if found:
            return Settings(base, found[0], found[1], str(folder / "symbl.conf"))
    return Settings(base, None, None, "none")


def _from_conf(path: Path) -> tuple[str, str] | None:
    if not path.is_file():
        return None
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    section = parser["credentials"] if parser.has_section("credentials") else None
    if section and section.get("app_id") and section.get("app_secret"):
        return section["app_id"].strip(), section["app_secret"].strip()
    return None


