"""A ``.json`` transcript: a Symbl text payload, or a bare list of its messages."""

from __future__ import annotations

import json
import re
from datetime import datetime

from symbl_media.errors import TextInputError
from symbl_media.inputs.transcripts.payload import MAX_SECONDS, TextMessage, utc
from symbl_media.inputs.transcripts.reading import squeeze


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


def from_json(where: str, text: str) -> tuple[list[TextMessage], datetime | None]:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise TextInputError(f"{where}: is not a Symbl text payload (JSON nested too deeply)"
                             ) from None
    except json.JSONDecodeError as exc:
        raise TextInputError(f"{where}: is not valid JSON (line {exc.lineno}, column "
                             f"{exc.colno}: {exc.msg})") from None
    except ValueError as exc:  # NaN/Infinity, integers too long to convert
        raise TextInputError(f"{where}: is not valid JSON ({squeeze(str(exc))})") from None

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
    return squeeze(sender.get("name") or "") or squeeze(sender.get("userId") or "") or None


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
            times.append(utc(datetime.fromisoformat(value)))
        except (ValueError, OverflowError):
            raise fail(i, f".duration.{key} is not a real date and time: {value}") from None
    if times[1] < times[0]:
        raise fail(i, ".duration ends before it starts")
    return times[0], times[1]
