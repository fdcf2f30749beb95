"""A task said again that names, beside it, another of the speaker's tasks.

"Works for me. I'll send the template and the what-to-wear note this afternoon." says again
"Sure, I'll send it this afternoon" (the template, replies._restated merges it there) and
names "I can write up a short what-to-wear note": that task is the sending's too, so it takes
the message, the day when it had none, and follows up. A thing is named when the words after
"and the" (its determiner and the day taken off: "what-to-wear note") are in the other task,
said by the same person in an earlier message ("the template and the notes" does not name
"write the release notes for the app" unless the words meet).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .follow_ups import is_follow_up

# A task is a replies.Found; it is not imported, since replies.py calls this module and the
# package's imports stay one way (tests/test_layout.py).
Found = Any

# The second thing of a pair, from its determiner to the end of the phrase.
_AND_THE = re.compile(r"\s+and\s+(?:the|my|our|that|this|those|these)\s+(?P<thing>[\w'’-]+(?:\s+[\w'’-]+){0,2})\s*$",
                      re.IGNORECASE)


def also_named(kept: list[Found], said_again: Found) -> list[int]:
    """The kept tasks (their numbers) of the same speaker that `said_again` names after "and"."""
    phrase = said_again.action.phrase(said_again.sentence.text)
    if said_again.due is not None:
        phrase = phrase.replace(said_again.due.text, "").rstrip(" ,")
    m = _AND_THE.search(phrase)
    if m is None:
        return []
    thing = m.group("thing").lower()
    who, message = said_again.assignee.get("name"), said_again.sentence.message.id
    return [k for k, f in enumerate(kept)
            if f.assignee.get("name") == who and message not in f.message_ids
            and f.sentence.message.position < said_again.sentence.message.position
            and re.search(rf"\b{re.escape(thing)}\b", f.action.phrase(f.sentence.text).lower())]


def recapped(task: Found, said_again: Found) -> Found:
    """`task` with the sentence that named it again: its message, its day, its follow-up."""
    return replace(task, message_ids=tuple(dict.fromkeys((*task.message_ids, *said_again.message_ids))),
                   due=task.due or said_again.due,
                   follows_up=task.follows_up or is_follow_up(said_again.action.phrase(said_again.sentence.text)))
