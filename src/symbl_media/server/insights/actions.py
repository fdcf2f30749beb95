"""Action items and follow-ups: commitments and requests, with an assignee and a due date.

A local heuristic, not Symbl's model. A sentence is an action item when it holds a commitment
("I will…", "I'm going to…", "let me check…"), a request ("please…", "can you…", "X, could
you…", "you need to…", "make sure…"), a group intention ("let's…", "we need to…") or an
assignment ("Dana will…"). Follow-ups are the action items whose action is about following up
(send, share, update, report back, schedule, call, email, meet again…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from . import dates
from .conversation import Conversation, Sentence, Speaker, iso
from .ids import make_id
from .people import NOT_NAMES, People
from .words import stem, tokens

IMPERATIVES = (
    "send share review check update schedule call email fix finish prepare write draft book "
    "follow ping forward add create submit file test deploy ship upload sign complete organise "
    "organize arrange confirm order buy pay reply respond read reach put move clean publish post "
    "print merge push invite remind contact set loop double-check").split()
_ADV = r"(?:(?:also|just|definitely|probably|then|quickly|still|really|first|now|go\s+ahead\s+and|please)\s+){0,3}"
_KINDS: list[tuple[str, bool, float, re.Pattern]] = [
    (kind, definitive, score, re.compile(rx, re.IGNORECASE)) for kind, definitive, score, rx in [
        # The trigger starts the action phrase: "make sure the demo works", "let me know …".
        ("request", True, 0.85, r"\b(?=(?:make\s+sure|let\s+(?:me|us)\s+know)\b)"),
        ("commitment", True, 0.9,
         (r"\bi\s*(?:will|'ll|’ll|shall|am\s+going\s+to|'m\s+going\s+to|’m\s+going\s+to|am\s+gonna|'m\s+gonna|"
          r"can|could|need\s+to|have\s+to|must|promise\s+to|volunteer\s+to|'d\s+like\s+to|would\s+like\s+to)\s+")),
        ("commitment", True, 0.85, r"\blet\s+me\s+(?!know\b)"),
        ("request", True, 0.9, r"\bplease\s+"),
        ("request", True, 0.85, r"\b(?:can|could|would|will)\s+you\s+"),
        ("request", True, 0.85, r"\byou\s*(?:need\s+to|have\s+to|must|should|'ll\s+need\s+to|will\s+need\s+to)\s+"),
        ("request", True, 0.85, r"\b(?:don'?t\s+forget|remember|be\s+sure)\s+to\s+"),
        # An imperative opening the sentence, after an optional name or filler: "Send it, please."
        ("request", True, 0.8, (rf"^(?:(?:(?-i:[A-Z][^\W\d_]+)|so|and|okay|ok|also|now|then|just|oh)[,\s]+)*"
                                rf"(?=(?:{'|'.join(IMPERATIVES)})\b(?!,))")),
        ("group", False, 0.7, r"\b(?:let'?s|let\s+us)\s+"),
        ("group", False, 0.75, (r"\bwe\s*(?:need\s+to|have\s+to|must|ought\s+to|should|will|'ll|’ll|shall|"
                                r"are\s+going\s+to|'re\s+going\s+to)\s+")),
    ]]
_VERB = re.compile(_ADV + r"([^\W\d_][\w'’-]*)", re.IGNORECASE)
_ASSIGNMENT = re.compile(
    r"\s*(?:will|'ll|is\s+going\s+to|needs\s+to|has\s+to|should|can\s+take|is\s+(?:on|owning|taking))\s+", re.IGNORECASE)
_CAN_NAME = re.compile(r"\b(?:can|could|would|will)\s+$", re.IGNORECASE)
_CAP_SUBJECT = re.compile(r"(?<![\w'])([A-Z][^\W\d_]+)(?=\s*(?:will|'ll|is\s+going\s+to|needs\s+to|has\s+to)\s)")
# What follows these triggers and is not a task: "I can see", "let me think", "could you repeat".
_NOT_TASKS = frozenset(
    "see hear say think guess know believe imagine understand be mean wonder feel agree hope love "
    "like want not never go leave run hang drop jump repeat remember recall tell ask assume suppose bet admit confirm that "
    "this it so what how why when where there you we they i".split())
_FOLLOW_UP_WORDS = frozenset(stem(w) for w in (
    "send share update email call schedule ping forward remind invite notify reschedule "
    "circulate mail text message book".split()))
_FOLLOW_UP_PHRASES = re.compile(
    r"\b(?:report\s+back|get\s+back|circle\s+back|follow[\s-]+up|reach\s+out|touch\s+base|"
    r"meet\s+(?:again|up)|set\s+up\s+(?:a|another|the)\s+(?:meeting|call|sync)|let\s+\w+\s+know|"
    r"sync\s+(?:up|again))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Action:
    kind: str  # commitment | request | group | assignment
    start: int  # where the action phrase starts in the sentence
    end: int
    trigger: int  # where the trigger ("I will", "please", "Dana will") starts
    definitive: bool
    score: float
    who: str | None = None  # the named subject of an assignment

    def phrase(self, sentence: str) -> str:
        return sentence[self.start:self.end]


def detect(sentence: str, people: People | None = None) -> Action | None:
    """The first action in `sentence`, or None."""
    end = _phrase_end(sentence)
    found: list[Action] = []
    for kind, definitive, score, pattern in _KINDS:
        for m in pattern.finditer(sentence):
            start = _verb_start(sentence, m.end())
            if start is not None and start < end:
                found.append(Action(kind, start, end, m.start(), definitive, score))
                break
    for who, at, after in _assignments(sentence, people):
        start = _verb_start(sentence, after)
        if start is not None and start < end:
            found.append(Action("assignment", start, end, at, True, 0.85, who))
    return min(found, key=lambda a: (a.trigger, a.kind != "assignment")) if found else None


def _verb_start(sentence: str, at: int) -> int | None:
    m = _VERB.match(sentence, at)
    if not m or m.group(1).lower() in _NOT_TASKS:
        return None
    return m.start(1)


def _phrase_end(sentence: str) -> int:
    """The end of the action phrase: without end punctuation, a trailing "please" or ", Bob"."""
    text = sentence.rstrip(" .!?…\"'”)")
    text = re.sub(r"(?:,?\s*\bplease)$", "", text, flags=re.IGNORECASE)
    text = re.sub(r",\s*[A-Z][^\W\d_]+$", "", text)
    return len(text.rstrip(" ,"))


def _assignments(sentence: str, people: People | None):
    """Named subjects given a task: "Dana will send…", "can Bob take…"."""
    mentions = people.members_in(sentence) if people else []
    for mention in mentions:
        m = _ASSIGNMENT.match(sentence, mention.end)
        if m:
            yield mention.name, mention.start, m.end()
        else:
            window = max(0, mention.start - 12)
            can = _CAN_NAME.search(sentence[window:mention.start])
            if can:
                yield mention.name, window + can.start(), mention.end
    named = {x.start for x in mentions}
    for m in _CAP_SUBJECT.finditer(sentence):
        if m.group(1).lower() not in NOT_NAMES and m.start() not in named:
            after = _ASSIGNMENT.match(sentence, m.end())
            if after:
                yield m.group(1), m.start(), after.end()


def is_follow_up(phrase: str) -> bool:
    """True when the phrase's verb, or a verb joined to it ("… and share it", "… to call"), is
    about following up; "rewrite the emails" is not."""
    if _FOLLOW_UP_PHRASES.search(phrase):
        return True
    words = [t.lower for t in tokens(phrase)]
    verbs = words[:1] + [w for before, w in pairwise(words) if before in ("and", "then", "to")]
    return any(stem(w) in _FOLLOW_UP_WORDS for w in verbs)


def find(conversation: Conversation, people: People, *, with_phrases: bool) -> tuple[list[dict], list[dict]]:
    """(action items, follow-ups) of the conversation, in the order they were said."""
    items: list[dict] = []
    follow_ups: list[dict] = []
    for sentence in conversation.sentences:
        action = detect(sentence.text, people)
        if action is None:
            continue
        item = _item(conversation, people, sentence, action, with_phrases)
        items.append(item)
        if is_follow_up(action.phrase(sentence.text)):
            follow_ups.append(_follow_up(conversation, sentence, item))
    return items, follow_ups


def _item(conversation: Conversation, people: People, sentence: Sentence, action: Action,
          with_phrases: bool) -> dict:
    text = sentence.text
    assignee, assignee_mention = _assignee(conversation, people, sentence, action)
    entities = []
    for mention in people.members_in(text) or []:
        is_assignee = mention.name == assignee.get("name")
        value = {"assignee": True, "name": mention.name} if is_assignee else {"name": mention.name}
        entities.append({"type": "person", "text": mention.text, "offset": mention.start, "value": value})
    if assignee_mention is not None and not any(e["offset"] == assignee_mention.start for e in entities):
        entities.append({"type": "person", "text": assignee_mention.text, "offset": assignee_mention.start,
                         "value": {"assignee": True, "name": assignee_mention.name}})
    due = _due(text, action, conversation.day_of(sentence.message))
    if due is not None:
        entities.append({"type": "date", "text": due.text, "offset": due.start, "value": due.value})
    entities.sort(key=lambda e: e["offset"])
    item = {
        "id": make_id(conversation.id, "action_item", sentence.message.id, sentence.offset, text),
        "text": text,
        "type": "action_item",
        "score": round(min(1.0, action.score + (0.05 if due else 0.0)), 3),
        "messageIds": [sentence.message.id],
        "entities": entities,
        "phrases": [{"type": "action_phrase", "text": action.phrase(text)}] if with_phrases else [],
        "from": sentence.message.speaker.ref(),
        "definitive": action.definitive,
        "assignee": assignee,
    }
    if due is not None:
        item["dueBy"] = iso(due.due)
    return item


def _follow_up(conversation: Conversation, sentence: Sentence, item: dict) -> dict:
    follow_up = {"id": make_id(conversation.id, "follow_up", sentence.message.id, sentence.offset,
                               sentence.text), "text": item["text"], "type": "follow_up"}
    follow_up.update({k: item[k] for k in ("score", "messageIds", "entities", "phrases", "from",
                                           "assignee")})
    if "dueBy" in item:
        follow_up["dueBy"] = item["dueBy"]
    return follow_up


def _due(text: str, action: Action, day: date) -> dates.DateMatch | None:
    """The due date, read against ``day``, the day the sentence was said."""
    found = [d for d in dates.find(text, day) if d.due >= day]
    after = [d for d in found if d.start >= action.trigger]
    return (after or found or [None])[0]


def _assignee(conversation: Conversation, people: People, sentence: Sentence, action: Action):
    """The assignee object, and where the assignee is named in the sentence (if they are)."""
    speaker = sentence.message.speaker
    if action.kind in ("commitment", "group"):
        return _person(speaker.name, speaker.email), None
    if action.kind == "assignment":
        mention = next((m for m in people.members_in(sentence.text) if m.name == action.who), None)
        member = people.member(action.who or "")
        return _person(action.who or speaker.name, member.email if member else None), mention
    mention = people.addressee(sentence.text) or _name_before(people, sentence.text, action.trigger)
    if mention is not None:
        return _person(mention.name, mention.member.email if mention.member else None), mention
    other = _listener(conversation, sentence)
    if other is not None:
        return _person(other.name, other.email), None
    return _person(speaker.name, speaker.email), None


def _name_before(people: People, text: str, at: int):
    """A member named just before a request without a comma: "Bob can you…"."""
    before = [m for m in people.members_in(text) if m.end <= at and not text[m.end:at].strip(" ,")]
    return before[-1] if before else None


def _listener(conversation: Conversation, sentence: Sentence) -> Speaker | None:
    """Who a request without a name was most likely made to: whoever answers it, else the only
    other member."""
    speaker = sentence.message.speaker
    for message in conversation.messages[sentence.message.position + 1:sentence.message.position + 3]:
        if message.speaker.id != speaker.id:
            return message.speaker
    others = [m for m in conversation.members if m.id != speaker.id]
    return others[0] if len(others) == 1 else None


def _person(name: str, email: str | None) -> dict:
    return {"name": name, "email": email} if email else {"name": name}
