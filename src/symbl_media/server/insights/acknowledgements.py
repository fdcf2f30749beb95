"""An answer that takes a request on: "Sure.", "Will do.", "Yep, on it", "I can do that".

replies.py merges a request with such an answer; assignees.py asks who gave it when the name a
request was addressed to is no one in the conversation (below).
"""

from __future__ import annotations

import re

ACK = re.compile(
    r"^\W*(?:sure|ok(?:ay)?|yes|yeah|yep|yup|absolutely|of\s+course|no\s+problem|no\s+worries|not\s+at\s+all|will\s+do|"
    r"on\s+it|got\s+it|sounds\s+good|definitely|certainly|can\s+do|happy\s+to|sure\s+thing|"
    r"consider\s+it\s+done|you\s+got\s+it|i'?m\s+on\s+it|i(?:\s+(?:can|will)|['’]ll)\s+(?:do|take)\s+(?:it|that)|"
    # "Deal.": a bargain struck is a yes; "deal with it" is an order
    r"deal(?!\s+with\b))\b",
    re.IGNORECASE)


def takes_it_on(text: str) -> bool:
    """Whether a message opens by taking on what was just asked."""
    return bool(ACK.match(text))
