"""Downloading a recording Symbl cannot fetch as it is: streamed to ``<name>.part`` and renamed
into place, so a file with the final name is always complete; the ``.part`` file is removed on
every failure, Ctrl-C included. Whether a URL needs this is ``inputs/urls.py``.
"""

from __future__ import annotations

import http.client
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import requests
import urllib3.exceptions

from symbl_media.errors import OutputError, UrlError
from symbl_media.inputs.urls import check_url, not_fetchable
from symbl_media.inputs.web import (
    CHECK_TIMEOUT,
    MAX_DOWNLOAD_BYTES,
    MAX_REDIRECTS,
    READ_TIMEOUT,
    exception_chain,
    failure,
    http_session,
    status_text,
)
from symbl_media.media.suffixes import MEDIA_SUFFIXES
from symbl_media.redaction import redact

CHUNK = 1 << 20
MIN_RATE = 1024  # bytes/s: a download slower than this over READ_TIMEOUT is given up

CONTENT_TYPES = {
    "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav", "audio/vnd.wave": ".wav",
    "audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/mp4": ".m4a", "audio/x-m4a": ".m4a",
    "audio/aac": ".aac", "audio/flac": ".flac", "audio/x-flac": ".flac", "audio/ogg": ".ogg",
    "audio/opus": ".opus", "audio/webm": ".webm", "audio/x-matroska": ".mka",
    "audio/aiff": ".aiff", "audio/x-aiff": ".aiff", "audio/amr": ".amr",
    "audio/x-ms-wma": ".wma", "video/mp4": ".mp4", "video/quicktime": ".mov",
    "video/webm": ".webm", "video/x-matroska": ".mkv", "video/ogg": ".ogg",
    "video/x-msvideo": ".avi", "video/mpeg": ".mpg", "video/mp2t": ".ts", "video/3gpp": ".3gp",
}


@dataclass(frozen=True)
class Downloaded:
    path: Path
    bytes: int
    final_url: str  # after redirects; may carry credentials: pass it through redact to show it
    content_type: str | None



def suffix_for(url: str, content_type: str | None = None) -> str:
    """The local file's suffix: a media suffix in the URL path, else one for the Content-Type,
    else any short suffix in the path (``.php`` is better than nothing), else ``""``.

    ffmpeg goes by content, not name, so a wrong guess only misleads the person reading it.
    """
    try:
        suffix = PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()
    except ValueError:
        suffix = ""
    if suffix in MEDIA_SUFFIXES:
        return suffix
    mime = (content_type or "").partition(";")[0].strip().lower()
    if mime in CONTENT_TYPES:
        return CONTENT_TYPES[mime]
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""



def download(
    url: str,
    folder: os.PathLike | str,
    *,
    stem: str | None = None,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    timeout: float | tuple[float, float] = (CHECK_TIMEOUT, READ_TIMEOUT),
    on_progress: Callable[[int, int | None], None] | None = None,
) -> Downloaded:
    """Fetch ``url`` into ``folder`` as ``<stem><suffix>``; returns where it went.

    ``stem`` defaults to the file name in the (final) URL, else ``download``; the suffix comes
    from ``suffix_for`` (final URL, then Content-Type). An existing file of that name is
    replaced. ``folder`` must exist. ``timeout`` is (connect, read) seconds; the read timeout
    is how long the server may send nothing, and a body arriving at less than MIN_RATE over
    that long is given up too (a server that trickles forever). ``on_progress(done_bytes,
    total_or_None)`` is
    called after every block. Redirects: at most 5, http(s) only.
    Raises UrlError (fetching), OutputError (writing); ValueError for a stem that is a path.
    """
    if stem is not None and (not stem.strip() or stem in (".", "..") or "/" in stem
                             or "\0" in stem or os.sep in stem):
        raise ValueError(f"stem must be a plain file name, not {stem!r}")
    url = check_url(url)
    folder = Path(folder)
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    with http_session() as session:
        reply, final_url = _follow(session, url, (connect, read))
        with reply:
            if reply.status_code >= 300:
                at = "" if final_url == url else f" (at {redact(final_url)})"
                raise UrlError(f"{redact(url)}: {status_text(reply)}{at}")
            declared = _content_length(reply)
            if declared is not None and declared > max_bytes:
                raise UrlError(f"{redact(url)}: larger than the {_size(max_bytes)} limit "
                               f"({_size(declared)})")
            content_type = reply.headers.get("content-type") or None
            name = (stem or _stem(final_url) or _stem(url) or "download") \
                + suffix_for(final_url, content_type)
            path = folder / name
            part = path.with_name(path.name + ".part")
            done = 0
            window, since = 0, time.monotonic()
            try:
                with part.open("wb") as out:
                    for block in _blocks(reply):
                        done += len(block)
                        if done > max_bytes:
                            raise UrlError(f"{redact(url)}: larger than the {_size(max_bytes)} "
                                           f"limit (stopped after {_size(done)})")
                        out.write(block)
                        window += len(block)
                        now = time.monotonic()
                        if now - since >= read:
                            if window < MIN_RATE * (now - since):
                                raise UrlError(f"{redact(url)}: the server is sending too "
                                               f"slowly (less than {_size(MIN_RATE)}/s for "
                                               f"{read:g} s)")
                            window, since = 0, now
                        if on_progress is not None:
                            on_progress(done, declared)
                if declared is not None and done < declared:
                    raise UrlError(f"{redact(url)}: the download was cut short "
                                   f"({done} of {declared} bytes)")
                os.replace(part, path)
            except BaseException as exc:
                _remove(part)
                if isinstance(exc, (requests.RequestException, urllib3.exceptions.HTTPError)):
                    got = _received(exc)  # urllib3 refuses a short body before yielding it
                    message = (f"the download was cut short ({max(done, got)} of {declared} "
                               f"bytes)" if got is not None and declared is not None
                               else failure(exc, (connect, read)))
                    raise UrlError(f"{redact(url)}: {message}") from None
                if isinstance(exc, OSError):
                    raise OutputError(f"{part}: cannot write the download "
                                      f"({exc.strerror or type(exc).__name__})") from None
                raise
    return Downloaded(path=path, bytes=done, final_url=final_url, content_type=content_type)


def _blocks(reply: requests.Response):
    """The body as it arrives: a block as soon as the socket has some (urllib3 2's ``read1``),
    so a server that trickles is seen trickling; whole CHUNKs with an older urllib3."""
    read1 = getattr(reply.raw, "read1", None)
    if read1 is None:
        yield from reply.iter_content(CHUNK)
        return
    while block := read1(CHUNK, decode_content=True):
        yield block



def _follow(session: requests.Session, url: str,
            timeout: tuple[float, float]) -> tuple[requests.Response, str]:
    """GET with redirects followed by hand: at most MAX_REDIRECTS, http(s) only, no loops."""
    seen = {url.partition("#")[0]}
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        try:
            reply = session.get(current, stream=True, allow_redirects=False, timeout=timeout)
        except requests.RequestException as exc:
            raise UrlError(f"{redact(url)}: {failure(exc, timeout)}") from None
        target = session.get_redirect_target(reply)
        if target is None:
            return reply, current
        reply.close()
        nxt = requests.utils.requote_uri(urljoin(current, target))
        problem = not_fetchable(nxt)
        if problem:
            raise UrlError(f"{redact(url)}: redirects to {redact(nxt)}, which is refused: "
                           f"{problem}")
        if nxt.partition("#")[0] in seen:
            raise UrlError(f"{redact(url)}: redirect loop (back to {redact(nxt)})")
        if hop == MAX_REDIRECTS:
            raise UrlError(f"{redact(url)}: too many redirects (more than {MAX_REDIRECTS})")
        seen.add(nxt.partition("#")[0])
        current = nxt
    raise AssertionError("unreachable")



def _received(exc: BaseException) -> int | None:
    """Bytes that arrived before the connection closed short of Content-Length, or None."""
    for e in exception_chain(exc):
        if isinstance(e, http.client.IncompleteRead):
            return e.partial if isinstance(e.partial, int) else len(e.partial)
    return None



def _content_length(reply: requests.Response) -> int | None:
    if reply.headers.get("content-encoding", "identity").strip().lower() != "identity":
        return None  # the length of the encoded body, not of what iter_content yields
    value = reply.headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


def _stem(url: str) -> str:
    try:
        name = PurePosixPath(unquote(urlsplit(url).path)).name
    except ValueError:
        return ""
    stem = PurePosixPath(name).stem if PurePosixPath(name).suffix else name
    stem = re.sub(r"[^\w .-]", "_", stem).strip(" .")
    return stem[:100]


def _remove(part: Path) -> None:
    try:
        part.unlink(missing_ok=True)
    except OSError:
        pass  # the folder went read-only: the failure being reported matters more




def _size(n: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"
