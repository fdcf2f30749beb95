"""The built-in input sources, registered like any plugin's: a folder, a glob, standard
input, an http(s) URL and a local file (the last two are carried out by the host)."""

from __future__ import annotations

import glob as globbing
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from symbl_media.errors import InputNotFound, NotMedia
from symbl_media.media.suffixes import MEDIA_SUFFIXES
from symbl_media.plugins.hookspecs import hookimpl
from symbl_media.plugins.types import InputSource


def _wanted(path: Path) -> bool:
    from symbl_media.inputs.transcripts import TEXT_SUFFIXES

    return (path.is_file() and not path.name.startswith(".")
            and path.suffix.lower() in (*MEDIA_SUFFIXES, *TEXT_SUFFIXES))


def _folder(text: str) -> list[str]:
    found = sorted(str(p) for p in Path(text).iterdir() if _wanted(p))
    if not found:
        raise InputNotFound(f"{text}: no recordings or transcripts in this folder")
    return found


def _is_glob(text: str) -> bool:
    return any(c in text for c in "*?[") and not os.path.exists(text)


def _glob(text: str) -> list[str]:
    found = sorted(p for p in globbing.glob(text, recursive=True) if _wanted(Path(p)))
    if not found:
        raise InputNotFound(f"{text}: matches no recordings or transcripts")
    return found


def _stdin(text: str, folder: Path, on_progress=None) -> Path:
    """Copy standard input to ``folder`` in blocks, named by its sha256 (so the same bytes
    piped again are the same submission)."""
    from symbl_media.inputs.web import Limits

    limit = Limits.from_env().max_bytes  # SYMBL_MEDIA_DOWNLOAD_LIMIT, as for URL downloads
    stream = sys.stdin.buffer
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".stdin-", suffix=".part")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while block := stream.read(1 << 20):
                size += len(block)
                if size > limit:
                    raise NotMedia(f"-: standard input is larger than {limit} bytes "
                                   f"(SYMBL_MEDIA_DOWNLOAD_LIMIT)")
                digest.update(block)
                out.write(block)
                if on_progress:
                    on_progress(size, None)
        if size == 0:
            raise NotMedia("-: standard input is empty")
        final = folder / f"stdin-{digest.hexdigest()[:20]}"
        os.replace(tmp, final)
        return final
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_url(text: str) -> bool:
    from symbl_media.inputs.urls import is_url

    return is_url(text)


@hookimpl
def register_sources(register):
    register(InputSource("url", _is_url, description="an http(s) URL: sent as a URL when "
                         "Symbl can take it as it is, else downloaded and prepared"))
    register(InputSource("stdin", lambda text: text == "-", fetch=_stdin,
                         description="standard input (-), copied to disk as it arrives"))
    register(InputSource("folder", lambda text: Path(text).is_dir(), expand=_folder,
                         description="the recordings and transcripts directly in a folder"))
    register(InputSource("glob", _is_glob, expand=_glob,
                         description="a quoted pattern such as 'calls/**/*.m4a'"))
    register(InputSource("file", lambda text: Path(text).is_file(),
                         description="a local recording or transcript"))
