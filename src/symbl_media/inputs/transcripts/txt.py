"""A ``.txt`` transcript: lines, speaker labels and blank lines into messages, without times."""

from __future__ import annotations

from symbl_media.errors import TextInputError
from symbl_media.inputs.transcripts.labels import split_label
from symbl_media.inputs.transcripts.payload import TextMessage
from symbl_media.inputs.transcripts.reading import split_lines, squeeze


def from_txt(where: str, text: str) -> list[TextMessage]:
    messages: list[TextMessage] = []
    speaker: str | None = None
    parts: list[str] = []
    label_line = 0  # the line of a label still waiting for its text

    def close() -> None:
        nonlocal speaker, parts
        if parts:
            messages.append(TextMessage(squeeze(" ".join(parts)), speaker, None, None))
        speaker, parts = None, []

    for number, line in enumerate(split_lines(text), 1):
        if not line.strip():
            if not label_line:
                close()
            continue
        name, rest = split_label(line.strip())
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
