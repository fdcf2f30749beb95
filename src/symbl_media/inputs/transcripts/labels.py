"""Whether a line starts with a speaker label (``Alice:``), and whose."""

from __future__ import annotations

import re

from symbl_media.inputs.transcripts.reading import squeeze

# Words that end with a colon at the start of a line without naming anyone.
_NOT_SPEAKERS = frozenset("""
    note notes nb n.b ps p.s pps re fw fwd subject summary agenda action todo update warning
    caution important tip reminder example edit date time location place attendees
    participants topic title status result results decision decisions conclusion transcript
    source reference see step chapter part section http https ftp file
""".split()) | {"action item", "action items", "to do", "next steps"}

_LABEL = re.compile(r"(?P<name>[^\W\d_][\w.'’ -]{0,39}?)[ \t]*:(?:\s+(?P<rest>.*)|$)", re.DOTALL)


def split_label(text: str) -> tuple[str | None, str]:
    """(speaker, rest) when ``text`` starts with a speaker label, else (None, text)."""
    match = _LABEL.match(text)
    if match:
        name = squeeze(match["name"])
        key = name.casefold().rstrip(".")
        numbered = re.sub(r"\s*\d+$", "", key)  # "Step 2:" is as much a heading as "Step:"
        if (not name[0].islower() and len(name.split()) <= 4
                and key not in _NOT_SPEAKERS and numbered not in _NOT_SPEAKERS):
            return name, match["rest"] or ""
    return None, text
