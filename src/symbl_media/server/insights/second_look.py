"""A second look at what the rules find: each action item kept or dropped, each sentence shaped
like a question asked or not, by a learned weighing.

The rules (actions.py, action_items.py and the modules they call) were written by reading
labelled conversations, and on conversations they were not read from they return about one
wrong action item in four: a plan of the meeting itself, an idea nobody took on, advice, a
task done on the call. Those mistakes have no single form a new rule could name; they show in
many small signals at once. This is a logistic regression over such signals (the kind of action
the rules saw, its trigger and verb, whether it has a date or was taken up, its words, and how
the next speaker answers; for questions, the rules' reasons, the question's shape and words,
whether it echoes the message before, where in the call it comes, whether the asker goes on
to answer it, whether the next speaker takes it up as a task, whether they agree to a
question that proposes or offers something to do, and the exchange it starts: the reply's kind
against the question's and whether the asker takes the answer in; for the follow-up flag, the
rules' verdict and whether the turn before said a follow-up), fitted on the labelled
conversations of `benchmarks/insights/`,
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
from itertools import pairwise

from .actions import detect_all
from .conversation import Conversation, Message, Sentence
from .follow_ups import is_follow_up
from .question_forms import (
    asks_a_view,
    asks_to_be_told,
    holds_embedded,
    is_confirmation_tag,
)
from .replies import Found

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
WEIGHTS_FILE = "second_look.json"
# The fewest messages a conversation needs for the weighing to judge it (see _judged()).
MIN_MESSAGES = 12


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def signals(conversation: Conversation, f: Found, names: frozenset[str]) -> list[str]:
    """What the weighing reads of one found action item, as names ("verb:send", "then:sure")."""
    text, action = f.sentence.text, f.action
    phrase = [w for w in _words(action.phrase(text)) if w not in names]
    trigger = _words(text[action.trigger:action.start])
    found = ["bias", f"kind:{action.kind}", f"definitive:{action.definitive}", f"due:{f.due is not None}",
             f"accepted:{f.accepted}", f"follows:{f.follows_up}", f"joined:{bool(f.joined)}",
             f"self:{f.assignee.get('name') == f.sentence.message.speaker.name}",
             f"trig:{' '.join(trigger[-3:])}", f"len:{min(len(phrase) // 3, 5)}",
             _ending(text),
             f"before:{' '.join(_words(text[:action.trigger])[-2:])}"]
    if phrase:
        found.append(f"verb:{phrase[0]}")
    found += [f"w:{w}" for w in sorted(set(phrase))]
    found += [f"s:{w}" for w in sorted(set(_words(text)) - set(phrase))]
    found += _reply(conversation, f.sentence)
    # Added after the signals above (their order is shared): a date weighs differently by kind.
    # A group intention with a day ("let's do Tuesday at nine", "we'll look at the quotes over
    # the weekend") is a plan made; without one ("we'll do a survey", "let's look at it
    # together when it comes in") an idea or a remark; for a request the day is often the one
    # thing asked.
    found.append(f"kind-due:{action.kind}:{f.due is not None}")
    # And whether the task is named again later in the call, as tasks are in a recap or when
    # someone comes back to them ("So: Ben orders the chairs, …"); an idea nobody took up is
    # not spoken of again.
    found.append(f"again:{_named_again(conversation, f.sentence, phrase)}")
    return found


# How far on a task is looked for again: the next messages, and the call's closing lines.
_AGAIN_NEXT = 15
_AGAIN_LAST = 10
# Words too common to say that a task is named again.
_SMALL = frozenset({
    "that", "this", "then", "there", "with", "from", "have", "will", "just", "also", "about",
    "them", "they", "their", "your", "what", "when", "some", "like", "into", "make", "sure",
    "okay", "yeah", "right", "well", "really", "going", "need", "want", "would", "could", "should"
})


def _named_again(conversation: Conversation, sentence: Sentence, phrase: list[str]) -> bool:
    """Whether a later message, by anyone, holds two of the task's content words (one when it
    has only one): within the next few messages or in the call's last lines."""
    content = {w for w in phrase if len(w) > 3 and w not in _SMALL}
    if not content:
        return False
    need = min(2, len(content))
    position, messages = sentence.message.position, conversation.messages
    later = {*range(position + 1, min(len(messages), position + 1 + _AGAIN_NEXT)),
             *range(max(position + 1, len(messages) - _AGAIN_LAST), len(messages))}
    return any(len(content & set(_words(messages[i].text))) >= need for i in sorted(later))


def _ending(text: str) -> str:
    """How the sentence ends: "end:?", "end:.", "end:!" or "end:none"."""
    stripped = text.strip()
    return "end:" + (stripped[-1] if stripped and stripped[-1] in "?.!" else "none")


def _next(conversation: Conversation, sentence: Sentence) -> tuple[str, Sentence | Message | None]:
    """What comes after a sentence: ("more", the speaker's next sentence in the same turn),
    ("end", None), ("same", the speaker's own next message) or ("other", the next speaker's)."""
    after = sentence.index + 1
    if after < len(conversation.sentences) and conversation.sentences[after].message.id == sentence.message.id:
        return "more", conversation.sentences[after]
    position = sentence.message.position + 1
    if position >= len(conversation.messages):
        return "end", None
    nxt = conversation.messages[position]
    return ("same" if nxt.speaker.id == sentence.message.speaker.id else "other"), nxt


def _reply(conversation: Conversation, sentence: Sentence) -> list[str]:
    """What comes after the sentence: more of the same turn, or the next speaker's first words."""
    what, nxt = _next(conversation, sentence)
    if what != "other":
        return [f"then:{what}"]
    words = _words(nxt.text)
    return ["then:other", *([f"then:{words[0]}"] if words else []), *(["then:asks"] if "?" in nxt.text else [])]


# The next speaker taking a question up as a task ("Should we book the hall?" - "Yes, I'll call
# them"): then it was a proposal, and the task is the action item.
_TAKEN_UP = re.compile(r"\b(?:i'll|i will|will do|on it|i can do|sure|yes|yeah|okay|ok|good idea|let's)\b", re.IGNORECASE)


def question_signals(conversation: Conversation, sentence: Sentence, proper: str, acts: str | None,
                     self_reason: str | None, names: frozenset[str]) -> list[str]:
    """What the weighing reads of one sentence shaped like a question; `acts` and `self_reason`
    are the rules' reasons for leaving it out (question_acts.py, question_self.py; None when
    they keep it), `proper` the question without its lead-in (question_forms.question_proper)."""
    text = sentence.text.strip()
    said = [w for w in _words(proper) if w not in names]
    found = [f"acts:{acts}", f"self:{self_reason}", "bias"]
    if acts is None and self_reason is None:
        found.append("rules:ask")
    found.append(_ending(text))
    for test, name in ((holds_embedded(text), "embedded"), (is_confirmation_tag(text, names), "tag"),
                       (asks_a_view(text), "view"), (asks_to_be_told(text), "told")):
        if test:
            found.append(name)
    found += [f"act:{a.kind}" for a in detect_all(text)][:2]
    found.append(f"len:{min(len(said) // 4, 5)}")
    found.append(f"nwords:{min(len(said), 8)}")
    if said:
        found.append(f"w1:{said[0]}")
        found.append(f"w12:{' '.join(said[:2])}")
    found += [f"w:{w}" for w in sorted(set(said))]
    found += [f"b:{a} {b}" for a, b in sorted(set(pairwise(said)))]
    found.append("proper:cut" if len(proper) < len(text) - 2 else "proper:whole")
    found += _question_reply(conversation, sentence)
    return found + _question_place(conversation, sentence, said) + _question_offer(conversation, sentence, said) \
        + _question_exchange(conversation, sentence, said)


def _question_reply(conversation: Conversation, sentence: Sentence) -> list[str]:
    """What comes after a question: the asker going on (and answering it, when they go on with a
    statement), or the next speaker's first words, their length, a question back, a task taken."""
    found = _reply(conversation, sentence)
    what, nxt = _next(conversation, sentence)
    if what == "more" and not nxt.text.rstrip().endswith("?"):
        found.append("then:own-statement")
    elif what == "other":
        found.append(f"then:len{min(len(_words(nxt.text)) // 5, 4)}")
        if _TAKEN_UP.search(nxt.text[:60]):
            found.append("then:commit")
    return found


def _question_place(conversation: Conversation, sentence: Sentence, said: list[str]) -> list[str]:
    """Where the question comes (the opening and closing lines are small talk and "anything
    else?"), and whether it only echoes the message before ("Thirty-one?")."""
    position, n = sentence.message.position, len(conversation.messages)
    found = ["pos:last" if position >= n - 3 else "pos:first" if position < 3 else "pos:mid"]
    if position > 0 and said and len(said) <= 5:
        before = set(_words(conversation.messages[position - 1].text))
        if sum(w in before for w in said) / len(said) >= 0.5:
            found.append("echo")
    return found


# A question that puts forward something to do, by the group or the asker ("Shall we talk again
# once you've heard?", "Could we also do a mid-term survey?", "Do you want me to call them?",
# "Why don't we ..."): when the next speaker agrees, it was a proposal or an offer taken up (the
# task is the action item), not a request for information; when they answer otherwise it may
# still ask. The lead word a turn opens with ("so", "and", "like") is passed over.
_OPENERS = frozenset(("and", "so", "but", "okay", "ok", "like", "now", "then", "well", "oh", "um", "uh"))
_PROPOSES = re.compile(
    r"^(?:(?:shall|should|could|can|can't|couldn't|may) (?:we|i)\b"
    r"|why (?:don't|not) (?:we|i)\b|how about\b|what if we\b"
    r"|(?:do )?you want (?:me )?to\b|want me to\b|would you like (?:me )?to\b|(?:do )?you wanna\b)")
# The next speaker's first words agreeing or declining; anything else is an answer of its own.
_AGREES = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|ok|okay|please|absolutely|definitely|of course|sounds good|good idea"
    r"|let's|go for it|why not|fine|great|perfect|that works|works for me|happy to|love to|i'd love)\b")
_DECLINES = re.compile(r"^(?:no|nah|not really|let's not|i'd rather not|i don't think)\b")


def _question_offer(conversation: Conversation, sentence: Sentence, said: list[str]) -> list[str]:
    """"offer:<how it is answered>" for a question that proposes or offers something to do:
    "agreed", "declined", "answered" (the next speaker says something else), "more" (the asker
    goes on) or "none" (the call ends); nothing for any other question."""
    words = said[1:] if said and said[0] in _OPENERS else said
    if not _PROPOSES.match(" ".join(words)):
        return []
    what, nxt = _next(conversation, sentence)
    if what != "other":
        return ["offer:more" if what in ("more", "same") else "offer:none"]
    reply = " ".join(_words(nxt.text))
    return ["offer:agreed" if _AGREES.match(reply) else "offer:declined" if _DECLINES.match(reply) else "offer:answered"]


# Added after the signals above (their order is shared): the exchange a question starts, read
# as a whole. A question asked for information is answered in its own kind (a yes or a no to a
# yes/no question, a statement to a "what" or "when") and its asker takes the answer in ("Okay,
# great.", "Got it."); a remark, a doubt or a joke shaped like a question draws a laugh, a
# question back or nothing, and its asker talks on. The words of the reply were read alone
# before; here they are read against the question's own kind, and the asker's next turn.
_WH = frozenset("what why how who whom whose which when where".split())
_AUX = frozenset("""am is are was were do does did have has had can could will would should shall may might
isn't aren't wasn't weren't don't doesn't didn't haven't hasn't can't couldn't won't wouldn't shouldn't""".split())
_YES_NO = frozenset("yes yeah yep yup no nope nah sure definitely absolutely correct exactly".split())
_REACTS = frozenset("ha haha hah oh wow god gosh lol hmm hm ugh well honestly".split())
_TAKES_IN = frozenset("okay ok great perfect thanks thank good right lovely brilliant cool got understood alright "
                      "excellent fine fair nice gotcha noted ah aha".split())


def _question_kind(said: list[str]) -> str:
    words = said[1:] if said and said[0] in _OPENERS else said
    if not words:
        return "none"
    first = words[0].split("'")[0]  # "what's", "how's"
    return "wh" if first in _WH else "yn" if words[0] in _AUX else "other"


def _reply_kind(text: str) -> str:
    words = _words(text)
    first = text.split("?")[0] if "?" in text else None
    if not words:
        return "empty"
    if words[0] in _YES_NO:
        return "yesno"
    if words[0] in _REACTS:
        return "react"
    if first is not None and len(_words(first)) <= 8:
        return "asks"
    return "short" if len(words) <= 3 else "long"


def _question_exchange(conversation: Conversation, sentence: Sentence, said: list[str]) -> list[str]:
    """"qa:<question's kind>:<reply's kind>" and "back:<the asker's next turn>": "takes-in"
    (an acknowledgement), "asks" (another question), "says" (anything else), "others" (someone
    else speaks again) or "none"; nothing when the asker goes on in the same turn."""
    what, nxt = _next(conversation, sentence)
    kind = _question_kind(said)
    if what != "other":
        return [f"qa:{kind}:{what}"]
    found = [f"qa:{kind}:{_reply_kind(nxt.text)}"]
    position = nxt.position + 1
    if position >= len(conversation.messages):
        return [*found, "back:none"]
    back = conversation.messages[position]
    if back.speaker.id != sentence.message.speaker.id:
        return [*found, "back:others"]
    words = _words(back.text)
    return [*found, "back:takes-in" if words and words[0] in _TAKES_IN
            else "back:asks" if "?" in back.text.split(".")[0] else "back:says"]


@cache
def _weights(kind: str = "actionItems") -> tuple[dict[str, float], float]:
    data = json.loads(resources.files(__package__).joinpath(WEIGHTS_FILE).read_text())[kind]
    return data["weights"], data["threshold"]


def probability(found_signals: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(s, 0.0) for s in found_signals)
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def _judged(conversation: Conversation) -> bool:
    """Whether the conversation is long enough for the weighing. A short exchange is left to
    the rules: the weighing was fitted on conversations of 14 to 49 messages (most of 30 or
    more), where a request nobody answers is often no task; in a few messages nothing has been
    answered yet."""
    return len(conversation.messages) >= MIN_MESSAGES


def weigh_item(conversation: Conversation, f: Found, names: frozenset[str], by_rules: bool) -> tuple[bool, bool]:
    """(kept, follows up) for an action item the rules found. `by_rules` is the rules' verdict on
    following up (follow_ups.py: the verb and what it is done to), which the follow-up weighing
    reads beside the item's other signals: the labellers also count "ask the shop", "check with
    Dana", "let me know" as reaching out. The item's signals are read once for both."""
    if not _judged(conversation):
        return True, by_rules
    found = signals(conversation, f, names)
    weights, threshold = _weights("actionItems")
    if probability(found, weights) < threshold:
        return False, False
    weights, threshold = _weights("followUps")
    return True, probability([*found, _follow_up_signal(by_rules), *_follow_up_extra(conversation, f)],
                             weights) >= threshold


def _follow_up_signal(by_rules: bool) -> str:
    return f"rules:follow-up:{by_rules}"


def _follow_up_before(conversation: Conversation, sentence: Sentence) -> str:
    """Whether the turn just before the item's sentence (the earlier sentences of its message, or
    the message before) says a follow-up: a task taken on in other words is the same follow-up,
    "Could you send the organisers the form?" - "I'll do that tonight, actually."."""
    sentences, i = conversation.sentences, sentence.index - 1
    # the same message's earlier sentences, else the message before's (walked back from the
    # item, at most three: a long call costs the same per item as a short one)
    if i >= 0 and sentences[i].message.id == sentence.message.id:
        message = sentence.message
    elif sentence.message.position > 0:
        message = conversation.messages[sentence.message.position - 1]
    else:
        message = None
    before = []
    while i >= 0 and message is not None and sentences[i].message.id == message.id and len(before) < 3:
        before.append(sentences[i].text)
        i -= 1
    said = any(is_follow_up(a.phrase(text)) for text in before for a in detect_all(text))
    return f"before:follow-up:{said}"


def _follow_up_extra(conversation: Conversation, f: Found) -> list[str]:
    """Signals the follow-up weighing reads beside the item's own (added after the first fit)."""
    return [_follow_up_before(conversation, f.sentence)]


def follow_up_signals(conversation: Conversation, f: Found, names: frozenset[str], by_rules: bool) -> list[str]:
    return [*signals(conversation, f, names), _follow_up_signal(by_rules), *_follow_up_extra(conversation, f)]


def asks(conversation: Conversation, sentence: Sentence, proper: str, acts: str | None,
         self_reason: str | None, names: frozenset[str]) -> bool:
    """True when a sentence shaped like a question is one (arguments as question_signals). In a
    short exchange the rules decide alone, as for action items."""
    if not _judged(conversation):
        return acts is None and self_reason is None
    weights, threshold = _weights("questions")
    return probability(question_signals(conversation, sentence, proper, acts, self_reason, names), weights) >= threshold
