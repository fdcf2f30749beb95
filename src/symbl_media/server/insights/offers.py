"""An offer taken up, said again by the one who offered: one task, not two.

"Want me to text you the details so you can pass them on?" - "Yes please." - "No worries. I'll
send that this afternoon." is one task, Aroha's, due this afternoon, with the three messages.
The offerer's next message after the yes holds it when its task points back at the offer
("send that", "do it"), as an answer to a request does (replies.py).
"""

from __future__ import annotations

import re
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
                or not (points_back(f) or _nods_then_commits(conversation, f)):
            kept.append(f)
            continue
        # Said again in other words, it is a step of the offer's task ("… will price all three
        # for the exact layout and email the three quotes over by Thursday"); "send that" is not.
        steps = offer.joined if points_back(f) else (*offer.joined, f, *f.joined)
        kept[-1] = replace(offer, message_ids=tuple(dict.fromkeys((*offer.message_ids, *f.message_ids))),
                           due=offer.due or f.due, joined=steps,
                           follows_up=offer.follows_up or f.follows_up
                           or is_follow_up(f.action.phrase(f.sentence.text)))
    return kept


# The offerer's next message opening on a nod and going straight to the promise: "Would it help
# if I priced all three for your exact layout?" - "Yes, please." - "Perfect, I'll email the three
# quotes over by Thursday." says the offer again with its day, in other words. A promise said
# after something else ("Okay. And the contract, I'll send it Monday") is a task of its own.
_NOD_THEN_PROMISE = re.compile(r"^\W*(?:ok(?:ay)?|perfect|great|lovely|brilliant|right|sure|will\s+do|no\s+problem)"
                               r"[,.!]?\s+(?:then[,\s]+)?i(?:['’]ll|\s+will)\s", re.IGNORECASE)


def _nods_then_commits(conversation: Conversation, f: Found) -> bool:
    first = f.sentence.index == 0 or conversation.sentences[f.sentence.index - 1].message is not f.sentence.message
    return first and bool(_NOD_THEN_PROMISE.match(f.sentence.text))


def _is_accepted_offer(f: Found) -> bool:
    return f.accepted and len(f.message_ids) > 1 and f.assignee.get("name") == f.sentence.message.speaker.name
