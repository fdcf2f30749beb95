"""Turns that sound like questions and are moves of another kind: offers, suggestions,
checking the room, running the meeting, reactions, opening a story; and statements said with a
rising tone that offer, suggest with a tag of their own modal, or ask with an imperative's tag
(tagged_or_offered).

question_acts.not_asking asks move() after its own rules (small talk, the call itself, tags,
the floor, guesses, requests, proposals taken up); action_items.py asks is_offer(), since an
offer taken up is the offerer's action item. Each pattern is a kind of turn, matched on the
whole question or on what follows a lead-in ("I mean, what's the worst that could happen?").
"""

from __future__ import annotations

import re

from .follow_ups import is_follow_up
from .question_forms import clauses

_OPENING = r"^(?:(?:so|and|but|okay|ok|well|oh|um|uh|also|alright|actually)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s*)?"
# An offer: the speaker proposes to do something for the one asked ("do you want me to set up a
# call?", "shall I book the room?", "can I send you the deck?"). The answer is yes or no to the
# speaker's own work, not information: an action item once taken up (action_items.py), never a
# question. "Should I ..." is an offer only when what follows is done for someone (a follow-up:
# "should I send it over?"); "should I bring my passport?" asks what to do.
_OFFER = re.compile(_OPENING + r"(?:(?:do\s+you\s+|did\s+you\s+)?(?:want|need)\s+me\s+to|would\s+you\s+like\s+me\s+to|"
                    r"(?:would|will|does|might)\s+it\s+help\s+if\s+(?:i|we)|shall\s+i\s+(?!be\b|say\b|start\b|go\s+first\b)|"
                    # put as a suggestion of one's own work: "what if I came in early?"
                    r"(?:what\s+if|how\s+about|why\s+don['’]?t)\s+i\s+(?!(?:was|were|am|had|have|did|do|can|could|can'?t|couldn'?t|don'?t|didn'?t|forgot|miss(?:ed)?)\b)|"
                    r"(?:can|could|may)\s+i\s+(?:send|forward|email|get|grab|bring|book|set\s+up|show)\s+you)\b|"
                    # said as a statement: "I can email you the leaflet if you like?"
                    r"^.*\bi\s+(?:can|could)\s+[^?]+\bif\s+you\s+(?:like|want|prefer|need)\W*$", re.IGNORECASE)
_SHOULD_I = re.compile(_OPENING + r"should\s+i\s+(?:just\s+)?(?:go\s+ahead\s+and\s+)?(?P<rest>.+)$", re.IGNORECASE)
# A suggestion shaped like a question: "what if we moved it to Tuesday?", "why not just ship it
# Friday?", "how about Tuesday?", "should we maybe loop in legal?", "wouldn't it be easier to
# rebuild it?". It proposes; whatever the answer, nobody is asked for information.
_SUGGESTION = re.compile(_OPENING + r"(?:why\s+not\s+\w+|how\s+about\s+(?!you\b|yourself\b|your\s+(?:week|day|weekend)\b)"
                         r"\w+|(?:should|shall|could|can)\s+we\s+(?:maybe|perhaps|possibly)\b|(?:can|could|may)\s+i\s+(?:just\s+)?suggest\b|"
                         r"(?:wouldn'?t|would\s+it\s+not)\s+it\s+be\s+(?:easier|better|simpler|faster|quicker|cheaper|safer|smarter)\b|"
                         r"(?:shouldn'?t|can'?t|couldn'?t)\s+we\s+(?:just|simply)\b|"
                         # "do we want to do a dry run?" proposes it ("do we want to X or Y?" asks which)
                         r"do\s+we\s+(?:want|wanna)\s+to\s+(?![^?]*\bor\b)\w+|"
                         # a time proposed: "can we do four-thirty?", "can we book that for next Tuesday?"
                         r"(?:can|could|shall)\s+we\s+(?:do|book|meet|make\s+it|say|schedule|pencil)\b[^?]*\b"
                         r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|tonight|next\s+week|noon|o'?clock|"
                         r"\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b[^?]*\?$|"
                         r"don'?t\s+you\s+think\s+(?:we|you|i|they)\s+(?:should|could|need\s+to|ought\s+to)\b|"
                         r"wouldn'?t\s+it\s+be\s+(?:nice|good|great|smart|wise|sensible|cleaner)\b|.*\blet'?s\s+[^,?]+\?$)", re.IGNORECASE)
# Checking the room agrees, or opening the floor, rather than asking something: "is everyone
# okay with that?", "are we all agreed?", "does that work for everyone?", "anyone else?",
# "anything to add?", "did I miss anything?".
_ROOM_CHECK = re.compile(
    _OPENING + r"(?:(?:(?:is|are)\s+)?(?:everyone|everybody|we\s+all|you\s+all|all\s+of\s+you|you\s+guys|we)\s+"
    r"(?:all\s+)?(?:okay|ok|happy|fine|good|comfortable|agreed|aligned|on\s+board|on\s+the\s+same\s+page|in\s+agreement)"
    r"(?:\s+with\s+(?:that|this|it|the\s+plan))?(?:\s+(?:then|now|so\s+far))?\W*$|"
    # Consent to what was just said, asked of one person too: "is that okay with you?", "can we
    # agree on that?", "are you with me so far?" ("is Tuesday okay with you?" asks about Tuesday).
    r"(?:is|would)\s+(?:that|this|it)\s+(?:be\s+)?(?:okay|ok|alright|all\s+right|fine|acceptable)\s+(?:with|for|by)\s+(?:you|both\s+of\s+you|you\s+both|you\s+two)\W*$|"
    r"(?:can|could|shall)\s+we\s+(?:all\s+)?agree\s+(?:on|to)\s+(?:that|this|it)\W*$|"
    r"(?:are\s+)?you\s+(?:still\s+)?(?:with\s+me|following(?:\s+me)?)(?:\s+so\s+far)?\W*$|"
    r"(?:does|do|would)\s+(?:that|this|it)\s+work\s+for\s+(?:everyone|everybody|you\s+all|all\s+of\s+you|you\s+guys|both\s+of\s+you)\W*$|"
    r"(?:any\s*(?:one|body|thing)\s+else|anything\s+(?:else\s+)?(?:to\s+add|from\s+(?:you|anyone|anybody|your\s+side))|"
    r"(?:did\s+i|have\s+i)\s+(?:miss|forget|missed|forgotten)\s+anything|anything\s+i(?:'ve)?\s+(?:missed|forgot|forgotten)|"
    r"(?:is\s+there\s+)?anything\s+else\s+(?:that\s+)?(?:i|we)\s+can\s+(?:help\s+(?:you\s+)?with|do(?:\s+for\s+you)?)(?:\s+today)?|"
    # Opening the floor: "is there anything else you'd like to discuss?" ("is there anything
    # else on the invoice?" asks; "do you have any questions for me?" at an interview's end is
    # labelled a question on tune/, and stays one).
    # "anything you want to raise before we finish?" closes the meeting the same way
    r"(?:is\s+there\s+)?anything\s+(?:else\s+)?(?:that\s+)?(?:you|we|anyone|anybody)\s*(?:'d|would|wanted|want|need|needed)?\s*(?:like\s+)?(?:to\s+)?"
    r"(?:discuss|add|cover|raise|mention|talk\s+about|go\s+over|bring\s+up|share)(?:\s+today|\s+before\s+we\s+(?:finish|wrap(?:\s+up)?|close|go|stop|end))?)"
    r"(?:\s*,?\s*(?-i:[A-Z])[^\W\d_]+)?\W*$)", re.IGNORECASE)
# Running the meeting, said as a question: asking for a repeat ("sorry, what was that?"),
# starting or pacing it ("shall we make a start?", "should we wait for Dana?", "what's next?",
# "where do we start?"), asking for the floor ("can I just say something?"), closing a point
# ("is that everything?", "any objections?", "does anyone have any questions?", "does that
# help?"), and small talk the other rules miss ("did you have a nice break?").
_RUNNING = re.compile(
    _OPENING + r"(?:what\s+was\s+that|(?:can\s+you\s+|could\s+you\s+)?say\s+(?:that\s+)?again|come\s+again|"
    r"who'?s\s+(?:on|here|joined|with\s+us)(?:\s+(?:the\s+)?(?:call|line|bridge))?|"
    r"shall\s+we|(?:shall|should|can|could)\s+we\s+(?:make\s+a\s+start|get\s+(?:started|going)|begin|kick\s+off|start)|"
    r"(?:should|shall)\s+we\s+wait\s+(?:for|on)\s+[\w\s]{1,20}|what'?s\s+next(?:\s+on\s+the\s+(?:agenda|list))?|"
    r"who'?s\s+(?:going|up)\s+(?:first|next)|where\s+(?:do|shall|should)\s+we\s+(?:start|begin)|"
    # with what it is about: "can I say something about the unis?", "... from the volunteers' side?"
    r"(?:can|could|may)\s+i\s+(?:just\s+)?(?:say|add|mention)\s+(?:something|one\s+thing|a\s+(?:quick\s+)?thing)(?:\s+(?:about|from|on)\s+[^?]{1,40})?|"
    r"(?:can|could|may)\s+i\s+(?:just\s+)?check\s+(?:that\s+)?i(?:'ve|\s+have)\s+understood|"
    r"(?:can|could|may)\s+i\s+ask\s+who'?s\s+(?:on|joined)\b[^?]*|"
    r"is\s+that\s+(?:everything|all|it)|are\s+we\s+(?:done|finished)|anything\s+(?:more|further)\s+on\s+(?:this|that)|"
    r"any\s+(?:objections|comments|concerns|more\s+questions)|"
    r"does\s+(?:anyone|anybody|everyone|everybody)\s+have\s+any\s+(?:questions|comments|thoughts|concerns|objections)|"
    r"does\s+that\s+(?:answer\s+your\s+question|help)|"
    r"did\s+you\s+(?:have|get)\s+a\s+(?:good|nice|great|lovely|relaxing|decent|restful)\s+\w+|how'?s\s+the\s+new\s+\w+|"
    r"how\s+about\s+yourself|is\s+it\s+just\s+me\s+or\b[^?]*|"
    # Ending it, or moving through the agenda with a rising tone: "shall we call it there?",
    # "next item, the budget?", "moving on, the parking?", "Ben, over to you?".
    r"(?:shall|should|can|could)\s+we\s+(?:call\s+it\s+(?:a\s+day|there|here)|leave\s+it\s+(?:there|here)|stop\s+(?:there|here)|wrap\s+(?:it\s+|things\s+)?up)(?:\s+for\s+today)?|"
    r"(?:next\s+(?:item|up|topic|point|one)|moving\s+on|over\s+to\s+you)\b[^?]*|"
    r"(?:shall|should|can)\s+we\s+(?:just\s+)?(?:go|run|work)\s+through\s+(?:them|these|those|it|this|everything|the\s+\w+)\s+(?:in\s+order|one\s+by\s+one|one\s+at\s+a\s+time)|"
    # Working the call or the agenda: "can I put you on hold?", "and the third thing was the bins?"
    r"(?:can|could|may|do\s+you\s+mind\s+if)\s+i\s+(?:just\s+)?put\s+you\s+on\s+hold\b[^?]*|"
    r"(?:the\s+)?(?:first|second|third|fourth|fifth|next|last|other)\s+(?:thing|item|point|topic)\s+"
    r"(?:was|is|on\s+(?:the|my|our)\s+(?:list|agenda))\b[^?]*)\W*(?:\s*,?\s*(?-i:[A-Z])[^\W\d_]+)?\W*$", re.IGNORECASE)
# Formulaic reactions: a question that expects no answer ("why not?", "who knows?", "see what I
# mean?"), and an echo that only shows one is listening: an auxiliary and a pronoun ("oh, is
# it?", "did you?", "really?").
_REACTION = re.compile(
    r"^(?:(?:oh|ah|wow|really|huh|hm+|okay|ok|well|so|and|but)[,!\s]+)*(?:why\s+not|who\s+knows|who\s+(?:doesn'?t|isn'?t|wouldn'?t)|"
    r"(?:do\s+)?(?:you\s+)?(?:know|see)\s+what\s+i\s+mean|who\s+cares|what'?s\s+the\s+point|isn'?t\s+that\s+the\s+(?:whole\s+)?point|"
    r"how\s+many\s+times\s+have\s+i\s+(?:said|told\s+you)(?:\s+this|\s+that)?|may\s+i|can\s+i\s+be\s+(?:honest|frank|blunt)(?:\s+with\s+you)?|(?:is|was)\s+(?:that|it)\s+(?:right|true|so)|what|sorry|pardon|come\s+again|"
    r"what'?s\s+the\s+worst\s+that\s+could\s+happen|what\s+was\s+i\s+saying|why\s+(?:do|would)\s+(?:we|you|anyone|i)\s+even\s+\w+)\W*$",
    re.IGNORECASE)
# Opening a story rather than asking: "you know the new intern?", "remember the outage last
# month?", "you know how the export always times out?" ("do you remember when ..." asks).
_STORY_OPENER = re.compile(_OPENING + r"(?:you\s+know|remember)\s+(?:the|that|how|when|those|our|my|your|last)\b", re.IGNORECASE)
# Only as a whole sentence: "..., didn't we?" after a claim is a tag asking to confirm it. With
# "though", "really" or "now" after it, it doubts what was said rather than asking ("Is it,
# though?", "Did they really?").
_ECHO = re.compile(
    r"^(?:(?:oh|ah|wow|really|huh|hm+|okay|ok|well|so|and|but)[,!\s]+)*"
    r"(?:(?:is|isn'?t|are|aren'?t|was|wasn'?t|were|do|does|did|didn'?t|doesn'?t|don'?t|have|has|had|haven'?t|can|can'?t|will|won'?t|would|should)"
    r"\s+(?:it|you|they|he|she|we|that|there|i)(?:\s+not)?)"
    r"(?:\W+(?:though|really|now))?\W*$", re.IGNORECASE)

# The speaker offering their own work as a statement with a rising tone, after an optional
# condition: "I could split them between the three of us?", "If you want, I can send you a few
# files?" ("I could do fifty now, would that work?" asks in its second clause: not declarative;
# "So I could do it in March?" asks whether what was said before is allowed: "do it" names no work).
_OFFERED = re.compile(r"^(?:(?:so|and|well|okay|ok|oh|or)[,\s]+)*(?:if\s+[^,]+,\s*)?i\s+(?:can|could)\s+(?:also\s+|just\s+)?"
                      r"(?!be\b|see\b|imagine\b|hear\b|tell\b|do\s+(?:it|that|this|so|the\s+same)\b)[^\W\d_]+", re.IGNORECASE)
# A request said as an imperative with a tag: "Get me the revised version by Friday, would you?"
_IMPERATIVE_TAG = re.compile(r"^(?:(?:so|and|oh|okay|ok)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s*)?(?:please\s+|just\s+)?"
                             r"(?P<verb>[^\W\d_]+)\b[^?]*,\s*(?:would|will|could|can)\s+you(?:\s+please)?\?$", re.IGNORECASE)
# A suggestion with a tag of its own modal: "we could offer some to the agencies, couldn't we?",
# "you could help her with the form, couldn't you?", "I should probably show both, shouldn't I?"
_SUGGESTION_TAG = re.compile(r"\b(?P<who>we|you|i)\s+(?:could|should)\s+(?:also\s+|just\s+|probably\s+|maybe\s+|always\s+)?[^\W\d_]+"
                             r"[^?]*,\s*(?:could|should)n'?t\s+(?P=who)\?$", re.IGNORECASE)
# Words that begin a question or a statement rather than an imperative.
_NOT_A_VERB = frozenset("""i you we they he she it this that there these those what why how who when where which whose
is are was were do does did have has had can could will would should shall may might must am the a an my our your
his her their its it's that's there's i'm you're we're they're i'll we'll you'll i've we've i'd we'd""".split())

# A fragment said with a rising tone, not addressed to anyone by name: an echo or a guess ("The
# 9th of August?", "About the size of a dinner plate now?", "Just to be sure the fix works?").
# It has no auxiliary, no subject pronoun and no question word; "any ..." asks ("Anything on
# weather?"), and so does a fragment put to someone by name ("Marcus, photo for that?").
_FINITE = frozenset("""am is are was were do does did have has had can could will would should shall may might must
isn't aren't wasn't weren't don't doesn't didn't haven't hasn't can't couldn't won't wouldn't shouldn't
i you we they he she it i'm you're we're they're he's she's it's that's there's what's who's i've you've
we've i'll you'll we'll i'd you'd what why how who whom whose which when where any anything anyone anybody""".split())
_ADDRESSED = re.compile(r"^(?!(?:Ha|Haha|Oh|Ah|Wow|Hm+|Okay|Ok|Yes|No|Well|So|Right|Sure|Great|Really|Huh|Wait)\b)(?-i:[A-Z])[^\W\d_]+,")
# "And the check engine light?", "And parking?": raising the next thing to ask about ("And maybe
# Sarah Moss?" hedges: a suggestion; "Or the food truck?" is an alternative of the question before).
TOPIC = re.compile(r"^(?:and|but|also|plus)\s+(?!(?:maybe|probably|perhaps|like|then|so)\b)[\w'’-]", re.IGNORECASE)


def is_fragment(text: str) -> bool:
    stripped = text.strip()
    if not stripped.endswith("?") or _ADDRESSED.match(stripped) or TOPIC.match(stripped):
        return False
    words = [w.lower().replace("’", "'") for w in re.findall(r"[\w'’]+", stripped)]
    # "how's" is "how" and a verb: "And how's the carrier thing?" asks
    return bool(words) and not any(w in _FINITE or w.removesuffix("'s") in _FINITE for w in words)


def move(text: str, parts: list[str]) -> str | None:
    """What kind of move the question-shaped `text` (with `parts`, its clauses after each
    lead-in) is, when it is one of these; None otherwise."""
    if _STORY_OPENER.match(text):
        return "opening a story"
    if is_fragment(text):
        return "an echo or a guess"
    # A reaction is the whole turn or follows a short lead-in: "..., is that right?" after a
    # claim asks to confirm it (question_forms.is_confirmation_tag).
    if _ECHO.match(text) or any(_REACTION.match(part) for part in clauses(text)):
        return "rhetorical or a reaction"
    if is_offer(text):
        return "an offer"
    if _ROOM_CHECK.match(text) or any(_RUNNING.match(part) for part in parts):
        return "checking the room"
    if any(_SUGGESTION.match(part) for part in parts):
        return "a suggestion"
    return None


def is_offer(text: str) -> bool:
    """ "Do you want me to set up a call?", "should I send it over?": the speaker offering work."""
    text = text.strip()
    if re.search(r"\bor\b", text, re.IGNORECASE):
        return False  # "should I send my references now or later?" asks which
    for part in clauses(text, every=True):  # after a lead-in too: "my accountant does this, should I ..."
        if _OFFER.match(part):
            return True
        should = _SHOULD_I.match(part)
        if should is not None and is_follow_up(should.group("rest")):
            return True
    return False


def is_tagged_request(text: str, names: frozenset[str] = frozenset()) -> bool:
    """An imperative with a tag ("Send me the deck by Friday, would you?"): a request, which
    the question finder leaves out and the action finder must not drop as a question."""
    imperative = _IMPERATIVE_TAG.match(text.strip())
    return imperative is not None and imperative.group("verb").lower() not in _NOT_A_VERB | names


def tagged_or_offered(text: str, parts: list[str], declarative: bool, names: frozenset[str]) -> str | None:
    """A statement said with a rising tone that offers the speaker's work (when `declarative`:
    no clause opens a question), a suggestion tagged with its own modal, or an imperative with
    a tag; None otherwise. question_acts.not_asking asks this after its hedges."""
    if declarative and any(_OFFERED.match(part) for part in parts):
        return "an offer"
    if _SUGGESTION_TAG.search(text):
        return "a suggestion"
    if is_tagged_request(text, names):
        return "a request or a suggestion"
    return None
