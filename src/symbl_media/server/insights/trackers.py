"""Trackers: where each tracker's vocabulary was said, exactly or in another form.

An exact match is a case-insensitive, word-bounded occurrence of the term (any whitespace
between its words); its offset is the character offset in the message. A non-exact match is
the same words in another inflection ("shipping" for "ship", "sent reports" for "send report"),
reported with offset -1, as the API does for similar matches. Synonyms and paraphrases are not
found: there is no model behind this.
"""

from __future__ import annotations

import re

from .conversation import Conversation
from .ids import make_id
from .words import stem, tokens


def find(conversation: Conversation, trackers: tuple[dict, ...], insights: list[dict]) -> list[dict]:
    """The trackers with at least one match, in the order they were given."""
    stems = {m.id: [stem(t.text) for t in tokens(m.text)] for m in conversation.messages}
    detected = []
    for tracker in trackers:
        name = str(tracker.get("name") or "")
        vocabulary = tracker.get("vocabulary") or ()
        if isinstance(vocabulary, str):
            vocabulary = [vocabulary]
        matches = []
        for term in dict.fromkeys(str(v) for v in vocabulary if str(v).strip()):
            refs = _message_refs(conversation, term, stems)
            if refs:
                matches.append({"type": "vocabulary", "value": term, "messageRefs": refs,
                                "insightRefs": _insight_refs(term, insights)})
        if matches:
            detected.append({"id": make_id(conversation.id, "tracker", name), "name": name,
                             "matches": matches})
    return detected


def _exact(term: str) -> re.Pattern:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _message_refs(conversation: Conversation, term: str, stems: dict[str, list[str]]) -> list[dict]:
    exact = _exact(term)
    wanted = [stem(t.text) for t in tokens(term)]
    refs = []
    for message in conversation.messages:
        hits = [m.start() for m in exact.finditer(message.text)]
        if hits:
            refs.extend({"id": message.id, "text": message.text, "offset": h} for h in hits)
        elif wanted and _contains(stems[message.id], wanted):
            refs.append({"id": message.id, "text": message.text, "offset": -1})
    return refs


def _contains(words: list[str], wanted: list[str]) -> bool:
    n = len(wanted)
    return any(words[i:i + n] == wanted for i in range(len(words) - n + 1))


def _insight_refs(term: str, insights: list[dict]) -> list[dict]:
    """Questions, action items and follow-ups whose text says the term."""
    exact = _exact(term)
    wanted = [stem(t.text) for t in tokens(term)]
    refs = []
    for insight in insights:
        m = exact.search(insight["text"])
        if m:
            offset = m.start()
        elif wanted and _contains([stem(t.text) for t in tokens(insight["text"])], wanted):
            offset = -1
        else:
            continue
        refs.append({"id": insight["id"], "type": insight["type"], "text": insight["text"],
                     "offset": offset})
    return refs
