"""A second look at each action item the rules find: keep it or drop it, by a learned weighing.

The rules (actions.py, action_items.py and the modules they call) were written by reading
labelled conversations, and on conversations they were not read from they return about one
wrong action item in four: a plan of the meeting itself, an idea nobody took on, advice, a
task done on the call. Those mistakes have no single form a new rule could name; they show in
many small signals at once. This is a logistic regression over such signals (the kind of action
the rules saw, its trigger and verb, whether it has a date or was taken up, its words, and how
the next speaker answers), fitted on the labelled conversations of `benchmarks/insights/`,
those the rules were written on and those written blind that no rule was read from
(`benchmarks/insights/fit_second_look.py` writes `second_look.json`; docs/sandbox-insights.md
has the figures). Weights are plain numbers in a file in the package: the same items in, the
same items out, nothing downloaded, a few dictionary lookups per item.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources

from .conversation import Conversation, Sentence
from .replies import Found

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
WEIGHTS_FILE = "second_look.json"
# The fewest messages a conversation needs for the weighing to judge it (see keeps()).
MIN_MESSAGES = 12


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def signals(conversation: Conversation, f: Found, names: frozenset[str]) -> list[str]:
    """What the weighing reads of one found action item, as names ("verb:send", "then:sure")."""
    text, action = f.sentence.text, f.action
    phrase = [w for w in _words(action.phrase(text)) if w not in names]
    trigger = _words(text[action.trigger:action.start])
    stripped = text.strip()
    found = ["bias", f"kind:{action.kind}", f"definitive:{action.definitive}", f"due:{f.due is not None}",
             f"accepted:{f.accepted}", f"follows:{f.follows_up}", f"joined:{bool(f.joined)}",
             f"self:{f.assignee.get('name') == f.sentence.message.speaker.name}",
             f"trig:{' '.join(trigger[-3:])}", f"len:{min(len(phrase) // 3, 5)}",
             "end:" + (stripped[-1] if stripped and stripped[-1] in "?.!" else "none"),
             f"before:{' '.join(_words(text[:action.trigger])[-2:])}"]
    if phrase:
        found.append(f"verb:{phrase[0]}")
    found += [f"w:{w}" for w in sorted(set(phrase))]
    found += [f"s:{w}" for w in sorted(set(_words(text)) - set(phrase))]
    found += _reply(conversation, f.sentence)
    return found


def _reply(conversation: Conversation, sentence: Sentence) -> list[str]:
    """What comes after the sentence: more of the same turn, or the next speaker's first words."""
    after = sentence.index + 1
    if after < len(conversation.sentences) and conversation.sentences[after].message.id == sentence.message.id:
        return ["then:more"]
    position = sentence.message.position + 1
    if position >= len(conversation.messages):
        return ["then:end"]
    nxt = conversation.messages[position]
    if nxt.speaker.id == sentence.message.speaker.id:
        return ["then:same"]
    words = _words(nxt.text)
    return ["then:other", *([f"then:{words[0]}"] if words else []), *(["then:asks"] if "?" in nxt.text else [])]


@cache
def _weights() -> tuple[dict[str, float], float]:
    data = json.loads(resources.files(__package__).joinpath(WEIGHTS_FILE).read_text())
    return data["weights"], data["threshold"]


def probability(found_signals: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(s, 0.0) for s in found_signals)
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def keeps(conversation: Conversation, f: Found, names: frozenset[str]) -> bool:
    """True when the weighing keeps the action item the rules found. A short exchange is left
    to the rules: the weighing was fitted on conversations of 30 to 45 messages, where a request
    nobody answers is often no task; in a few messages nothing has been answered yet."""
    if len(conversation.messages) < MIN_MESSAGES:
        return True
    weights, threshold = _weights()
    return probability(signals(conversation, f, names), weights) >= threshold
