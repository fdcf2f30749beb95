"""A request and its answer are one action item: "Bob, please send the report." "Sure, will do."

When the person asked answers within the next two messages with an acknowledgement ("sure",
"will do", "on it") or a commitment to the same thing ("I'll send it tomorrow", "I can do
that"), the answer is not a second item: the request takes its message, its due date when it
had none, and is then written as the assignee's commitment ("Bob will send ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .actions import Action
from .conversation import Conversation, Sentence
from .dates import DateMatch
from .words import stem, tokens

_ACK = re.compile(
    r"^\W*(?:sure|ok(?:ay)?|yes|yeah|yep|yup|absolutely|of\s+course|no\s+problem|no\s+worries|will\s+do|"
    r"on\s+it|got\s+it|sounds\s+good|definitely|certainly|can\s+do|happy\s+to|sure\s+thing|"
    r"consider\s+it\s+done|you\s+got\s+it|i'?m\s+on\s+it|i\s+(?:can|will|'ll)\s+do\s+(?:it|that))\b",
    re.IGNORECASE)
_THE_SAME = re.compile(r"^\w+(?:\s+\w+)?\s+(?:it|that|this|them|those|these|one)\b|^(?:do|handle|take\s+care\s+of)\b",
                       re.IGNORECASE)
_WINDOW = 2  # messages


@dataclass(frozen=True)
class Found:
    """An action item before it is written out."""
    sentence: Sentence
    action: Action
    assignee: dict
    mention: object | None  # where the assignee is named in the sentence, if they are
    due: DateMatch | None
    definitive: bool
    message_ids: tuple[str, ...]
    accepted: bool = False  # the assignee answered yes: the request reads as their commitment


def merge(conversation: Conversation, found: list[Found]) -> list[Found]:
    """`found` with each answered request merged with its answer, in the order said."""
    result = list(found)
    dropped: set[int] = set()
    for i, request in enumerate(result):
        if request.action.kind not in ("request", "assignment") or i in dropped:
            continue
        asked = request.assignee.get("name")
        if asked == request.sentence.message.speaker.name:
            continue
        pos = request.sentence.message.position
        for message in conversation.messages[pos + 1:pos + 1 + _WINDOW]:
            if message.speaker.name != asked:
                continue
            answers = [j for j, f in enumerate(result) if f.sentence.message is message and j not in dropped
                       and f.action.kind == "commitment" and _same_task(request, f)]
            if answers or _ACK.match(message.text):
                due = request.due or next((result[j].due for j in answers if result[j].due), None)
                result[i] = request = replace(request, message_ids=(*request.message_ids, message.id),
                                              due=due, accepted=True)
                dropped.update(answers)
            break  # only the asked person's first answer counts
    return [f for j, f in enumerate(result) if j not in dropped]


def _same_task(request: Found, answer: Found) -> bool:
    phrase = answer.action.phrase(answer.sentence.text)
    if _THE_SAME.match(phrase):
        return True
    asked = tokens(request.action.phrase(request.sentence.text))
    said = tokens(phrase)
    return bool(asked and said and stem(asked[0].lower) == stem(said[0].lower))
