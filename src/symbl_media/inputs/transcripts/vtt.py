"""A ``.vtt`` transcript: WebVTT cues as messages, ``<v Name>`` voices giving the speakers."""

from __future__ import annotations

import html
import re

from symbl_media.errors import TextInputError
from symbl_media.inputs.transcripts.cues import cue_messages, cue_text, cue_timing
from symbl_media.inputs.transcripts.labels import split_label
from symbl_media.inputs.transcripts.payload import TextMessage
from symbl_media.inputs.transcripts.reading import split_lines, squeeze

_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")


def from_vtt(where: str, text: str) -> list[TextMessage]:
    lines = split_lines(text)
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
        start, end = cue_timing(where, number, block[timing])
        messages += cue_messages(where, number, _voices(block[timing + 1:]), start, end)
    return messages


def _voices(lines: list[str]) -> list[tuple[str | None, str]]:
    """(speaker, text) for each voice span of a cue; a speaker label without one."""
    parts = _VOICE.split("\n".join(lines))
    if len(parts) == 1:
        speaker, content = split_label(cue_text(lines, entities=True))
        return [(speaker, squeeze(content))]
    segments = [(None, cue_text(parts[0].split("\n"), entities=True))]
    for name, body in zip(parts[1::2], parts[2::2]):
        speaker = squeeze(html.unescape(name or "")) or None
        segments.append((speaker, cue_text(body.split("\n"), entities=True)))
    return segments
