"""Telling someone something later: a task, and a follow-up (keeping them informed).

"I'll tell Sarah by Tuesday whether …", "I'll tell the custodian by Thursday", "I'll tell the
agency people too", "I'll tell you on Monday" inform someone after the call. "I'll tell you
what", "let me tell you about my last job", "tell the truth", "tell the difference" are said as
they are spoken or are no informing at all. actions.py asks whether "tell" starts a task,
follow_ups.py whether it follows up.
"""

from __future__ import annotations

import re

_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# A time to come, or the moment the speaker will know: "on Monday", "tomorrow", "once I hear".
_LATER = (r"(?:tomorrow|tonight|later|first\s+thing|next\s+(?:week|time|month)|this\s+(?:afternoon|evening|week)|"
          rf"(?:on\s+|by\s+|before\s+)?{_WEEKDAYS}|by\s+\w+|as\s+soon\s+as|once|when\s+(?:i|we)\b|after\s+(?:the|this|our)\s+\w+)")
# Someone else, told whatever follows a cue: "tell Sarah by Tuesday whether …".
_OTHER = re.compile(r"\s+(?!(?:you|everyone|everybody|y'all|ya)\b)(?:(?-i:[A-Z])[^\W\d_]+|him|her|them|the\s+[\w-]+)\b"
                    r"(?=[^.?!]*\b(?:whether|if|when|once|that|about|by|as\s+soon\s+as|tomorrow|tonight|today)\b)",
                    re.IGNORECASE)
# The ones spoken to, told at a time to come in the same clause: "I'll tell you on Monday",
# "I'll tell everyone what the rules are once I hear" ("I'll tell you what, …" is said now).
_LISTENERS = re.compile(r"\s+(?:you(?:\s+(?:all|both|guys))?|everyone|everybody|y'all)\b(?=[^.?!,;]*\b" + _LATER + r")",
                        re.IGNORECASE)
# A group named by "the" and a word or two, closing the clause: "tell the agency people too",
# "tell the night shift"; not the things "tell" also takes ("tell the truth", "the time").
# Where or how they are told may follow ("tell the residents in the newsletter", "tell the
# drivers at the briefing").
_NOT_TOLD = r"(?!(?:truth|difference|time|story|stories|joke|jokes|future|world|same)\b)"
_GROUP = re.compile(r"\s+the\s+" + _NOT_TOLD + r"[\w-]+(?:\s+[\w-]+)?"
                    r"(?:\s+(?:in|at|on|by|over|via|through)\s+(?:the\s+|a\s+|an\s+|my\s+|our\s+)?[\w-]+(?:\s+[\w-]+)?)?"
                    r"\s*(?:,?\s*(?:too|as\s+well|also))?\s*(?:[,.;!?]|$)", re.IGNORECASE)
# Someone else, told what follows as a clause of its own, without "that": "I'll tell the
# steering group it's September at the earliest", "tell Sarah we're late" (not the ones spoken
# to: "I'll tell you, it's been a long week" is said now).
_TOLD_A_CLAUSE = re.compile(
    r"\s+(?!(?:you|everyone|everybody|y'all|ya)\b)(?:(?-i:[A-Z])[^\W\d_]+|him|her|them|the\s+" + _NOT_TOLD + r"[\w-]+(?:\s+[\w-]+)?)"
    r"\s+(?:it|we|they|he|she|there|this|that)(?:['’](?:s|re|ll|d|ve)\b|\s+(?:is|are|was|were|will|won['’]t|can|can['’]t|has|have|need|needs|should)\b)",
    re.IGNORECASE)


def reaches_someone(sentence: str, after_tell: int) -> bool:
    """True when "tell", ending at `after_tell` in `sentence`, informs someone later."""
    return bool(_OTHER.match(sentence, after_tell) or _LISTENERS.match(sentence, after_tell)
                or _GROUP.match(sentence, after_tell) or _TOLD_A_CLAUSE.match(sentence, after_tell))
