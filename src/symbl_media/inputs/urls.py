"""Recordings given as http(s) URLs: is this a URL we may fetch, and can Symbl fetch it as it
is (``inspect_url``, ``judge``)? Downloading the ones it cannot is ``inputs/download.py``.

Rules:

- A URL may carry credentials (``user:pass@``, presigned query strings). No message ever shows
  them: every URL in an error or a reason goes through ``redact``, and texts from requests or
  ffprobe (which quote URLs in full) are never passed on.
- Symbl fetches a URL itself but refuses redirected links and wants mono WAV/MP3 (or MP4 with
  H.264 + AAC for video) of at most 4 hours, so ``inspect_url`` looks without downloading: one
  HEAD (or a one-byte GET) and an ffprobe that reads only the header over HTTP.
- ``inspect_url`` raises only when the URL cannot be fetched at all; "Symbl cannot take it as
  it is" is an answer (``UrlVerdict.direct`` False with a short reason), not an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import requests

from symbl_media.durations import rough
from symbl_media.errors import NotMedia, ProcessingError, UrlError
from symbl_media.inputs.web import CHECK_TIMEOUT, failure, http_session, status_text
from symbl_media.media import ffmpeg, probe
from symbl_media.media.probe import MediaInfo
from symbl_media.redaction import keep_out, redact

SCHEMES = ("http", "https")
MAX_SECONDS = 4 * 3600  # Symbl's per-file limit (docs FAQ, fixed from 2 h in symbl-docs#49)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")  # 2+ letters: "C://x" is a drive
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True)
class UrlVerdict:
    direct: bool  # Symbl can fetch and process the URL as it is
    reason: str  # why (not), short, e.g. "stereo" or "mono wav (pcm_s16le), 15 s"
    info: MediaInfo | None  # what ffprobe saw; None when it never got that far


def is_url(text: str) -> bool:
    """True for ``scheme://...``: a local file called ``http.wav`` is not a URL."""
    return bool(_SCHEME.match(text.strip()))


def conversation_name(url: str) -> str:
    """The name a URL's conversation gets when none is given: the file's name, never a
    password, query or fragment of the URL (``redact``); the shown URL when its path is empty.
    The CLI, the Python API and a submission's record all name a URL by this one rule."""
    shown = redact(url)
    return shown.rstrip("/").rsplit("/", 1)[-1] or shown


def check_url(url: str) -> str:
    """The URL, stripped and with its scheme in lower case, if it is an http(s) URL with a
    host; otherwise UrlError."""
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if sep:
        text = scheme.lower() + sep + rest  # ffmpeg knows "http", not "HTTP"
    if not is_url(text):
        raise UrlError(f"{redact(text)}: not a URL (expected http://... or https://...)")
    if _UNSAFE.search(text):
        raise UrlError(f"{redact(text)}: contains spaces or control characters")
    problem = not_fetchable(text)
    if problem:
        raise UrlError(f"{redact(text)}: {problem}")
    keep_url_secrets(text)
    return text


def keep_url_secrets(url: str) -> None:
    """Register what ``redact`` leaves out of a URL (password, query string and its values,
    fragment) so that no error line, traceback or log record can show it either."""
    from urllib.parse import parse_qsl


    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return
    keep_out(password)
    for text in (parts.query, parts.fragment):
        keep_out(text)
        keep_out(unquote(text))
        for _, value in parse_qsl(text, keep_blank_values=False):
            keep_out(value)


def not_fetchable(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in SCHEMES:
        return "only http and https URLs can be fetched"
    if not parts.hostname:
        return "has no host name"
    return None


def inspect_url(url: str, *, as_video: bool = False, timeout: float = CHECK_TIMEOUT
                ) -> UrlVerdict:
    """Can Symbl fetch this URL as it is? Raises UrlError only when it cannot be fetched at all
    (bad URL, refused connection, unknown host, timeout, HTTP 4xx/5xx).

    ``timeout`` (seconds) bounds the HEAD request and every read ffprobe makes.
    """
    url = check_url(url)
    with http_session() as session:
        try:
            reply = session.head(url, allow_redirects=False, timeout=timeout)
            if reply.status_code >= 400:
                # Servers that refuse HEAD (405/501), and presigned URLs signed for GET only
                # (S3 answers HEAD with 403), still serve GET: that answer is the one that counts.
                reply = session.get(url, headers={"Range": "bytes=0-0"}, stream=True,
                                    allow_redirects=False, timeout=timeout)
                reply.close()
        except requests.RequestException as exc:
            raise UrlError(f"{redact(url)}: {failure(exc, (timeout, timeout))}") from None
    if 300 <= reply.status_code < 400:
        return UrlVerdict(False, "redirects; Symbl refuses redirected links", None)
    if reply.status_code >= 400:
        raise UrlError(f"{redact(url)}: {status_text(reply)}")
    mime = reply.headers.get("content-type", "").partition(";")[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return UrlVerdict(False, "a web page, not a recording", None)
    try:
        data = ffmpeg.probe_url_json(url, timeout=timeout)
        info = probe.parse_probe_url(redact(url), data)
    except ProcessingError as exc:
        return UrlVerdict(False, f"cannot be probed over HTTP ({_scrub(str(exc), url)})", None)
    except NotMedia:
        return UrlVerdict(False, "not a recording ffprobe can read", None)
    direct, reason = judge(info, as_video=as_video, brand=_brand(data))
    return UrlVerdict(direct, reason, info)


def judge(info: MediaInfo, *, as_video: bool = False, brand: str = "") -> tuple[bool, str]:
    """(direct, reason) for what ffprobe saw. ``brand`` is the MP4 major brand, if any.

    Audio: WAV with 16-bit PCM or MP3, one audio stream, one channel. Other PCM flavours
    (float, 8-bit, mu-law) are converted too: the docs only promise plain WAV.
    Video: MP4 (not QuickTime) with H.264 video and AAC audio. Both: duration known, <= 4 h.
    """
    reasons: list[str] = []
    kind = _kind(info.container)
    first = info.audio[0] if info.audio else None
    if as_video:
        if kind != "mp4" or brand.strip() == "qt":
            reasons.append(f"{'mov' if brand.strip() == 'qt' else kind} needs converting to mp4")
        video = [v for v in info.video if not v.attached_picture]
        if not video:
            reasons.append("no video stream")
        elif video[0].codec != "h264":
            reasons.append(f"{video[0].codec} video needs converting")
        if first is None:
            reasons.append("no audio stream")
        elif first.codec != "aac":
            reasons.append(f"{first.codec} audio needs converting")
    else:
        if first is None:
            return False, "no audio stream"
        if not ((kind == "wav" and first.codec == "pcm_s16le")
                or (kind == "mp3" and first.codec == "mp3")):
            what = kind if first.codec == kind else f"{kind}/{first.codec}"
            reasons.append(f"{what} needs converting")
        if first.channels == 2:
            reasons.append("stereo")
        elif first.channels > 2:
            reasons.append(f"{first.channels} channels")
    if len(info.audio) > 1:
        reasons.append(f"{len(info.audio)} audio streams")
    if info.duration is None:
        reasons.append("duration unknown")
    elif info.duration > MAX_SECONDS:
        reasons.append("longer than 4 hours")
    if reasons:
        return False, "; ".join(reasons)
    if as_video:
        return True, f"mp4 with h264 video and aac audio, {rough(info.duration)}"
    codec = "" if first.codec == kind else f" ({first.codec})"
    return True, f"mono {kind}{codec}, {rough(info.duration)}"


def _scrub(text: str, url: str) -> str:
    """ffprobe's message on one line, without the URL it may quote."""
    text = text.replace(url, redact(url))
    return " ".join(text.split())[:160]


def _brand(data: dict) -> str:
    fmt = data.get("format") if isinstance(data, dict) else None
    tags = fmt.get("tags") if isinstance(fmt, dict) else None
    brand = tags.get("major_brand") if isinstance(tags, dict) else None
    return brand if isinstance(brand, str) else ""


def _kind(container: str) -> str:
    """A short name for ffprobe's format_name ("mov,mp4,m4a,3gp,3g2,mj2" → "mp4")."""
    names = container.split(",")
    for short, family in (("mp4", "mp4"), ("matroska", "matroska"), ("wav", "wav"),
                          ("mp3", "mp3")):
        if family in names:
            return short
    return names[0] or "unknown"
