"""One task said in several turns: one action item, not two or three.

A task is often said more than once: by the one who takes it on a sentence or two later ("I
think Jessica has it. I'll ask her." - "Thanks, the sooner the better." - "Okay, I'll message
her right after this."), confirmed by the other side in their own words ("So you'll send me
the contract by Friday?" - "Yes, I'll get the contract over by Friday."), said again in the
call's closing recap, or added to ("... and cc Maria on it"). replies.py merges a request with
its answer, offers.py and said_again.py an offer or a task with the speaker's "do it"; this
module merges what is left: two tasks are one when

- they are the same person's (the assignee), said in different messages;
- their actions match: the same verb, or verbs of one class (send / email / forward / get over;
  call / phone / ring; ask / message / text / contact; book / schedule / set up; ...), and
  what they act on is the same: object nouns in common, or the later (or the earlier) names
  it only by a pronoun ("book it", "ask her") and the people they name are not different;
- their due dates do not conflict (one is missing, or both are the same day);
- the later is said within a few messages of the earlier, or in the call's closing recap.

"Send the contract" and "send the invoice" share a verb but no object: two tasks; two people
each sending something are two assignees: two tasks. The merged item keeps the more specific
wording (the one with a due date, else the one naming more of what is acted on), every
message, the earliest day said and follows up when either does.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import lexicon
from .assignees import listener, spoken_to
from .conversation import Conversation
from .follow_ups import is_follow_up
from .people import People
from .replies import Found
from .words import STOPWORDS, tokens

WINDOW = 3  # messages from the earlier saying to the later
REACH = 15  # messages, for two sayings naming the same thing or person ("So I'll call you by eleven")
# Verbs that name one kind of work, whatever the word: what is sent, a call, a question put
# to someone, a booking, a document written, something checked.
_CLASSES = (
    frozenset({"send", "email", "e-mail", "forward", "mail", "circulate", "text", "get-over", "share"}),
    frozenset({"call", "phone", "ring"}),
    frozenset({"ask", "message", "text", "ping", "contact", "email", "call", "reach-out", "check-with",
               "follow-up", "talk-to", "speak-to"}),
    frozenset({"book", "schedule", "reserve", "arrange", "set-up", "pencil-in"}),
    frozenset({"write", "draft", "prepare", "put-together", "write-up"}),
    frozenset({"check", "confirm", "verify", "look-into", "find-out"}),
)
# A particle that makes the verb another one: "get the contract over", "set up a call".
_PARTICLES = {"get": ("over", "across"), "set": ("up",), "pencil": ("in",), "put": ("together",),
              "write": ("up",), "reach": ("out",), "follow": ("up",), "check": ("with",),
              "look": ("into",), "find": ("out",), "talk": ("to",), "speak": ("to",)}
_PARTICLE_REACH = 4  # words between the verb and its particle ("get the signed contract over")
# What names the thing by pointing back at it: "book it", "ask her", "send those".
_POINTING = frozenset({"it", "that", "this", "them", "those", "these", "her", "him"})
# Words of time and quantity, not of what is acted on: "by Friday", "at nine", "first thing".
_TIME = frozenset("""
today tonight tomorrow yesterday morning afternoon evening night noon midnight week weekend month
year day days weeks monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december end start beginning
first thing asap soon later time hour hours minute minutes lunchtime eod close business
one two three four five six seven eight nine ten eleven twelve half quarter o'clock p.m a.m pm am
""".split())
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr"})
_PARTICLE_WORDS = frozenset({"back", "over", "out", "up", "across", "together", "in", "off", "round", "around"})
# A sentence that adds to what was just asked: "And find out by Friday.", "Also, copy Maria."
_ADDED_ON = re.compile(r"(?:and|also|plus)\b", re.IGNORECASE)
# Said back at the end of a call: "so just to recap", "to sum up", "so to confirm".
_RECAP = re.compile(r"\b(?:recap|sum\s+(?:it\s+|things\s+|everything\s+)?up|summari[sz]e|to\s+confirm|"
                    r"so\s+(?:that'?s|the\s+plan\s+is)|action\s+items)\b", re.IGNORECASE)
_CLOSING = 10  # messages from the end where a recap is the call's closing one


def merge(conversation: Conversation, found: list[Found]) -> list[Found]:
    """`found` with each task said again merged into the first saying of it, in the order said."""
    recap_from = _closing_recap(conversation)
    people = People(conversation.members)
    members = {w.lower(): m.name for m in conversation.members for w in m.name.split() if len(w) > 1}
    kept: list[Found] = []
    for f in found:
        at = f.sentence.message.position
        in_recap = recap_from is not None and at >= recap_from
        same = None
        for k in range(len(kept) - 1, -1, -1):
            apart = at - kept[k].sentence.message.position
            if apart > REACH and not in_recap:
                break
            if _same(conversation, people, kept[k], f, members, near=apart <= WINDOW):
                same = k
                break
        if same is None and (handed := _handed_over(kept, f)) is not None:
            kept[handed] = _merged(replace(kept[handed], assignee=f.assignee, accepted=True), f)
        elif same is None:
            kept.append(f)
        else:
            kept[same] = _merged(kept[same], f)
    return kept


def _handed_over(kept: list[Found], f: Found) -> int | None:
    """The request `f` hands on to someone else in the answer that took it ("Could you bring a
    sample box on Thursday?" - "Sure, Rui can take it with the morning run."): the request is
    then theirs. `f` names someone to do it and points back at what was asked."""
    if f.action.kind != "assignment" or f.assignee.get("name") == f.sentence.message.speaker.name \
            or _words(f)[1:2] not in (["it"], ["that"], ["this"], ["them"], ["those"]):
        return None
    for k in range(len(kept) - 1, max(-1, len(kept) - 4), -1):
        a = kept[k]
        if a.action.kind == "request" and f.sentence.message.id in a.message_ids \
                and a.assignee.get("name") == f.sentence.message.speaker.name \
                and (a.due is None or f.due is None or a.due.due == f.due.due):
            return k
    return None


def _closing_recap(conversation: Conversation) -> int | None:
    """The position of the message that opens the call's closing recap, if it has one."""
    messages = conversation.messages
    for message in messages[max(0, len(messages) - _CLOSING):]:
        if _RECAP.search(message.text):
            return message.position
    return None


def _same(conversation: Conversation, people: People, a: Found, b: Found, members: dict[str, str], *,
          near: bool) -> bool:
    """Whether `b`, said after `a`, is the same task. `near`: within WINDOW messages, where
    a pronoun ("send it", "ask her") can point back at it; further apart (or in the recap)
    the two must name the same thing or the same person."""
    if b.sentence.message.position <= a.sentence.message.position:
        return False  # one turn's tasks are replies._one_per_turn's
    if a.assignee.get("name") != b.assignee.get("name"):
        return False
    if a.due is not None and b.due is not None and a.due.due != b.due.due:
        return False
    (na, _, ra), (nb, pb, rb) = _objects(conversation, people, a, members), _objects(conversation, people, b, members)
    if pb and (b.due is None or a.due is not None and b.due.due == a.due.due) and b.sentence.message.id in a.message_ids \
            and b.sentence.message.speaker.name == b.assignee.get("name"):
        # The answer that took the task on, in its own words: "Could you get the deposit in by
        # then?" - "Yep, we'll pay it as soon as we've read the estimate."; "Sure, I'll do it
        # tonight and email them." Said by the one taking it on: "Yes please, send it to me
        # before it goes out" welcoming an offer asks for more. A step with a deadline of its
        # own ("I'll draft it and send it around by Friday", when nothing was due) stays the
        # item replies._and_then made of it.
        return True
    if _added_on(a, b):
        return True
    va, vb = _verbs(a), _verbs(b)
    if not (va & vb or any(va & c and vb & c for c in _CLASSES)):
        return False
    if ra and rb and not ra & rb:
        return False  # "call Omar" and "call Beth"
    if na & nb and 2 * len(na & nb) >= min(len(na), len(nb)):
        return True  # half of what the shorter names: "the report on sales" and "the report on hiring" are two
    if ra & rb and not (na and nb) and (va & vb or not (na or nb)):
        # "call Mrs. Herrera back" - "So I'll call you by eleven"; not "email Dan the leaflet" -
        # "send Dan the form", nor "ask him and get back to you" - "email you the door code": a
        # verb of the same class to the same person, naming a thing the other does not, is new.
        return True
    # The later saying points back ("send it", "ask her") at what the earlier named; an earlier
    # "circulate it" points further back, not forward at "send you the brand guide".
    return near and (pb or not na or not nb)


def _added_on(a: Found, b: Found) -> bool:
    """`b` adds to the task `a` in the turn that asked for it or took it up: "I can ask." -
    "Please. And find out by Friday." is one task, due Friday, whatever its verbs."""
    return b.action.kind == "request" and b.sentence.message.id in a.message_ids \
        and _ADDED_ON.match(b.sentence.text) is not None


def _merged(a: Found, b: Found) -> Found:
    """The earlier saying `a` and the later `b` as one item, in `a`'s place."""
    lead, other = (b, a) if _more_specific(b, a) else (a, b)
    ids = tuple(dict.fromkeys((*a.message_ids, *b.message_ids)))
    dues = [d for d in (a.due, b.due) if d is not None]
    due = min(dues, key=lambda d: d.due) if dues else None
    follows = a.follows_up or b.follows_up or is_follow_up(other.action.phrase(other.sentence.text))
    return replace(lead, message_ids=ids, due=due, follows_up=follows,
                   accepted=lead.accepted or (lead is b and b.action.kind == "commitment"))


def _more_specific(b: Found, a: Found) -> bool:
    """The later saying says more: a due date the earlier lacks, or more of what is acted on."""
    if (b.due is None) != (a.due is None):
        return b.due is not None
    return False


def _words(f: Found) -> list[str]:
    return [t.lower for t in tokens(f.action.phrase(f.sentence.text))]


def _verbs(f: Found) -> frozenset[str]:
    """The action's verb as lemmas, with its particle when it has one ("get-over", "set-up")."""
    words = _words(f)
    if not words:
        return frozenset()
    verb = words[0]
    lemmas = set(lexicon.lemmas(verb)) | {verb}
    for lemma in list(lemmas):
        for particle in _PARTICLES.get(lemma, ()):
            if particle in words[1:1 + _PARTICLE_REACH + 1]:
                lemmas.add(f"{lemma}-{particle}")
    return frozenset(lemmas)


def _you(conversation: Conversation, people: People, f: Found):
    """Whom "you" means in `f`: the one asked for a request; in the speaker's own task, the one
    whose question it answers, as the rewriting reads it."""
    if f.action.kind in ("commitment", "group"):
        return spoken_to(conversation, people, f.sentence, f.message_ids)
    return listener(conversation, f.sentence)


def _objects(conversation: Conversation, people: People, f: Found,
             members: dict[str, str]) -> tuple[frozenset[str], bool, frozenset[str]]:
    """(the nouns it acts on, as lemmas; whether it points back by a pronoun, "send it", "ask
    her"; the members it names, "you" as the one spoken to)."""
    words = _words(f)[1:]
    due = {w.lower() for w in (f.due.text.split() if f.due else ())}
    nouns, named = set(), set()
    for w in words:
        if w in members:
            named.add(members[w])
            continue
        if w == "you" and (spoken_to := _you(conversation, people, f)) is not None:
            named.add(spoken_to.name)
            continue
        if w in STOPWORDS or w in _TIME or w in due or w in _TITLES or w in _PARTICLE_WORDS or w.isdigit() or len(w) < 3:
            continue
        if lexicon.can_name_a_thing(w, gerund=False) and not lexicon.verb_only(w):
            nouns.add(lexicon.noun_lemma(w))
    return frozenset(nouns), bool(words) and words[0] in _POINTING, frozenset(named)
