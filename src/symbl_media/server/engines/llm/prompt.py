"""What the model is told: the conversation in numbered lines, cut into pieces that fit a
small context, and what to find in each piece.

Messages are numbered from 1 across the whole conversation (the model copies short numbers
far more reliably than 16-digit ids); grounding maps them back. A piece is a run of whole
messages up to a budget of characters (about four to a token for English), so a one-hour
meeting is a handful of calls whatever model is behind the endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

PIECE_CHARACTERS = 6000  # about 1,500 tokens of conversation, prompt and answer fit in 4,096
MESSAGE_CHARACTERS = 2000  # a longer message is shortened in the prompt (not in grounding)


@dataclass(frozen=True)
class Line:
    """One message as the engine works with it."""

    number: int  # 1-based, across the conversation
    id: str
    text: str
    speaker: dict  # {id, name, userId}
    day: date  # the day it was said: relative dates are read against it
    when: datetime | None


@dataclass(frozen=True)
class Piece:
    lines: tuple[Line, ...]

    @property
    def numbers(self) -> frozenset[int]:
        return frozenset(line.number for line in self.lines)


def pieces(lines: list[Line], budget: int = PIECE_CHARACTERS) -> list[Piece]:
    """``lines`` in runs of whole messages of at most ``budget`` characters (a longer message
    is a piece of its own)."""
    out: list[Piece] = []
    run: list[Line] = []
    size = 0
    for line in lines:
        cost = len(_shown(line))
        if run and size + cost > budget:
            out.append(Piece(tuple(run)))
            run, size = [], 0
        run.append(line)
        size += cost
    if run:
        out.append(Piece(tuple(run)))
    return out


SYSTEM = """You read meeting transcripts and list what Symbl.ai's Conversation API calls \
insights. Answer with JSON only, in exactly the shape asked for. Use only what the messages \
say: never add a name, time, date, place or number nobody said.

- actionItems: something a person in the conversation commits to do later, or is asked to \
do ("I'll send the slides after lunch", "could you email me the quote?"). Not: describing \
what is happening in the meeting right now ("let me share my screen"), plain questions, bare \
replies ("sure"). Write "text" in the third person with the person's full name: "Priya \
Patel will send the slides after lunch." "messages": the numbers of the message(s) it comes \
from, with the reply that accepts it. "assignee": full name of who will act, or null. \
"due": the words that say when, copied exactly from the message ("by Friday", "end of day \
tomorrow"), or null. "definitive": false for an idea or a maybe, true for a commitment or \
request. "followUp": true when it is about following up: sending, emailing, calling, \
scheduling or setting up a meeting, syncing up, reaching out, getting back to someone.
- questions: questions asking for information, also ones without a question mark or inside \
a statement ("I was wondering whether ..."); not small talk ("how are you?"). "message": its \
message number. "text": the question as said.
- topics: the main subjects, as short noun phrases of 1 to 4 words taken from the \
conversation ("annual plan quote"), most important first. "parent": a broader topic of the \
list it belongs under, or null.
- summary (only when asked): a few sentences naming who decided or agreed what, each with \
the message numbers it draws on."""


def user_prompt(piece: Piece, participants: list[str], *, first: int, total: int,
                summary: bool) -> str:
    """The request for one piece: when it was, who took part, its numbered messages."""
    day = piece.lines[0].day
    head = [f"Meeting on {day.strftime('%A')} {day.isoformat()}.",
            f"Participants: {', '.join(participants) or 'unknown'}."]
    if total > 1:
        head.append(f"This is part {first} of {total} of the conversation.")
    head.append("Messages (number, speaker: text):")
    body = [_shown(line) for line in piece.lines]
    wanted = "actionItems, questions, topics" + (", summary" if summary else "")
    return "\n".join([*head, *body, "", f"Answer with the JSON object ({wanted})."])


def retry_prompt(problem: str) -> str:
    return (f"That answer cannot be used: {problem}. Answer again with only the JSON object, "
            f"in exactly the shape asked for.")


def _shown(line: Line) -> str:
    text = " ".join(line.text.split())
    if len(text) > MESSAGE_CHARACTERS:
        text = text[:MESSAGE_CHARACTERS] + " …"
    return f"[{line.number}] {line.speaker.get('name') or 'Unknown'}: {text}"
