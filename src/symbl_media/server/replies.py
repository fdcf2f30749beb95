"""What the Conversation API answers, built through the contract's shapes (contract/shapes.py).

The conversation, its members and its messages are made here from the store's rows; the
insight engine's lists pass through ``checked_insights`` before they are stored, so every item
the sandbox answers uses only the keys the client side reads.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from symbl_media.contract import shapes as k
from symbl_media.contract.times import api_time
from symbl_media.errors import EngineError
from symbl_media.server.store import started


def member_json(m: dict) -> dict:
    out = {k.PERSON.id: m["id"], k.PERSON.name: m["name"]}
    if m.get("email"):
        out[k.PERSON.email] = m["email"]
    return out


def conversation_json(app, conv: dict) -> dict:
    c = k.CONVERSATION
    start = started(conv)
    return {c.id: conv["id"], c.type: "meeting", c.name: conv["name"],
            c.start_time: api_time(start),
            c.end_time: api_time(start + timedelta(seconds=conv["duration"])),
            c.members: [member_json(m) for m in app.store.members(conv["id"])],
            c.metadata: json.loads(conv["metadata"] or "{}")}


def message_json(app, conv: dict, row: dict, members: dict, *, verbose: bool,
                 sentiment: bool, phrases: bool) -> dict:
    m = k.MESSAGE
    start = started(conv)
    member = members.get(row["member_id"])
    out = {m.id: row["id"], m.text: row["text"],
           m.from_: member_json(member) if member else {},
           m.start_time: api_time(start + timedelta(seconds=row["start"])),
           m.end_time: api_time(start + timedelta(seconds=row["end"])),
           m.time_offset: round(row["start"], 2),
           m.duration: round(row["end"] - row["start"], 2),
           m.conversation_id: conv["id"], m.phrases: []}
    if phrases:
        out[m.phrases] = app.insight_engine().phrases(row["text"])
    if sentiment:
        out[m.sentiment] = app.insight_engine().sentiment(row["text"])
    if verbose:
        out[m.words] = [_word_json(start, w) for w in row["words"]]
    return out


def _word_json(start: datetime, w: dict) -> dict:
    word = k.WORD
    return {word.word: w["word"],
            word.start_time: api_time(start + timedelta(seconds=w["start"])),
            word.end_time: api_time(start + timedelta(seconds=w["end"])),
            **({word.speaker_tag: w["speakerTag"]} if "speakerTag" in w else {}),
            word.score: w["score"], word.time_offset: round(w["start"], 2),
            word.duration: round(w["end"] - w["start"], 2)}


def checked_insights(result: dict) -> dict:
    """The insight engine's answer, if it keeps to the contract's shapes; a key the client
    side would not read is the engine's mistake, so it fails the job rather than being
    answered (the job's messages are then taken back, as for any failed job)."""
    unknown = k.unknown_keys(k.INSIGHTS, result)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise EngineError(f"the insight engine answered fields the Conversation API does not "
                          f"have: {shown}")
    return result
