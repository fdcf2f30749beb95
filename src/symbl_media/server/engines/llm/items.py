"""The model's answer for one piece, grounded, as the Conversation API's items.

Every item must cite messages of its piece; an action item whose words the cited messages do
not support, or that adds a detail they never say, is dropped; a question is returned as the
sentence of its message it quotes; a topic must be words the conversation uses. The due date
comes from words a cited message says, resolved against the day that message was said, by the
same date reader as the default engine's; the assignee is a member, someone the cited
messages name, or else the speaker. Shapes and ids are the default engine's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from symbl_media.server.insights import dates
from symbl_media.server.insights import phrases as action_phrases
from symbl_media.server.insights.ids import make_id

from . import grounding
from .prompt import Line, Piece


@dataclass
class Found:
    """What the pieces gave, grounded, and what was dropped (for the log)."""

    action_items: list[dict] = field(default_factory=list)
    follow_ups: list[dict] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)
    topics: list[tuple[str, str | None]] = field(default_factory=list)  # (text, parent)
    summary: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (text, ids)
    dropped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    conversation_id: str
    members: tuple[dict, ...]  # {id, name, email}
    detect_phrases: bool

    @property
    def names(self) -> frozenset[str]:
        return frozenset(w.lower() for m in self.members for w in (m.get("name") or "").split())


def add_piece(found: Found, ctx: Context, piece: Piece, answer: dict) -> None:
    lines = {line.number: line for line in piece.lines}
    for raw in answer.get("actionItems", []):
        item = _action_item(ctx, lines, raw, found.dropped)
        if item is None:
            continue
        found.action_items.append(item)
        if raw["followUp"]:
            follow_up = {k: v for k, v in item.items() if k != "definitive"}
            first = lines[min(n for n in raw["messages"] if n in lines)]
            follow_up.update(id=make_id(ctx.conversation_id, "follow_up", first.id, item["text"]),
                             type="follow_up")
            found.follow_ups.append(follow_up)
    for raw in answer.get("questions", []):
        line = lines.get(raw["message"])
        text = grounding.best_sentence(raw["text"], line.text, ctx.names) if line else None
        if text is None:
            found.dropped.append(f"question {raw['text'][:60]!r}: not in message {raw['message']}")
            continue
        found.questions.append({
            "id": make_id(ctx.conversation_id, "question", line.id, text), "text": text,
            "type": "question", "score": 0.9, "messageIds": [line.id], "from": line.speaker})
    for raw in answer.get("topics", []):
        found.topics.append((raw["text"], raw["parent"]))
    for raw in answer.get("summary", []):
        cited = [lines[n] for n in dict.fromkeys(raw["messages"]) if n in lines]
        extra = grounding.invented(raw["text"], [c.text for c in cited], ctx.names)
        if not cited or extra:
            found.dropped.append(f"summary {raw['text'][:60]!r}: "
                                 + (f"invents {', '.join(extra)}" if cited else "cites nothing"))
            continue
        found.summary.append((" ".join(raw["text"].split()), tuple(c.id for c in cited)))


def _action_item(ctx: Context, lines: dict[int, Line], raw: dict, dropped: list[str]
                 ) -> dict | None:
    text = " ".join(raw["text"].split())
    cited = [lines[n] for n in sorted(set(raw["messages"])) if n in lines]
    sources = [c.text for c in cited]
    why = None
    if not text:
        why = "no text"
    elif not cited:
        why = f"cites no message it was shown ({raw['messages']})"
    elif not grounding.supported(text, sources, ctx.names):
        why = "not what the cited messages say"
    elif extra := grounding.invented(text, sources, ctx.names):
        why = f"invents {', '.join(extra)}"
    if why is not None:
        dropped.append(f"action item {text[:60]!r}: {why}")
        return None
    if text[-1] not in ".!?":
        text += "."
    first = cited[0]
    assignee = _assignee(ctx, raw["assignee"], text, sources, first.speaker)
    due = _due(raw["due"], text, cited)
    item = {
        "id": make_id(ctx.conversation_id, "action_item", first.id, text),
        "text": text, "type": "action_item",
        "score": 0.85 if due is not None else 0.8,
        "messageIds": [c.id for c in cited],
        "entities": _entities(ctx, text, assignee, due),
        "phrases": action_phrases(first.text)[:1] if ctx.detect_phrases else [],
        "from": first.speaker,
        "definitive": bool(raw["definitive"]),
        "assignee": assignee,
    }
    if due is not None:
        item["dueBy"] = f"{due.due.isoformat()}T00:00:00.000Z"
    return item


def _assignee(ctx: Context, name: str | None, text: str, sources: list[str], speaker: dict
              ) -> dict:
    """A member named by the model (full name, or a first name only one member has), else
    someone the cited messages name, else the member the text opens with, else the speaker."""
    member = _member(ctx, name)
    if (member is None and name and not grounding.invented(name, sources, ctx.names)
            and name[:1].isupper() and name.lower() not in ("i", "you", "we")):
        return {"name": " ".join(name.split())}
    if member is None:
        member = next((m for m in ctx.members if m.get("name")
                       and text.startswith(m["name"])), None)
    if member is None:
        member = next((m for m in ctx.members if m.get("id") == speaker.get("id")),
                      {"name": speaker.get("name") or ""})
    return ({"name": member["name"], "email": member["email"]} if member.get("email")
            else {"name": member["name"]})


def _member(ctx: Context, name: str | None) -> dict | None:
    if not name or not name.strip():
        return None
    wanted = " ".join(name.split()).casefold()
    exact = [m for m in ctx.members if (m.get("name") or "").casefold() == wanted]
    if exact:
        return exact[0]
    first = [m for m in ctx.members
             if (m.get("name") or "").casefold().split()[:1] == [wanted.split()[0]]]
    return first[0] if len(first) == 1 else None


def _due(phrase: str | None, text: str, cited: list[Line]) -> dates.DateMatch | None:
    """The due date a cited message says: the model's ``due`` words where a message says them,
    else a date expression of the item's text that a message says; resolved against the day
    of the message that says it."""
    for line in cited:
        at = grounding.said(phrase, line.text)
        if at is None:
            continue
        for match in dates.find(line.text, line.day):
            if match.start < at + len(phrase.strip()) and at < match.end:
                return match
    for expression in dates.find(text, cited[0].day):
        for line in cited:
            for match in dates.find(line.text, line.day):
                if match.text.casefold() == expression.text.casefold():
                    return match
    return None


def _entities(ctx: Context, text: str, assignee: dict, due: dates.DateMatch | None
              ) -> list[dict]:
    entities = []
    for member in ctx.members:
        name = member.get("name") or ""
        for spelled in dict.fromkeys([name, name.split()[0] if name else ""]):
            m = re.search(rf"\b{re.escape(spelled)}\b", text) if spelled else None
            if m:
                value = ({"assignee": True, "name": name} if name == assignee["name"]
                         else {"name": name})
                entities.append({"type": "person", "text": spelled, "offset": m.start(),
                                 "value": value})
                break
    if due is not None and (at := grounding.said(due.text, text)) is not None:
        entities.append({"type": "date", "text": text[at:at + len(due.text)], "offset": at,
                         "value": due.value})
    return sorted(entities, key=lambda e: e["offset"])
