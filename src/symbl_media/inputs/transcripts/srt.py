"""A ``.srt`` transcript: SubRip cues as messages, a speaker label giving the speaker."""

from __future__ import annotations

from symbl_media.errors import TextInputError
from symbl_media.inputs.transcripts.cues import STARTS_TIMING, cue_messages, cue_text, cue_timing
from symbl_media.inputs.transcripts.labels import split_label
from symbl_media.inputs.transcripts.payload import TextMessage
from symbl_media.inputs.transcripts.reading import split_lines, squeeze


def from_srt(where: str, text: str) -> list[TextMessage]:
    lines = split_lines(text)
    # A timing line starts with a digit; an arrow in the text ("A --> B") is just text.
    timings = [i for i, line in enumerate(lines) if "-->" in line and STARTS_TIMING.match(line)]
    if not timings:
        raise TextInputError(f"{where}: has no subtitle cues "
                             f"(no 'HH:MM:SS,mmm --> HH:MM:SS,mmm' line)")
    for i, line in enumerate(lines[:timings[0]]):
        if line.strip() and not line.strip().isdigit():
            raise TextInputError(f"{where}: line {i + 1}: expected a cue number or timing, "
                                 f"not text")
    messages: list[TextMessage] = []
    for k, at in enumerate(timings):
        start, end = cue_timing(where, at + 1, lines[at])
        stop = timings[k + 1] if k + 1 < len(timings) else len(lines)
        body = lines[at + 1:stop]
        # The line just before the next timing is that cue's number, not this cue's text.
        if k + 1 < len(timings) and body and body[-1].strip().isdigit():
            body = body[:-1]
        speaker, content = split_label(cue_text(body, entities=False))
        messages += cue_messages(where, at + 1, [(speaker, squeeze(content))], start, end)
    return messages
