"""Is this sentence, on its own, shaped like a question? ASR output often drops the "?".

A sentence is one when it ends in "?", holds an embedded question ("I was wondering whether
...", "I'd like to know how ..."), or opens (after an optional name, filler or lead-in such as
"sorry," or "quick question -") with a wh-word used interrogatively or with an auxiliary verb
followed by its subject ("can we", "is the", "do you"). Small talk ("how are you", "can you
hear me"), running the meeting ("does that make sense?") and requests phrased as questions
("can you send me ...?") are left out. Action items use this too: a plain question is not one.
What the rest of the conversation says about a sentence is question_acts.py's job.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .listeners import ASKED
from .words import STOPWORDS, tokens

_AUXILIARIES = frozenset(
    "am is are was were do does did have has had can could will would shall should may might "
    "must isn't aren't wasn't weren't don't doesn't didn't haven't hasn't can't couldn't won't "
    "wouldn't shouldn't".split())
_SUBJECTS = frozenset(
    "i you we they he she it there this that these those anyone anybody someone somebody "
    "everyone everybody anything something the a an my your our their his her its any some "
    "all".split())
_PRONOUNS = frozenset("i you we they he she it there".split())
_IMPERATIVES = frozenset(("do", w) for w in ("it", "this", "that", "these", "those", "the", "a",
                                              "an", "some", "all", "any"))
_WH = frozenset("what why how who whom whose which".split())
_WH_NEEDS_AUX = frozenset("when where".split())  # else a clause: "when we ship, ..."
_FILLERS = frozenset("so and but okay ok well um uh hey alright now then also oh".split())
_INDIRECT = re.compile(
    r"^(?:i(?:\s+(?:was|am)|\s*['’]m)\s+wondering|i\s+wonder|do\s+you\s+know|does\s+anyone\s+know|"
    r"any\s+idea)\b", re.IGNORECASE)
# A question inside a statement: "I'd like to know whether ...", "tell me what ...".
_EMBEDDED = re.compile(
    r"\b(?:i(?:\s+(?:was|am)|\s*['’]m)\s+(?:also\s+|just\s+|really\s+)?(?:wondering|curious)|i\s+wonder(?:ed)?|i(?:'?d|\s+would)\s+(?:like|love)\s+to\s+(?:know|understand|hear)|"
    r"i\s+(?:want|need)\s+to\s+(?:know|understand|find\s+out)|(?:can|could)\s+you\s+(?:tell|explain\s+to|remind)\s+(?:me|us)|"
    r"(?:tell|show)\s+me|(?:any|no)\s+idea|do\s+(?:you|we|they)\s+know|curious)"
    # a word said in between: "I was wondering, though, whether ...", "I was wondering too whether ..."
    r"(?:,?\s+(?:also|too|though|just|really|actually|again|still|then|however))*,?\s+"
    r"(?:about\s+)?(?:if|whether|what|why|how|who|when|where|which)\b"
    # An implicit question: "Tell me about a time you ...", "talk me through your CV".
    r"|^(?:(?:so|and|okay|ok|now|great|right)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s*)?(?:(?:can|could)\s+you\s+)?(?:tell|talk|walk)\s+(?:me|us)\s+"
    r"(?:a\s+(?:bit|little)\s+(?:more\s+)?|more\s+|briefly\s+)?(?:about|through)\b(?!\s+(?:that|it|this|them)\W*$)", re.IGNORECASE)
# How someone is, not what they will do: "how are you (doing) today?", "how have you been?";
# "how are you going to defend that?" asks about the work.
WELLBEING = (r"how\s+(?:are|'re|were|is|was|have)\s+(?:you(?:\s+(?:both|two|all|guys))?|things|ya|the\s+weekend|everyone|everybody|"
             r"we(?=\s+(?:feeling|holding\s+up|keeping)))"
             r"(?:\s+(?:doing|feeling|keeping|been|going|holding\s+up|getting\s+on))?"
             r"(?:\s+(?:today|lately|these\s+days|this\s+(?:morning|afternoon|week)|so\s+far|then|now|guys))?(?=\W*$)")
# The one a tag is put to, named after it: "we'll want to talk it over first, right, Maya?" is
# the tag "right?" said to Maya.
_TAG_NAME = r"(?:,\s*(?-i:[A-Z])[^\W\d_]+)?"
# Small talk: questions in form that ask nothing about the work (Symbl leaves chit-chat out).
_CHIT_CHAT = re.compile(
    r"^(?:(?:hi|hey|hello|so|and|oh|well|good|morning|afternoon|evening)[,\s]+)*(?:\w+[,\s]+)?(?:" + WELLBEING + "|"
    r"how(?:'s|\s+is)\s+(?:it\s+going|everyone|everybody|life|your\s+(?:day|week|weekend|morning))|"
    r"what'?s\s+up|what'?s\s+new|how\s+do\s+you\s+do|(?:you\s+know|right)(?=\W*$)|"
    r"can\s+(?:you|everyone|everybody|you\s+all)\s+(?:hear|see)\s+(?:me|my\s+screen|it|this|that|okay|ok)|"
    r"can\s+(?:everyone|everybody|you\s+all|you\s+guys)\s+see\b|"
    r"(?:am\s+i|are\s+you)\s+(?:audible|on\s+mute|muted|there)|how\s+about\s+you|"
    # time off: "did you have a good weekend?", "everybody have a good weekend?" (said alone:
    # "do you have a good day for the site visit?" asks about the work)
    r"(?:did\s+)?(?:you|y'?all|everyone|everybody|anyone|you\s+all|you\s+guys)(?:\s+all)?\s+have\s+a\s+(?:good|nice|great|lovely|relaxing)\s+"
    r"(?:weekend|break|holidays?|vacation|trip|christmas|summer|time|evening|night|flight|day|week)\b(?=\W*$)|"
    r"did\s+(?:you|y'?all|everyone|everybody|anyone|you\s+all|you\s+guys)(?:\s+all)?\s+have\s+a\s+(?:good|nice|great|lovely|relaxing)\s+"
    r"(?:weekend|break|holidays?|vacation|trip|christmas|summer|time|evening|night|flight|day|week)\b|"
    # answering the phone: who is calling
    r"who\s+(?:do\s+i\s+have\s+the\s+pleasure\s+of\s+speaking|am\s+i\s+(?:speaking|talking))\s+(?:with|to)\b|"
    r"(?:(?:may|can|could)\s+i\s+ask\s+)?who(?:'s|\s+is)\s+calling(?=\W*$)|"
    r"did\s+you\s+find\s+(?:the|us|it)|(?:do\s+)?(?:you|anyone)\s+want\s+to\s+(?:start|go\s+first|kick)|"
    r"anything\s+else(?!\s+(?:i|we)\s+(?:should|need\s+to|ought\s+to|must)\s+(?:know|be\s+aware|watch|look))|how\s+was\s+(?:the|your)\s+(?:\w+\s+)?(?:trip|flight|weekend|holiday|vacation|break|day|week)|"
    r"(?:shall|should)\s+we\s+(?:get\s+(?:into\s+it|started|going)|start|begin|kick\s+off|dive\s+in)|"
    r"(?:everyone|everybody|you)\s+(?:grab|got|have)\s+(?:a\s+)?(?:coffee|tea|drink)|"
    r"(?:can|could)\s+you\s+guys\s+(?:hear|see)|(?:can|could)\s+(?:you|everyone|everybody)\s+see\s+(?:the|my)\s+(?:slides?|screen|deck|doc)|"
    r"is\s+(?:my\s+screen|this|that|it)\s+(?:visible|showing|coming\s+through)|how'?s\s+the\s+(?:audio|weather|family)|"
    r"(?:are\s+we|who\s+are\s+we|who\s+else\s+are\s+we)\s+waiting\s+(?:for|on)|is\s+everyone\s+(?:here|in)|how\s+(?:can|may)\s+i\s+help|what\s+can\s+i\s+do\s+for\s+you|(?:can|could)\s+(?:the\s+\w+(?:\s+\w+){0,3}|everyone|everybody|you\s+all)\s+(?:hear|see)\s+me)\b|"
    # a tag, then perhaps the name of the one asked: "..., right, Maya?"
    r".*,\s*(?:right|okay|ok|yeah|you\s+know)" + _TAG_NAME + r"\?$",
    re.IGNORECASE)
# Running the meeting rather than asking about the work: checking the room follows ("does that
# make sense?", "sound good?", "any questions so far?"), taking or passing the floor ("can I
# jump in?", "can I ask a quick question?", "shall we move on?", "where was I?"), the call
# itself ("are you still there?", "should I stop sharing?"); and rhetorical forms that expect
# no answer ("how cool is that?", "who doesn't love …?", "what do I know?", "guess what?").
_ROOM = re.compile(
    r"^(?:(?:so|and|okay|ok|well|alright|sorry|oh|um|uh)[,\s]+)*(?:"
    r"(?:does|did)\s+(?:that|this|it|everything)\s+make\s+sense|makes?\s+sense|(?:does\s+(?:that|this)\s+)?sounds?\s+good|"
    r"(?:are\s+there\s+)?any\s+(?:other\s+|more\s+)?questions(?:\s+so\s+far|\s+on\s+that|\s+before\s+\w+\s+\w+)?|"
    r"(?:are\s+we|we)\s+good|you\s+know\s+what\s+i\s+mean|where\s+was\s+i|how\s+(?:should|do|can)\s+i\s+put\s+(?:this|it)|"
    r"(?:can|could|may)\s+i\s+(?:just\s+)?(?:jump|cut|chime|butt)\s+in|(?:can|could|may)\s+i\s+(?:just\s+)?(?:ask|add)\s+(?:you\s+)?(?:a|one|something|another)\b(?:\s+(?:quick|small|last))?(?:\s+(?:question|thing))?|"
    r"(?:shall|should|can|could)\s+we\s+(?:move\s+on|keep\s+going|continue|wrap\s+up)|"
    r"(?:should|shall)\s+i\s+(?:stop|keep)\s+sharing|(?:are|can)\s+you\s+still\s+(?:there|hear\s+me)|did\s+(?:i|you)\s+(?:cut|drop)\s+(?:you|me)?\s*out|"
    r"how\s+(?:cool|great|awesome|amazing|crazy|funny|nice)\s+is\s+that|who\s+(?:doesn't|does\s+not|wouldn't)\s+(?:love|like|want)|"
    r"what\s+do\s+i\s+know|guess\s+what)\b[^?]{0,40}\?$", re.IGNORECASE)
# "Would you say ...?", "would you be open to a longer contract?" ask for a view or a stance;
# "would you be willing to do ...?" asks for work, a request.
_ASKS_A_VIEW = (r"would\s+(?:(?:one|either|any|some|each)\s+of\s+)?you\s+(?:(?:say|think|agree|know|prefer|rather|recommend|suggest|expect|rate|"
                r"describe|consider)\b|"
                r"be\b(?!\s+(?:willing|able|happy|open|available|ready)\s+to\s+(?!(?:a|an|the|that|this|it|some|any|our|your)\b)"
                r"|\s+(?:my|her|his|our|their|the|a|an)\s+(?!(?:best|right|only|first|last)\b)[\w-]+(?:\s+[\w-]+)?\?$"
                r"|\s+up\s+for\s+\w+ing\b))")
# A request phrased as a question is an action item for the one asked, not a question; asking
# to be told something ("can you tell me ...") is a question.
_REQUEST = re.compile(
    r"^(?:(?:so|and|okay|ok|also|great|hey|well|oh|sorry|then|now|just|actually|alright|right)[,\s]+)*(?:[A-Z][^\W\d_]+,\s*)?(?!" + _ASKS_A_VIEW + r")"
    # (the "you" and its count held whole: given back, "two" in "could you two explain …" passed for the verb)
    r"(?:(?:can|could|would|will)\s+(?>" + ASKED + r")\s+(?:please\s+)?(?:also\s+)?(?!not\b|tell|explain|clarify|remind|hear|see|confirm\s+(?:if|whether)|(?:walk|talk)\s+me\s+through)"
    r"[^\W\d_]+|(?:can|could|may)\s+i\s+(?:just\s+|quickly\s+)?(?:get|have|grab|take)\b(?!\s+(?:a|an)\s+(?:look|guess|minute|moment|second|sec|break)\b)|(?:would|do)\s+" + ASKED + r"\s+mind)", re.IGNORECASE)
# A request whose point is an answer: "can you look at the lights and tell me which ones are on?"
_TOLD = re.compile(r"\b(?:(?:tell|let)\s+(?:me|us)\s+(?:know\s+)?|(?:walk|talk)\s+me\s+through\s+)"
                   r"(?:if|whether|what|why|how|who|when|where|which)\b[^.!]*\?$"
                   # "can you read me the serial number?": the answer is the request
                   r"|\b(?:can|could|would)\s+you\s+(?:please\s+)?(?:read|spell)\s+(?:me|us|that|it|out)\b[^.!]*\?$",
                   re.IGNORECASE)
_LEAD_IN_WORDS = 4  # "so from our last call I understood ..., is that ...": too long to be a lead-in
# Up to three words with a rising tone and no question word: a guess or an echo ("Probably
# ninety?", "Next Tuesday?"), not a question; "Any blockers?" and "Why?" are.
_GUESS = re.compile(r"^(?!(?:and|plus)\s+(?!(?:maybe|probably|perhaps|like|then|so)\b))"  # "And parking?" raises a topic
                    r"(?!(?:any|anything|anyone|what|why|how|who|whom|whose|which|when|where|is|are|was|were|do|does|"
                    r"did|can|could|will|would|should|shall|have|has|may|might)\b)"
                    r"(?!.*\b(?:what|why|how|who|whom|whose|which|when|where)\b)"  # "Since when?", "And why?" ask
                    r"(?:[\w'’-]+[\s,]*){1,3}\?$",
                    re.IGNORECASE)
# A lead-in before the question proper: "Sorry, what was the date?", "Quick question - do we ...".
_LEAD_IN = re.compile(r"[,:;\u2014\u2013]\s+|\s+-\s+")
_PRONOUN_CLAUSE = frozenset("i we they he she".split())  # "what we need is ..." is a statement
# "What would really help right now is the export.": "what" opens the subject of a statement
# when a verb phrase comes before the "is" ("what time is it?" and "what is the status and is
# it on track?" stay questions).
_WHAT_CLAUSE = re.compile(r"^what\s+(?!(?:is|are|was|were|do|does|did|has|have|'s)\b)(?:\w+\s+){0,4}?"
                          r"(?:would|could|will|can|should|might|the|my|our|your|their)\s+(?:\w+\s+){1,5}?"
                          r"(?:is|was|are|were)\s+\w", re.IGNORECASE)
# "Which, honestly, should never happen.": "which" straight before a comma, or "which means",
# goes on from the sentence before; it asks nothing.
_RELATIVE_WHICH = re.compile(r"^\W*(?:[\w']+[,\s]+){0,3}?which(?:\s*,|\s+(?:means|meant|is\s+why|was\s+why)\b)",
                             re.IGNORECASE)


# A confirmation tag: "Aylin, you reproduced that one, right?". is_question leaves tags out (on
# a commitment, "I'll send it Friday, okay?", a tag asks nothing); is_confirmation_tag takes back
# those on a claim, which ask the room to confirm it.
_TAG = re.compile(r",\s*(?:right|correct|yeah|isn't\s+it|is\s+that\s+right)" + _TAG_NAME + r"\?$", re.IGNORECASE)
_COMMITS = re.compile(r"^(?:(?:so|and|okay|ok|well)[,\s]+)*(?:i'?ll|we'?ll|i\s+will|we\s+will|let'?s|"
                      r"(?:i'?m|we'?re)\s+going\s+to)\b", re.IGNORECASE)


def is_confirmation_tag(text: str, names: frozenset[str] = frozenset()) -> bool:
    """A claim with a tag asking to confirm it; not a commitment, and not a wh-question with a
    tag, which is rhetorical ("who thought that was a good idea, right?")."""
    stripped = text.strip()
    tag = _TAG.search(stripped)
    if tag is None:
        return False
    body = stripped[:tag.start()]
    # A claim needs something to confirm: "It should have, right?" holds no content word.
    if not {t.lower for t in tokens(body)} - STOPWORDS - names or _COMMITS.match(body):
        return False
    return not any(opens_a_question(part, names) for part in clauses(body, every=True))


def holds_embedded(text: str) -> bool:
    """An embedded question: "I was also wondering whether we can edit the text ourselves."."""
    return bool(_EMBEDDED.search(text))


_VIEW = re.compile(r"^(?:(?:so|and|okay|ok|also|well|oh|sorry)[,\s]+)*(?:[A-Z][^\W\d_]+,\s*)?"
                   + _ASKS_A_VIEW, re.IGNORECASE)


def asks_a_view(text: str) -> bool:
    """ "Would you prefer Tuesday?", "would you recommend the blue one?": the one asked is to
    answer, not to do anything, so it is a question and never an action item."""
    return bool(_VIEW.match(text.strip()))


def asks_to_be_told(text: str) -> bool:
    """A question that asks for an answer even though it opens as a request ("can you look at
    the lights and tell me which ones are on?"): a question, not an action item."""
    return bool(_TOLD.search(text.strip()))


@lru_cache(maxsize=4096)
def is_question(text: str, names: frozenset[str] = frozenset()) -> bool:
    stripped = text.strip()
    if _CHIT_CHAT.match(stripped) or _ROOM.match(stripped) or (any(_REQUEST.match(part) for part in clauses(stripped, every=True))
                                      and not asks_to_be_told(stripped)):
        return False
    if stripped.endswith("?") and _GUESS.match(stripped):
        return False
    if stripped.endswith("?") or _EMBEDDED.search(stripped):
        return True
    return any(opens_a_question(part, names) for part in clauses(stripped))


# A lead-in the question needs: a condition ("and if the flooring has to be replaced, do I ...")
# or the thing it asks about ("and the deductible, is it the thousand dollars?").
_NEEDED_LEAD_IN = frozenset("if when once after before unless the this that these those our your my their".split())


def question_proper(text: str, names: frozenset[str] = frozenset()) -> str:
    """The question without what leads up to it: "Sorry, I know you're swamped, but is that one
    new?" -> "Is that one new?", "We sent the mockups last week, did you get a chance to look at
    them?" -> "Did you get a chance to look at them?". A sentence that opens as a question, or
    whose lead-in is a condition, the thing asked about or what the question's "that" points
    to ("so you're on three inboxes, is that still the case?"), is kept whole, as are embedded
    questions and sentences without a "?"."""
    stripped = text.strip()
    if not stripped.endswith("?") or holds_embedded(stripped) or opens_a_question(stripped, names):
        return stripped
    lead = [t.lower for t in tokens(stripped)]
    while lead and lead[0] in _FILLERS:
        lead = lead[1:]
    if lead and lead[0] in _NEEDED_LEAD_IN:
        return stripped
    for m in _LEAD_IN.finditer(stripped):
        part = stripped[m.end():]
        # "..., is that still the case?", "..., didn't you?": the lead-in holds what is asked.
        if opens_a_question(part, names) and len({t.lower for t in tokens(part)} - STOPWORDS - names) >= 2:
            words = part.split()
            while len(words) > 1 and words[0].lower().strip(",") in _FILLERS:
                words = words[1:]  # "but is that one new" -> "is that one new"
            rest = " ".join(words)
            return rest[:1].upper() + rest[1:]
    return stripped


def clauses(text: str, every: bool = False) -> list[str]:
    """The sentence, then what follows each (short, unless `every`) lead-in: "sorry, what did
    you say" -> "what did you say"."""
    return [text] + [text[m.end():] for m in _LEAD_IN.finditer(text)
                     if every or len(text[:m.start()].split()) <= _LEAD_IN_WORDS]


def opens_a_question(stripped: str, names: frozenset[str]) -> bool:
    words = [t.lower for t in tokens(stripped)]
    # Skip a leading vocative and fillers: "Bob, can you…", "So what do we do".
    while words and (words[0] in _FILLERS or words[0] in names):
        words = words[1:]
    if len(words) < 2:
        return False
    first, second = words[0], words[1]
    if _INDIRECT.match(" ".join(words)):
        return True
    if first in _WH:
        if first in ("what", "how") and second in ("a", "an"):  # "what a day", "how a…"
            return False
        if first == "what" and _WHAT_CLAUSE.match(" ".join(words)):
            return False
        if first == "which" and _RELATIVE_WHICH.search(stripped):
            return False
        return second.split("'")[0] not in _PRONOUN_CLAUSE  # "what I'd like to do is ..."
    if first in _WH_NEEDS_AUX:
        return second in _AUXILIARIES
    if first in _AUXILIARIES:
        if (first, second) in _IMPERATIVES or first == "have" and second not in _PRONOUNS:
            return False  # "do it now", "have a look"
        return second in _SUBJECTS or second in names
    return False
