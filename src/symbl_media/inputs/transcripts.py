"""Transcripts as the JSON body of Symbl's Text API (``POST /v1/process/text``).

``load_text(path)`` reads one transcript into a ``TextPayload``; ``TextPayload.to_json()`` is
the request body. Whatever is wrong with the file becomes ``TextInputError`` (or
``InputNotFound`` when there is no such file) with a one-line message that starts with the path.
The file is capped at ``MAX_BYTES``, the JSON body limit of the sandbox.

Text is UTF-8, with or without a BOM, or UTF-16/UTF-32 with a BOM. The format is chosen by the
suffix, in any case:

``.json``
    A Symbl text payload ``{"messages": [...]}``, or a bare list of such messages. A message
    needs ``payload.content``, a string that is not blank (kept exactly as written);
    ``payload.contentType``, when given, must be ``text/plain``; ``from`` is optional, its
    ``name`` is the speaker (``userId`` stands in when there is no name); ``duration`` is
    optional and then needs both ``startTime`` and ``endTime`` as ISO-8601 date-times (``Z`` or
    an offset; none means UTC). Times become seconds from the earliest stated start, which is
    kept (``TextPayload.stated_start``) so ``to_json()`` states the same dates. Other keys
    are ignored: the payload's own options (name, detectPhrases...) are not carried over, pass
    them to ``to_json(extra=...)``.

``.txt``
    Read line by line, with no times:

    - a line that begins with a speaker label starts a new message by that speaker;
    - a blank line ends the current message;
    - any other line continues the current message (joined with a space), or starts a new
      message without a speaker when there is none;
    - a label alone on its line (``Alice:``) takes its text from the lines after it,
      skipping blank lines; a label that never gets any text is an error.

    A speaker label is 1-40 characters before a colon that ends the line or is followed by
    white space. It begins with a letter that is not lower case, holds only letters, digits,
    spaces and ``. ' -``, has at most four words, and is not a common heading (Note, Subject,
    Agenda, Step...: see ``_NOT_SPEAKERS``). So ``Alice:``, ``Dr. Bob Smith:``, ``Speaker 1:``
    and ``JOHN:`` are speakers; ``Note: ...``, ``the plan: ...``, ``so, yes: ...``,
    ``http://...`` and ``10:30`` are text.

``.srt``
    Cues: an optional index line, ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` (``.`` for ``,``, a missing
    hour and anything after the end time are tolerated), then the text up to the next cue.
    Lines are joined with a space; tags (``<i>``, ``<font ...>``, ``{\\an8}``) and leading
    dialogue dashes are removed; a speaker label at the start of the text gives the speaker.

``.vtt``
    The first line must be ``WEBVTT``. The header and NOTE, STYLE and REGION blocks are skipped,
    and so are blocks without a timing line, as the WebVTT parser does. Cue identifiers are
    optional, cue settings after the end time are ignored. ``<v Name>`` voice spans give the
    speaker, and a cue with several voices becomes one message per voice, each with the cue's
    times; a cue without a voice span may start with a speaker label as in ``.srt``. Other tags
    are removed and character references (``&amp;``) decoded.

Every cue is its own message, even when the same speaker goes on: the times stay exact. In
.txt, .srt and .vtt, runs of white space inside a message become one space. A message whose
text is empty is an error, never silently dropped: it means the file is not what it seems.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from symbl_media.errors import InputNotFound, TextInputError

TEXT_SUFFIXES = (".json", ".txt", ".srt", ".vtt")

# The sandbox refuses JSON bodies above 10 MiB (sandbox/http.py read_json); a transcript larger
# than that cannot become a body that fits, so it is refused before it is read.
MAX_BYTES = 10 * 1024 * 1024

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

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def is_text_input(path: os.PathLike | str) -> bool:
    """Whether ``path`` names a transcript (by its suffix, in any case) rather than media."""
    return Path(path).suffix.lower() in TEXT_SUFFIXES


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
        return _instant(extra[TIME_ZERO])
    start = _instant((conversation or {}).get("startTime"))
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
    shift = _utc(zero) - DEFAULT_START
    messages = []
    for item in body.get("messages") or []:
        span = item.get("duration") if isinstance(item, dict) else None
        if isinstance(span, dict):
            times = {k: _instant(span.get(k)) for k in ("startTime", "endTime")}
            if all(t is not None for t in times.values()):
                item = {**item, "duration": {**span, **{
                    k: _iso(t + shift, 0) for k, t in times.items()}}}
        messages.append(item)
    return {**body, "messages": messages}


def _instant(value) -> datetime | None:
    """An ISO-8601 time as an aware UTC datetime (none given: UTC); None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return _utc(datetime.fromisoformat(value.strip()))
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
        origin = (_utc(start_time) if start_time is not None
                  else self.stated_start or DEFAULT_START)
        messages = []
        for m in self.messages:
            item: dict = {"payload": {"content": m.content, "contentType": "text/plain"}}
            if m.speaker is not None:
                item["from"] = {"name": m.speaker, "userId": speaker_user_id(m.speaker)}
            if m.start is not None and m.end is not None:
                item["duration"] = {"startTime": _iso(origin, m.start),
                                    "endTime": _iso(origin, m.end)}
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
        raise TextInputError(f"{_shown(Path(path))}: makes a Text API request of "
                             f"{size / 2**20:.1f} MiB, more than the "
                             f"{MAX_BYTES // 2**20} MiB a text submission may carry")
    return body


def load_text(path: os.PathLike | str) -> TextPayload:
    """Read one transcript; raises InputNotFound or TextInputError (one line, path first)."""
    path = Path(path)
    where = _shown(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise TextInputError(f"{where}: not a transcript (expected a name ending in "
                             f"{', '.join(TEXT_SUFFIXES)})")
    text = _decode(where, _read(path, where))
    stated_start = None
    if suffix == ".json":
        messages, stated_start = _from_json(where, text)
    elif suffix == ".txt":
        messages = _from_txt(where, text)
    elif suffix == ".srt":
        messages = _from_srt(where, text)
    else:
        messages = _from_vtt(where, text)
    if not messages:
        raise TextInputError(f"{where}: contains no messages")
    return TextPayload(tuple(messages), path, stated_start)


# ----------------------------------------------------------------------------- reading


def _shown(path: Path) -> str:
    """The path for a message: a newline in a file name must not break the one-line promise."""
    return _printable(str(path))


def _printable(text: str) -> str:
    """``text`` with control characters escaped, and lone surrogates (the undecodable bytes
    of a file name) shown as the byte they stand for."""
    out = []
    for c in text:
        if c.isprintable():
            out.append(c)
        elif 0xDC80 <= ord(c) <= 0xDCFF:
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        else:
            out.append(c.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _read(path: Path, where: str) -> bytes:
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in it
        raise InputNotFound(f"{where}: no such file") from None
    except PermissionError:
        raise InputNotFound(f"{where}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputNotFound(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputNotFound(f"{where}: is a directory, not a transcript")
    if not stat.S_ISREG(info.st_mode):
        raise InputNotFound(f"{where}: is not a regular file")
    too_big = TextInputError(f"{where}: is larger than {MAX_BYTES // (1024 * 1024)} MiB, the "
                             f"most a text submission may carry")
    if info.st_size > MAX_BYTES:
        raise too_big
    try:
        with path.open("rb") as fh:
            # Bounded even if the file grew after stat.
            data = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputNotFound(f"{where}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise TextInputError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise too_big
    if not data:
        raise TextInputError(f"{where}: is empty (0 bytes)")
    return data


def _decode(where: str, data: bytes) -> str:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            break
    else:
        bom, codec, label = b"", "utf-8", "UTF-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise TextInputError(f"{where}: is not {label} text (undecodable bytes at offset "
                             f"{len(bom) + exc.start}); save it as UTF-8") from None
    if "\x00" in text:
        raise TextInputError(f"{where}: contains NUL characters: not a text file")
    if not text.strip():
        raise TextInputError(f"{where}: contains no messages (only white space)")
    return text


def _lines(text: str) -> list[str]:
    # Only real line breaks: str.splitlines would also split on form feeds and U+2028.
    return re.split(r"\r\n|\r|\n", text)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None \
        else moment.astimezone(UTC)


def _iso(origin: datetime, seconds: float) -> str:
    # Whole milliseconds first, so float noise never shows as 0.999.
    moment = origin + timedelta(milliseconds=round(seconds * 1000))
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ----------------------------------------------------------------------------- speaker labels

# Words that end with a colon at the start of a line without naming anyone.
_NOT_SPEAKERS = frozenset("""
    note notes nb n.b ps p.s pps re fw fwd subject summary agenda action todo update warning
    caution important tip reminder example edit date time location place attendees
    participants topic title status result results decision decisions conclusion transcript
    source reference see step chapter part section http https ftp file
""".split()) | {"action item", "action items", "to do", "next steps"}

_LABEL = re.compile(r"(?P<name>[^\W\d_][\w.'’ -]{0,39}?)[ \t]*:(?:\s+(?P<rest>.*)|$)", re.DOTALL)


def _split_label(text: str) -> tuple[str | None, str]:
    """(speaker, rest) when ``text`` starts with a speaker label, else (None, text)."""
    match = _LABEL.match(text)
    if match:
        name = _squeeze(match["name"])
        key = name.casefold().rstrip(".")
        numbered = re.sub(r"\s*\d+$", "", key)  # "Step 2:" is as much a heading as "Step:"
        if (not name[0].islower() and len(name.split()) <= 4
                and key not in _NOT_SPEAKERS and numbered not in _NOT_SPEAKERS):
            return name, match["rest"] or ""
    return None, text


# ----------------------------------------------------------------------------- .json


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _from_json(where: str, text: str) -> tuple[list[TextMessage], datetime | None]:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise TextInputError(f"{where}: is not a Symbl text payload (JSON nested too deeply)"
                             ) from None
    except json.JSONDecodeError as exc:
        raise TextInputError(f"{where}: is not valid JSON (line {exc.lineno}, column "
                             f"{exc.colno}: {exc.msg})") from None
    except ValueError as exc:  # NaN/Infinity, integers too long to convert
        raise TextInputError(f"{where}: is not valid JSON ({_squeeze(str(exc))})") from None

    if isinstance(data, dict):
        items, prefix = data.get("messages"), "messages"
        if items is None:
            raise TextInputError(f'{where}: is not a Symbl text payload (no "messages" array)')
        if not isinstance(items, list):
            raise TextInputError(f'{where}: "messages" must be an array, not {_kind(items)}')
    elif isinstance(data, list):
        items, prefix = data, ""
    else:
        raise TextInputError(f"{where}: is not a Symbl text payload ({_kind(data)}, expected "
                             f'{{"messages": [...]}} or a list of messages)')

    def fail(i: int, what: str) -> TextInputError:
        return TextInputError(f"{where}: {prefix}[{i}]{what}")

    parsed: list[tuple[str, str | None, tuple[datetime, datetime] | None]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail(i, f" must be an object, not {_kind(item)}")
        payload = item.get("payload")
        if not isinstance(payload, dict):
            hint = (" (this looks like a Conversation API messages response, not a Text API "
                    "payload)") if payload is None and "text" in item else ""
            raise fail(i, f".payload must be an object, not {_kind(payload)}{hint}")
        content = payload.get("content")
        if not isinstance(content, str):
            raise fail(i, f".payload.content must be a string, not {_kind(content)}")
        if not content.strip():
            raise fail(i, ".payload.content is empty")
        if not _is_unicode(content):
            raise fail(i, ".payload.content holds an unpaired surrogate (\\ud800-\\udfff)")
        kind = payload.get("contentType", "text/plain")
        if kind != "text/plain":
            shown = json.dumps(kind)[:40] if isinstance(kind, str) else _kind(kind)
            raise fail(i, f'.payload.contentType must be "text/plain", not {shown}')
        parsed.append((content, _json_speaker(fail, i, item.get("from")),
                       _json_span(fail, i, item.get("duration"))))

    spans = [span for _, _, span in parsed if span is not None]
    origin = min(start for start, _ in spans) if spans else None
    messages = []
    for i, (content, speaker, span) in enumerate(parsed):
        start = end = None
        if span is not None:
            start = (span[0] - origin).total_seconds()
            end = (span[1] - origin).total_seconds()
            if end > MAX_SECONDS:
                raise fail(i, ".duration ends more than a year after the first message starts")
        messages.append(TextMessage(content, speaker, start, end))
    return messages, origin


def _is_unicode(text: str) -> bool:
    # A JSON escape can name half a surrogate pair; such a string cannot be sent as UTF-8.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_speaker(fail, i: int, sender) -> str | None:
    if sender is None:
        return None
    if not isinstance(sender, dict):
        raise fail(i, f".from must be an object, not {_kind(sender)}")
    for key in ("name", "userId"):
        value = sender.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(i, f".from.{key} must be a string, not {_kind(value)}")
        if value is not None and not _is_unicode(value):
            raise fail(i, f".from.{key} holds an unpaired surrogate (\\ud800-\\udfff)")
    return _squeeze(sender.get("name") or "") or _squeeze(sender.get("userId") or "") or None


_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?"
                       r"(?:Z|[+-]\d{2}:\d{2})?", re.ASCII)


def _json_span(fail, i: int, span) -> tuple[datetime, datetime] | None:
    if span is None:
        return None
    if not isinstance(span, dict):
        raise fail(i, f".duration must be an object, not {_kind(span)}")
    times = []
    for key in ("startTime", "endTime"):
        value = span.get(key)
        if not isinstance(value, str):
            raise fail(i, f".duration.{key} must be an ISO-8601 string, not {_kind(value)}")
        # fromisoformat alone accepts dates without times, week dates and more: too loose.
        if not _ISO_TIME.fullmatch(value):
            raise fail(i, f".duration.{key} is not an ISO-8601 date-time "
                          f"(like 2022-11-25T09:20:22.928Z): {json.dumps(value)[:40]}")
        digits = re.search(r"\.(\d+)", value)
        if digits and len(digits[1]) > 6:  # fromisoformat in 3.11 takes at most microseconds
            value = value.replace(digits[0], "." + digits[1][:6])
        try:
            times.append(_utc(datetime.fromisoformat(value)))
        except (ValueError, OverflowError):
            raise fail(i, f".duration.{key} is not a real date and time: {value}") from None
    if times[1] < times[0]:
        raise fail(i, ".duration ends before it starts")
    return times[0], times[1]


# ----------------------------------------------------------------------------- .txt


def _from_txt(where: str, text: str) -> list[TextMessage]:
    messages: list[TextMessage] = []
    speaker: str | None = None
    parts: list[str] = []
    label_line = 0  # the line of a label still waiting for its text

    def close() -> None:
        nonlocal speaker, parts
        if parts:
            messages.append(TextMessage(_squeeze(" ".join(parts)), speaker, None, None))
        speaker, parts = None, []

    for number, line in enumerate(_lines(text), 1):
        if not line.strip():
            if not label_line:
                close()
            continue
        name, rest = _split_label(line.strip())
        if name is not None:
            if label_line:
                raise TextInputError(f"{where}: line {label_line}: the speaker label has no text")
            close()
            speaker = name
            label_line = 0 if rest.strip() else number
            if rest.strip():
                parts.append(rest)
        else:
            parts.append(line)
            label_line = 0
    if label_line:
        raise TextInputError(f"{where}: line {label_line}: the speaker label has no text")
    close()
    return messages


# ----------------------------------------------------------------------------- cue timing

_STAMP = r"(?:(\d{1,9}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(rf"[ \t]*{_STAMP}[ \t]*-->[ \t]*{_STAMP}(?:[ \t].*)?", re.ASCII)
_STARTS_TIMING = re.compile(r"[ \t]*\d", re.ASCII)
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_DASH = re.compile(r"^-(?:\s+|(?=[^\W\d_]))")


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float | None:
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    # "1,5" is half a second: the digits are a fraction, not a count of milliseconds.
    whole = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return whole + int(fraction) / 10 ** len(fraction)


def _timing(where: str, number: int, line: str) -> tuple[float, float]:
    match = _TIMING.fullmatch(line)
    start = end = None
    if match:
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
    if start is None or end is None:
        raise TextInputError(f"{where}: line {number}: cannot read the cue timing "
                             f"'{_printable(line.strip()[:60])}'")
    if end < start:
        raise TextInputError(f"{where}: line {number}: the cue ends before it starts")
    if end > MAX_SECONDS:
        raise TextInputError(f"{where}: line {number}: the cue time is more than a year in")
    return start, end


def _clean(lines: list[str], *, entities: bool) -> str:
    kept = []
    for line in lines:
        line = _TAG.sub("", line).strip()
        line = _DASH.sub("", line)
        kept.append(html.unescape(line) if entities else line)
    return _squeeze(" ".join(kept))


def _cue_messages(where: str, number: int, segments, start: float, end: float,
                  ) -> list[TextMessage]:
    """One message per run of the same speaker in a cue; error when the cue has no text."""
    out: list[TextMessage] = []
    for speaker, content in segments:
        if not content:
            continue
        if out and out[-1].speaker == speaker:
            out[-1] = TextMessage(f"{out[-1].content} {content}", speaker, start, end)
        else:
            out.append(TextMessage(content, speaker, start, end))
    if not out:
        raise TextInputError(f"{where}: line {number}: the cue has no text")
    return out


# ----------------------------------------------------------------------------- .srt


def _from_srt(where: str, text: str) -> list[TextMessage]:
    lines = _lines(text)
    # A timing line starts with a digit; an arrow in the text ("A --> B") is just text.
    timings = [i for i, line in enumerate(lines) if "-->" in line and _STARTS_TIMING.match(line)]
    if not timings:
        raise TextInputError(f"{where}: has no subtitle cues "
                             f"(no 'HH:MM:SS,mmm --> HH:MM:SS,mmm' line)")
    for i, line in enumerate(lines[:timings[0]]):
        if line.strip() and not line.strip().isdigit():
            raise TextInputError(f"{where}: line {i + 1}: expected a cue number or timing, "
                                 f"not text")
    messages: list[TextMessage] = []
    for k, at in enumerate(timings):
        start, end = _timing(where, at + 1, lines[at])
        stop = timings[k + 1] if k + 1 < len(timings) else len(lines)
        body = lines[at + 1:stop]
        # The line just before the next timing is that cue's number, not this cue's text.
        if k + 1 < len(timings) and body and body[-1].strip().isdigit():
            body = body[:-1]
        speaker, content = _split_label(_clean(body, entities=False))
        messages += _cue_messages(where, at + 1, [(speaker, _squeeze(content))], start, end)
    return messages


# ----------------------------------------------------------------------------- .vtt

_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")


def _from_vtt(where: str, text: str) -> list[TextMessage]:
    lines = _lines(text)
    if not re.match(r"WEBVTT(?:[ \t]|$)", lines[0]):
        raise TextInputError(f"{where}: does not start with WEBVTT: not a WebVTT file")
    blocks: list[tuple[int, list[str]]] = []  # (index of first line, lines)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if i and lines[i - 1].strip():
            blocks[-1][1].append(line)
        else:
            blocks.append((i, [line]))
    # The header runs to the first blank line, but a cue may follow WEBVTT without one.
    first, header = blocks[0]
    blocks = blocks[1:]
    for j, line in enumerate(header[1:], 1):
        if "-->" in line:
            blocks.insert(0, (first + j, header[j:]))
            break

    messages: list[TextMessage] = []
    for at, block in blocks:
        if _SKIPPED_BLOCK.match(block[0]):
            continue
        timing = next((j for j in range(min(2, len(block))) if "-->" in block[j]), None)
        if timing is None:
            continue  # what the WebVTT parser does with a block that is not a cue
        number = at + timing + 1
        start, end = _timing(where, number, block[timing])
        messages += _cue_messages(where, number, _voices(block[timing + 1:]), start, end)
    return messages


def _voices(lines: list[str]) -> list[tuple[str | None, str]]:
    """(speaker, text) for each voice span of a cue; a speaker label without one."""
    parts = _VOICE.split("\n".join(lines))
    if len(parts) == 1:
        speaker, content = _split_label(_clean(lines, entities=True))
        return [(speaker, _squeeze(content))]
    segments = [(None, _clean(parts[0].split("\n"), entities=True))]
    for name, body in zip(parts[1::2], parts[2::2]):
        speaker = _squeeze(html.unescape(name or "")) or None
        segments.append((speaker, _clean(body.split("\n"), entities=True)))
    return segments
