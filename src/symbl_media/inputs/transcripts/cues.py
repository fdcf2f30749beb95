"""What ``.srt`` and ``.vtt`` share: a cue's timing line and its text, as messages."""

from __future__ import annotations

import html
import re

from symbl_media.errors import TextInputError
from symbl_media.inputs.transcripts.payload import MAX_SECONDS, TextMessage
from symbl_media.inputs.transcripts.reading import printable, squeeze

_STAMP = r"(?:(\d{1,9}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(rf"[ \t]*{_STAMP}[ \t]*-->[ \t]*{_STAMP}(?:[ \t].*)?", re.ASCII)
STARTS_TIMING = re.compile(r"[ \t]*\d", re.ASCII)
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_DASH = re.compile(r"^-(?:\s+|(?=[^\W\d_]))")


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float | None:
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    # "1,5" is half a second: the digits are a fraction, not a count of milliseconds.
    whole = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return whole + int(fraction) / 10 ** len(fraction)


def cue_timing(where: str, number: int, line: str) -> tuple[float, float]:
    match = _TIMING.fullmatch(line)
    start = end = None
    if match:
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
    if start is None or end is None:
        raise TextInputError(f"{where}: line {number}: cannot read the cue timing "
                             f"'{printable(line.strip()[:60])}'")
    if end < start:
        raise TextInputError(f"{where}: line {number}: the cue ends before it starts")
    if end > MAX_SECONDS:
        raise TextInputError(f"{where}: line {number}: the cue time is more than a year in")
    return start, end


def cue_text(lines: list[str], *, entities: bool) -> str:
    kept = []
    for line in lines:
        line = _TAG.sub("", line).strip()
        line = _DASH.sub("", line)
        kept.append(html.unescape(line) if entities else line)
    return squeeze(" ".join(kept))


def cue_messages(where: str, number: int, segments, start: float, end: float,
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
