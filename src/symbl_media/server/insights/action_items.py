"""Action items and follow-ups of a conversation, written out in the API's shapes.

Each action of a sentence (actions.detect_all, one per clause) is kept unless it narrates the meeting itself
(narration.py) or is a plain question; a request merges with its answer (replies.py); the
item's text is the action rewritten in the third person (rewrite.py) and its entities point
into that text. Follow-ups are the action items about following up (follow_ups.is_follow_up).
"""

from __future__ import annotations

import re
from dataclasses import replace

from symbl_media.contract.times import api_time

from . import (
    acknowledgements,
    actions,
    agreement,
    assignees,
    booked_sessions,
    dates,
    events,
    follow_up_pro_forms,
    invites,
    lexicon,
    month_days,
    narration,
    non_commitments,
    offers,
    question_moves,
    questions,
    replies,
    rewrite,
    said_again,
    same_task,
    second_look,
    then_dates,
    turn_dates,
    weekday_dates,
)
from .conversation import Conversation, Sentence
from .follow_ups import is_follow_up, is_follow_up_task
from .ids import make_id
from .listeners import ASKED
from .people import People
from .replies import Found

# A question is an action item only when it asks someone to act: "can you send me ...".
_ASKS = re.compile(rf"^(?:please|(?:can|could|would|will)\s+{ASKED}|do\s+{ASKED}\s+mind)\b|" + actions.POLITE_REQUEST
                   + "|" + actions.WHOEVER_ASKED + "|" + actions.WONDERING_ASKED,
                   re.IGNORECASE)
# Words before the trigger that make it an idea rather than a commitment (Symbl's `definitive`).
_HEDGE = re.compile(r"\b(?:i\s+think|i\s+guess|i\s+suppose|maybe|perhaps|probably|possibly|might|"
                    r"if\s+(?:we|i|you)|i\s+was\s+thinking)\b", re.IGNORECASE)
# A sentence opening on a condition about events ("If it breaks again, we'll have to escalate",
# "If anything looks off, just ping me"): what its main clause says is a contingency, not a
# task. A polite "if you can / if you get a chance" is a request's softener and stays.
# An opener before the condition: a filler, a name spoken to ("Honestly, Tomasz, if the June
# date slips too, we'll have to look at another frame").
_OPENER = r"^(?:(?:so|and|but|okay|ok|well|oh|honestly|frankly|look|listen)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s+)?"
_CONTINGENT = re.compile(_OPENER + r"(?:(?:if|in\s+case)\s+(?!(?:you|we|i)\s+(?:can|could|get|have|want|'d|would|need)\b(?!['’]t)"
                         r"(?!\s+(?:anything|any\b|more\s+help|help|something)))|unless\s+|should\s+(?:they|it|that|we|you|anything)\s+)"
                         r"[^,]{3,80},\s*", re.IGNORECASE)
# Opening on a case that may not happen: "worst case, we'll push it a week", "assuming legal
# signs off, we'll launch Monday", "if need be, I'll ...": a plan B, not a task.
_PLAN_B = re.compile(_OPENER + r"(?:(?:in\s+the\s+)?worst\s+case(?:\s+scenario)?|"
                     r"if\s+(?:not|need\s+be|necessary|all\s+else\s+fails|worst\s+comes\s+to\s+worst|push\s+comes\s+to\s+shove)|"
                     r"otherwise|failing\s+that|assuming\b[^,]{3,80}|provided\b[^,]{3,80}|as\s+long\s+as\b[^,]{3,80})\s*,\s*",
                     re.IGNORECASE)
# Asking what to do in a case that may come up, of anyone of a kind: "what do we do if a parent
# refuses?", "what happens if someone cancels?" (a generic condition; "what do we do if the
# lift is out on Tuesday?" names one case, and its answer is a task).
_WHAT_IF_ONE = re.compile(r"\bwhat\s+(?:do|should|shall|would|will|can)\s+(?:we|i|you|they)\s+do\s+if\s+"
                          r"(?:a|an|any|anyone|anybody|someone|somebody|one\s+of\s+(?:them|the\s+\w+))\b[^?]*\?",
                          re.IGNORECASE)
# Availability rather than a task: "I can do Tuesday", "I could do the 14th".
_AVAILABLE = re.compile(r"^do\s+", re.IGNORECASE)
# The group reassuring itself: "we'll figure it out", "we'll get there", "we'll make it work".
_REASSURING = re.compile(r"^(?:(?:figure|sort|work)\s+(?:it|this|that|something|things)\s+out|make\s+(?:it|this|that)\s+(?:work|happen)|"
                         r"get\s+there|manage|cope|survive|be\s+fine|deal\s+with\s+(?:it|that|this)|handle\s+(?:it|that|this))\s*$",
                         re.IGNORECASE)
# A phrase of a verb and a stranded preposition: "(anything) I can help with".
# Someone's action inside a question about it: "Do we know when Santiago will send the
# rest?", "do we know if Katy is going to bill us?" ask what is known, and give nobody a task.
_ASKED_ABOUT = re.compile(r"\b(?:know|sure|idea|wonder|wondering|ask(?:ed)?|find\s+out|check)\s+(?:if|when|whether)\s+$",
                          re.IGNORECASE)
_DANGLING = re.compile(r"^[^\W\d_]+\s+(?:with|about|for|on|to|of)\s*$", re.IGNORECASE)
# "When" or "where" opening a clause of time or place set off by a comma asks nothing: "When
# you call them tomorrow, can you also ask about the invoice?" requests; a wh-word after it
# still asks ("Juho, when you crash it on Friday, when can you can it?").
_WH_QUESTION = re.compile(r"^(?:(?:so|and|but|okay|ok|well|oh|right)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s*)?"
                          r"(?:(?:when|where)\s+(?:you|we|i|he|she|they|it)\b[^,?]{1,80},\s*)?"
                          r"(?:what|why|how|which|who|(?:when|where)(?!\s+(?:you|we|i|he|she|they|it)\b[^,?]{1,80},))\b",
                          re.IGNORECASE)
# "Let me ..." offers to do it now, on the call; with a time to come or reaching someone
# ("let me check with Hiroshi and get back to you today") it is a task.
_LET_ME = re.compile(r"^let\s+me\b", re.IGNORECASE)
_SHOWN = re.compile(r"(?:share|show)\b", re.IGNORECASE)  # "let me share the runbook": on the screen
_WITH_SOMEONE = re.compile(r"\b(?:check|confirm|clear|run)\s+(?:\w+\s+){0,3}(?:with|by|past)\b", re.IGNORECASE)
_CAN = re.compile(r"(?:i|we)\s+(?:can|could)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"\w\W+so(?:\s+that)?\s*$", re.IGNORECASE)  # not "So I'll ..." opening a sentence
_AND = re.compile(r"\s+and\s+(?:then\s+)?(?=[^\W\d_]+\s)", re.IGNORECASE)
_LIKE_TO = re.compile(r"\blike\s+to\s*$", re.IGNORECASE)
# A possibility for the group: a task only with a time ("we can send it over by Friday").
_OPTION = re.compile(r"we\s+(?:could|can|might)\b", re.IGNORECASE)
_OFFERED = re.compile(actions.OFFER_TRIGGER, re.IGNORECASE)
# Taking an offer up: "yes please", "sure", "that would be great", "go ahead", "if you could".
_YES = re.compile(r"^\W*(?:(?:oh|um|uh)[,\s]+)?(?:yes|yeah|yep|yup|sure|please|absolutely|definitely|of\s+course|perfect|great|"
                  r"lovely|brilliant|go\s+(?:ahead|for\s+it)|that\s+would|that'?d|if\s+you\s+(?:could|can|don'?t\s+mind)|"
                  r"would\s+you|ok(?:ay)?[,\s]+(?:yes|please|sure|thanks|great|go))\b(?![,\s]+(?:no\b|i'?ll|i\s+can|i\s+will))",
                  re.IGNORECASE)
_IF = re.compile(r"^(?:(?:so|and|but|well|oh)[,\s]+)?(?:if|depending\s+on)\b", re.IGNORECASE)
# A need said right after one's own question gives the reason for asking.
_REASON = re.compile(r"i\s*(?:have\s+to|need\s+to|'ve\s+got\s+to|have\s+got\s+to)\s", re.IGNORECASE)


def _after_own_question(conversation: Conversation, sentence: Sentence) -> bool:
    i = sentence.index
    before = conversation.sentences[i - 1] if i else None
    return before is not None and before.message.id == sentence.message.id and before.text.rstrip().endswith("?")


# The speaker's own work said with a rising tone, an offer: "I could go through the pen technique
# with her?" - "Yes, please"; a task once taken up, as "want me to ...?" is.
_RISING_OFFER = re.compile(r"^(?:(?:so|and|well|um|uh|oh)[,\s]+)*i\s+(?:could|can)\s+(?!(?:do|see|hear|imagine|guess)\b)[^\W\d_]+[^?]*\?$",
                           re.IGNORECASE)
# An order given by name ("Rosa, ping me when Carla's agent gets back to you?"): the
# imperative asks for the work, whatever the tone it ends on; a trigger with a modal ("Rosa,
# can you …?") is judged as a question asking to act.
# The word before the comma must be a name (a member's, or a word the lexicon does not know):
# "Wait, send it to everyone?", "Sorry, call them when?" check what was said, and ask.
_NAMED_ORDER = re.compile(r"^(?:(?:and|so|okay|ok|also|then|right)[,\s]+)*(?-i:(?P<name>[A-Z][^\W\d_]+)),\s*(?:just\s+|also\s+)?$",
                          re.IGNORECASE)


def _named_order(trigger: str, names: frozenset[str]) -> bool:
    m = _NAMED_ORDER.match(trigger)
    return bool(m) and (m.group("name").lower() in names or not lexicon.classes(m.group("name").lower()))
_TENTATIVE = re.compile(r"\b(?:could|might|may|would\s+like)\b", re.IGNORECASE)


def names_in(conversation: Conversation) -> frozenset[str]:
    """The members' names, word by word, lower case: a name is nobody's task word."""
    return frozenset(w.lower() for m in conversation.members for w in m.name.split())


def by_the_rules(conversation: Conversation, people: People, names: frozenset[str]) -> list[Found]:
    """Every action item the rules find, with answers, offers taken up, restatements and one
    task said in several turns merged; before the second look (second_look.py)."""
    found: list[Found] = []
    calendar = events.Calendar(conversation)
    for sentence in conversation.sentences:
        for said in actions.detect_all(sentence.text, people):
            for action in _each_dated(sentence.text, said, conversation.day_of(sentence.message)):
                if (f := _found(conversation, calendar, people, names, sentence, action)) is not None:
                    found.append(f)
    return same_task.merge(conversation, said_again.merge(
        conversation, offers.said_again(conversation, replies.merge(conversation, found))))


def find(conversation: Conversation, people: People, *, with_phrases: bool) -> tuple[list[dict], list[dict]]:
    """(action items, follow-ups), in the order they were said."""
    names = names_in(conversation)
    items, follow_ups = [], []
    found = by_the_rules(conversation, people, names)
    for f in month_days.resolve(conversation, weekday_dates.resolve(conversation, found)):
        kept, follows = second_look.weigh_item(conversation, f, names, follows_up_by_rules(conversation, f))
        if not kept:
            continue
        item = _item(conversation, people, names, f, with_phrases)
        items.append(item)
        if follows:
            follow_ups.append(_follow_up(conversation, f, item))
    return items, follow_ups


def follows_up_by_rules(conversation: Conversation, f: Found) -> bool:
    """The rules' verdict on whether an action item follows up (follow_ups.py, booked_sessions.py,
    follow_up_pro_forms.py)."""
    phrase = f.action.phrase(f.sentence.text)
    return (f.follows_up or is_follow_up_task(phrase) or booked_sessions.books_a_session(conversation, f.sentence, phrase)
            or follow_up_pro_forms.stands_for_a_follow_up(conversation, f.sentence, phrase))


def _each_dated(text: str, action: actions.Action, day) -> list[actions.Action]:
    """One action per deadline: "I'll call her tonight and let you know on Monday" is two
    tasks, due tonight and on Monday; "I'll draft it and send it by Friday" is one."""
    for m in _AND.finditer(text, action.start, action.end):
        head, tail = text[action.start:m.start()], text[m.end():action.end]
        # "run last year's volumes and send it by Monday", "call them today and ask for a plan
        # by Monday" are one task each: a past date, a date of what is asked
        # "put a sectional in for Tuesday, and send you the schedule by Friday": the day the
        # first step's thing is for is no deadline of its own, so it is one task, due Friday
        if _ahead(head, day, own=True) and _ahead(tail, day) and not assignees.asks_for(tail) \
                and _a_verb(tail) and _first_due(head, day) != _first_due(tail, day):
            return [replace(action, end=m.start()), replace(action, start=m.end(), begin=m.end())]
    return [action]


def _a_verb(tail: str) -> bool:
    """ "… and let you know on Monday": "and" joins a second task only when a verb follows it,
    maybe after an adverb ("… and also let you know on Monday", "… and just email you");
    "I'll have the glossary to you by Wednesday, and if Joseph can get back to me by Friday
    week, …" joins a condition of what comes next (it was a task "will if Joseph can …")."""
    words = tail.lower().split()
    while words and words[0] in agreement.BEFORE_A_JOINED_VERB:
        words = words[1:]
    return bool(words) and "VERB" in lexicon.classes(words[0])


def _first_due(text: str, day):
    return next((d.due for d in dates.find(text, day) if d.due >= day), None)


def _ahead(text: str, day, own: bool = False) -> bool:
    """A date today or later in `text`; with `own`, not only the day a thing is for."""
    return any(d.due >= day and not (own and assignees.is_day_for(text, d)) for d in dates.find(text, day))


def _found(conversation: Conversation, calendar: events.Calendar, people: People, names: frozenset[str],
           sentence: Sentence, action: actions.Action) -> Found | None:
    """The action as an item to be, or None when it is narration or a plain question."""
    text, phrase = sentence.text, action.phrase(sentence.text)
    due = assignees.due(text, action, conversation.day_of(sentence.message))
    # A day worked out from an event the call dated ("the Friday before the wedding") is the
    # due date, over the bare weekday inside it that dates.py reads as the coming one.
    worked_out = False
    if (from_event := events.day_of(calendar, sentence, action.begin, action.end)) is not None \
            and (due is None or from_event.start <= due.start < from_event.end):
        due, worked_out = from_event, True
    elif due is not None and any(start <= due.start < stop for start, stop in
                                 events.weekdays_worked_out(text, action.begin, action.end)):
        due = None  # "the Friday before the festival", the festival today or never dated: no day
    due = due or assignees.day_before(conversation, sentence, action.begin)
    if narration.is_narration(text, phrase, due):
        return None
    if _LET_ME.search(text[action.trigger:action.start]) and due is None and not narration.later(phrase) \
            and (_SHOWN.match(phrase) or not (is_follow_up(phrase) or _WITH_SOMEONE.search(phrase))):
        return None  # "let me have a look at her diary", "let me share the runbook": done as it is said
    if (condition := _CONTINGENT.match(text) or _PLAN_B.match(text)) \
            and (action.trigger >= condition.end() - 1 or action.trigger == 0 and action.start >= condition.end()) \
            and (action.kind != "commitment" or _PLAN_B.match(text)) \
            and not _order_for_a_case(conversation, sentence, condition, action, due):
        # The speaker's own promise on a condition is a task: "If you bring it back Thursday
        # morning, I'll get you in first thing." (the blind-written conversations label it one)
        return None
    if due is None and _answers_a_case(conversation, sentence):
        return None  # "What do we do if a parent refuses?" - "Send them to me. I'll talk to them.": a standing rule
    if action.kind == "commitment" and due is not None and _AVAILABLE.match(phrase) \
            and phrase[3:].strip(" .,!?").startswith(due.text):
        return None  # "I can do the 4th of February at three thirty": a slot offered, no task
    if action.kind == "commitment" and _IF.match(text) and _HEDGE.search(text, action.start):
        return None  # "If they come up from the floor I'll have to lift two boards, probably.": a guess, no promise
    if due is None and action.kind == "commitment" and _REASON.match(text[action.trigger:]) \
            and _after_own_question(conversation, sentence):
        return None  # "Are we doing it on the eighth or the ninth? I have to plan prep.": why it is asked
    if _WH_QUESTION.match(text[:action.trigger]) and action.kind == "request":
        return None  # "What would you do differently?" asks; it requests nothing
    if _PURPOSE.search(text[:action.trigger]) and _CAN.match(text, action.trigger):
        return None  # "send me the photo, so I can forward it": why; "..., so I'll pull them" is a task
    if action.kind == "group" and due is None and _REASSURING.match(phrase):
        return None
    if action.kind == "assignment" and _ASKED_ABOUT.search(text[:action.trigger]):
        return None  # "Do we know when Santiago will send the rest?": what is known is asked
    if _DANGLING.search(phrase):
        return None  # "anything else I can help with?": the trigger is in a relative clause
    if non_commitments.takes_it_back(text, action):
        return None
    after = conversation.sentences[sentence.index + 1:sentence.index + 2]
    if after and after[0].message is sentence.message and action.kind == "commitment" \
            and non_commitments.taken_back_next(after[0].text):
        return None  # "I'll buy them on Saturday. No, wait, that's too late."
    trigger = text[action.trigger:action.start]
    rising = action.kind == "commitment" and bool(_RISING_OFFER.match(text)) \
        and _taken_up(conversation, sentence) is not None
    offered = bool(_OFFERED.match(trigger)) or rising
    if offered and not rising and not (question_moves.is_offer(text) and _taken_up(conversation, sentence)):
        return None  # an offer nobody took up commits nobody; an offer's shape that asks is a question
    if (action.kind == "group" or _LIKE_TO.search(trigger)) and len(phrase.split()) == 1:
        return None  # "let's start.", "I'd like to compare.": nothing to deliver
    if action.kind == "group" and _OPTION.match(text, action.trigger) and due is None \
            and not then_dates.day_meant(conversation, sentence, action.begin, action.end, own_day=True):
        # "we could cap it at eight percent": an option weighed, until someone takes it on;
        # "Thursday works. … we can go over it that afternoon" plans it in the day the speaker
        # just agreed ("The room is ours until Friday." - "We could maybe paint it by then."
        # weighs an option)
        return None
    if (questions.is_question(text, names) and action.kind != "assignment" and not offered
            and not (action.kind == "commitment" and question_moves.is_offer(text))
            and not (action.kind == "request" and question_moves.is_tagged_request(text, names))
            and not (action.kind == "request" and _named_order(trigger, names))
            and (not _ASKS.match(trigger) or questions.asks_to_be_told(text)
                 or questions.asks_a_view(text))):
        return None
    who, _ = assignees.assignee(conversation, people, sentence, action)
    # A day said in a neighbouring sentence dates a task, but does not make one: the filters
    # above judged the sentence on its own words.
    due = due or then_dates.day_meant(conversation, sentence, action.begin, action.end) \
        or invites.meeting_day(conversation, sentence, phrase)
    if due is None and action.kind != "group":
        # "I'll send you the quote now": done the day it is said, whatever deadline is said next
        # ("… now. It should be at the pharmacy by Friday." is when it arrives).
        due = assignees.right_away(text, action, conversation.day_of(sentence.message))
    if action.kind != "group" and not worked_out and (due is None or not (assignees.is_deadline(text, due) or assignees.is_now(due))):
        # A deadline said next beats a time the work happens: "Today I'm going to look at the
        # indexes. I should have numbers by Thursday." is due Thursday. Not a day worked out from
        # an event: "… meets on the fifth, and I'll get a draft to the chair the Friday before.
        # So I need everyone's pieces by the end of the month." is due the Friday before.
        due = assignees.deadline_after(conversation, sentence, people) or due
    message_ids: tuple[str, ...] = (sentence.message.id,)
    if offered:
        message_ids += (_taken_up(conversation, sentence).id,)
    if due is None and (answered := assignees.deadline_answered(
            conversation, sentence, who["name"], sentence.message.speaker.name)):
        due, answer = answered  # "When could you have that list?" - "End of next week."
        message_ids += (answer,)
    if due is None and action.kind == "commitment":
        # "We'll each call our list by the end of next week." - "I can take a few too."
        due = turn_dates.set_before(conversation, sentence, action)
    if due is None and action.kind in ("request", "commitment"):
        # "I need the final numbers by the 7th. Can you each send me your numbers?"
        due = turn_dates.set_just_before(conversation, sentence, action)
    definitive = action.definitive and not _HEDGE.search(text[:action.start]) \
        and not _TENTATIVE.search(trigger)
    group = assignees.addressees(conversation, people, sentence, action, who) if action.kind == "request" else ()
    return Found(sentence, action, who, due, definitive, message_ids, accepted=offered, group=group)


# A case that may come up any time, of anything: "if anything looks off", "if you ever get
# stuck", "if something in it is wrong", "if you think of anything else".
_ANY_CASE = re.compile(r"\b(?:any|anything|anyone|anybody|ever|something|someone|somebody|whatever|else)\b",
                       re.IGNORECASE)


def _order_for_a_case(conversation: Conversation, sentence: Sentence, condition: re.Match,
                      action: actions.Action, due) -> bool:
    """An order that waits on one given case is still a task once it is dated or the one asked
    takes it on with a bare yes: "If it's still broken after the tech's been, let me know" - "Will do.";
    "if it's dead, tell me by Monday". A standing one, for whatever may come up ("If anything
    looks off, just ping me", "if you're ever stuck, message dispatch"), is not."""
    if action.kind != "request" or _PLAN_B.match(sentence.text) or _ANY_CASE.search(condition.group(0)):
        return False
    if due is not None and due.start >= condition.end():
        return True  # dated in the order, not in the case: "if it's not sorted by Friday, …" is no date
    said = sentence.message
    for message in conversation.messages[said.position + 1:said.position + 2]:
        if message.speaker.id != said.speaker.id:
            # A bare yes ("Will do.", "Got it."); an answer that says the task itself ("Sure,
            # I'll chase her Wednesday") is found on its own, with its own words and date.
            return acknowledgements.takes_it_on(message.text) and actions.detect(message.text) is None
    return False


def _answers_a_case(conversation: Conversation, sentence: Sentence) -> bool:
    """The sentence answers, in the next message, what to do if something happens to anyone of
    a kind ("What do we do if a parent refuses?"): a rule for each time it happens, not a task.
    A case that has happened ("what do we do about Mrs. Park?") asks for a task."""
    position = sentence.message.position
    if position == 0:
        return False
    before = conversation.messages[position - 1]
    return before.speaker.id != sentence.message.speaker.id and bool(_WHAT_IF_ONE.search(before.text))


def _taken_up(conversation: Conversation, sentence: Sentence):
    """The next message by someone else, within two, when it takes the offer up ("yes please",
    "that would be great"), else None."""
    said = sentence.message
    for message in conversation.messages[said.position + 1:said.position + 3]:
        if message.speaker.id != said.speaker.id:
            return message if _YES.match(message.text) else None
    return None


def _item(conversation: Conversation, people: People, names: frozenset[str], f: Found,
          with_phrases: bool) -> dict:
    sentence, action = f.sentence, f.action
    source = sentence.text
    names = names | {w.lower() for w in f.assignee["name"].split()}
    text = _rewrite(conversation, people, f, names)
    for step in f.joined:  # "Pieter van Wyk will budget for fourteen and have the revised budget in by Friday."
        more = _rewrite(conversation, people, step, names)
        body = more[len(_subject(conversation, step)):].strip().rstrip(".")
        # a meeting proposed with the invite that sets it up: "... will send an invite to meet again"
        text = f"{text.rstrip('.')} {'to' if step.action.kind == 'group' else 'and'} {body}."
    entities = []
    # Each assignee is flagged once, where the item names them first: one, or everyone a
    # request to two or three was made to ("Ana and Ben will send Tom their slides").
    unflagged = {p["name"] for p in f.group} or {f.assignee["name"]}
    for mention in people.members_in(text):
        is_assignee = mention.name in unflagged
        unflagged.discard(mention.name)
        value = {"assignee": True, "name": mention.name} if is_assignee else {"name": mention.name}
        entities.append({"type": "person", "text": mention.text, "offset": mention.start, "value": value})
    if f.assignee["name"] in unflagged and text.startswith(f.assignee["name"]):
        entities.append({"type": "person", "text": f.assignee["name"], "offset": 0,
                         "value": {"assignee": True, "name": f.assignee["name"]}})
    if f.due is not None and f.due.text in text:
        entities.append({"type": "date", "text": f.due.text, "offset": text.index(f.due.text),
                         "value": f.due.value})
    entities.sort(key=lambda e: e["offset"])
    item = {
        "id": make_id(conversation.id, "action_item", *_where(f)),
        "text": text,
        "type": "action_item",
        "score": round(min(1.0, action.score + (0.05 if f.due else 0.0)), 3),
        "messageIds": list(f.message_ids),
        "entities": entities,
        "phrases": [{"type": "action_phrase", "text": action.phrase(source)}] if with_phrases else [],
        "from": sentence.message.speaker.ref(),
        "definitive": f.definitive,
        "assignee": f.assignee,
    }
    if f.due is not None:
        item["dueBy"] = api_time(f.due.due)
    return item


def _subject(conversation: Conversation, f: Found) -> str:
    """What _rewrite puts before the action's verb: "Priya Patel will", "Ana suggests the team"."""
    trigger = f.sentence.text[f.action.trigger:f.action.start]
    actor = f.sentence.message.speaker.name if f.action.kind == "group" else f.assignee["name"]
    if _to_everyone(f.action, trigger):
        actor = "Everyone"
    words = rewrite.modal(f.action.kind, trigger, accepted=f.accepted)
    if f.group:
        return f"{rewrite.together([p['name'] for p in f.group])} {rewrite.plural(words)}"
    return f"{actor} {words}"


def _rewrite(conversation: Conversation, people: People, f: Found, names: frozenset[str]) -> str:
    sentence, action = f.sentence, f.action
    speaker = sentence.message.speaker.name
    trigger = sentence.text[action.trigger:action.start]
    actor = f.assignee["name"]
    if _to_everyone(action, trigger):  # "please everyone check your slots": "Everyone needs to check their slots."
        voice = rewrite.Voice(speaker, "Everyone", False)
    elif action.kind in ("commitment", "group"):
        # the one spoken to is "you" for the team too: "we'll text you a reminder" -> "… text Daniel Moore …"
        listener = assignees.spoken_to(conversation, people, sentence, f.message_ids)
        others = tuple(m.name for m in conversation.members if m.id != sentence.message.speaker.id)
        voice = rewrite.Voice(speaker, speaker, True, listener.name if listener else None, others)
    elif actor == speaker:
        # A request nobody else is there to take ("can you share the quote?" in a monologue):
        # say who asked, with the speaker's "me" and "my" turned to their name.
        voice = rewrite.Voice(speaker, speaker, False)
        return rewrite.third_person(action.phrase(sentence.text), "asked someone to", voice, names)
    elif f.group:  # "could you both send me your slides?" -> "Ana and Ben will send Tom their slides."
        voice = rewrite.Voice(speaker, rewrite.together([p["name"] for p in f.group]), False)
        words = rewrite.plural(rewrite.modal(action.kind, trigger, accepted=f.accepted))
        return rewrite.third_person(action.phrase(sentence.text), words, voice, names)
    else:
        voice = rewrite.Voice(speaker, actor, False)
    words = rewrite.modal(action.kind, trigger, accepted=f.accepted)
    return rewrite.third_person(action.phrase(sentence.text), words, voice, names)


# A request to everyone in the room ("please everyone check your slots") is written for them all;
# the API's one assignee stays whoever answers it, as for any request.
_EVERYONE = re.compile(r"\b(?:everyone|everybody)\b", re.IGNORECASE)


def _to_everyone(action: actions.Action, trigger: str) -> bool:
    return action.kind == "request" and bool(_EVERYONE.search(trigger))


def _where(f: Found) -> tuple:
    """What an item's id is made of: its sentence, and its clause after the first."""
    sentence = f.sentence
    clause = (f.action.begin,) if f.action.begin else ()
    return (sentence.message.id, sentence.offset, sentence.text, *clause)


def _follow_up(conversation: Conversation, f: Found, item: dict) -> dict:
    follow_up = {"id": make_id(conversation.id, "follow_up", *_where(f)), "text": item["text"],
                 "type": "follow_up"}
    follow_up.update({k: item[k] for k in ("score", "messageIds", "entities", "phrases", "from",
                                           "assignee")})
    if "dueBy" in item:
        follow_up["dueBy"] = item["dueBy"]
    return follow_up
