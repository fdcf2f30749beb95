"""Who and what was it about? The members (people in the conversation) and the entities
named in it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from symbl_media.contract import endpoints as api
from symbl_media.contract import shapes as k
from symbl_media.sdk.results.parts import Listing, Person, Ref, Value, as_text, refs


@dataclass(frozen=True)
class Entity(Value):
    type: str | None
    value: object  # a string, or an object for some types
    text: str | None
    custom_type: str | None
    message_refs: tuple[Ref, ...]
    data: dict = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Entity:
        e = k.ENTITY
        return cls(as_text(data.get(e.type)), copy.deepcopy(data.get(e.value)),
                   as_text(data.get(e.text)), as_text(data.get(e.custom_type)),
                   refs(data.get(e.message_refs)), data)


class Entities(Listing):
    key, item = api.ENTITIES.reply, Entity

    @property
    def entities(self) -> Entities:
        return self


class Members(Listing):
    key, item = api.MEMBERS.reply, Person

    @property
    def members(self) -> Members:
        return self
