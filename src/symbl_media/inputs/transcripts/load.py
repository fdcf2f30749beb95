"""Which file is a transcript, and reading one into a ``TextPayload`` by its suffix."""

from __future__ import annotations

import os
from pathlib import Path

from symbl_media.errors import TextInputError
from symbl_media.inputs.transcripts.json_messages import from_json
from symbl_media.inputs.transcripts.payload import TextPayload
from symbl_media.inputs.transcripts.reading import decode, read_bytes, shown
from symbl_media.inputs.transcripts.srt import from_srt
from symbl_media.inputs.transcripts.txt import from_txt
from symbl_media.inputs.transcripts.vtt import from_vtt

TEXT_SUFFIXES = (".json", ".txt", ".srt", ".vtt")


def is_text_input(path: os.PathLike | str) -> bool:
    """Whether ``path`` names a transcript (by its suffix, in any case) rather than media."""
    return Path(path).suffix.lower() in TEXT_SUFFIXES



def load_text(path: os.PathLike | str) -> TextPayload:
    """Read one transcript; raises InputNotFound or TextInputError (one line, path first)."""
    path = Path(path)
    where = shown(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise TextInputError(f"{where}: not a transcript (expected a name ending in "
                             f"{', '.join(TEXT_SUFFIXES)})")
    text = decode(where, read_bytes(path, where))
    stated_start = None
    if suffix == ".json":
        messages, stated_start = from_json(where, text)
    elif suffix == ".txt":
        messages = from_txt(where, text)
    elif suffix == ".srt":
        messages = from_srt(where, text)
    else:
        messages = from_vtt(where, text)
    if not messages:
        raise TextInputError(f"{where}: contains no messages")
    return TextPayload(tuple(messages), path, stated_start)
