"""Said like a task, meant otherwise: someone else's words, doubt, a someday, a standing rule.

An action's trigger ("we need to", "I'll", "you have to") is found clause by clause by
actions.py; these are the ways a sentence around it takes the commitment back:
- reported speech: "Legal says we need to update the policy", "Sara said she'll send it"
  report another's task or view; the speaker takes nothing on (unless the speaker is the one
  who said it: "I told Dana I'll send it" is still the speaker's word);
- doubt: "I'm not sure I'll have time to look at it", "I doubt we can fix it this week";
- no time at all: "maybe someday we'll rewrite it", "at some point", "eventually", "in an
  ideal world": Symbl's action items are specific outcomes, and a someday is not one;
- a standing rule: "you have to restart the router whenever the light turns orange", "we
  usually need to deploy on Tuesdays" say how things are done, not what someone will do
  (the speaker's own "I'll ping you whenever I have the numbers" is still a promise).
- terms, not work: "I can do forty-two cents instead of forty-five", "I can get you thirty"
  name a price or a quantity the speaker agrees to; what is then done is said separately;
- waiting on one's family: "I have to check with my sister" is a hedge before a yes or no;
- one of two ways offered ("…, or I can change it for you"), and what "or" warns will follow
  ("book the hall by Friday, or we'll lose the date"): a choice and a warning, not tasks.
A request ("can you, at some point, send me …") keeps its someday: it still asks.
"""

from __future__ import annotations

import re

from .actions import Action

# Reporting another's words right before the trigger: "<someone> says/said/told me (that) …".
_REPORTED = re.compile(
    r"(?<![\w'])(?P<who>[\w'’]+)\s+(?:(?:also|just|already|apparently)\s+)?"
    r"(?:says|said|told\s+(?:me|us|him|her|them|everyone)|mentioned|claims|claimed|thinks|thought|"
    r"reckons|wrote|announced|reported|promised|insists|insisted|keeps\s+saying|was\s+saying|"
    # a request reported: "they asked if we can provide two instructors"
    r"(?:asked|wanted\s+to\s+know|were\s+asking|was\s+asking)(?:\s+(?:me|us|him|her|them))?\s+(?:if|whether))"
    r"\s*,?\s*(?:that\s+)?(?:(?:she|he|they|it)(?:['’]d|['’]ll|\s+would|\s+will)\s+)?$", re.IGNORECASE)
# Hearsay before the trigger: "apparently we have to ...", "according to legal, we need to ...".
_HEARSAY = re.compile(r"(?:^|\b)(?:apparently|supposedly|allegedly|according\s+to\b[^,]*|i(?:'ve)?\s+heard(?:\s+that)?|"
                      r"i(?:'m|\s+am|\s+was|'ve\s+been)\s+told(?:\s+that)?|word\s+is|rumou?r\s+(?:is|has\s+it))\s*,?\s*(?:that\s+)?$",
                      re.IGNORECASE)
# Advice said with a hedge is a suggestion nobody took on: "maybe you should talk to HR", "if I
# were you, I'd call them"; a plain "you should call them" asks.
_HEDGED_ADVICE = re.compile(r"\b(?:maybe|perhaps|possibly|if\s+i\s+were\s+you)\s*,?\s*$", re.IGNORECASE)
_FIRST_PERSON = frozenset(("i", "we"))
_DOUBT = re.compile(
    r"\b(?:not\s+sure|unsure|don'?t\s+know|do\s+not\s+know|doubt|no\s+idea|can'?t\s+promise|"
    r"not\s+(?:certain|convinced))\s*,?\s*(?:if|whether|that)?\s*$", re.IGNORECASE)
_SOMEDAY = re.compile(
    r"\b(?:some\s*day|one\s+day|one\s+of\s+these\s+days|at\s+some\s+point|eventually|in\s+an\s+ideal\s+world|"
    r"down\s+the\s+(?:road|line)|in\s+the\s+long\s+run|sooner\s+or\s+later|no\s+promises|"
    # "we should catch up sometime"; "sometime next week" is a time
    r"some\s*time(?!\s+(?:next|this|on|in|before|after|by|today|tonight|tomorrow|early|late|around|over|during)\b))\b", re.IGNORECASE)
_STANDING = re.compile(
    r"\b(?:whenever|every\s+time|each\s+time|usually|typically|normally|generally|as\s+a\s+rule|"
    r"by\s+default|in\s+general)\b", re.IGNORECASE)


_NUMBER = (r"(?:\d[\d.,]*|(?:a\s+)?(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
           r"fifty|sixty|seventy|eighty|ninety|hundred|thousand)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|"
           r"hundred|thousand|and))*)")
# The speaker's own terms: "do forty-two cents instead of forty-five", "get you thirty", "go to
# ten percent"; a quantity with its thing ("get you thirty copies by Friday") is work.
_TERMS = re.compile(r"^(?:do|offer|give\s+(?:you|them|him|her|us)|get\s+(?:you|them|him|her|us)|go\s+(?:down\s+|up\s+)?to|match)\s+"
                    rf"(?:it\s+(?:for|at)\s+)?{_NUMBER}(?:\s*(?:%|percent|per\s*cent|cents?|dollars?|euros?|pounds?|quid|bucks|rand|"
                    r"pesos|k))?(?:\s+(?:off|a|an|per|each)\b(?:\s+\w+)?)?\s*(?:[,.;!]|$|instead\b|if\b|at\s+(?:six|that|those|this)\b)",
                    re.IGNORECASE)
_FIRST_PERSON_TRIGGER = re.compile(r"^(?:i|we)\b", re.IGNORECASE)
# Checking with one's family before saying yes: "I have to check with my sister" ("I'll check
# with my wife and call you back" promises to).
_OBLIGED = re.compile(r"\b(?:have|has|need|needs|got)\s+to\s*$", re.IGNORECASE)
_FAMILY = re.compile(r"^check\s+with\s+(?:my|our)\s+(?:wife|husband|partner|sister|brother|mum|mom|dad|mother|father|family|"
                     r"kids|parents|spouse|other\s+half|girlfriend|boyfriend)\b", re.IGNORECASE)


# One of two ways offered, for the one spoken to to choose: "you'll need to update the email,
# or I can change it for you", "I can add a glaze, or we could swap it for the bobotie". Nothing
# is done until one is chosen; the second, an offer, is taken up or not (action_items.py).
_OR_ELSE_OFFERED = re.compile(r"^\W*,?\s*or\s+(?:else\s+)?(?:i|we|you)\s+(?:can|could)\b", re.IGNORECASE)
# What follows if the task is not done: "book the hall by Friday, or we'll lose the date" warns;
# the request before it stays.
_OR_ELSE = re.compile(r",?\s*\bor(?:\s+else)?\s*,?\s*$", re.IGNORECASE)
_WILL = re.compile(r"(?:'ll|\bwill|\bgoing\s+to)\b", re.IGNORECASE)


def takes_it_back(sentence: str, action: Action) -> bool:
    """True when the sentence around `action` says it is not a task of anyone here."""
    before = sentence[action.begin:action.trigger]
    reported = _REPORTED.search(before)
    if reported and reported.group("who").lower() not in _FIRST_PERSON:
        return True
    if _DOUBT.search(before) or _HEARSAY.search(sentence[:action.trigger]) \
            or _HEARSAY.search(sentence[:action.begin]):
        return True
    if action.kind == "request" and _HEDGED_ADVICE.search(before) \
            and sentence[action.trigger:action.start].lower().startswith("you"):
        return True
    trigger = sentence[action.trigger:action.start].lower()
    if _OR_ELSE_OFFERED.match(sentence[action.end:]):
        return True
    if _OR_ELSE.search(sentence[:action.trigger]) and action.kind != "request" and _WILL.search(trigger):
        return True
    clause = sentence[action.begin:action.end]
    phrase = sentence[action.start:action.end]
    if _FIRST_PERSON_TRIGGER.match(trigger) and (re.search(r"\b(?:can|could)\b", trigger) and _TERMS.match(phrase)
                                                 or _OBLIGED.search(trigger) and _FAMILY.match(phrase)):
        return True
    if _STANDING.search(clause) and (action.kind in ("group", "assignment") or trigger.startswith("you")):
        return True  # "I'll ping you whenever I have the numbers" is still a promise
    return action.kind != "request" and bool(_SOMEDAY.search(sentence))


def for_someday(sentence: str) -> bool:
    """True when `sentence` puts something off to no time in particular: "at some point",
    "someday", "down the line" (topics.py: a thing only so mentioned is not talked about)."""
    return bool(_SOMEDAY.search(sentence))


# The speaker taking back what they just said, in the next sentence: "I'll buy them on Saturday.
# No, wait, that's too late, the tasting's tomorrow.", "I can drive over there Wednesday.
# Actually, no, that's too late for the preview." (what comes after it is the task). "No,
# that's it from me", "No, that's fine", "No, that's right, Monday" keep the task.
_RETRACTED = re.compile(
    r"^\W*(?:(?:oh|um|uh|hmm|actually|wait)[,.\s]+)*no\b[,.!\s]+(?:(?:wait|actually|sorry|hang\s+on)[,.!\s]+)*"
    r"(?:that(?:['’]s|\s+is|['’]d\s+be|\s+would\s+be)\s+(?:too\s+\w+|no\s+good|wrong)|"
    r"that\s+(?:won['’]?t|doesn['’]?t|will\s+not|does\s+not)\s+work|"
    r"scrap\s+that|forget\s+(?:that|it))", re.IGNORECASE)


def taken_back_next(next_sentence: str) -> bool:
    """The sentence said right after a task, by the same speaker, takes it back."""
    return bool(_RETRACTED.match(next_sentence))
