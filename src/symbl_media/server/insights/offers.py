"""An offer taken up, said again by the one who offered: one task, not two.

"Want me to text you the details so you can pass them on?" - "Yes please." - "No worries. I'll
send that this afternoon." is one task, Aroha's, due this afternoon, with the three messages.
The offerer's next message after the yes holds it when its task points back at the offer
("send that", "do it"), as an answer to a request does (replies.py).
"""

from __future__ import annotations

from dataclasses import replace

from .conversation import Conversation
from .follow_ups import is_follow_up
from .replies import Found, points_back


def said_again(conversation: Conversation, found: list[Found]) -> list[Found]:
    """`found` with each accepted offer merged with the offerer's restatement right after the yes."""
    by_id = {m.id: m for m in conversation.messages}
    kept: list[Found] = []
    for f in found:
        offer = kept[-1] if kept else None
        yes = by_id[offer.message_ids[-1]] if offer is not None else None
        # The message right after the yes; a yes that asks something ("Could you put together a
        # mood board?") is answered there, not restated.
        if offer is None or not _is_accepted_offer(offer) or f.action.kind != "commitment" \
                or f.sentence.message.speaker.id != offer.sentence.message.speaker.id \
                or f.sentence.message.position != yes.position + 1 or "?" in yes.text \
                or not points_back(f):
            kept.append(f)
            continue
        kept[-1] = replace(offer, message_ids=tuple(dict.fromkeys((*offer.message_ids, *f.message_ids))),
                           due=offer.due or f.due,
                           follows_up=offer.follows_up or f.follows_up
                           or is_follow_up(f.action.phrase(f.sentence.text)))
    return kept


def _is_accepted_offer(f: Found) -> bool:
    return f.accepted and len(f.message_ids) > 1 and f.assignee.get("name") == f.sentence.message.speaker.name
