"""An offer welcomed: the next message, by someone else, says yes to it ("I can send you the
brand guide." - "Yes please, that'd be really helpful."). replies.py merges what follows."""

from __future__ import annotations

import re

from .conversation import Conversation, Message, Sentence

# Welcoming an offer: "Yes please", "that'd be really helpful", "that would be great".
_WELCOME = re.compile(r"^\W*(?:(?:oh|ah|um|uh)[,\s]+)?(?:yes|yeah|yep|oh\s+yes)?[,\s]*(?:please|that'?d\s+be|that\s+would\s+be|"
                      r"that'?s\s+(?:great|perfect|lovely|brilliant|kind))\b", re.IGNORECASE)
# Asking whether the offer suits, after it: "Would that work?", "Is that okay?", "How does that sound?"
_CHECK_IN = re.compile(r"^\W*(?:(?:would|does|will|is|could)\s+(?:that|this|it)\s+(?:work|suit|do|help|be\s+\w+)(?:\s+for\s+you)?|"
                       r"how\s+does\s+(?:that|this)\s+sound|(?:is\s+)?that\s+(?:ok|okay|alright|all\s+right))\W*$", re.IGNORECASE)


def welcomed(conversation: Conversation, offer: Sentence) -> Message | None:
    """The message that welcomes an offer said with "can" ("I can send you the brand guide." -
    "Yes please, that'd be really helpful."): the next message, by someone else."""
    pos = offer.message.position
    following = conversation.messages[pos + 1:pos + 2]
    if not following or following[0].speaker.id == offer.message.speaker.id:
        return None
    # Sentences are numbered in the order said, a message's together: the offer is its
    # message's last sentence when the next one belongs to another message. Looking only there
    # keeps this constant per offer (scanning every sentence made a 12,000-message
    # conversation quadratic).
    after = offer.index + 1
    while after < len(conversation.sentences) and conversation.sentences[after].message.id == offer.message.id:
        if not _CHECK_IN.match(conversation.sentences[after].text):
            return None  # the offer is not the last thing said before the reply
        after += 1  # "I can do a shortlist by Friday week. Would that work?": still the offer
    return following[0] if _WELCOME.match(following[0].text) else None
