"""Does a sentence shaped like a question ask for information, read in its conversation?

Many sentences with a "?" ask nothing about the work (Symbl's questions leave chit chat out).
Each rule here is one kind of turn that is not asking, found from who says it, to whom, what
it is about and what the next speaker does with it, rather than from a list of sentences:

- small talk: how someone is ("six weeks to go, how are you feeling?"), and warming up as the
  call opens (question_openings.py: "How was everyone's week?", "Did anyone else get soaked?");
- the call itself: who is on the line ("is this Jennifer Walsh?"), a caller introducing
  themselves with a rising tone, and yes/no questions whose every content word is about the
  call (hearing, seeing, recording, taking minutes, something sent on the call arriving);
- taking or passing the floor: "can I also raise the parking?", "you want to do specials
  first?";
- a guess or a proposal said with a rising tone: a statement with a "?" that hedges ("I'd say
  P2?", "like ninety days and then review?", "so we'd lose, what, fourteen seats?");
- a proposal taken up: "can we make it expire?" answered "yes, ... I'll set a ninety-day
  expiry", or put to someone by name: an action item for the one who takes it, not a question;
- a fragment that pins down the other speaker's statement ("Wednesday this week?") asks, unlike
  an echo or a guess (question_clarifies.py);
- an appendix: a tag or a question with no content of its own straight after the speaker's
  own question ("Why didn't the alert fire? Does anyone know?"), an alternative opened by "or",
  or a question pointing back to ask how it stands ("Where are we on that?"), part of that
  question; and a question with no content of its own handing over the one after it ("What
  do you think, Luis? Is that realistic?"); and a thing raised with no verb of its own before
  the speaker's own question on it ("What about shade? Are we getting the marquees again?");
- and the moves of question_moves.py: offers, suggestions, checking the room, reactions.
"""

from __future__ import annotations

import re

from . import question_clarifies, question_moves, question_openings
from .conversation import Conversation, Message, Sentence
from .people import People
from .question_forms import WELLBEING, clauses, holds_embedded, is_question, opens_a_question
from .words import STOPWORDS, tokens

# How someone's life outside the work is: "how are your kids?" ("how are your store managers
# using it?" asks about the work).
_HOME_LIFE = (r"how\s+(?:are|is|'s|was|were)\s+(?:your|the)\s+(?:kids|children|family|folks|parents|wife|husband|"
              r"partner|son|daughter|baby|dog|cat|mum|mom|dad|holidays?|vacation|new\s+(?:house|place|home|baby))(?=\W*$)")
_SMALL_TALK = re.compile(r"^(?:(?:so|and|um|uh|well|okay|ok|oh|anyway|hi|hey|hello)[,\s]+)*(?:" + WELLBEING + "|" + _HOME_LIFE +
                         r"|(?:are|have)\s+you\s+(?:been\s+)?(?:settling|settled)\s+in\b"
                         # Time off and the weather where someone is: "how did the weekend go?",
                         # "what's the weather like over there?" ("any news on the weather?" asks)
                         r"|how\s+(?:was|did|were|is|'s)\s+(?:your|the)\s+(?:weekend|holidays?|vacation|break|time\s+off|long\s+weekend)(?:\s+go)?(?=\W*$)"
                         r"|what(?:'s|\s+is)\s+the\s+weather\s+(?:like\s+)?(?:over\s+)?(?:there|where\s+you\s+are)\b"
                         r"|is\s+it\s+(?:as|this|that|still)\s+(?:hot|cold|warm|wet|rainy|humid|sunny|windy|snowy)\s+(?:over\s+)?(?:there|where\s+you\s+are)\b"
                         # Answering the phone: "thanks for calling ..., how can I help?"
                         r"|(?:how\s+(?:can|may|could)\s+i|what\s+can\s+i\s+do\s+for)\s+(?:help\s*)?(?:you\s*)?(?:today\s*)?\W*$"
                         # "How's the school year treating you so far?": how life is treating them
                         r"|how(?:'s|\s+is|\s+are|\s+has|\s+have)\s+(?:[\w'-]+\s+){1,4}(?:been\s+)?treating\s+(?:you|you\s+all|y'all)\b)", re.IGNORECASE)
_IDENTITY = re.compile(r"^(?:(?:hello|hi|hey|yes|yeah|so|sorry|good|morning|afternoon|evening)[,\s]+)*(?:is\s+(?:this|that|it)|am\s+i\s+(?:speaking|talking)"
                       r"\s+(?:to|with)|are\s+you)\s+(?P<who>[^?]+?)\W*$", re.IGNORECASE)
_INTRODUCTION = re.compile(r"\b(?:this\s+is|it'?s|i'?m|my\s+name\s+is|name'?s)\s+(?P<who>[A-Z][^\W\d_]+)")
# Opening a call: a greeting, then a name ("Hello, is that Patrick?") or the caller's own ("Hi,
# this is Robert Chen, ..."), whether or not the transcript knows that person by that name.
_GREETING = re.compile(r"^(?:hello|hi|hey|good\s+(?:morning|afternoon|evening))\b", re.IGNORECASE)
_PROPER_NAME = re.compile(r"[A-Z][^\W\d_]+(?:\s+[A-Z][^\W\d_]+){0,2}$")
_GREETING_INTRODUCTION = re.compile(r"^(?:hello|hi|hey|good\s+(?:morning|afternoon|evening))[,\s]+"
                                    r"(?:this\s+is|it'?s|i'?m|my\s+name\s+is)\s+(?-i:[A-Z])", re.IGNORECASE)
# Words that are about the call rather than the work. A yes/no question made only of these,
# names and function words asks about the call: "Nora, are we recording?", "Did it arrive?".
_CALL_WORDS = frozenset("""
hear hearing heard see seeing seen screen screens share sharing shared record recording recorded
mute muted unmute unmuted audio video camera sound connection line link chat minutes notes
arrive arrived arriving come coming through frozen freeze freezing lag lagging loud clear audible
visible online join joined joining dial dialled dialed invite agenda catch
lose lost losing drop dropped dropping today still yet
""".split())
# Whether the call can go on: someone's time, who is there ("is this a good time?", "are we all here?").
_PRESENCE = re.compile(r"^(?:(?:so|and|okay|ok|well|oh|hi|hey|hello|sorry|um|uh)[,\s]+)*(?:[A-Z][^\W\d_]+,\s*)?(?:"
                       r"is\s+(?:this|now|it)\s+(?:still\s+)?(?:an?\s+)?(?:good|bad|ok|okay)\s+time|(?:do\s+you\s+)?(?:have|got)\s+"
                       r"(?:a\s+)?(?:minute|sec|second|moment)|(?:are|is)\s+(?:you|we|everyone|everybody|they)\s+(?:all\s+|still\s+)?"
                       r"(?:here|there|in|on|back|set|ready(?:\s+to\s+(?:get\s+started|start|begin|go|kick\s+off|roll))?)(?=\W*$)|you'?re\s+(?:joining|calling|dialling|dialing|driving)\b|"
                       # where someone is joining from, whether someone is coming, and a late
                       # arrival catching up: "are you joining from the car?", "is Catrin on her
                       # way?", "what did I miss?" ("what did we miss in the audit?" asks)
                       r"are\s+you\s+(?:(?:joining|calling|dialling|dialing|phoning)\s+(?:in\s+)?from\b|driving(?=\W*$))|"
                       r"is\s+(?-i:[A-Z])[^\W\d_]+\s+(?:still\s+)?on\s+(?:his|her|their)\s+way(?=\W*$)|"
                       r"what\s+(?:did|have)\s+i\s+(?:just\s+)?miss(?:ed)?(?=\W*$)|"
                       r"where\s+are\s+you\s+(?:calling|dialling|dialing|joining|phoning)\s+(?:in\s+)?from\b|how\s+are\s+we\s+(?:doing\s+)?(?:on|for)\s+time|"
                       r"how\s+much\s+time\s+(?:do\s+we\s+have|have\s+we\s+got|is\s+left)(?:\s+left)?(?:\s+today)?(?=\W*$)|are\s+we\s+(?:over|out\s+of|running\s+"
                       r"(?:out\s+of|over|short\s+on))\s+time|(?:can|could|shall|should)\s+we\s+take\s+(?:a\s+)?(?:quick\s+|short\s+)?"
                       r"(?:break|five|ten)|any\s+other\s+business)", re.IGNORECASE)
# A request to whoever takes it ("can someone send me the link?") or a suggestion ("why don't we
# push it a week?", "how about we ...", "shall we say Tuesday?"): something to do, not to answer.
_REQUEST_OR_SUGGESTION = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|oh|sorry|hey|also|then|alright|right)[,\s]+)*(?:"
    r"(?:can|could|would|will)\s+(?:someone|somebody|anyone|anybody)\s+(?!(?:tell|explain|confirm|remind|answer|"
    r"clarify|help\s+me\s+understand)\b)[^\W\d_]+|(?:is\s+there\s+)?any\s+(?:chance|way)\s+(?:you|someone|we)\s+(?:could|can|might)|"
    r"would\s+it\s+be\s+possible\s+to\s+(?!(?:tell|explain|clarify|confirm|know|find\s+out|see|understand)\b)|"
    r"are\s+you\s+able\s+to\s+(?!(?:tell|explain|clarify|confirm|hear|see)\b)|think\s+you\s+(?:could|can)\s+(?!tell|explain|clarify|confirm|remind)|"
    r"(?:do\s+you\s+|would\s+you\s+)?mind\s+[^\W\d_]+ing|why\s+don'?t\s+(?:we|you|i)|"
    r"(?:is|would)\s+it\s+(?:be\s+)?possible\s+for\s+you\s+to|(?:can|could|may)\s+i\s+ask\s+you\s+to|"
    r"do\s+you\s+think\s+you\s+(?:could|can|might)\s+(?!tell|explain|clarify|confirm|remind)|"
    r"(?:do|would)\s+you\s+mind\s+if\s+(?:i|we)|"
    # also to one of several ("I was wondering if either of you could take it")
    r"i(?:\s+(?:was|am)|\s*['’]m)\s+(?:just\s+|also\s+)?wondering\s+(?:if|whether)\s+(?:(?:you|(?:either|one|any)\s+of\s+you)\s*"
    r"(?:could|would\s+be\s+able\s+to|['’]d\s+be\s+able\s+to))\s+"
    r"(?!tell|explain|clarify|confirm|remind|let\s+me\s+know)|how\s+about\s+(?:we|i|you)\s+[^\W\d_]+|"
    r"shall\s+we\s+(?:say|make\s+it|do|go\s+with|book|meet|pencil)|"
    # telling the others what the speaker knows: "Craig, can you tell everyone where we are?"
    r"(?:can|could|would|will)\s+you\s+(?:please\s+|quickly\s+|just\s+)?(?:tell|update|brief|fill\s+in|remind)\s+"
    r"(?:everyone|everybody|the\s+(?:team|group|others|rest|room)|them))\b", re.IGNORECASE)
# A tag on an opinion seeks agreement ("that was a great demo, wasn't it?", "it's a lot of money,
# don't you think?"); a tag on a fact asks to confirm it ("the deductible is a thousand, right?").
_TAG = re.compile(r",\s*(?:right|correct|yeah|yes|no|huh|eh|don'?t\s+you\s+think|wouldn'?t\s+you\s+say|is\s+that\s+right|"
                  r"(?:is|are|was|were|do|does|did|have|has|had|will|would|can|could|should)n'?t\s+\w+)\?$", re.IGNORECASE)
# "..., remember?" reminds the others of what they share; it asks for nothing the speaker does
# not know ("we tested the rollback, didn't we?" asks to confirm a claim: a question).
# "..., surely?" says what the speaker is sure of and wants agreed ("we just buy four more, surely?").
_AGREEMENT_TAG = re.compile(r",\s*(?:huh|eh|don'?t\s+you\s+think|wouldn'?t\s+you\s+say|remember|surely)\?$", re.IGNORECASE)
_OPINION = re.compile(r"\b(?:great|good|nice|amazing|awesome|fantastic|lovely|beautiful|brilliant|impressive|cool|fun|"
                      r"exciting|interesting|crazy|wild|insane|ridiculous|funny|weird|strange|bad|terrible|awful|"
                      r"horrible|tough|hard|scary|nuts|a\s+lot|quite\s+something|been\s+there|worth\s+it|too\s+much|"
                      # a judgement said with a hedge, or of what matters: "the labs were kind of
                      # optional, weren't they?", "the ones who run off are the important ones, right?"
                      r"kind\s+of|sort\s+of|important)\b",
                      re.IGNORECASE)
# Rhetorical questions and reactions that expect no answer.
_RHETORICAL = re.compile(r"\b(?:what\s+could\s+(?:possibly\s+)?go\s+wrong|how\s+hard\s+can\s+it\s+be|who\s+knew|"
                         r"what'?s\s+not\s+to\s+(?:like|love)|(?:are\s+you|you'?re)\s+(?:serious|kidding|joking)|"
                         r"can\s+you\s+(?:believe|imagine)(?:\s+(?:it|that|this))?|is\s+that\s+so|how\s+about\s+that|"
                         r"what\s+are\s+the\s+odds|who\s+(?:would|could)(?:'?ve|\s+have)?\s+(?:thought|guessed|known|believed|imagined|predicted)|"
                         r"why\s+would\s+(?:anyone|anybody)\b|what\s+(?:more|else)\s+(?:can|could)\s+(?:i|one)\s+say|what\s+else\s+is\s+new|"
                         r"isn'?t\s+(?:it|that)\s+(?:great|amazing|funny|crazy|wild|something|nice|lovely|cool)|"
                         # a judgement put as a question: "isn't it a bit odd to advertise bikes in the
                         # subway?", "wouldn't it be weird to announce shows ...?"
                         r"(?:isn'?t|wouldn'?t)\s+(?:it|that)\s+(?:be\s+)?(?:a\s+bit\s+|a\s+little\s+|kind\s+of\s+|just\s+)?"
                         r"(?:odd|weird|strange|silly|mad|crazy|daft|ironic|bizarre)|"
                         # a complaint: "why is it always June?", "a Sunday", "me"; "why do they
                         # always do this to us?", "when am I ever late?" ("why does the build always
                         # fail on Mondays?", "why is it always timing out after the deploy?" ask)
                         r"why\s+(?:is|was)\s+it\s+always\s+(?:me|us|you|him|her|them|the\s+same\s+[\w-]+|(?:on\s+)?(?:a\s+|an\s+|the\s+)?(?-i:[A-Z])[^\W\d_]+)(?=\W*$)|why\s+(?:do|does|did|must)\s+\w+\s+always\s+[^?]*\bto\s+(?:me|us)(?=\W*$)|"
                         r"when\s+(?:am|was|have|do)\s+i\s+ever\b|"
                         # what one is "supposed to" do, answered at once by the speaker with what
                         # cannot be meant: "Where are we supposed to park, on the roof?", "What were
                         # they supposed to do, ski in Tempe?" ("is the board supposed to respond?" asks)
                         r"^(?:(?:so|and|but|well|oh|then)[,\s]+)*(?:what|where|how|who|when)\s+(?:am|are|is|was|were)\s+[\w']+\s+"
                         r"supposed\s+to\s+[^,?]+,\s*[^,?]+(?=\?$))(?=\W)", re.IGNORECASE)
_FLOOR = re.compile(
    r"\b(?:(?:can|could|may)\s+(?:i|we)\s+(?:also\s+|just\s+|quickly\s+|briefly\s+)?(?:talk\s+about|ask\s+about|discuss|raise|"
    r"bring\s+up|go\s+back\s+to|come\s+back\s+to|circle\s+back\s+to|touch\s+on|move\s+on\s+to|switch\s+to|"
    r"jump\s+to|go\s+over|start\s+(?:with|there|here))|(?:do\s+)?(?:you|anyone|someone|somebody)\s+(?:want|wants|wanna)\s+(?:to\s+)?"
    r"(?:(?:go|present|talk|speak)\s+first|start(?=\s+(?:us|off|with|things)\b|\W*$)|kick\s+(?:us\s+|things\s+)?off|"
    r"go\s+ahead|lead\s+off)|who\s+wants\s+to\s+(?:go|start|kick)|who'?s\s+(?:up\s+)?next|who'?s\s+(?:going\s+)?first(?=\W*$)|where\s+were\s+we|"
    # Being called in, and a status asked of whoever holds the next item: "Lena, you wanted me
    # about the disk?", "Aisha, medical. Where are we?" ("where are we on the permit?" asks).
    r"you\s+wanted\s+(?:me|a\s+word|to\s+see\s+me|to\s+talk\s+to\s+me|"
    # the item someone asked to raise: "Greg, you wanted to talk about final sale?"
    r"to\s+(?:talk\s+about|raise|bring\s+up|go\s+over|mention)))\b"
    r"|^(?:(?:so|okay|ok|right|and)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s*)?where\s+are\s+we(?:\s+at)?(?:\s+(?:then|now))?\?$"
    # Handing an agenda item to someone by name: "Megan, you've got the schedule?", "Jo, you're
    # up?", "Chef, you want to do specials first?"
    r"|^(?-i:[A-Z])[^\W\d_]+,\s+(?:you(?:'ve|\s+have)?\s+got\s+(?:the|your)\s+[\w']+(?:\s+[\w']+)?\?$|"
    r"you'?re\s+(?:up|next)(?:\s+next)?\?$)"
    r"|^(?-i:[A-Z])[^\W\d_]+,\s+(?:do\s+)?you\s+(?:want|wanna)\s+(?:to\s+)?(?:do|take|cover)\s+(?:[\w']+\s+){1,2}first\b"
    # Handing someone the floor to present: "Marcus, do you want to walk everyone through it?",
    # "Mikko, do you want to give us the two-minute version?", "Jonas, want to start with what
    # went well?" ("can you walk me through what happened?" asks to be told, and stays)
    # A day or a later moment makes it a plan asked about ("do you want to go through the contract
    # tomorrow?"), and "give us" a call or a quote asks for one: both ask.
    r"|\b(?:(?:do\s+)?you\s+|^(?:(?-i:[A-Z])[^\W\d_]+,\s*)?)(?:want|wanna)\s+(?:to\s+)?"
    r"(?![^?]*\b(?:or|today|tomorrow|tonight|later|next|this\s+(?:week|afternoon|evening)|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|when|after|before|once)\b)(?:"
    r"(?:walk|take|talk)\s+(?:us|me|everyone|everybody|them|the\s+(?:team|group|room|others))\s+through|go\s+through|"
    r"give\s+us\s+(?:the|a|an|your)\s+(?:[\w'-]+\s+){0,2}(?:version|update|rundown|overview|summary|headlines?|highlights|"
    r"recap|run-?through|walkthrough|tour|demo|intro|introduction|lowdown|status|numbers|figures|latest)\b|"
    r"start\s+(?:us\s+off|with)\b)",
    re.IGNORECASE)
# A statement said with a rising tone is a guess or a proposal when it hedges (also with "I
# don't know" set off by commas: "thirty signed and, I don't know, forty regular?"; "I don't
# know if that changes the shampoo?" asks).
_HEDGE = re.compile(r"^(?:[\w']+,\s*)?(?:like|maybe|probably|perhaps|say)\b|,\s*i\s+don'?t\s+know\s*,|\b(?:i'?d\s+say|i\s+(?:was\s+)?think(?:ing)?|"
                    r"i\s+guess|i(?:'?m|\s+am)\s+guessing|i'?d\s+guess|i\s+reckon|i\s+suppose|i\s+figure|maybe|probably|perhaps)\b|"
                    r",\s*what,|,\s*what\s+(?:was|is)\s+it,(?!\s*(?-i:[A-Z])[^\W\d_]+,)|(?<=\w)\s+what,\s", re.IGNORECASE)
# "Can we / could you and I ..." followed by something to do: a proposal (not "can we still ...").
_PROPOSAL = re.compile(r"^(?:(?:so|and|but|okay|ok|well|oh|sorry|hey)[,\s]+)*(?:can|could|can'?t|couldn'?t)\s+"
                       r"(?P<who>we|you\s+and\s+(?:i|me))\s+(?!still\b|ever\b|actually\b|really\b|even\b|be\b|"
                       r"afford\b|trust\b|expect\b|assume\b|say\b|agree\b)[^\W\d_]+", re.IGNORECASE)
# Something to be done, put as a question to the one who would do it: "Maggie, do you want to
# confirm with their teacher?", "would the school be able to send it?", "could the letter say
# something about the stop too?". A task once the next speaker takes it on ("Yes, I'll call her
# tomorrow."); a question while nobody does.
_TO_BE_DONE = re.compile(r"^(?:(?:so|and|but|okay|ok|well|oh|sorry|hey|also)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s*)?(?:"
                         r"(?:do|did)\s+you\s+(?:want|wanna)\s+to\s+(?!(?:go|start|present|talk|speak|kick)\b)[^\W\d_]+|"
                         r"(?:do|would|will)\s+you\s+have\s+(?:time|a\s+(?:chance|minute|moment))\s+to\s+[^\W\d_]+|"
                         r"(?:would|could)\s+(?:the|your|our|this|that)\s+(?!be\b)[\w-]+(?:\s+(?!be\b)[\w-]+)?\s+(?:be\s+able\s+to\s+)?"
                         r"(?!be\b|have\b|cost\b|work\b|mean\b|need\b|take\b|fit\b|matter\b|change\b|affect\b|help\b)[^\W\d_]+)", re.IGNORECASE)
# The next speaker taking the task on in their first sentence: "Yes, I'll call her tomorrow.",
# "I just added it. Done.", "Good point, yes, I'll put the stop in."
_TAKES_ON = re.compile(r"^[^.!?]*?\b(?:i'?ll|i\s+will|i\s+can\s+(?:do|send|add|get|call|email|schedule|book|put|write|draft|ask|set)|"
                       r"i'?m\s+on\s+it|on\s+it|will\s+do|i\s+just\s+(?:added|did|sent|put|changed|fixed|made)|done)\b", re.IGNORECASE)
# Working out a figure aloud: "so we'd lose, what, fourteen seats?", and recalling one, "the
# premium went from, what was it, fourteen hundred to nineteen hundred?": the speaker says the
# figure they have in mind for the others to confirm or correct, a guess. Put to someone by name
# ("he offered us, what was it, Luis, eight off list?") it asks them for the figure.
_WORKING_OUT = re.compile(r",\s*what,|,\s*what\s+(?:was|is)\s+it,(?!\s*(?-i:[A-Z])[^\W\d_]+,)", re.IGNORECASE)
_ACCEPT = re.compile(r"^\W*(?:yes|yeah|yep|yup|sure|absolutely|definitely|of\s+course|good\s+(?:idea|call|shout)|"
                     r"great\s+idea|ok(?:ay)?|fine|agreed|let'?s)\b", re.IGNORECASE)
# Taking a proposal up commits to doing it; "yes, we can" answers whether it is possible.
_COMMIT = re.compile(r"\b(?:i'?ll|we'?ll|i\s+will|we\s+will|let'?s|i'?d\s+(?:prefer|love|be\s+happy)|"
                     r"happy\s+to|will\s+do|on\s+it)\b", re.IGNORECASE)
# Words that ask nothing by themselves: "Does anyone know?", "Any thoughts?", "It should have, right?".
_NO_CONTENT = frozenset("""
do does did is are was were have has had can could will would should shall may might am be been
anyone anybody someone somebody everyone everybody you we they it that this there i any some so and
or not else know knows think thoughts idea ideas guess clue right correct agree sure yeah okay ok
""".split())
_REPLY_WINDOW = 2  # messages
# An alternative of the question before it, opened by "or": "Should we tell the board? Or does
# that go in the people update?" is one question, whatever the second half holds.
_ALTERNATIVE = re.compile(r"^(?:(?:and|but|so)[,\s]+)?or\b", re.IGNORECASE)
# Pointing back at what was just asked: a question made of these, the words of asking how it
# stands and words that ask nothing adds nothing to it ("What about the audio? Where are we on
# that?"; "Where are we on the refund?" and "Do we get it through you?" ask more).
_POINTING_BACK = frozenset("that it this those these them".split())
# The words of asking how that stands: "where are we on that?", "what about it?", "any news on
# that?" ("do we get it through you?" asks something new about it).
_STATUS = frozenset("where what how about on with at news update going now".split())
# A question about one's own question, after it: "Is that a fair question, or am I being harsh?"
_ABOUT_THE_QUESTION = re.compile(r"^(?:(?:and|but|so|or)\s+)?(?:is\s+(?:that|this|it)\s+(?:a\s+)?(?:fair|stupid|silly|dumb|daft|reasonable|weird|strange|"
                                 r"naive|obvious)\s+question|am\s+i\s+(?:being\s+)?(?:harsh|unfair|picky|difficult|pedantic|dense|slow|missing\s+something))\b[^?]*\?$",
                                 re.IGNORECASE)
# "Why not?" after someone says what has not happened asks why; after a proposal it agrees.
_WHY_NOT = re.compile(r"^\W*(?:(?:but|and|so|oh)[,\s]+)?why\s+not\W*$", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no\s+longer|never|hasn'?t|haven'?t|isn'?t|aren'?t|wasn'?t|weren'?t|didn'?t|doesn'?t|don'?t|"
                       r"won'?t|can'?t|couldn'?t|wouldn'?t|shouldn'?t)\b|n't\b", re.IGNORECASE)
# How something went, or how someone is, asked while a call opens ("How was the lake?", "How's
# he doing?" in its first messages): small talk; later in the call "how was the demo?" and "how's
# he doing?" ask about the work.
_HOW_WAS = re.compile(r"^(?:(?:hi|hey|hello|so|and|oh)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+[,.!]?\s+)?how(?:'s|\s+(?:was|is|are|were))\s+"
                      # with when it was: "How was the launch party on Friday?"
                      r"(?:(?:the|your)\s+[\w-]+(?:\s+[\w-]+)?(?:\s+(?:on\s+\w+|last\s+\w+|yesterday|at\s+the\s+weekend|this\s+\w+))?|"
                      # how someone not on the call is, asked as it opens: "Miso! How's he doing?"
                      r"(?:he|she|they|him|her)(?:\s+(?:doing|keeping|getting\s+on|been))?)\?$", re.IGNORECASE)
_OPENING_MESSAGES = question_openings.OPENING_MESSAGES  # the call's opening, as the warm-up reads it

def not_asking(conversation: Conversation, sentence: Sentence, people: People,
               names: frozenset[str]) -> str | None:
    """Why the question-shaped `sentence` asks for no information, or None when it asks."""
    text = sentence.text.strip()
    parts = clauses(text, every=True)
    if any(_SMALL_TALK.match(part) for part in parts) \
            or sentence.message.position < _OPENING_MESSAGES and _HOW_WAS.match(text) \
            or question_openings.is_small_talk(sentence):
        return "small talk"
    if _about_the_call(text, sentence, people, names):
        return "the call itself"
    if _AGREEMENT_TAG.search(text) or ((tag := _TAG.search(text)) and _OPINION.search(text[:tag.start()])):
        return "seeking agreement"
    if _RHETORICAL.search(text):
        return "rhetorical or a reaction"
    if _WHY_NOT.match(text) and sentence.index > 0 and _NEGATION.search(conversation.sentences[sentence.index - 1].text):
        return None  # "They haven't signed the agreement yet." - "Why not?"
    if question_clarifies.clarifies(conversation, sentence):
        return None  # "they'd come back by Wednesday" - "Wednesday this week?"
    if (why := question_moves.move(text, parts)) is not None:
        return why
    if _FLOOR.search(text):
        return "taking or passing the floor"
    # "so we'd lose, what, fourteen seats?": a "what" said while working out a figure asks nothing,
    # nor does "what was it" said while recalling one.
    declarative = not holds_embedded(text) and not any(
        opens_a_question(part, names) for part in clauses(_WORKING_OUT.sub(",", text), every=True))
    if declarative and _HEDGE.search(text):
        return "a guess or a proposal"
    if (why := question_moves.tagged_or_offered(text, parts, declarative, names)) is not None:
        return why
    if any(_REQUEST_OR_SUGGESTION.match(part) for part in parts):
        return "a request or a suggestion"
    if _proposal_taken_up(conversation, sentence, people, parts):
        return "a proposal taken up"
    if _WOULD_IT_HELP.match(text) and _after_own_offer(conversation, sentence):
        return "an offer's tag"
    if _appendix(conversation, sentence, names):
        return "part of the question before it"
    if _hands_over(conversation, sentence, names):
        return "handing over the question after it"
    if _raises_what_is_asked_next(conversation, sentence, names):
        return "raising what the question after it asks"
    return None


# Who is on the call: "Bob, are you with us from the garage?", "Is Karim with you?" (not "is the
# form with you?", where a thing is); and a name said as a greeting, answering the phone: "Hi,
# Mr. Hughes?".
_WITH_US = re.compile(r"^(?:(?:so|and|okay|ok|well|oh|hi|hey|hello|sorry|um|uh)[,\s]+)*(?:(?-i:[A-Z])[^\W\d_]+,\s*)?"
                      r"(?:are|is)\s+(?:you|we|everyone|everybody|they|(?-i:[A-Z])[^\W\d_]+)\s+(?:all\s+|still\s+)?"
                      r"(?:with|on\s+the\s+(?:line|call)\s+with)\s+(?:us|you|me)\b", re.IGNORECASE)
_GREETING_NAME = re.compile(r"^(?:hello|hi|hey|good\s+(?:morning|afternoon|evening))[,\s]+(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?"
                            r"(?-i:[A-Z])[^\W\d_]+(?:\s+(?-i:[A-Z])[^\W\d_]+)?\W*$", re.IGNORECASE)


_TACKED_ON = re.compile(r"^(?:just\s+)?(?:so|because|in\s+case)\b", re.IGNORECASE)
# ... nor how someone is today, a patient or a relative: "How is he today?", "How's she doing
# today?" ask how they are ("are we recording today?" is about the call).
_LEAD_IN = r"^(?:(?:so|and|but|okay|ok|well|oh|then)[,\s]+)*"
_WHEN_OR_IF = re.compile(_LEAD_IN + r"(?:when|why|if|what\s+if)\b", re.IGNORECASE)
_HOW_SOMEONE_IS = re.compile(_LEAD_IN + r"how(?:'s|\s+(?:is|are|was|were))\s+(?:he|she|they)\s+"
                             r"(?:doing\s+|feeling\s+|getting\s+on\s+)?today\b", re.IGNORECASE)


def _about_the_call(text: str, sentence: Sentence, people: People, names: frozenset[str]) -> bool:
    speaker = sentence.message.speaker.name
    if (who := _IDENTITY.match(text)) and (
            any(m.name != speaker for m in people.members_in(who.group("who"))) and not _content(who.group("who"), names)
            and _PROPER_NAME.fullmatch(who.group("who").strip())  # "is that too much with Aisha out?" asks
            or _GREETING.match(text) and _PROPER_NAME.fullmatch(who.group("who"))):
        return True  # "Hello, is that Patrick?"
    own = {w.lower() for w in speaker.split()}
    if (any(m.group("who").lower() in own for m in _INTRODUCTION.finditer(text)) or _GREETING_INTRODUCTION.match(text)) \
            and "?" in text and not any(opens_a_question(part, names) for part in clauses(text, every=True)):
        return True  # "Hi, this is Robert Chen, we spoke on Wednesday about Japan?"
    if _PRESENCE.match(text) or _WITH_US.match(text) or _GREETING_NAME.match(text):
        return True
    # Any ending after a lead-in will do: "Sorry, I was on mute, did you catch that?"; but not
    # when another clause asks about the work ("would the student council run it, or should it
    # come from us?").
    parts = clauses(text, every=True)
    # A clause of call words is about the call ("..., did you catch that?", "Sam, you're on
    # minutes?"), not a purpose tacked on ("..., just so I'm clear?"); and when
    # it asks yes or no: "when are they actually arriving?" asks when the goods come, "and if
    # they don't come through?" what happens then.
    about_call = [bool((words := _words(part, names)) and words <= _CALL_WORDS)
                  and not (i and _TACKED_ON.match(part)) and not _WHEN_OR_IF.match(part)
                  and not _HOW_SOMEONE_IS.match(part)
                  for i, part in enumerate(parts)]
    return any(about_call) and not any(not call and _content(part, names) and opens_a_question(part, names)
                                       for part, call in zip(parts, about_call))


def _proposal_taken_up(conversation: Conversation, sentence: Sentence, people: People,
                       parts: list[str]) -> bool:
    proposal = next((m for part in parts if (m := _PROPOSAL.match(part))), None)
    if proposal is None:
        if any(_TO_BE_DONE.match(part) for part in parts):
            reply = _reply(conversation, sentence.message)
            return reply is not None and bool(_TAKES_ON.match(reply.text))
        return False
    if proposal.group("who").lower() != "we":
        return True  # "can you and I sit down tomorrow ...": a request to the one asked
    speaker = sentence.message.speaker
    addressed = people.addressee(sentence.text)
    if addressed is not None and addressed.member is not None and addressed.member.name != speaker.name:
        return True  # "Tyrone, ... can we get a runner out there?": a request to Tyrone
    reply = _reply(conversation, sentence.message)
    return reply is not None and (bool(_ACCEPT.match(reply.text)) and bool(_COMMIT.search(reply.text))
                                  or bool(_TAKES_ON.match(reply.text)))


def _reply(conversation: Conversation, message: Message) -> Message | None:
    """The next message by someone else, if it comes within the reply window."""
    following = conversation.messages[message.position + 1:message.position + 1 + _REPLY_WINDOW]
    return next((m for m in following if m.speaker.id != message.speaker.id), None)


# "I can pull the numbers on the last two sales. Would that help?": the question offers the task
# said before it, as "want me to pull them?" would; the answer takes it up or not.
_WOULD_IT_HELP = re.compile(r"^(?:(?:so|and|or)[,\s]+)?(?:would|will|does|do|might|could)\s+(?:that|this|it)\s+help(?:\s+at\s+all)?\W*$",
                            re.IGNORECASE)
_OWN_OFFER = re.compile(r"\bi\s+(?:can|could)\s+(?!(?:see|hear|imagine|tell|understand|guess)\b)\w+", re.IGNORECASE)


def _after_own_offer(conversation: Conversation, sentence: Sentence) -> bool:
    if sentence.index == 0:
        return False
    before = conversation.sentences[sentence.index - 1]
    return before.message.id == sentence.message.id and bool(_OWN_OFFER.search(before.text)) \
        and not before.text.rstrip().endswith("?")


def _appendix(conversation: Conversation, sentence: Sentence, names: frozenset[str]) -> bool:
    if sentence.index == 0:
        return False
    before = conversation.sentences[sentence.index - 1]
    if before.message.id != sentence.message.id:
        return False
    if not (before.text.rstrip().endswith("?") or is_question(before.text, names)):
        return False
    if question_moves.is_fragment(before.text) or _REQUEST_OR_SUGGESTION.match(before.text.strip()) \
            or _asks_to_act(before.text):
        return False  # "The 9th of August? That's a Saturday, right?": the tag is the question
    if _ABOUT_THE_QUESTION.match(sentence.text.strip()) or _ALTERNATIVE.match(sentence.text.strip()):
        return True
    words = {t.lower for t in tokens(sentence.text)} - names
    if words & _POINTING_BACK and not words - _NO_CONTENT - _STATUS:
        return True  # "What about the audio? Where are we on that?"
    return not (words - _NO_CONTENT) or bool(re.search(r",\s*(?:right|correct|yeah)\?$", sentence.text, re.IGNORECASE))


def _hands_over(conversation: Conversation, sentence: Sentence, names: frozenset[str]) -> bool:
    """ "What do you think, Luis? Is that realistic?": a question with no content of its own,
    straight before the speaker's own question in the same message, only hands that one over
    (said last, or alone, "What do you think?" asks for a view)."""
    following = conversation.sentences[sentence.index + 1:sentence.index + 2]
    if not following or following[0].message.id != sentence.message.id \
            or not following[0].text.rstrip().endswith("?"):
        return False
    words = {t.lower for t in tokens(sentence.text)} - names
    return bool(words) and not words - _NO_CONTENT - {"what"}


# Naming the next thing to ask about, with no verb of its own: "What about the notice in the
# paper?", "And the bike?", "What about shade, though?".
_RAISES = re.compile(r"^(?:(?:so|and|but|okay|ok|oh|also)[,\s]+)*(?:what|how)\s+about\s+[^?]+\?$", re.IGNORECASE)


def _raises_what_is_asked_next(conversation: Conversation, sentence: Sentence, names: frozenset[str]) -> bool:
    """ "What about the notice in the paper? Does that go through you, or do we do that?": the
    thing raised, then the question about it, in the same turn, is one question, the second
    (the labels hold the pair as one question, or the second alone). Said alone, or before a
    fragment ("And the hotel, same as last time? The one by the Stadtpark?"), it asks."""
    text = sentence.text.strip()
    if not (_RAISES.match(text) and question_moves.is_fragment(re.sub(r"^\W*(?:\w+\W+)*?about\s+", "", text, flags=re.IGNORECASE))
            or question_moves.TOPIC.match(text) and question_moves.is_fragment(re.sub(r"^\W*\w+\s+", "", text))):
        return False
    following = conversation.sentences[sentence.index + 1:sentence.index + 2]
    if not following or following[0].message.id != sentence.message.id:
        return False
    after = following[0].text.strip()
    words = {t.lower for t in tokens(after)} - names
    if not words - _NO_CONTENT - _STATUS - _POINTING_BACK:
        return False  # "What about the audio? Where are we on that?": the second only points back
    return after.endswith("?") and not question_moves.is_fragment(after) and is_question(after, names)


def _asks_to_act(text: str) -> bool:
    """ "Zainab, maybe you could ask their programme officer?": a request, not a question a
    tag after it could belong to."""
    return bool(re.search(r"\byou\s+(?:could|can|should|might)\s+(?!tell|explain|confirm|remind)\w+", text, re.IGNORECASE))


def _words(text: str, names: frozenset[str]) -> set[str]:
    """The content words: no function words, names or numbers."""
    return {w for t in tokens(text) if (w := t.lower) not in STOPWORDS and w not in names
            and not w.isdigit()}


def _content(text: str, names: frozenset[str]) -> bool:
    return bool(_words(text, names))
