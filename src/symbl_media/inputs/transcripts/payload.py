"""The Text API body a transcript becomes (``TextPayload.to_json``) and the time zero its
times count from."""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from symbl_media.contract.times import api_time
from symbl_media.errors import TextInputError
from symbl_media.inputs.transcripts.reading import MAX_BYTES, shown

# A transcript of offsets (.srt, .vtt) carries no wall-clock time, and the file's mtime
# says when it was copied, not when anyone spoke. ``to_json()`` counts its
# times from this fixed placeholder, which keeps the body byte-for-byte the same on every run;
# a submission sends them from its own time zero instead (``retimed``, ``TIME_ZERO``).
DEFAULT_START = datetime(2000, 1, 1, tzinfo=UTC)

# The key of a text submission's record (``Record.extra``) that keeps its transcript's time
# zero (ISO-8601, or None when its times are not offsets): a transcript of offsets (.srt,
# .vtt) is sent from the moment the submission was first made, so its
# action items are dated from then, and a resume sends the very same times.
TIME_ZERO = "timeZero"

# No conversation lasts a year. The cap also keeps every DEFAULT_START + offset inside the
# range of datetime, so to_json cannot overflow on a hostile file.
MAX_SECONDS = 366 * 24 * 3600

# userId is the API's key for merging members, so it must be stable and distinct per name. The
# .invalid top-level domain is reserved (RFC 2606): the address can never reach anyone.
USER_ID_DOMAIN = "transcript.invalid"


def time_zero(records, conversation_id: str, conversation: dict, service: str
              ) -> datetime | None:
    """The time zero of the transcript this client made the conversation from, when its times
    count from one: what the submission record kept (``TIME_ZERO`` in ``Record.extra``: the
    moment the submission was first made, for a transcript of offsets such as .srt). None when
    the conversation was made from a recording, from a transcript without times or with dates
    of its own (the conversation's start is then its time zero), or the records do not say.

    ``records`` are this machine's submission records (``manifest.Record``). The record that
    made the conversation is the earliest of those naming it; an append never names the
    conversation (no ``name`` option), so a transcript appended to someone else's conversation
    does not count. A record written before time zeros were recorded sent its times from
    ``DEFAULT_START``: that is its time zero if the service kept them (the conversation starts
    within ``MAX_SECONDS`` after it)."""
    mine = [r for r in records if r.conversation_id == conversation_id and r.service == service]
    if not conversation_id or not mine:
        return None
    first = min(mine, key=lambda r: r.created)
    if "name" not in (first.options or {}) or first.media != "text":
        return None
    extra = first.extra or {}
    if TIME_ZERO in extra:
        return instant(extra[TIME_ZERO])
    start = instant((conversation or {}).get("startTime"))
    if start is None:
        return None
    stated = DEFAULT_START <= start <= DEFAULT_START + timedelta(seconds=MAX_SECONDS)
    return DEFAULT_START if stated else None


def submission_time_zero(moment: float) -> datetime:
    """The time zero of a transcript of offsets submitted at ``moment`` (a Unix time): that
    moment to the second, in UTC."""
    return datetime.fromtimestamp(int(moment), UTC)


def retimed(body: dict, zero: datetime) -> dict:
    """A Text API body made by ``TextPayload.to_json()`` (times from ``DEFAULT_START``) with
    its times counted from ``zero`` instead."""
    shift = utc(zero) - DEFAULT_START
    messages = []
    for item in body.get("messages") or []:
        span = item.get("duration") if isinstance(item, dict) else None
        if isinstance(span, dict):
            times = {k: instant(span.get(k)) for k in ("startTime", "endTime")}
            if all(t is not None for t in times.values()):
                item = {**item, "duration": {**span, **{
                    k: iso(t + shift, 0) for k, t in times.items()}}}
        messages.append(item)
    return {**body, "messages": messages}


def instant(value) -> datetime | None:
    """An ISO-8601 time as an aware UTC datetime (none given: UTC); None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return utc(datetime.fromisoformat(value.strip()))
    except (ValueError, OverflowError):
        return None


def speaker_user_id(name: str) -> str:
    """A stable ``userId`` for a speaker name: ``bob-smith@transcript.invalid``.

    Names that differ only in case or spacing share an id. Any other name (punctuation,
    non-ASCII, very long) gets a short hash of the name added, so that two different people
    never collapse into one member.
    """
    key = " ".join(name.split()).casefold()
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_key).strip("-")[:40].strip("-")
    if len(key) > 40 or not re.fullmatch(r"[a-z0-9]+(?: [a-z0-9]+)*", key):
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else f"speaker-{digest}"
    return f"{slug}@{USER_ID_DOMAIN}"


@dataclass(frozen=True)
class TextMessage:
    content: str
    speaker: str | None
    start: float | None  # seconds from the start of the conversation
    end: float | None


@dataclass(frozen=True)
class TextPayload:
    messages: tuple[TextMessage, ...]
    source: Path
    # The earliest stated date of a .json whose messages state them (its times count from
    # there); None for a transcript of offsets or without times.
    stated_start: datetime | None = None

    @property
    def offsets(self) -> bool:
        """Its times are offsets with no date (.srt, .vtt; a .json states dates): they count
        from a time zero the submission chooses."""
        return self.stated_start is None and any(m.start is not None for m in self.messages)

    def to_json(self, start_time: datetime | None = None, extra: dict | None = None) -> dict:
        """The Text API body; ``extra`` adds API options (name, detectPhrases, ...).

        Times are ``start_time`` (default: the file's own earliest date, else
        ``DEFAULT_START``; a naive datetime is taken as UTC) plus each message's offset.
        """
        if extra and "messages" in extra:
            raise ValueError("extra must not carry messages: they come from the transcript")
        origin = (utc(start_time) if start_time is not None
                  else self.stated_start or DEFAULT_START)
        messages = []
        for m in self.messages:
            item: dict = {"payload": {"content": m.content, "contentType": "text/plain"}}
            if m.speaker is not None:
                item["from"] = {"name": m.speaker, "userId": speaker_user_id(m.speaker)}
            if m.start is not None and m.end is not None:
                item["duration"] = {"startTime": iso(origin, m.start),
                                    "endTime": iso(origin, m.end)}
            messages.append(item)
        return {**(extra or {}), "messages": messages}


def check_body(body: dict, path: os.PathLike | str) -> dict:
    """``body`` if it fits in a Text API request, else TextInputError before it is sent.

    MAX_BYTES caps the file, but the body is larger than the text it carries: every message
    gets its JSON wrapping, and the request encodes it as ASCII (requests' ``json=``), so a
    character outside ASCII takes 6 or 12 bytes. A file under the cap can still make a body
    the service would refuse (413) after the upload."""
    size = len(json.dumps(body, allow_nan=False).encode())
    if size > MAX_BYTES:
        raise TextInputError(f"{shown(Path(path))}: makes a Text API request of "
                             f"{size / 2**20:.1f} MiB, more than the "
                             f"{MAX_BYTES // 2**20} MiB a text submission may carry")
    return body



def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None \
        else moment.astimezone(UTC)


def iso(origin: datetime, seconds: float) -> str:
    # Whole milliseconds first, so float noise never shows as 0.999.
    return api_time(origin + timedelta(milliseconds=round(seconds * 1000)))
