"""Entities: people, dates, times, numbers, percentages, organisations, and custom entities.

Local heuristics, not Symbl's model: people are the members' names plus capitalised names after
cue words ("ask Dana", "this is Peter"); organisations only with a company suffix ("Acme Inc")
or after "work(s) at/for"; dates via the date resolver; numbers as digits or spoken words.
Custom entities are case-insensitive, word-bounded matches of their text.
"""

from __future__ import annotations

import re
from datetime import date

from . import dates, numbers
from .conversation import Conversation
from .people import NOT_NAMES, People

_ORG_SUFFIX = re.compile(
    r"\b(?P<org>(?:[A-Z][\w&'-]*\s+){0,3}[A-Z][\w&'-]*\s+"
    r"(?:Inc|Corp|Corporation|Ltd|LLC|GmbH|Company|Co|Group|Labs|Technologies|Systems|Bank|University))\b\.?")
_ORG_CUE = re.compile(r"\b(?i:works?|working|worked)\s+(?i:at|for)\s+(?P<org>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,2})")
_TIME = re.compile(
    r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b"
    r"|\b(?P<hw>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:o'clock|(?P<apw>[ap])\.?\s?m\b\.?)"
    r"|\b(?P<noon>noon|midnight)\b", re.IGNORECASE)
_HOUR_WORDS = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), 1)}


def find(conversation: Conversation, people: People, *, detect: bool,
         custom: tuple[dict, ...]) -> list[dict]:
    """Entity objects, one per (type, value, text), each with every place it was said."""
    groups: dict[tuple, dict] = {}
    order: list[tuple] = []
    seen: set[tuple] = set()
    for message in conversation.messages:
        text = message.text
        hits = list(_custom(text, custom))
        if detect:
            hits += _detected(text, people, conversation.day_of(message))
        for hit in sorted(hits, key=lambda h: h[3]):
            kind, value, matched, offset, custom_type = hit
            key = (kind, custom_type, str(value).lower(), matched.lower())
            if key not in groups:
                entity = {"type": kind, "value": value, "text": matched}
                if custom_type is not None:
                    entity["customType"] = custom_type
                entity["messageRefs"] = []
                groups[key] = entity
                order.append(key)
            if (key, message.id, offset) not in seen:
                seen.add((key, message.id, offset))
                groups[key]["messageRefs"].append({"id": message.id, "text": text, "offset": offset})
    return [groups[k] for k in order]


def _custom(text: str, custom: tuple[dict, ...]):
    for spec in custom:
        phrase = str(spec.get("text") or "").strip()
        if not phrase:
            continue
        words = [re.escape(w) for w in phrase.split()]
        pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
        for m in re.finditer(pattern, text, re.IGNORECASE):
            value = spec.get("value") or phrase
            yield "custom", str(value), m.group(), m.start(), str(spec.get("customType") or "")


def _detected(text: str, people: People, day: date):
    taken = bytearray(len(text))  # characters already claimed by an entity

    def free(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = b"\x01" * (end - start)
        return True

    for d in dates.find(text, day):  # read against the day the message was said
        if free(d.start, d.end):
            yield ("date" if d.first == d.last else "daterange"), d.value, d.text, d.start, None
    for m in _TIME.finditer(text):
        if free(m.start(), m.end()):
            yield "time", _clock(m), m.group(), m.start(), None
    for mention in people.members_in(text) + people.named_after_cues(text):
        if free(mention.start, mention.end):
            yield "person", mention.name, mention.text, mention.start, None
    for m in [*_ORG_SUFFIX.finditer(text), *_ORG_CUE.finditer(text)]:
        org = m.group("org").rstrip(".")
        if org.split()[0].lower() not in NOT_NAMES and free(m.start("org"), m.start("org") + len(org)):
            yield "organization", org, org, m.start("org"), None
    for n in numbers.find(text):
        if free(n.start, n.end):
            yield ("percentage" if n.percent else "number"), n.display, n.text, n.start, None


def _clock(m: re.Match) -> str:
    if m.group("noon"):
        return "12:00" if m.group("noon").lower() == "noon" else "00:00"
    if m.group("h24"):
        return f"{int(m.group('h24')):02d}:{m.group('m24')}"
    hour = int(m.group("h")) if m.group("h") else _HOUR_WORDS[m.group("hw").lower()]
    minute = int(m.group("m") or 0)
    half = (m.group("ap") or m.group("apw") or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"
