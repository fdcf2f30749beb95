"""One's own task said again by a pro-form: one task, not two.

"I'll call the agency and ask for one more." - "They need two hours' notice." - "Right, I'll do
it straight after this." is one task, the agency call, with the three messages: "do it" names
no work of its own, only the task its speaker took on just before (as "do it" answering a
request names the request, replies.py). The earlier task keeps its words and takes the time
said again when it had none.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .conversation import Conversation
from .replies import Found

# "do it", "do that", "do this", "do so", with something after it (a time, "first"); said
# alone ("I'll do it.") it is agreeing, and narration.py has dropped it already.
_DO_IT = re.compile(r"^do\s+(?:it|that|this|so)\b", re.IGNORECASE)
_WINDOW = 2  # messages back to the task it names


def merge(conversation: Conversation, found: list[Found]) -> list[Found]:
    """`found` with each task said again by its own assignee merged into the task it names."""
    kept: list[Found] = []
    for f in found:
        earlier = _named(f, kept) if f.action.kind == "commitment" and _DO_IT.match(f.action.phrase(f.sentence.text)) else None
        if earlier is None:
            kept.append(f)
            continue
        i = kept.index(earlier)
        kept[i] = replace(earlier, message_ids=tuple(dict.fromkeys((*earlier.message_ids, *f.message_ids))),
                          due=earlier.due or f.due)
    return kept


def _named(f: Found, kept: list[Found]) -> Found | None:
    """The task kept last, when its speaker took it on in the two messages just before;
    None otherwise."""
    speaker = f.sentence.message.speaker.name
    position = f.sentence.message.position
    last = kept[-1] if kept else None
    if last is None or last.assignee.get("name") != speaker:
        return None
    said = last.sentence.message.position
    return last if position - _WINDOW <= said < position else None
