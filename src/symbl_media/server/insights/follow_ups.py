"""Which action items are follow-ups, as Symbl defines them.

Symbl: "a category of action items with a connotation to follow-up a request or a task like
sending an email or making a phone call or booking an appointment or setting up a meeting"
(sync up with, find out, schedule a meeting with). So the test is on the action's verb and,
for verbs that are follow-ups only towards someone, on its object: "update Dana" and "update
everyone" follow up, "update the billing email" does not; "post the solutions" shares them
with the class, "ask Sanjay" is reaching out.
"""

from __future__ import annotations

import re
from itertools import pairwise

from . import telling
from .lexicon import classes, verb_of_gerund
from .numbers import ORDINALS, TENS
from .words import stem, tokens

# Verbs that follow up whatever they take: sending, calling, sharing, reaching someone.
# ("Book" only with a meeting: "book the freight elevator" is no follow-up; see _PHRASES.)
_VERBS = frozenset(stem(w) for w in (
    "send share email call schedule ping forward remind invite notify reschedule circulate mail "
    "text message ask contact chase introduce post phone dm distribute ring refer "
    # sending again, reminding someone until they do it, taking it up with someone above
    "resend nag escalate "
    # paging someone on a hospital's bleep system: "I'll bleep the pain team after handover"
    "bleep").split())
# Someone to follow up with, after a verb that otherwise is ordinary work ("update the doc").
# A name: a capital, then letters of any alphabet ("Inês", "Zoë": "[a-z]+" left them no one).
_NAME = r"[A-Z][^\W\d_]+"
# A body that answers for its people is someone too: "get it to the office by Thursday", "tell
# the committee", "copy the agency in" ("get the van to the garage" reaches a place, no one).
_PERSON = (r"(?:me|us|you|him|her|them|everyone|everybody|folks|people|the\s+(?:team|group|client|customer|class|"
           r"office|front\s+desk|board|committee|panel|agency|supplier|vendor|landlord|council)|" + _NAME + ")")
# "moved to Friday", "pushed to March": a day or a month is where a thing goes, not who gets it.
_DAY_NAMES = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|"
              r"june|july|august|september|october|november|december)\b")
_NOT_A_DAY = rf"(?!{_DAY_NAMES})"
# A hold on a day is in a calendar ("put a hold on Thursday", "on the 14th", "on my calendar");
# a hold on a thing stops it ("put a hold on the order", "set a hold on the account").
_NOT_ON_A_THING = (r"(?!\s+on\s+(?:the|an?|this|that|these|those|his|her|their|its|our|your|my)\s+"
                   r"(?!\d|calendars?\b|diar(?:y|ies)\b|" + _DAY_NAMES + "|"
                   + "|".join(sorted({w.split()[0] for w in ORDINALS} | set(TENS))) + r"\b))")
_PHRASES = re.compile(
    r"\b(?:report\s+back|get\s+back|come\s+back\s+to\s+" + _PERSON.replace(_NAME, f"(?-i:{_NAME})") + r"|get\s+\w+\s+over\s+to|send\s+\w+\s+over|check\s+with|"
    r"get\s+(?:me|us|you|him|her|them)\s+(?:the|their|a|an|your|our|his|her|that|this|it|those|these|one)\b|"
    r"set\s+up\s+(?:[\w/'’-]+\s+){0,3}(?:sessions?|meetings?|calls?|syncs?|interviews?|demos?)|circle\s+back|follow[\s-]+up|reach\s+out|touch\s+base|"
    r"meet\s+(?:again|up)|set\s+up\s+(?:a|another|the)\s+(?:meeting|call|sync)|let\s+(?:\w+\s+){1,3}know|"
    r"sync\s+(?:up|again)|(?:talk|speak)\s+(?:to|with)|get\s+in\s+touch|give\s+\w+\s+a\s+(?:call|ring|shout)|"
    r"(?:confirm|coordinate|connect|sync)\s+with|connect\s+\w+\s+with|run\s+(?:it|this|that)\s+(?:\w+\s+)?by|"
    r"loop\s+(?:\w+\s+){0,2}in|send\s+(?:\w+\s+){0,2}around|"
    # Finding things out from someone, keeping them informed, finding a time to meet.
    r"find\s+out|check\s+(?:back\s+)?in|drop\s+(?:\w+\s+){0,2}(?:a\s+)?(?:note|line|message|email)|pass\s+(?:\w+\s+){0,2}(?:along|on\s+to)|"
    r"keep\s+(?:\w+\s+){1,2}(?:posted|updated|informed|in\s+the\s+loop)|"
    r"(?:arrange|organi[sz]e|plan|book|hold|put|pencil|get|lock)\s+(?:[\w/'’-]+\s+){0,3}(?:meetings?|calls?|sessions?|syncs?|demos?|workshops?|trainings?|one-to-ones?|check-ins?|catch-ups?)\b(?!\s+(?:notes|recording|transcript))|"
    # A hold in someone's calendar, a file put where others pick it up: "put a placeholder in
    # our one-to-one", "put the files on a shared drive for Dong-hyun" ("put it on the shelf"
    # reaches nobody). "Pencil it in" alone is not: the labels count a session pencilled in
    # ("pencil in the on-site training", a training above) and not a job or a day ("pencil in
    # the radiator move", "pencil in the Saturday").
    r"(?:put|add|set|send)\s+(?:a\s+|an\s+)?(?:calendar\s+)?(?:placeholder|hold)\b" + _NOT_ON_A_THING + "|"
    r"(?:put|upload|drop|save|stick)\s+(?:[\w'’-]+\s+){0,5}(?:on|in|into|to)\s+(?:a|the|our|their|your)\s+shared\s+(?:drive|folder|space)|"
    r"find\s+(?:a\s+|some\s+)?time|grab\s+(?:\w+\s+){0,3}(?:time|minutes)\s+with|"
    r"(?:put|get)\s+(?:\w+\s+){0,3}on\s+(?:the|your|our|my|their|his|her)\s+calendars?|"
    r"(?:write|reply|respond)\s+(?:back\s+)?to|"
    # Said other ways: "shoot you an email", "give the vendor a ring", "hop on a call with",
    # "set up time with", "get the numbers to you", "bring it up with Sara", "run it past
    # legal", "loop Sara into the thread", "confirm the date with", "catch up with".
    r"(?:shoot|fire|drop|send|write)\s+(?:\w+\s+){0,2}(?:an?\s+)?(?:quick\s+|short\s+)?(?:e-?mail|note|message|line|text|invite|reminder|dm)|"
    r"give\s+(?:\w+\s+){1,3}(?:a\s+)?(?:call|ring|shout|buzz|heads[\s-]up)|reach\s+(?:back\s+)?out|"
    r"(?:hop|jump|get)\s+on\s+(?:a\s+|the\s+)?(?:quick\s+|short\s+)?(?:call|zoom|meeting|phone|teams)|"
    # "shoot it over", "flick the deck across", "shoot over the numbers": sending, said casually;
    # "give her a bell", "bounce it off Priya", "get a yes or no
    # from them", "copy Tiago in", "cc the client", "book Biscuit in at the vet" (an appointment).
    # (the thing sent is a pronoun or goes over to someone: "shoot the scene over two days" is filming)
    r"(?:shoot|flick|fling|whip|zip|bung)\s+(?:(?:it|this|that|them|those|these|(?:me|you|him|her|us|them)\s+(?:[\w'’]+\s+){1,3})\s+)?(?:over|across)\b|"
    r"(?:shoot|flick|fling|whip|zip|bung)\s+(?:[\w'’]+\s+){1,3}(?:over|across)\s+to\b|"
    r"give\s+(?:\w+\s+){1,3}(?:a\s+)?bell|bounce\s+(?:\w+\s+){1,3}off\s+" + _PERSON.replace(_NAME, f"(?-i:{_NAME})") + "|"
    r"get\s+(?:a|an|their|his|her|the)\s+(?:yes\s+or\s+no|answer|reply|response|decision|confirmation|go-ahead|sign-off)\s+(?:\w+\s+){0,3}from|"
    r"(?:copy|cc)\s+" + _PERSON.replace(_NAME, f"{_NOT_A_DAY}(?-i:{_NAME})") + r"(?:\s+in\b)?"
    # copying them somewhere is no copying them in: "copy them onto the USB stick"
    r"(?!\s+(?:of|and|onto|into|across|over|to|from)\b)|"
    r"book\s+(?:him|her|them|(?-i:[A-Z][^\W\d_]+))\s+in\b|"
    r"set\s+(?:up\s+)?(?:\w+\s+){0,2}(?:meeting|call|time|sync|slot|follow[\s-]up)|"
    r"book\s+(?:\w+\s+){0,3}(?:appointments?|slots?|interviews?|meetings?|calls?|sessions?|demos?)|"
    r"follow\s+through\s+with|(?:get|have)\s+(?:\w+\s+){1,3}(?:over\s+)?to\s+" + _PERSON.replace(_NAME, f"{_NOT_A_DAY}(?-i:{_NAME})") + r"|"
    r"(?:bring|raise)\s+(?:it|this|that)\s+(?:up\s+)?with|run\s+(?:it|this|that)\s+(?:\w+\s+)?(?:by|past)|"
    # Taking a matter up with someone: "flag it with the warehouse", "raise the invoice with
    # their accounts team", "take it up with Dana" ("flag the boxes in red" reaches no one).
    r"(?:raise|flag)\s+(?:[\w'’-]+\s+){0,3}with\s+(?:the|our|your|their|his|her|him|them|me|us|you|(?-i:[A-Z]))|"
    r"(?:bring|take)\s+(?:[\w'’-]+\s+){0,3}up\s+with\b|"
    # Fitting someone in, an appointment: "I'll get you in first thing", "we can squeeze her in
    # on Friday" (as "book her in"); not putting them in something, "get them in the van".
    r"(?:get|fit|squeeze|slot)\s+(?:you|him|her|them|(?-i:[A-Z][^\W\d_]+))\s+in\b"
    r"(?!\s+(?:the|a|an|my|your|his|her|their|our|its|this|that|these|those|there|here|to|with|touch|contact)\b)|"
    r"(?:get|be)\s+in\s+(?:touch|contact)|put\s+(?:\w+\s+){1,3}in\s+(?:touch|contact)|sound\s+(?:\w+\s+){0,2}out\b|loop\s+(?:\w+\s+){0,2}in(?:to)?|confirm\s+(?:\w+\s+){0,3}with|"
    r"(?:have\s+a\s+(?:quick\s+)?)?(?:chat|catch\s+up|meet|word|talk)\s+with|sit\s+down\s+with|"
    r"(?:double-)?check\s+(?:\w+\s+){1,3}with\s+(?:her|him|them|me|us|you|(?-i:[A-Z]))|"
    r"book\s+(?:\w+\s+){0,3}for\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next|this|the\s+\w+(?:th|st|nd|rd))|"
    # Telling someone, visiting them, writing to them, putting it in their calendar or invite:
    # "tell Sarah by Tuesday whether …", "tell the custodian by Thursday", "stop by Sal's",
    # "come and look at it on Thursday", "confirm it in writing", "attach it to the summary
    # email", "put it in their calendars", "move the invite to the big room" ("get that in
    # writing from him" and "put a reminder in the calendar" reach nobody).
    r"tell\s+" + _PERSON.replace(_NAME, f"(?-i:{_NAME})") + r"|tell\s+the\s+[\w-]+\s+(?:that|if|whether|about|by|when|what|how)|"
    r"(?:stop|drop|swing|pop)\s+(?:by|round|over|in\b)|come\s+(?:round|over|by|out)\b|come\s+and\s+(?:look|see|check|have\s+a\s+look)|"
    r"(?:confirm|put|give|send)\s+(?:[\w'’]+\s+){0,6}in\s+writing|(?:attach|add)\s+(?:\w+\s+){1,4}to\s+(?:\w+['’]?\w*\s+){0,3}(?:e-?mail|invite|thread|message)|"
    r"(?:put|add|get)\s+(?:[\w'’]+\s+){0,4}in(?:to)?\s+(?:your|their|his|her|everyone['’]s)\s+(?:\w+\s+)?calendars?|"
    r"(?:move|update|resend|re-send|change)\s+(?:the\s+|my\s+|our\s+)?(?:calendar\s+)?(?:invite|invitation)|"
    # Done through a channel people are reached on: "sort that out in the group chat tonight",
    # "put the booth details in the team's Slack", "settle it over the phone", "by email" (not a
    # thing's own field: "sort them by email address"; nor work on a channel's insides: "fix the
    # typo in the email template").
    r"(?:in|on|over|via|through)\s+(?:(?:the|our|your|their|my|a)\s+)?(?:[\w'’-]+\s+)?"
    r"(?:group\s+chats?|group\s+texts?|whats\s?app|slack|e-?mail\s+threads?|text\s+threads?)|"
    r"(?:by|over|via)\s+(?:e-?mail|text|phone|whats\s?app|slack)(?!\s+(?:address|number|lists?|templates?))|over\s+the\s+phone|"
    # Lodging something with someone: "put the request in with the agency", "put in a claim with
    # the insurer", "put a good word in with Dana" ("put the eggs in with the flour" is cooking).
    r"put\s+(?:in\s+)?(?:a|an|the|our|my|their|your|that|this)\s+(?:[\w'’-]+\s+){0,2}"
    r"(?:request|order|claim|application|ticket|complaint|referral|word)s?\s+(?:in\s+)?with|"
    # A slot kept in the diary for a time is a meeting: "I'll put something in for eleven
    # o'clock", "put a time in for Tuesday" ("put something in for the raffle" gives a thing).
    r"put\s+(?:something|a\s+slot|a\s+time|some\s+time|time)\s+in\s+(?:(?:the|my|our|your)\s+(?:diary|calendar)\s+)?"
    r"for\s+(?:" + _DAY_NAMES + r"|\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midday|"
    r"tomorrow|next|this|later|the\s+(?:morning|afternoon|evening|week))\b))\b", re.IGNORECASE)
# "Call it done", "call this a win": naming, not phoning.
_NAMING = re.compile(r"^call\s+(?:it|this|that)\b(?!\s+(?:in|back))", re.IGNORECASE)
# A message or a call given to someone, whatever the verb: "pop Sarah a text", "flick them a
# note", "give you a ring"; the person between the verb and the message is what makes it one
# ("leave a note on the ticket", "make a note of it" reach nobody).
_MESSAGE_TO = re.compile(
    r"\b[a-z]+\s+(?:me|us|you|him|her|them|everyone|everybody|(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))"
    r"\s+an?\s+(?:quick\s+|short\s+)?(?:text|e-?mail|note|message|line|dm|call|ring|shout|reminder|invite)\b",
    re.IGNORECASE)
# Hearing back as the task itself ("hear back from the supplier", "wait to hear back from
# legal"), not as when another task ends ("hold the banner until I hear back from them").
_HEAR_BACK = re.compile(r"^(?:[\w'’]+\s+(?:and|to)\s+)?hear\s+back\b", re.IGNORECASE)
_TELL = re.compile(r"tell\b", re.IGNORECASE)
# The one asked and the speaker doing it together: "can you and I sit down tomorrow and go
# through it", "you and I should catch up"; the phrase of "can you …" starts at "and I".
_TWO_OF_US = re.compile(r"^(?:(?:you|we)\s+)?and\s+(?:i|me)\s+(?:(?:should|could|can|will|need\s+to)\s+)?"
                        r"(?:sit\s+down|meet|catch\s+up|talk|speak|get\s+together|go\s+(?:through|over)|have\s+a\s+(?:chat|word|look))\b",
                        re.IGNORECASE)
_BEFORE_THE_VERB = frozenset(("each", "both", "all", "also", "just", "still", "first", "then", "maybe"))
_UPDATE = re.compile(rf"\b(?i:update|brief|debrief|inform)\s+{_PERSON}\b")


def _from_the_verb(phrase: str) -> list[str]:
    """The phrase's words (lower case) from its verb on. A quantifier or an adverb before the
    verb is passed over: "we'll each call our list", "both email her", "first ring the
    supplier", "quickly text them". A word in -ly that can be a verb is the verb itself ("apply
    email filters", "supply text for the flyer", "tally call logs"): skipping it would read its
    object as the verb."""
    words = [t.lower for t in tokens(phrase)]
    while len(words) > 1 and (words[0] in _BEFORE_THE_VERB
                              or words[0].endswith("ly") and "VERB" not in classes(words[0])):
        words = words[1:]
    return words


def is_follow_up(phrase: str) -> bool:
    """True when the phrase's verb, or a verb joined to it ("… and share it", "… to call"), is
    about following up; "rewrite the emails" is not."""
    if _NAMING.match(phrase):
        return False
    if _PHRASES.search(phrase) or _UPDATE.search(phrase) or _MESSAGE_TO.search(phrase) or _HEAR_BACK.match(phrase):
        return True
    if _TWO_OF_US.match(phrase):
        return True  # "can you and I sit down tomorrow morning": a meeting of the two
    if (tell := _TELL.match(phrase)) and telling.reaches_someone(phrase, tell.end()):
        return True  # "tell the agency people too": keeping them informed
    words = _from_the_verb(phrase)
    # A verb joined to the first ("… and share it", "… to call"), or the one it starts or keeps
    # doing ("start sending a short email every Monday", "keep calling them").
    verbs = words[:1] + [w for before, w in pairwise(words) if before in ("and", "then", "to", "start", "keep", "begin")]
    return any(stem(w) in _VERBS for w in verbs)


# Done together, the group meets: "we should do a final walk-through together at the venue",
# "go over it together on Friday", "get everyone together next week" ("put the budget
# together", "get the paperwork together" make a thing).
_TOGETHER = re.compile(
    r"\b(?:(?:do|have|go\s+(?:over|through)|walk\s+through|run\s+through|look\s+(?:at|over)|review|sit\s+down)"
    r"\s+(?:[\w'’-]+\s+){0,4}together|get\s+(?:everyone|everybody|us|them|people|folks|the\s+(?:team|group|committee|board))"
    r"\s+together)\b", re.IGNORECASE)


# A request or an attempt put with a gerund: the task is the gerund's ("would you mind calling
# the laundry service", "I'll try calling him tomorrow"); "mind the step", "try the new menu"
# take a thing, and keep their own verb.
_GERUND_LEAD = re.compile(r"^(?:mind|try)\s+(?=[^\W\d_]+ing\b)", re.IGNORECASE)
# A gerund where a verb stands: first, or joined by "and"/"then" ("… and getting it to Dana").
_GERUND_AT_A_VERB = re.compile(r"(?:^|(?<=\band\s)|(?<=\bthen\s))([^\W\d_]+ing)\b", re.IGNORECASE)


def _said_plainly(phrase: str) -> str:
    """The phrase as a plain task when it was put with a gerund after "mind" or "try": the
    lead-in passed over and each gerund at a verb's place in its base form, so the same verbs
    and phrases are read ("mind pricing that out and getting it to Dana" -> "price that out and
    get it to Dana"). Any other phrase is returned as it is."""
    lead = _GERUND_LEAD.match(phrase)
    if not lead:
        return phrase
    return _GERUND_AT_A_VERB.sub(lambda m: verb_of_gerund(m.group(1)), phrase[lead.end():])


# The ones a task is often owed to by their role: "get a draft to the chair", "update the owners
# on the inverter", "push the manufacturer for a firmer date".
_ROLE = r"the\s+(?:chair|owners?|insurer|manufacturer|contractor|tenants?|parents)\b"
_SOMEONE = rf"(?:{_PERSON.replace(_NAME, f'{_NOT_A_DAY}(?-i:{_NAME})')}|{_ROLE})"
# Someone reached in words the verb list does not hold, read for the flag alone (so the rules
# that find action items read is_follow_up as before).
_REACHED = re.compile(
    # let someone named with a possessive know: "let the VC's office know the times"
    r"\b(?:let\s+(?:[\w-]+\s+){0,2}[\w-]+['’]s?\s+(?:[\w-]+\s+){0,2}know|"
    # a price asked of someone: "get a firm quote from the insurer", "get a proper quote from
    # your mate" ("get the quote from the shared folder" finds a thing)
    r"get\s+(?:a|an|their|his|her|the|some)\s+(?:[\w'’-]+\s+)?(?:quotes?|estimates?|prices?|pricing)\s+from\s+"
    r"(?!(?:the|a|an|our|my|your)\s+(?:[\w'’-]+\s+)?(?:folder|file|drive|system|website|site|spreadsheet|sheet|"
    r"catalogue|catalog|list|portal)\b)|"
    # lodged with someone, pressed on them, caught in person: "log it with the landlord", "file a
    # complaint with the council", "push the manufacturer for a firmer date", "catch him at church
    # tomorrow" ("log the readings with the new probe" is a tool, "push the date for a week" moves
    # a thing, "catch the bus" rides it)
    r"(?:log|lodge|file)\s+(?:[\w'’-]+\s+){0,3}with\s+" + _SOMEONE + "|"
    r"(?:push|press|nudge|hassle)\s+" + _SOMEONE + r"\s+(?:for|on|about)\b|"
    r"catch\s+(?:him|her|them|(?-i:[A-Z][^\W\d_]+))\s+(?:at|before|after|on|tomorrow|tonight|today|later|first|when|this)\b|"
    # something dropped to someone is sent: "just drop me the flight numbers" ("drop them off",
    # "drop the price" reach no one)
    r"drop\s+(?:me|us|you|him|her|them)\s+(?:the|a|an|your|our|their|his|her|those|these|that|this)\b|"
    # a role that answers for the task: "get a draft to the chair", "update the owners"
    r"(?:get|have)\s+(?:\w+\s+){1,3}(?:over\s+)?to\s+" + _ROLE + r"|(?:update|brief|debrief|inform)\s+" + _ROLE + "|"
    # the group meeting again, said as coming together once more: "we reconvene on Friday", "then
    # we regroup Thursday" ("regroup the stock by size" sorts things)
    r"(?:reconvene|regroup)\b(?!\s+(?:the|these|those|them|it|by)\b)|"
    # a training or a check-in set up is a meeting ("set up the admin training for Tuesday";
    # "set up the training laptops" readies things)
    r"set\s+up\s+(?:[\w/'’-]+\s+){0,3}(?:trainings?|workshops?|one-to-ones?|check-ins?|catch-ups?)\b"
    r"(?!\s+(?:room|rooms|laptops?|materials?|data|videos?|modules?|accounts?|site|environment|notes)))", re.IGNORECASE)


# People sent somewhere are dispatched, not reached: "send Marco's crew, they're closest", "send
# a photographer to the council chamber" ("send the crew the rota" sends them a thing).
_DISPATCHED = re.compile(
    r"\bsend(?=\s+(?:[\w'’]+\s+){0,2}(?:crews?|photographers?|technicians?|techs?|engineers?|drivers?|packers?|"
    r"plumbers?|electricians?|cleaners?|someone|somebody)\b(?!['’])(?:\s*(?:[,.;!?]|$)|"
    r"\s+(?:to|out|over|round|along|down|up|on|at|for|first|today|tomorrow|tonight|this|next)\b|"
    r"\s+the\s+(?:day|morning|afternoon|evening|week)\b))",
    re.IGNORECASE)


def is_follow_up_task(phrase: str) -> bool:
    """is_follow_up, and two forms that follow up only as a task left for later, which is what
    an action item is: confirming as the task itself, getting back to someone with a yes or a
    date ("I'll confirm by Thursday", "… and confirm once there's a delivery date"; after "to"
    it is what another act does, "pay the deposit to confirm the hold"), and a group doing it
    together, a meeting. Said as "let me …" both are often done on the call ("let me confirm
    the spelling", "let me walk you through it together"), so the rules that drop what is done
    as it is said read is_follow_up alone. So do the forms read for the flag alone: a follow-up
    asked or tried with a gerund ("would you mind calling …", "I'll try calling him"), and
    someone reached in words the verb list does not hold (_REACHED). People sent somewhere
    are dispatched, not reached (_DISPATCHED): "send Marco's crew" is no follow-up."""
    plain = _DISPATCHED.sub("dispatch", _said_plainly(phrase))
    if is_follow_up(plain) or _TOGETHER.search(plain) or _REACHED.search(plain):
        return True
    words = _from_the_verb(plain)
    told = words[:1] + [w for before, w in pairwise(words) if before in ("and", "then")]
    return "confirm" in told
