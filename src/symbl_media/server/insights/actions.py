"""Action items and follow-ups: commitments and requests, with an assignee and a due date.

A local heuristic, not Symbl's model. A sentence is an action item when it holds a commitment
("I will…", "I'm going to…", "let me check…"), a request ("please…", "can you…", "X, could
you…", "you need to…", "make sure…"), a group intention ("let's…", "we need to…") or an
assignment ("Dana will…"). Which of them are follow-ups is follow_ups.py's job.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from . import fillers, imperatives, telling
from .listeners import ASKED
from .people import NOT_NAMES, People

IMPERATIVES = (
    "send share review check update schedule call email fix finish prepare write draft book "
    "follow ping forward add create submit file test deploy ship upload sign complete organise "
    "organize arrange confirm order buy pay reply respond read reach put move clean publish post "
    "print merge push invite remind contact set loop double-check ring text phone").split()
POLITE_REQUEST = (r"\b(?:(?:is\s+there\s+)?any\s+(?:chance|way)|(?:do\s+you\s+)?think)\s+you\s+(?:could|can|might)\s+|"
                  r"\bwould\s+it\s+be\s+possible\s+(?:for\s+you\s+)?to\s+|\bis\s+it\s+possible\s+for\s+you\s+to\s+|\bare\s+you\s+able\s+to\s+")
# A request put as the speaker's wondering: "I was wondering whether you could deliver on the
# Friday", "... if you'd be able to get it updated by the end of the month"; not "whether you'd
# consider a credit" (a decision asked for), nor "if you could tell me" (information).
WONDERING_ASKED = (r"\bi(?:\s+(?:was|am)|\s*['’]m)\s+(?:just\s+|also\s+)?wondering\s+(?:if|whether)\s+you\s*"
                   r"(?:could|would\s+be\s+able\s+to|['’]d\s+be\s+able\s+to)\s+(?!(?:tell|explain|clarify|confirm|remind|let\s+me\s+know)\b)")
WHOEVER_ASKED = r"\b(?:can|could|would)\s+(?:someone|somebody|anyone|anybody)\s+(?!(?:hear|see|think|tell|remember|explain|guess|help\s+me\s+understand)\b)"
OFFER_TRIGGER = (r"\b(?:(?:do|did)\s+you\s+)?(?:want|need)\s+me\s+to\s+|\bwould\s+you\s+like\s+me\s+to\s+|"
                 r"\b(?:shall|should)\s+i\s+(?:just\s+)?(?:go\s+ahead\s+and\s+)?|"
                 r"\b(?:would|will|does|might)\s+it\s+help\s+if\s+i\s+|"
                 # the same offer put as a suggestion: "what if I came in early?", "how about I
                 # send you the draft?", "why don't I call them?"
                 r"\b(?:what\s+if|how\s+about|why\s+don['’]?t)\s+i\s+(?:just\s+)?|"
                 r"\b(?:can|could|may)\s+i\s+(?=(?:send|forward|email|get|grab|bring|book|set\s+up|show)\s+you\b)")
# Words between a trigger and its verb: "I'll also just send", "I'm going to have to disagree".
_ADV = (r"(?:(?:guys|both|two|everyone|everybody|also|just|definitely|probably|then|quickly|still|really|first|now|all|both|only|go\s+ahead\s+and|please|"
        r"totally|fully|absolutely|certainly|honestly|maybe|perhaps|have\s+to|need\s+to|"
        # A pseudo-cleft: "what I'll do is reset it", "what we need to do is call them".
        r"do\s+is(?:\s+to)?|do\s+is\s+just)\s+){0,3}")
_KINDS: list[tuple[str, bool, float, re.Pattern]] = [
    (kind, definitive, score, re.compile(rx, re.IGNORECASE)) for kind, definitive, score, rx in [
        # The trigger starts the action phrase: "make sure the demo works", "let me know …".
        # "We want to make sure the migration is smooth" is an aim, not a request.
        ("request", True, 0.85, r"\b(?<!want\sto\s)(?<!wanted\sto\s)(?<!trying\sto\s)(?=(?:make\s+sure|let\s+(?:me|us)\s+know)\b)"),
        ("commitment", True, 0.9,
         (r"\bi\s*(?:will|'ll|’ll|shall|(?:am|'m|’m)\s+(?:also\s+|definitely\s+)?(?:going\s+to|gonna)|"
          r"can|could|should|need\s+to|have\s+to|must|promise\s+to|volunteer\s+to|'d\s+like\s+to|would\s+like\s+to|"
          r"(?:am|'m|’m)\s+planning\s+to|plan\s+to|intend\s+to)\s+")),
        ("commitment", True, 0.85, r"\blet\s+me\s+(?!know\b)"),
        # An offer ("do you want me to set up a call?", "shall I book it?"): the speaker's task
        # once the other side takes it up; action_items.py keeps it only then.
        ("commitment", True, 0.8, OFFER_TRIGGER),
        ("request", True, 0.9, r"\bplease\s+"),
        # "Would you be willing to do a quick session?"; not "would you be open to a longer contract?"
        ("request", True, 0.8, rf"\b(?:can|could|would|will)\s+{ASKED}\s+be\s+(?:willing|able|happy|open)\s+to\s+(?!(?:a|an|the|that|this|it|some|any)\b)"),
        # "can you …", and to more than one: "could both of you …", "can you two …", "would you guys …"
        ("request", True, 0.85, rf"\b(?:can|could|would|will)\s+{ASKED}\s+"),
        # To whoever takes it: "can someone weigh her this morning?"; replies.py keeps it only
        # when someone takes it on, and makes it theirs.
        ("request", True, 0.8, WHOEVER_ASKED),
        ("request", True, 0.8, WONDERING_ASKED),
        # "Do you mind sending me the invoice?": the gerund is the task (rewrite.py makes it "send").
        ("request", True, 0.8, rf"\bdo\s+{ASKED}\s+mind\s+(?=[^\W\d_]+ing\b)"),
        # Polite requests: "any chance you could ...", "(do you) think you could ...", "would it
        # be possible (for you) to ...", "are you able to ...".
        ("request", True, 0.8, POLITE_REQUEST),
        ("request", True, 0.8, r"\bif\s+you\s+(?:can|could)\s+"),
        # "I need someone to …", "I'd like you to call the supplier", "I'd like everyone to send
        # Elias photos": "I'd" is one word, its "'d" takes no space before it.
        ("request", True, 0.8, (r"\b(?:i|we)(?:\s+(?:need|want|would\s+like)|\s*['’]d\s+like)\s+"
                                rf"(?:someone|somebody|anyone|everyone|everybody|{ASKED})\s+to\s+")),
        ("request", True, 0.85, r"\byou\s*(?:need\s+to|have\s+to|must|should|'ll\s+need\s+to|will\s+need\s+to)\s+"),
        # The same asked of the whole room: "everyone needs to do the reaction time test before
        # Monday's session" (written "Everyone needs to …", as "please everyone …" is).
        ("request", True, 0.8, r"\b(?:everyone|everybody|each\s+of\s+you|all\s+of\s+you)\s+(?:needs\s+to|need\s+to|has\s+to|have\s+to|must)\s+"),
        # "Remember to ..." gives an order only as the clause's verb: "I need to remember to
        # breathe" is the speaker's own business.
        ("request", True, 0.85, r"(?:\bdon'?t\s+forget|(?:^|[,;]\s*|\b(?:please|just|and|so|also)\s+)(?:remember|be\s+sure))\s+to\s+"),
        # An imperative opening the sentence, after an optional name or filler: "Send it, please."
        # A name before it is set off by a comma ("Sam, send it"): every sentence opens with a
        # capital, and "The deploy went out Friday" is no order to deploy. Nor is the verb the
        # first part of a hyphenated noun or a clitic's host: "Sign-ups were up", "Check's in the post".
        ("request", True, 0.8, (r"^(?:(?-i:[A-Z][^\W\d_]+),\s*|(?:so|and|okay|ok|also|now|then|just|oh)[,\s]+|"
                                r"(?:if\s+(?:you\s+can|possible|you\s+get\s+a\s+(?:chance|minute|sec))|"
                                r"when\s+you\s+(?:can|get\s+a\s+(?:chance|minute|sec)))\s*,\s*|" + imperatives.CONDITION + ")*"
                                # letting someone know is an order too, whoever it is: "Just let the
                                # front desk know the numbers by Thursday" ("let the dough rest" is not)
                                rf"(?:go\s+ahead\s+and\s+)?(?=(?:{'|'.join(IMPERATIVES)})\b(?![,'’-])|let\s+(?:[\w'’-]+\s+){{1,3}}know\b)")),
        # Any other verb, in the frame imperatives.py reads as an order: "Ben, grab the keys."
        ("request", True, 0.8, imperatives.LEAD_IN),
        # An order after a clause, with "so", "then" or "but": "That's fine, but put it in
        # writing to me by the end of the day".
        ("request", True, 0.75, rf",\s+(?:so|then|and\s+then|but)\s+(?=(?:{'|'.join(IMPERATIVES)})\s+(?:me|us|the|a|an|it|that|this|your|them)\b)"),
        ("group", False, 0.7, r"\b(?:let'?s|let\s+us)\s+"),
        ("group", False, 0.75, (r"\bwe\s*(?:need\s+to|have\s+to|must|ought\s+to|should|will|'ll|’ll|shall|"
                                r"are\s+going\s+to|'re\s+going\s+to)\s+")),
        # The group's next meeting, set in the present with its time: "then we meet again
        # tomorrow at eleven", "we reconvene on Friday"; not a habit ("we meet every Monday") nor
        # the time of another task ("when we meet again next week, …").
        ("group", False, 0.75, (r"(?<!\bwhen\s)(?<!\buntil\s)(?<!\bbefore\s)(?<!\bafter\s)(?<!\bonce\s)(?<!\bif\s)"
                                r"\bwe\s+(?=(?:meet\s+(?:again|back)|reconvene|regroup)\s+(?:tomorrow|tonight|next|this|on|at|same|in\s+(?:a|two|three)\b|"
                                r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)")),
        # Symbl's own non-definitive example: "We can resize these little icons here".
        ("group", False, 0.65, r"\bwe\s+(?:could|can|might)\s+(?!not\b)"),
    ]]
_ORDER = next(pattern for *_, pattern in _KINDS if pattern.pattern == imperatives.LEAD_IN)
_VERB = re.compile(_ADV + r"([^\W\d_][\w'’-]*)", re.IGNORECASE)
_ASSIGNMENT = re.compile(
    r"\s*,?\s*(?:will|'ll|is\s+going\s+to|needs\s+to|has\s+to|should|can(?=\s+take\b)|is\s+(?:owning|taking)|"
    r"is\s+on(?=\s+(?:it|that|this)\b))\s+", re.IGNORECASE)  # "Priti is on the call" is there, not on a task
_CAN_NAME = re.compile(r"\b(?:can|could|would|will)\s+$", re.IGNORECASE)
_CAP_SUBJECT = re.compile(r"(?<![\w'])(?<!\bmy\s)(?<!\bour\s)(?<!\bthe\s)(?<!\byour\s)(?<!\bMy\s)(?<!\bOur\s)(?<!\bThe\s)([A-Z][a-z][^\W\d_]*)(?=\s*,?\s*(?:will|'ll|is\s+going\s+to|needs\s+to|has\s+to)\s)")
# What follows these triggers and is not a task: "I can see", "let me think", "could you repeat".
_NOT_TASKS = frozenset(
    "see hear say think guess know believe imagine understand be mean wonder feel agree hope love "
    "like want not never repeat remember recall tell assume suppose bet admit that "
    "this it so what how why when where there you we they i bear excuse forgive worry "
    "disagree miss rephrase reword hate enjoy relax panic freak laugh cry ever don't dont do't".split())
_PREDICTION = re.compile(r"(?:have|need|get|be)\b(?!\s+to\b)", re.IGNORECASE)
# "I should call her myself this week" is the speaker's own task; "I should have numbers by
# Thursday", "I should be there" expect rather than commit.
_SHOULD = re.compile(r"\bshould\s*$", re.IGNORECASE)
# "I'll need your accounts", "I'm going to need a copy": needing a thing, not doing anything.
_REQUIRES = re.compile(r"need\b(?!\s+to\b)", re.IGNORECASE)
# "You should get / see / receive ...": "should" that expects, not one that asks.
_EXPECTED = re.compile(r"you\s+should\b", re.IGNORECASE)
_RECEIVE = re.compile(r"(?:receive|notice|hear\s+back|(?:get|see|have|find)\s+(?:it|that|them|one|something)\b|"
                      r"get\s+(?:an?|the|your|our|my)\s+(?:[\w-]+\s+)?(?:e-?mail|text|message|notification|confirmation|call|"
                      r"letter|invite|invitation|link|code|receipt|reminder|alert|refund|update)s?)\b", re.IGNORECASE)
# "Be" is no task, except in getting back to someone: "we'll be in touch by Friday".
_IN_TOUCH = re.compile(r"be\s+in\s+touch\b", re.IGNORECASE)
# Verbs that mean leaving unless they take an object: "run a load test" is a task.
# What follows "confirm" when it states rather than checks: "I can confirm that it's fixed".
_STATED = re.compile(r"\s*(?:$|[,.;!?]|(?:that|it'?s|this\s+is|i|we|you|they|he|she|it|yes|no)\b)", re.IGNORECASE)
_LEAVING = frozenset("run go leave drop jump hang step head hop sign".split())
# "Aoife, you could send them in through the patient portal": what "you could" suggests is asked
# of the member named before it ("You could take it down to eight hundred" weighs an option;
# "Honestly, you could …" names nobody).
# (A comma before "you" opens a clause: the name is all the sentence says before it.)
_YOU_COULD = re.compile(r"you\s+(?:could|can)\s+(?!not\b)", re.IGNORECASE)
_NAMED = re.compile(r"(?:(?:so|and|then|okay|ok|now|also)[,\s]+)*(?P<name>(?-i:[A-Z])[^\W\d_]+)\s*,\s*", re.IGNORECASE)
# The same name before "you" and a verb in the present gives the task to them: "Emma, you take
# the lead on them tonight", "Kevin, you take the cabinets, and Ahmed, the fridges". The verb
# must read as an order would (imperatives.is_order: a base form with an object after it, in no
# question), less the verbs that only state a fact of them: "Emma, you know the drill", "Tom,
# you look tired", "Sam, you have the keys?".
_YOU_DO = re.compile(r"you\s+(?=[^\W\d_])", re.IGNORECASE)
_STATES = frozenset("know look have need want mean sound seem owe deserve".split())
# "do" with nothing to do: "please do.", "please do, ...", "what I'll do is, ..."
_BARE_DO = re.compile(r"\s*(?:$|[,.;!?]|is\s*,|so\b)", re.IGNORECASE)
# A comparison, not a promise: "as ready as I'll ever be", "you've already done more this
# morning than I'll do all week".
_AS_EVER = re.compile(r"(?:\bas\s+\w+\s+as|\bthan)\s+(?:i|we)\s*(?:'ll|’ll|will|can|could)\s*$", re.IGNORECASE)
_AS_EVER_REACH = 80  # characters: "as <one word> as I'll", with room for a long word
_NO_OBJECT = re.compile(r"\s*(?:$|[,.;!?]|(?:now|off|out|soon|early|away|home|in\s+a\s+(?:minute|sec|second|bit))\b)",
                        re.IGNORECASE)

_NEXT_CLAUSE = re.compile(r"\s*[,;]\s+(?!" + fillers.SET_OFF + r")(?:(?:and|but|or|so|because)\s+)?(?:then\s+)?"
                          r"(?:(?:honestly|frankly|actually|basically|probably|hopefully|obviously),?\s+)?"
                          r"(?=(?:i|you|it|they|he|she|we|that|which|this|there)\b(?!\s*[,.?!])|"
                          r"(?-i:[A-Z][a-z]+)\s+(?:will|'ll|is\s+going\s+to|needs\s+to|has\s+to)\s)"
                          r"|\s+and\s+(?=(?:i|we)(?:'ll|’ll|\s+will|\s+can)\s)"
                          # a share of the work handed to a second name: "Kevin, you take the
                          # cabinets, and Ahmed, the fridges" (_to_another reads it)
                          r"|\s*,\s+and\s+(?=(?-i:[A-Z])[^\W\d_]+,\s)"
                          # unpunctuated, how the speaker would take it: "if you could clear the
                          # cupboard before Thursday that'd help"
                          r"|\s+(?=that(?:'d|’d|\s+would)\s+(?:help|be\s+(?:great|good|ideal|perfect|helpful|lovely|brilliant|amazing))\b)",
                          re.IGNORECASE)


# A condition that closes a clause, with a comma, just before another clause: it is that clause's
# ("I'll ask him on Monday, and if he can't, I'll email the office").
_LEADS_ON = re.compile(r",\s*(?:(?:and|but|so|or)\s+)?(?:if|when|once|unless|as\s+soon\s+as|in\s+case)\b[^,;]*$",
                       re.IGNORECASE)
# Not when the next clause is joined on: "let's meet Thursday, once we have the references, and
# we'll finalise the scores" meets once they have them.
_JOINED_ON = re.compile(r"\s*[,;]\s+(?:and|but|or|so|because)\b", re.IGNORECASE)
_WORD_ENDS = re.compile(r"\S+")
_MAX_WORDS = 40  # an action phrase is a clause, not an unpunctuated hour
_MAX_ACTIONS = 20  # per sentence


@dataclass(frozen=True)
class Action:
    kind: str  # commitment | request | group | assignment
    start: int  # where the action phrase starts in the sentence
    end: int
    trigger: int  # where the trigger ("I will", "please", "Dana will") starts
    definitive: bool
    score: float
    who: str | None = None  # the named subject of an assignment
    begin: int = 0  # where the action's clause begins: its dates are said after this

    # The verb a second name's share borrows from the first ("Kevin, you take the cabinets, and
    # Ahmed, the fridges": Ahmed's phrase is "take the fridges"); "" when the phrase has its own.
    verb: str = ""

    def phrase(self, sentence: str) -> str:
        said = sentence[self.start:self.end]
        return f"{self.verb} {said}" if self.verb else said


def detect(sentence: str, people: People | None = None) -> Action | None:
    """The first action in `sentence`, or None."""
    return _first(sentence, 0, len(sentence), _phrase_end(sentence),
                  people.members_in(sentence) if people else [])


def detect_all(sentence: str, people: People | None = None) -> list[Action]:
    """Every action in `sentence`, one per clause: "if you can send me the export, I'll map
    the fields" holds two. Linear in the sentence: each clause is searched once."""
    last = _phrase_end(sentence)
    mentions = people.members_in(sentence) if people else []
    found: list[Action] = []
    at = 0
    for boundary in itertools.chain(_NEXT_CLAUSE.finditer(sentence), (None,)):
        until = boundary.start() if boundary else len(sentence)
        if until > at and ((action := _first(sentence, at, until, last, mentions)) is not None
                           or (action := _to_another(sentence, at, until, last, mentions, found)) is not None):
            found.append(action)
        if boundary is None or len(found) >= _MAX_ACTIONS:
            break
        at = boundary.end()
    return found


def _first(sentence: str, at: int, until: int, last: int, mentions: list) -> Action | None:
    """The first action whose trigger lies in sentence[at:until]."""
    last = min(last, until)
    found: list[Action] = []
    for kind, definitive, score, pattern in _KINDS:
        for m in pattern.finditer(sentence, at, until):
            if pattern is _ORDER and not imperatives.is_order(sentence, m.end()):
                continue
            start = _verb_start(sentence, m.end())
            if kind == "group" and start is not None and _PREDICTION.match(sentence, start) \
                    and not _IN_TOUCH.match(sentence, start):
                continue  # "we'll only have thirty agents", "we'll need an export": not tasks
            if kind == "commitment" and start is not None and _REQUIRES.match(sentence, start):
                continue  # "I'll need your last two years of accounts": what the speaker requires of others
            if kind == "commitment" and start is not None and _SHOULD.search(m.group()) \
                    and _PREDICTION.match(sentence, start):
                continue  # "I should have numbers by Thursday": expected, when another task is done
            if kind == "request" and start is not None and _EXPECTED.match(sentence, m.start()) \
                    and _RECEIVE.match(sentence, start):
                continue  # "you should get an email in a few minutes": what will happen to them
            if start is not None and start < last:
                found.append(Action(kind, start, _clause_end(sentence, start, last), m.start(), definitive, score))
                break
    if (could := _YOU_COULD.match(sentence, at, until)) and (named := _NAMED.fullmatch(sentence, 0, at)) \
            and any(x.start == named.start("name") for x in mentions):
        start = _verb_start(sentence, could.end())
        if start is not None and start < last:
            found.append(Action("request", start, _clause_end(sentence, start, last), could.start(), True, 0.8))
    if not found and (you := _YOU_DO.match(sentence, at, until)) and (named := _NAMED.fullmatch(sentence, 0, at)) \
            and any(x.start == named.start("name") for x in mentions) \
            and sentence[you.end():].split(None, 1)[0].lower() not in _STATES \
            and imperatives.is_order(sentence, you.end(), taking=True):
        start = _verb_start(sentence, you.end())
        if start is not None and start < last:
            found.append(Action("request", start, _clause_end(sentence, start, last), you.start(), True, 0.8))
    for who, trigger, after in _assignments(sentence, mentions, at, until):
        start = _verb_start(sentence, after)
        if start is not None and start < last:
            found.append(Action("assignment", start, _clause_end(sentence, start, last), trigger, True, 0.85, who))
    if not found:
        return None
    return replace(min(found, key=lambda a: (a.trigger, a.kind != "assignment")), begin=at)


# A clause that opens on a member's name set off by a comma, after an order to someone else:
# "…, and Ahmed, the fridges and freezers", "…, and Ahmed, email the landlord".
_ANOTHER = re.compile(r"(?P<name>(?-i:[A-Z])[^\W\d_]+)\s*,\s+")
# What opens a share said without its verb: "the fridges", "your two", "both rooms".
_SHARE = re.compile(r"(?:the|a|an|your|his|her|their|those|these|this|that|all|both|each|every|some)\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def _to_another(sentence: str, at: int, until: int, last: int, mentions: list, found: list[Action]) -> Action | None:
    """One message handing two members a share each: "Kevin, you take the cabinets and the cold
    room, and Ahmed, the fridges and freezers." The second name's clause is their own task, with
    the first order's verb when it has none ("take the fridges and freezers") or with its own
    ("…, and Ahmed, email the landlord"). Only right after an order to a name, and only for a
    member named: "…, and Tuesday, the rest" hands nothing to anyone."""
    if not found or found[-1].kind not in ("request", "assignment") or at == 0:
        return None
    named = _ANOTHER.match(sentence, at)  # "Ahmed, you take …" ends its clause at "Ahmed": ", you" opens one
    if named is None or not any(x.start == named.start("name") for x in mentions):
        return None
    who = next(x.name for x in mentions if x.start == named.start("name"))
    first = found[-1]
    if _SHARE.match(sentence, named.end()):
        verb = _FIRST_WORD.match(sentence, first.start)
        if verb is None or first.verb:
            return None
        return Action("assignment", named.end(), _clause_end(sentence, named.end(), last), named.start(), True, 0.8,
                      who, at, verb.group())
    order = (you.end() if (you := _YOU_DO.match(sentence, named.end())) else named.end())
    if (you is None or sentence[order:].split(None, 1)[0].lower() not in _STATES) \
            and imperatives.is_order(sentence, order, taking=you is not None) \
            and (start := _verb_start(sentence, order)) is not None and start < last:
        return Action("assignment", start, _clause_end(sentence, start, last), named.start(), True, 0.8, who, at)
    return None


def _clause_end(sentence: str, start: int, last: int) -> int:
    """Where the action's clause ends: at a comma that opens another clause ("..., and it
    usually takes a week", "..., or I can change it"), else at `last`; in unpunctuated speech
    at most _MAX_WORDS words on, at the last "and" or word boundary before."""
    m = _NEXT_CLAUSE.search(sentence, start, last)
    end = m.start() if m else last
    if _NEXT_CLAUSE.match(sentence, end) and not _JOINED_ON.match(sentence, end) \
            and (lead := _LEADS_ON.search(sentence, start, end)):
        end = lead.start()  # "…, and if he can't, I'll email the office": the condition is the next clause's
    words = _WORD_ENDS.finditer(sentence, start, end)
    for i, w in enumerate(words):
        if i == _MAX_WORDS:
            cut = sentence.rfind(" and ", start, w.start())
            return cut if cut > start else w.start()
    return end


def _verb_start(sentence: str, at: int) -> int | None:
    m = _VERB.match(sentence, at)
    if not m or m.group(1).lower() in _NOT_TASKS and not _IN_TOUCH.match(sentence, m.start(1)) \
            and not (m.group(1).lower() == "tell" and telling.reaches_someone(sentence, m.end())):
        return None
    if m.group(1).lower() in _LEAVING and _NO_OBJECT.match(sentence, m.end()):
        return None  # "I have to run", "we need to go": leaving, not a task
    if m.group(1).lower() == "confirm" and _STATED.match(sentence, m.end()):
        return None  # "I can confirm that it's fixed" says something; "I'll confirm with finance" is a task
    if m.group(1).lower() == "do" and _BARE_DO.match(sentence, m.end()):
        return None  # "yes, please do, silence it": agreeing; "what I'll do is, after Thursday I'll send ...": the task follows
    # Only the words just before the trigger: searching from the sentence's start made every
    # trigger cost the whole sentence (quadratic in unpunctuated speech).
    if _AS_EVER.search(sentence, max(0, at - _AS_EVER_REACH), at):
        return None  # "as ready as I'll ever be"
    return m.start(1)



# What may close a sentence after its action, in the order they are taken off: an offer's tag
# ("…, want me to?"), a request's ("…, would you?"), asking whether it suits ("if that's okay", whole: not "…, if that's."), a
# reply word ("please", "yes"), a name, and the conjunction a reply word leaves ("I'll double
# check the wording, but yes" is not "…, but.").
_CLOSINGS = [re.compile(rx, re.IGNORECASE) for rx in (
    r",?\s*\b(?:(?:do\s+you\s+)?want\s+me\s+to|shall\s+i|should\s+i)$",
    r",\s*(?:would|will|could|can)\s+you(?:\s+please)?$",  # a request's tag: "send it, would you?"
    r",?\s*\bif\s+(?:you['’]?d\s+like|you\s+would\s+like|you\s+want|you\s+like|you\s+prefer|that\s+works|"
    r"that['’]?s\s+(?:ok|okay|alright|all\s+right|fine))$",
    r"(?:,?\s*\b(?:please|yeah|yes|okay|ok|right|thanks))$",
    r"(?-i:,\s*[A-Z][^\W\d_]+)$",
    r",\s*(?:but|and|or|so)$",
)]


def _phrase_end(sentence: str) -> int:
    """The end of the action phrase: without end punctuation, a trailing "please" or ", Bob"."""
    text = sentence.rstrip(" .!?…\"'”)")
    for closing in _CLOSINGS:
        text = closing.sub("", text)
    return len(text.rstrip(" ,"))


def _assignments(sentence: str, mentions: list, at: int, until: int):
    """Named subjects given a task in sentence[at:until]: "Dana will send…", "can Bob take…"."""
    mentions = [x for x in mentions if at <= x.start < until]
    for mention in mentions:
        m = _ASSIGNMENT.match(sentence, mention.end)
        if m and _subject(sentence, mention.start, m):
            yield mention.name, mention.start, m.end()
        else:
            window = max(at, mention.start - 12)
            can = _CAN_NAME.search(sentence[window:mention.start])
            if can:
                yield mention.name, window + can.start(), mention.end
    named = {x.start for x in mentions}
    for m in _CAP_SUBJECT.finditer(sentence, at, until):
        if m.group(1).lower() not in NOT_NAMES and m.start() not in named:
            after = _ASSIGNMENT.match(sentence, m.end())
            if after and _subject(sentence, m.start(), after):
                yield m.group(1), m.start(), after.end()


def _subject(sentence: str, start: int, verb: re.Match) -> bool:
    """A name before "will" is its subject; with a comma between only as an apposition ("our
    recruiter, Jordan, will reach out"), not as a vocative ("Sure Bob, will do")."""
    return "," not in verb.group() or sentence[:start].rstrip().endswith(",")
