"""What was said? ``/messages``: each message with its speaker, times, phrases, and (when
asked for) its sentiment and words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from symbl_media.contract import endpoints as api
from symbl_media.contract import shapes as k
from symbl_media.sdk.results.parts import (
    Listing,
    Person,
    Phrase,
    Sentiment,
    Value,
    Word,
    as_id,
    as_number,
    as_text,
    as_time,
    dicts,
)


@dataclass(frozen=True)
class Message(Value):
    id: str | None
    text: str | None
    from_: Person | None  # ``from`` in JSON
    start_time: datetime | None
    end_time: datetime | None
    time_offset: float | None  # seconds from the start of the conversation
    duration: float | None
    conversation_id: str | None
    phrases: tuple[Phrase, ...]
    sentiment: Sentiment | None  # with messages(parameters={"sentiment": True})
    words: tuple[Word, ...]  # with messages(parameters={"verbose": True})
    data: dict = field(repr=False, compare=False)

    @property
    def _from(self) -> Person | None:
        """The official SDK's spelling (``message._from.name``)."""
        return self.from_

    @property
    def speaker(self) -> str | None:
        return self.from_.name if self.from_ else None

    @classmethod
    def from_json(cls, data: dict) -> Message:
        m = k.MESSAGE
        return cls(as_id(data.get(m.id)), as_text(data.get(m.text)),
                   Person.from_json(data.get(m.from_)), as_time(data.get(m.start_time)),
                   as_time(data.get(m.end_time)), as_number(data.get(m.time_offset)),
                   as_number(data.get(m.duration)), as_id(data.get(m.conversation_id)),
                   tuple(Phrase.from_json(p) for p in dicts(data.get(m.phrases))),
                   Sentiment.from_json(data.get(m.sentiment)),
                   tuple(Word.from_json(w) for w in dicts(data.get(m.words))), data)


class Messages(Listing):
    key, item = api.MESSAGES.reply, Message

    @property
    def messages(self) -> Messages:
        return self
