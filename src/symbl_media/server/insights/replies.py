"""A request and its answer are one action item: "Bob, please send the report." "Sure, will do."

When the person asked answers within the next two messages with an acknowledgement ("sure",
"will do", "on it"; then any commitment in the answer is the task taken on) or a commitment to
the same thing ("I'll send it tomorrow", "I can do that"), the answer is not a second item: the
request takes its message, its due date when it had none, and is then written as the
assignee's commitment ("Bob will send ..."). What the answer adds ("... and send it around by
Wednesday") stays an item of its own. An offer taken up ("I can change it for you" - "please
change it") is likewise one item, the offerer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import dates, recaps, welcomes
from .acknowledgements import ACK, takes_it_on
from .actions import WHOEVER_ASKED, Action, detect_all
from .assignees import is_day_for, is_now, person
from .conversation import Conversation, Sentence
from .dates import DateMatch
from .follow_ups import is_follow_up
from .restatements import Kept
from .sentences import split
from .words import STOPWORDS, stem, tokens

# An answer whose first sentence is the acknowledgement alone: "Will do.", "Sure thing!"
_BARE_ACK = re.compile(ACK.pattern + r"[\s\W]*$", re.IGNORECASE)
# The same thing, by a pronoun ("send it", "do that") or a verb that takes on whatever was asked
# ("do ...", "handle ..."). An offer said before the request it is matched with points back by
# the pronoun alone: its bare "do" ("I can do a shortlist of five") names a thing of its own.
_THAT = re.compile(r"^\w+(?:\s+\w+)?\s+(?:it|that|this|them|those|these|one)\b", re.IGNORECASE)
_THE_SAME = re.compile(_THAT.pattern + r"|^(?:do|handle|take\s+care\s+of)\b", re.IGNORECASE)
# An answer saying the thing is done already: the request was carried out on the call ("can you
# unplug the router for me?" - "Okay, done."; "could you try loading a page?" - "Yep, that
# works."), so nothing is left to do after it.
_DONE = re.compile(
    r"^\W*(?:(?:okay|ok|yep|yup|yes|yeah|right|alright|sure|and|so)[,.!\s]+)*(?:(?:all\s+|it'?s\s+|that'?s\s+)?done"
    r"(?!\s+(?:by|before|tomorrow|today|tonight|on|in|next|this|later|soon|for|after)\b)|"
    r"there\s+(?:we|you)\s+go|(?:it|that)\s+(?:works|worked|did\s+it|'?s\s+(?:working|worked))|"
    r"(?:i'?ve|i\s+have)\s+(?:just\s+)?(?:done|[a-z]+ed)\s+(?:it|that|them)(?:\s+now)?|it'?s\s+(?:on|off|green|up|open|back\s+on|in)\s+now)\b",
    re.IGNORECASE)
_WINDOW = 2  # messages
_AND_THEN = re.compile(r"\s+and\s+(?:then\s+)?(?:also\s+)?", re.IGNORECASE)
_OFFER = re.compile(r"\b(?:can|could)\b", re.IGNORECASE)
_MIGHT = re.compile(r"\bcould\b", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """An action item before it is written out."""
    sentence: Sentence
    action: Action
    assignee: dict
    due: DateMatch | None
    definitive: bool
    message_ids: tuple[str, ...]
    accepted: bool = False  # the assignee answered yes: the request reads as their commitment
    # The answer merged into it follows up ("Can you book it?" - "I'll call her Friday"): so
    # does the item, whatever the request's own verb.
    follows_up: bool = False
    # The same person's further steps in the same turn, said as one task (_one_per_turn).
    joined: tuple[Found, ...] = ()
    # A request to two or three ("could you both …"), when who they are is known: all of them,
    # `assignee` first (the API's shape holds one assignee; the text names them all).
    group: tuple[dict, ...] = ()


def merge(conversation: Conversation, found: list[Found]) -> list[Found]:
    """`found` with each answered request merged with its answer, in the order said."""
    result = list(found)
    dropped: set[int] = set()
    by_message: dict[str, list[int]] = {}
    for j, f in enumerate(result):
        by_message.setdefault(f.sentence.message.id, []).append(j)
    for i, request in enumerate(result):
        if i in dropped:
            continue
        if request.action.kind == "commitment" and _OFFER.search(_trigger(request)):
            taken = _taken_up(conversation, result, by_message, i, dropped)
            welcomed = welcomes.welcomed(conversation, request.sentence)
            if taken or welcomed:
                ids = tuple(dict.fromkeys((*request.message_ids, *(result[j].sentence.message.id for j in taken),
                                           *((welcomed.id,) if welcomed else ()))))
                result[i] = replace(request, message_ids=ids, accepted=True)
                dropped.update(taken)
            elif _MIGHT.search(_trigger(request)) and not request.accepted:
                # "I could ask her, if that's any help." - "Let's hold that as plan B.": a
                # possibility offered, which nobody took up; "I can ..." says what they will do;
                # one taken up with a yes ("I could go through it with her?" - "Yes, please") is
                # accepted already (action_items._RISING_OFFER).
                dropped.add(i)
            continue
        if request.action.kind not in ("request", "assignment"):
            continue
        asked = request.assignee.get("name")
        if asked == request.sentence.message.speaker.name:
            continue
        # "I'd like everyone to send Elias photos by Wednesday." - "I'll send them tonight.": one
        # of them doing their own part, their own task; the request stays everyone's ("Will do."
        # still takes it on).
        to_everyone = bool(_TO_EVERYONE.search(_trigger(request)))
        pos = request.sentence.message.position
        for message in conversation.messages[pos + 1:pos + 1 + _WINDOW]:
            if message.speaker.name != asked:
                continue
            if (not request.due or is_now(request.due)) and any(_DONE.match(s.text) for s in split(message.text)[:2]):
                dropped.add(i)  # done while they talked: "Okay, done."; "can you rotate it right now?" - "Done."
                break
            # After "Sure," any commitment in the answer is the task taken on ("I'll have a
            # draft by Wednesday"); without it, only one to the same thing.
            acknowledged = takes_it_on(message.text)
            answers = [j for j in by_message.get(message.id, ()) if j not in dropped and not to_everyone
                       and result[j].action.kind == "commitment"
                       and (acknowledged or _same_task(request, result[j]))]
            if acknowledged and _BARE_ACK.match(split(message.text)[0].text if message.text.strip() else ""):
                # "Will do. I'll also ask the graphics team for a map": the first sentence took
                # the task on; a later commitment is another task unless it is the same one.
                answers = [j for j in answers if _same_task(request, result[j])]
            if acknowledged and answers:
                # "Sure, I'll send that over. And I'll check back in on Friday": after the
                # sentence that takes the task on, a commitment to another thing is its own item.
                first = min(result[j].sentence.index for j in answers)
                answers = [j for j in answers
                           if result[j].sentence.index == first or _same_task(request, result[j])]
            if answers or acknowledged:
                rests = {j: _and_then(result[j], request) for j in answers}
                # A day the asked thing is for ("book a flight for the 14th of August") is not
                # when it is due: the answer's day is ("Sure, I'll book it tonight").
                asked_by = None if request.due and (is_day_for(request.sentence.text, request.due)
                                                    or not _said_in(request)) else request.due
                # The one asked naming their own day for the whole task ("by Friday?" - "Yeah, I'll
                # do it Thursday night.") says when it will be done; a day for a step of it ("Sure,
                # I'll pull them from the portal tomorrow") leaves the asked deadline standing.
                # Only a day within the asked deadline: the item's text keeps the request's "by
                # Friday", which a Thursday keeps and a Monday would contradict.
                answered_by = next((result[j].due for j in answers if result[j].due and not rests[j]
                                    and (_whole_task(result[j]) or _delivers(request, result[j]))
                                    and (asked_by is None or result[j].due.due <= asked_by.due)), None)
                due = answered_by or asked_by or next((result[j].due for j in answers if result[j].due and not rests[j]), None) \
                    or _deadline_in(conversation, message) or request.due
                result[i] = request = replace(request, message_ids=(*request.message_ids, message.id),
                                              due=due, accepted=True)
                for j in answers:
                    # "Sure, I'll draft it and send it around by Wednesday": the sending is new.
                    if rests[j] is not None:
                        result[j] = rests[j]
                    else:
                        dropped.add(j)
                        if is_follow_up(result[j].action.phrase(result[j].sentence.text)):
                            result[i] = request = replace(request, follows_up=True)
            break  # only the asked person's first answer counts
    return _one_per_turn(_restated(_group_taken_on(conversation, _volunteered(
        conversation, [f for j, f in enumerate(result) if j not in dropped]))))


# A request to every one of them: "please everyone check your slots", "I'd like everyone to …".
_TO_EVERYONE = re.compile(r"\b(?:everyone|everybody)\b", re.IGNORECASE)
# A request to whoever takes it: "we need someone to pack the box", "can someone book it?",
# "could one of you proofread it?".
_TO_WHOEVER = re.compile(r"\b(?:someone|somebody|anyone|anybody|one\s+of\s+you)\b", re.IGNORECASE)


def _volunteered(conversation: Conversation, found: list[Found]) -> list[Found]:
    """A request to whoever takes it, taken on in the next two messages by one who was not
    asked by name: "We need someone to pack the spare parts box." - "Oh god, the zip ties." -
    "I'll make a packing list and do the box the night before." is one task, the volunteer's,
    with both messages. The volunteer's task points back at the request or shares a word with
    it; the one who merely speaks next is not the one asked.

    Asked as a question ("Can someone send me the link to the tool?"), it is the request's task
    in the request's words, the volunteer's, when the next one to speak takes it on by pointing
    back ("I'll send it", "I'll do it, I'm on the obs round anyway"); asked and taken on by
    nobody ("can someone close the door?"), it was done in the room or not at all: no task."""
    dropped: set[int] = set()
    for k, f in enumerate(found):
        if f.action.kind != "request" or not _TO_WHOEVER.search(_trigger(f)):
            continue
        said = f.sentence.message.position
        asked = bool(_WHOEVER_ASKED.search(_trigger(f)))
        taken = False
        for j in range(k + 1, len(found)):
            g = found[j]
            if g.sentence.message.position - said > _WINDOW:
                break
            if asked and g.sentence.message.position > said + 1:
                break  # a question is answered by the next to speak
            if g.action.kind == "commitment" and g.sentence.message.speaker.id != f.sentence.message.speaker.id \
                    and g.sentence.message.position > said \
                    and ((_THE_SAME.match(g.action.phrase(g.sentence.text)) and (not asked or _does_what_was_asked(f, g)))
                         or _content(f) & _content(g)):
                ids = tuple(dict.fromkeys((*f.message_ids, *g.message_ids)))
                follows = g.follows_up or is_follow_up(f.action.phrase(f.sentence.text))
                if asked and len(_content(g)) <= 1:  # "I'll send it": the request says what
                    found[j] = replace(f, assignee=g.assignee, message_ids=ids, accepted=True,
                                       due=f.due or g.due, follows_up=follows)
                else:
                    found[j] = replace(g, message_ids=ids, follows_up=follows)
                dropped.add(k)
                taken = True
                break
        if taken or not asked or f.accepted:
            continue  # taken on already, as a request is answered ("I'll send it")
        answer = next((m for m in conversation.messages[said + 1:said + 2]
                       if m.speaker.id != f.sentence.message.speaker.id), None)
        if answer is not None and takes_it_on(answer.text):
            found[k] = replace(f, assignee=person(answer.speaker.name, answer.speaker.email),
                               message_ids=(*f.message_ids, answer.id), accepted=True)
        else:
            dropped.add(k)
    return [f for k, f in enumerate(found) if k not in dropped]


_WHOEVER_ASKED = re.compile(WHOEVER_ASKED + r"$", re.IGNORECASE)
# Verbs that take on whatever was asked: "I'll do it", "I can take that", "I'll sort it".
_ANY_TASK = frozenset("do handle take sort get cover grab manage".split())


def _does_what_was_asked(request: Found, answer: Found) -> bool:
    """An answer pointing back at a request to whoever takes it takes it on only with the
    request's own verb or one that takes on anything: "Can someone send me the link?" - "I'll
    send it" or "I'll do it"; not "Can someone let me in?" - "I'm in the office on Friday, I'll
    sign it then", which points at something else."""
    said = tokens(answer.action.phrase(answer.sentence.text))[:1]
    asked = tokens(request.action.phrase(request.sentence.text))[:1]
    return bool(said) and (said[0].lower in _ANY_TASK or bool(asked) and stem(said[0].lower) == stem(asked[0].lower))


# Having someone do it: "I'll have the driver drop it off Monday morning", "I'll get Sam to
# send them over": the thing is the intention's, done through someone else.
_HAVE_IT_DONE = re.compile(r"^(?:have|get)\s+(?:the\s+|our\s+|my\s+)?\w+\s+(?:to\s+)?\w+\s+(?:it|them|that|those)\b", re.IGNORECASE)


def _group_taken_on(conversation: Conversation, found: list[Found]) -> list[Found]:
    """A group intention someone takes on at once is their task, not a second one: "I think we
    should meet again in two weeks." - "Works for me. I'll put it in the group chat."; "we
    should call a second reference." - "Agreed. Liam, would you be willing to do those calls?";
    "Also, we should write up the outage. Lena, would you mind doing a summary by Wednesday?".
    The next item takes the intention's message when it is a request in the same message, or
    is said in the same message or the next one by someone else and points back at the
    intention ("put it in the group chat", "do those calls") or shares a word with it. "We should also run a load test."
    - "Agreed. I'll set up a meeting with the database team." are two tasks."""
    kept: list[Found] = []
    skip: set[int] = set()
    for k, f in enumerate(found):
        if k in skip:
            continue
        nxt = found[k + 1] if k + 1 < len(found) else None
        if f.action.kind == "group" and nxt is not None and nxt.action.kind != "group" \
                and 0 <= nxt.sentence.message.position - f.sentence.message.position <= 1 \
                and (nxt.action.kind in ("request", "assignment") and nxt.sentence.message.id == f.sentence.message.id
                     or nxt.sentence.message.speaker.id != f.sentence.message.speaker.id
                     and (_THE_SAME.match(nxt.action.phrase(nxt.sentence.text)) or _HAVE_IT_DONE.match(nxt.action.phrase(nxt.sentence.text))
                          or _content(f) & _content(nxt))):
            ids = tuple(dict.fromkeys((*f.message_ids, *nxt.message_ids)))
            due = nxt.due or f.due
            if _GENERIC.match(nxt.action.phrase(nxt.sentence.text)):
                # "would you do those calls?": the task is the intention's, the one who takes it on acts
                nxt = replace(f, assignee=nxt.assignee, accepted=True, definitive=True,
                              action=replace(f.action, kind="request", definitive=True))
            kept.append(replace(nxt, message_ids=ids, due=due,
                                follows_up=nxt.follows_up or is_follow_up(f.action.phrase(f.sentence.text))))
            skip.add(k + 1)
            continue
        kept.append(f)
    return kept


# A deadline the one who takes a request on gives in their answer, in no task of its own: "Yeah,
# I can do that. I'll probably need till next Wednesday though."
_TILL = re.compile(r"\b(?:by|until|till|before|no\s+later\s+than)\s+(?:the\s+)?(?:end\s+of\s+)?$", re.IGNORECASE)
# Or the day the answer opens a sentence with, which names when: "Yeah, yeah, okay. Tomorrow
# morning, he's never home in the evening."
_DAY_FIRST = re.compile(r"^\W*(?:(?:and|but|so|well|ok|okay|probably|hopefully|maybe|then)[,\s]+)*(?:on\s+|by\s+)?$", re.IGNORECASE)
# Not the day as what the sentence is about: "Monday's our stock take, so I'm flat out",
# "Tomorrow is a bank holiday" say what that day holds; "Friday's fine", "Friday works" take it.
_DAY_IS_SOMETHING = re.compile(r"\s*(?:['’]s|\s+is|\s+was|\s+will\s+be|['’]ll\s+be)\b"
                               r"(?!\s+(?:fine|good|ok|okay|better|best|easier|perfect|great|free|open|clear)\b)", re.IGNORECASE)


def _deadline_in(conversation: Conversation, message) -> DateMatch | None:
    day = conversation.day_of(message)
    for sentence in split(message.text):
        if detect_all(sentence.text):
            continue  # "… and send it around for review by Wednesday": that task's date
        for when in dates.find(sentence.text, day):
            if when.due >= day and (_TILL.search(sentence.text[:when.start])
                                    or _DAY_FIRST.match(sentence.text[:when.start])
                                    and not _DAY_IS_SOMETHING.match(sentence.text, when.end)):
                return when
    return None


def _one_per_turn(found: list[Found]) -> list[Found]:
    """One item per person per turn: what someone takes on in one message is one task, said in
    steps ("I'll budget for fourteen then. I'll have the revised budget in the folder by
    Friday.", "Let's meet again next Tuesday, I'll send an invite.", "I can give you that, I'll
    do it within the hour."). The first commitment leads (a group intention gives way to the
    speaker's own "I'll"); the item takes the first date said and every message."""
    kept: list[Found] = []
    for f in found:
        last = kept[-1] if kept else None
        if last is None or last.sentence.message.id != f.sentence.message.id \
                or last.assignee.get("name") != f.assignee.get("name") \
                or "request" in (last.action.kind, f.action.kind) \
                or last.sentence.message.speaker.name != f.sentence.message.speaker.name \
                or _two_deadlines(last, f) or len(last.joined) + 1 >= _MAX_STEPS \
                or _offer_taken_up(f) and not _offer_taken_up(last):
            kept.append(f)
            continue
        lead, other = (f, last) if last.action.kind == "group" and f.action.kind != "group" else (last, f)
        ids = tuple(dict.fromkeys((*last.message_ids, *f.message_ids)))
        due = _last_step(last, f) if _dated_in_one_sentence(last, f) else lead.due or other.due
        kept[-1] = replace(lead, message_ids=ids, due=due,
                           joined=(*lead.joined, other, *other.joined),
                           follows_up=lead.follows_up or other.follows_up or is_follow_up(other.action.phrase(other.sentence.text)))
    return kept


def _dated_in_one_sentence(task: Found, step: Found) -> bool:
    """Whether `step` and a step already in `task` have each a day and were said in one sentence:
    two dated steps of one sentence are two tasks (_two_deadlines) unless a step said before
    them, with no day, joins them into one."""
    return step.due is not None and any(
        s.due is not None and s.sentence.index == step.sentence.index for s in (task, *task.joined))


def _last_step(task: Found, step: Found) -> DateMatch:
    """A task said in steps is done when its last step is: "And I'll start on the narrative. I'll
    do the problem statement this weekend, and send you a draft Monday." is due Monday."""
    return step.due if task.due is None or step.due.due > task.due.due else task.due


def _offer_taken_up(f: Found) -> bool:
    """An offer the other side said yes to ("I'll bring ten. Actually, would it help if I did a
    short lunch session with your MPAs?" - "That would be good, yes."): a task the listener chose,
    not a step of the promise said before it in the turn. One that points back ("We can send two
    packers the day before. Want me to book that?") offers the same task."""
    return f.accepted and f.action.kind == "commitment" and len(f.message_ids) > 1 and not points_back(f)


_GENERIC = re.compile(r"^(?:do|handle|take\s+care\s+of|take\s+on|own)\s+(?:it|that|this|them|those|these)\b", re.IGNORECASE)
_MAX_STEPS = 3  # a turn's task in at most three steps; an unpunctuated hour is not one task


def _two_deadlines(a: Found, b: Found) -> bool:
    """ "I'll call her tonight and let you know on Monday": one sentence, two deadlines, two
    tasks (action_items._each_dated split them)."""
    return a.sentence.index == b.sentence.index and a.due is not None and b.due is not None and a.due.due != b.due.due


def _restated(found: list[Found]) -> list[Found]:
    """A task said again (a recap: "so to recap, I'll send the quote by Friday") is the task
    already found: the same assignee and most of the same words. It adds its message to the
    first, and its due date if the first had none."""
    kept: list[Found] = []
    contents = [_content(f) for f in found]
    index = Kept(contents)  # compares each task only with those it could restate
    for f, words in zip(found, contents):
        who, message = f.assignee.get("name"), f.sentence.message.id
        same = index.restated(who, message, words)
        if same is None:
            index.add(who, message, words)
            kept.append(f)
            continue
        first = kept[same]
        ids = tuple(dict.fromkeys((*first.message_ids, *f.message_ids)))
        kept[same] = replace(first, message_ids=ids, due=first.due or f.due)
        for k in recaps.also_named(kept, f):  # "I'll send the template and the what-to-wear note"
            if k != same:
                kept[k] = recaps.recapped(kept[k], f)
    return kept


def _content(f: Found) -> frozenset[str]:
    return frozenset(stem(t.lower) for t in tokens(f.action.phrase(f.sentence.text)) if t.lower not in STOPWORDS)


def _and_then(answer: Found, request: Found) -> Found | None:
    """The answer's second action, when it adds one to the task it takes on: "draft it and
    send it around for review" -> "send it around for review"; not when it is what was asked
    ("could you send me the pricing?" - "I'll put that together and send it over")."""
    m = _AND_THEN.search(answer.sentence.text, answer.action.start, answer.action.end)
    if m is None or not is_follow_up(rest := answer.sentence.text[m.end():answer.action.end]):
        return None
    verb = tokens(rest)[:1]
    asked = {stem(t.lower) for t in tokens(request.action.phrase(request.sentence.text))}
    if verb and stem(verb[0].lower) in asked:
        return None
    return replace(answer, action=replace(answer.action, start=m.end()))


def _trigger(f: Found) -> str:
    return f.sentence.text[f.action.trigger:f.action.start]


def _taken_up(conversation: Conversation, found: list[Found], by_message: dict[str, list[int]], i: int,
              dropped: set[int]) -> list[int]:
    """An offer ("I can change it for you") taken up by the other side ("Please change it"):
    their request is the offer itself, so it is not a second item. In the very reply that
    welcomes it ("Yes please. Send it to the studio email."), the request is the offer's
    whoever else it might seem addressed to."""
    offer = found[i]
    pos = offer.sentence.message.position
    welcomed = welcomes.welcomed(conversation, offer.sentence)
    window = [j for m in conversation.messages[pos + 1:pos + 1 + _WINDOW]
              if m.speaker.id != offer.sentence.message.speaker.id for j in by_message.get(m.id, ())]
    return [j for j in window if j not in dropped and found[j].action.kind == "request"
            and (found[j].assignee.get("name") == offer.assignee.get("name")
                 or welcomed is not None and found[j].sentence.message.id == welcomed.id)
            and _same_task(found[j], offer, said_before=True)]


def _said_in(f: Found) -> bool:
    """The due date is said in the task's own sentence, not borrowed from another (the meeting
    day an invite is for): a borrowed day gives way to the one the answer names ("Can you send
    a calendar invite?" - "Yep, I'll send it today."). "By then" is said in the request (its
    match is those words) and stands as any asked deadline: the item's text keeps it."""
    return not f.due.borrowed


# Taking on the whole of what was asked: "do it", "handle that", "take care of them".
_DO_IT = re.compile(r"^(?:do|handle|sort|take\s+care\s+of|get\s+(?:on\s+)?to)\s+(?:it|that|this|them|those|these)\b", re.IGNORECASE)


def _whole_task(answer: Found) -> bool:
    """The answer takes on the whole task asked, not a step of it, on a day of its own: it does
    "it" ("I'll do it Monday") or names nothing but a verb and its day ("I'll check tonight").
    Saying the asked verb again keeps the asked deadline: "by Friday?" - "Sure, I will send it
    tomorrow." is due Friday, the sample meeting's reading (docs/sandbox-insights.md)."""
    phrase = answer.action.phrase(answer.sentence.text)
    if _DO_IT.match(phrase):
        return True
    when = answer.due.text.lower().split() if answer.due else []
    return len([t for t in tokens(phrase) if t.lower not in when]) == 1


def _delivers(request: Found, answer: Found) -> bool:
    """The answer reaches the one waiting, by another verb than the asked one, on a day of its
    own: "can you get back to them this week?" - "I'll write to them tomorrow", "could you put
    a quote together before the end of the month?" - "I'll get it to you by Friday". Reaching
    them ends the task, so its day is the task's; a step before it ("I'll pull them from the
    portal tomorrow") is not, nor the asked verb said again ("Sure, I will send it tomorrow"
    keeps "by Friday")."""
    phrase = answer.action.phrase(answer.sentence.text)
    asked, said = tokens(request.action.phrase(request.sentence.text)), tokens(phrase)
    return bool(asked and said and _REACHES.match(phrase) and is_follow_up(phrase)
                and stem(asked[0].lower) != stem(said[0].lower))


# Reaching the one waiting or the ones the request named, by a pronoun: "write to them", "text
# him", "get it to you"; not a new party ("I'll talk to the maintenance crew tomorrow", a step).
_REACHES = re.compile(r"^\w+\s+(?:(?:back\s+)?to\s+|with\s+)?(?:it|them|him|her|you|that|those)\b", re.IGNORECASE)


def points_back(f: Found) -> bool:
    """The task names what was just said, not a thing of its own: "send that", "do it"."""
    return bool(_THE_SAME.match(f.action.phrase(f.sentence.text)))


def _same_task(request: Found, answer: Found, *, said_before: bool = False) -> bool:
    """`said_before`: the answer is an offer said before the request it is matched with."""
    if (_THAT if said_before else _THE_SAME).match(answer.action.phrase(answer.sentence.text)):
        # Asked of whoever takes it, the one who answers was not asked by name: pointing back
        # with another verb points at something else ("Can someone let me in?" - "I'm in on
        # Friday, I'll sign it then"); asked by name, the answer is to the request.
        return not _TO_WHOEVER.search(_trigger(request)) or _does_what_was_asked(request, answer)
    phrase = answer.action.phrase(answer.sentence.text)
    asked = tokens(request.action.phrase(request.sentence.text))
    said = tokens(phrase)
    return bool(asked and said and stem(asked[0].lower) == stem(said[0].lower))

