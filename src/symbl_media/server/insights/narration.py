"""Narration: a speaker saying what they are doing in the meeting right now is not a task.

"Let me share my screen", "so I am going to do a quick demo", "I will walk you through the
deck" describe the call itself; they end when the call ends. The same verbs with a time to come
("I'll walk Dana through it tomorrow", "after the call") are commitments, so a sentence with a
date or an after-the-call cue is never narration.
"""

from __future__ import annotations

import re

from .dates import DateMatch

# Phrases (from the action's verb) that act on the meeting itself.
# What is shown on a screen, put up for the others: "put the dashboard up", "the round timeline".
_SHOWN_THINGS = (r"(?:dashboard|slides?|deck|spreadsheet|sheet|chart|charts|graph|graphs|numbers|figures|doc|document|"
                 r"file|agenda|mock-?ups?|presentation|diagram|timeline|map|results|data|notes|page|tab|link|report|"
                 r"screen|minutes|draft|table|plan|board|view|video|demo|roadmap|tracker|list)")
_NOW = re.compile(r"^(?:" + "|".join([  # one alternative a line
    r"share\s+(?:my|the|your|this|our)?\s*screens?\b",
    r"share\s+(?:this|that|it|what)\b(?!\s+\w+\s+with)",
    r"(?:stop|start)\s+(?:sharing|recording|the\s+recording)\b",
    r"(?:show|demo|demonstrate|present)\b",
    r"walk\s+(?:you|everyone|everybody|us|y'all|you\s+all|you\s+guys)\b",
    # Going through the deck on the call; not going through something with someone who is not
    # spoken to ("I could go through the pen technique with her", "... with Jacob's mum"), not
    # with a thing ("go up from the back with the ladder").
    r"(?:go|run|walk|jump|move|skip|scroll)\s+(?:through|over|on|ahead|back|down|up|to)\b"
    r"(?![^,.;]*\bwith\s+(?:her|him|them|(?-i:[A-Z])[^\W\d_]+)\b)",
    r"(?:jump|chime|cut)\s+in\W*$",  # taking the floor: "sorry, I'll jump in"
    r"start\s+(?:there|here|with)\b",  # the agenda's order: "let's start there then", "I'll start with a bit about the team"
    r"(?:start|begin|kick)\s+(?:off|with|by|the\s+(?:call|meeting|agenda|demo))\b",
    # Putting something on the screen: "let me open the spreadsheet", "pull up the numbers",
    # "pull the floor plan up", "bring the floor plan up". Not opening a new thing of record
    # ("open a warranty claim", "a ticket"), nor bringing a thing somewhere ("I'll bring my
    # snare"): work after the call. "Pull" without "up" fetches or changes a thing ("could you
    # pull the booking data from last year", "I can pull the sugar back in the curd"): work too.
    r"open\s+(?:up\s+)?(?:the|this|my|it|a\s+(?:new\s+)?(?:tab|window|browser|file|page|doc|document|link)s?)\b",
    r"pull\s+up\s+(?:the|this|my|a|it)\b|pull\s+(?:the|this|my|it)\s+(?:[\w'-]+\s+){0,3}up\b(?!\s+(?:to|at|for|on)\b)|bring\s+up\s+(?:the|this|my|a|it)\b|bring\s+(?:the|this|my|it)\s+(?:[\w'-]+\s+){0,3}up\b(?!\s+(?:to|at|for|on)\b)",
    r"(?:pull|bring)\s+up\b",
    r"(?:do|give|run)\s+(?:you\s+)?(?:a|an|the|some)\s+(?:quick\s+|short\s+|brief\s+|live\s+|little\s+)?"
    r"(?:conversation|demo|intro|introduction|overview|recap|round|walkthrough|rundown|tour|summary)\b",
    r"introduce\s+(?:myself|ourselves|everyone|everybody|the\s+team|us|the\s+agenda)\b|introduce\s*$|"
    r"(?:explain|recap|summari[sz]e|mention|clarify|repeat|click|mute|unmute|say|speak|"
    r"talk\s+about|check\s+(?:the\s+chat|if\s+everyone))\b",
    r"(?:add\s+(?:to\s+(?:that|this)|something|one\s+(?:more\s+)?thing)|answer\s+(?:that|this|your)|"
    r"read\s+(?:it\s+|this\s+|that\s+)?out|read\s+(?:it|this|that|everything|them|those)\s+back\b|switch\s+(?:over|to\s+(?:the|my)\s+(?:screen|slide|tab|window))|"
    r"hand\s+(?:it\s+)?over|pass\s+(?:it\s+)?(?:over|to)|wrap\s+(?:it\s+|this\s+|things\s+)?up)\b",
    r"take\s+(?:a\s+)?(?:quick\s+)?look\s+(?:at\s+(?:this|that|the\s+screen)\s+)?(?:now|here|together)\b",
    r"take\s+(?:some\s+|a\s+few\s+)?questions\b",
    r"take\s+(?:the\s+)?(?:minutes|notes)\s*$",
    # Presenting: "I'm going to cover three things", "I'll come back to that", "I'll get to that
    # in a minute", "I'll hand it back to you", "I'm going to skip this slide"; noting on the
    # call: "let me write that down", "I'll make a note of it".
    r"cover\s+(?:\w+\s+){0,2}(?:things|points|topics|areas|items|parts)\b|come\s+back\s+to\s+(?:that|this|it)\s*$|"
    r"get\s+to\s+(?:that|this|it)(?:\s+in\s+a\s+(?:minute|moment|sec(?:ond)?|bit))?\s*$|hand\s+(?:it|things)\s+back\b|"
    r"skip\s+(?:this|that|the|a)\s+(?:slide|one|part|section|bit|page)\b|"
    r"(?:note|write|jot|put)\s+(?:that|this|it)\s+down\b|make\s+a\s+(?:quick\s+)?note\s+of\s+(?:that|this|it)\b",
    r"try\s+(?:a\s+(?:couple\s+of|few)|some|a\s+few\s+more)\s+things\b",
    r"ask\s+(?:you\s+|everyone\s+|you\s+all\s+)?(?:a\s+|one\s+|two\s+|a\s+(?:couple|bunch)\s+of\s+|a\s+few\s+|some\s+|several\s+)?"
    r"(?:more\s+|other\s+|quick\s+|follow[\s-]up\s+)?(?:questions?|something|this|that)\b",
    # Speech acts done by saying them: "I'd like to thank everyone", "I'll give you an example",
    # "I'm going to talk a bit about the roadmap", "let me tell you what happened".
    r"(?:thank|welcome|congratulate|apologi[sz]e\s+(?:for|to)|admit|confess|stress|emphasi[sz]e|point\s+out|remind\s+(?:you|everyone|everybody)\s+(?:that|of))\b",
    r"give\s+(?:you\s+|everyone\s+)?(?:an?\s+|one\s+|another\s+)?(?:quick\s+|concrete\s+|real\s+)?(?:example|analogy|idea\s+of)\b",
    r"tell\s+(?:you|everyone|everybody|you\s+all)\s+(?:what|how|why|about|a\s+(?:bit|little|story)|something|the\s+story)\b",
    r"(?:talk|speak)\s+(?:a\s+(?:bit|little)\s+|briefly\s+|quickly\s+)?about\b",
    # A support agent working the call: "I'll transfer you to billing", "let me put you on hold".
    r"(?:transfer|connect)\s+you\b|put\s+you\s+(?:through|on\s+hold)\b|put\s+(?:that|this|it)\s+through\b|"
    r"give\s+you\s+(?:some|the)\s+(?:good|bad|less\s+good|news)\b|"
    r"(?:check|look\s+up|verify)\s+(?:that|this|it)\s+for\s+you\s*$|look\s+(?:that|this|it)\s+up\s+for\s+you\s*$",
    r"hand\s+(?:you|everyone|things)\s+over\b",
    # Putting a name on the list as it is said: "I'll put you down (for cleanup)".
    r"put\s+(?:you|him|her|them|me|us|you\s+both|you\s+all)\s+down\b",
    # Booking someone in as it is said: "I'll pencil him in for now", "I'll pop her in" (a day
    # with it is kept: the dated check comes first).
    r"(?:pencil|pop|put|squeeze|slot|fit|book)\s+(?:you|him|her|them|me|us|you\s+both)\s+in\b(?!\s+(?:touch|charge)\b)",
    # Holding the call: "can you give me a second?", "could you hold on a moment?"
    r"give\s+(?:me|us)\s+(?:a|one|just\s+a)\s+(?:sec(?:ond)?|minute|moment|tick|mo)\b|(?:hold|hang)\s+on(?:\s+(?:a|one|just\s+a)\s+(?:sec(?:ond)?|minute|moment|tick|mo))?\s*$",
    # Chairing: "I'll try to keep this moving", "let me put it up" (on the screen).
    r"(?:try\s+to\s+)?keep\s+(?:this|things|us|it|the\s+meeting)\s+(?:moving|going|on\s+track|on\s+time|tight)\b",
    r"put\s+(?:it|this|that|them)\s+up\s*$",
    # The same asked of someone else, a thing named: "Yasmin, can you put the dashboard up?",
    # "can you flip to the mock-ups?", "Felix, talk us through them" (with a day it is work: the
    # dated check comes first). Without "on the screen", only a thing shown on one: "can you
    # put the new shelves up?", "put the Christmas lights up" are work, as "put up a shelf" is.
    r"put\s+(?:the|this|that|our|my|your)\s+(?:[\w'-]+\s+){0,3}up\s+on\s+(?:the\s+|your\s+|my\s+)?screen\s*$",
    r"put\s+(?:the|this|that|our|my|your)\s+(?:[\w'-]+\s+){0,2}" + _SHOWN_THINGS + r"\s+up\s*$",
    r"flip\s+(?:back\s+|over\s+)?to\s+(?:the|this|that|our|my|your)\b|talk\s+(?:us|everyone|everybody|you\s+all)\s+through\b",
    r"(?:get|get\s+us|kick\s+us)\s+started\b",
    # Framing what is about to be said: "let me put it this way", "let me give you some context".
    r"put\s+it\s+(?:this|that|another)\s+way\b|be\s+(?:clear|honest|frank|blunt|brief)\b",
    # The talk itself: "let me just finish this thought", "let me go back to what you said".
    r"(?:finish|make|get\s+to)\s+(?:this|that|my|the|a|one)\s+(?:last\s+|quick\s+|other\s+)?(?:thought|sentence|point)\b",
    r"go\s+back\s+to\s+(?:what|something)\s+(?:you|\w+)\s+(?:said|mentioned)\b|think\s+out\s+loud\b",
    r"give\s+(?:you|everyone|everybody|you\s+all)\s+(?:some\s+|a\s+(?:bit|little)\s+of\s+|a\s+(?:quick\s+)?)?(?:context|background|update|heads[\s-]up)\b(?!\s+(?:by|on|tomorrow|next|after|later|in\s+writing))",
]) + r")", re.IGNORECASE)
# Cues that put the action after the call: then it is a commitment, whatever the verb.
_LATER = re.compile(
    r"\b(?:later|afterwards?|after\s+(?:the|this|our)\s+(?:call|meeting|session)|offline|next\s+time|"
    # a day said before and pointed back at: "we can go over it that afternoon" (then_dates.py)
    r"that\s+(?:same\s+)?(?:day|morning|afternoon|evening|night)|"
    r"next\s+(?:week|meeting|call|session)|tomorrow|by\s+\w+|before\s+\w+|on\s+(?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|to\s+(?:the\s+)?(?:board|client|customer|team|leadership))\b",
    re.IGNORECASE)
# Whatever follows: stopping the call, getting it going, showing in the chat or on the board.
_ALWAYS = re.compile(
    r"^(?:stop\s+(?:here|there|sharing|the\s+recording)|leave\s+it\s+(?:there|here)|call\s+it\s+a\s+day|end\s+(?:it\s+)?(?:here|there)|wrap\s+(?:up\s+)?(?:here|there)|dive\s+(?:in|into)|"
    r"get\s+(?:started|going)|make\s+a\s+start|keep\s+going\s*$|stop\s+(?:you|me)\s+there|go\s+around|"
    # Taking the agenda in order: "let's start at the top", "let's just go down it", "let's do
    # sponsors, venue, judging, registrations" (a list of what will be talked about).
    r"start\s+(?:at|from)\s+the\s+(?:top|beginning)\b|(?:just\s+)?go\s+(?:down|through)\s+(?:it|the\s+(?:list|checklist|agenda))\s*$|"
    r"do\s+(?:[\w'-]+\s+){0,2}[\w'-]+,\s+(?:[\w'-]+\s+){0,2}[\w'-]+,\s+(?:(?:and\s+)?[\w'-]+\s*,?\s*){1,4}$|"
    # Farewells: "we'll talk soon", "I'll catch you later", "I'll see you Thursday".
    r"(?:talk|speak|chat)\s+(?:to\s+you\s+|with\s+you\s+)?(?:soon|later)\b|catch\s+(?:you|up)\s+later\b|see\s+(?:you|everyone)\b|"
    r"(?:start|begin|proceed)(?:\s+(?:and|while|so)\s+(?:she|he|they|you|others|everyone)\b.*)?\s*$|stay\s+on\s+mute\b|"
    # Saying back what was agreed: "let me recap: Paolo orders the stock this morning, ...";
    # what follows the colon is said, not done (each item is its owner's, said by them).
    r"(?:recap|summari[sz]e|sum\s+(?:it\s+|things\s+|everything\s+)?up|read\s+(?:it\s+|that\s+|them\s+|everything\s+)?back)\b[^:,.]{0,20}:|"
    # One's own camera or microphone on this call: "the signal is bad so I'll keep my camera off".
    r"(?:keep|leave|turn|switch|put)\s+(?:my|the|our)\s+(?:camera|video|mic|microphone)\s+(?:off|on)\b|"
    r"(?:turn|switch)\s+(?:off|on)\s+(?:my|the|our)\s+(?:camera|video|mic|microphone)\b|"
    r"(?:share|post|drop|paste|put|write|draw|show)\s+(?:[\w'-]+\s+){0,5}(?:in|into|on|up\s+on)\s+(?:the\s+)?"
    r"(?:chat|screen)\b)", re.IGNORECASE)
# The board is the meeting room's until a time to come says otherwise ("write the allergens up
# on the board before service" is work for later; "I'll put the formula on the board" is now).
_BOARD = re.compile(r"^(?:put|write|draw|show)\s+(?:[\w'-]+\s+){0,5}(?:on|up\s+on)\s+(?:the\s+)?(?:white)?board\b",
                    re.IGNORECASE)
# Pleasantries shaped like requests or commitments: "let me know if you have any questions".
_PLEASANTRY = re.compile(
    r"^(?:let\s+(?:me|us)\s+know\s+if\s+(?:you\s+have\s+)?(?:any\s+)?(?:other\s+|more\s+)?(?:questions|thoughts)|"
    r"feel\s+free\s+to|(?:keep|stay)\s+in\s+touch\b|let\s+(?:you|everyone|you\s+all|you\s+guys)\s+(?:go|get\s+(?:back|on|to)|carry\s+on|crack\s+on)\b|leave\s+(?:you|everyone|you\s+all)\s+with|keep\s+(?:it|this|the\s+(?:call|meeting))\s+(?:short|brief|quick|(?:to|under)\s+(?:half\s+an\s+hour|an\s+hour|\w+\s+minutes))|be\s+(?:quick|brief|right\s+back)|"
    r"check\s*$|check\s+(?:real\s+quick|quickly|on\s+my\s+end|that\s+(?:for\s+you\s+)?(?:now|real\s+quick))|"
    r"(?:find|grab)\s+(?:it|that|the\s+link)\s*(?:real\s+quick|quickly)?\s*$)", re.IGNORECASE)
# "Call it Test Site", "call them tier one" name a thing; a time, a place or a clause after
# "call them" is when or why they are phoned: "I'll call them at lunch", "call them this
# afternoon", "call them when they open", "call them first thing" ("call this to order" opens
# the meeting).
_NOT_WHEN = (r"(?!(?:at|on|about|before|after|by|around|from|during|when|once|as|if|so|and|to(?!\s+order)|first|"
             r"now|right|straight|again|later|today|tonight|tomorrow|back|this\s+(?:morning|afternoon|"
             r"evening|week))\b)")
# Working the screen in a live demo: "I'm going to refresh the page", "let me zoom in", "I'll
# click on settings". These verbs do nothing after the call that anyone waits for.
_ON_SCREEN = re.compile(
    r"^(?:click|tap|type(?!\s+up)|drag|scroll|zoom|hover|paste|toggle|navigate|log\s+(?:in|out|back)|sign\s+(?:in|out)|"
    r"(?:refresh|reload)\s+(?:the\s+(?:page|browser|screen|tab)|this|it)|"
    r"hit\s+(?:publish|save|enter|send|submit|refresh|(?:the|that|this)\s+(?:\w+\s+)?button)|"
    r"select\s+(?:all|this|these|that|those|(?:the|a)\s+(?:\w+\s+)?(?:box|option|tab|row|column|checkbox)e?s?\b)|"
    r"pause\s+(?:here|there|for|the\s+(?:video|recording|screen))|"
    r"(?:go\s+(?:ahead\s+and\s+)?(?:to|into|back\s+to)|switch\s+(?:over\s+|back\s+)?to)\s+(?:the\s+|my\s+|this\s+)?(?:\w+\s+)?"
    r"(?:page|tab|screen|settings|menu|view|dashboard|panel|section|slide|browser|window|app)s?\b|"
    r"fill\s+(?:in|out)\s+(?:\w+\s+){0,3}with\s+(?:some\s+)?(?:dummy|test|sample|fake)|"
    r"give\s+it\s+a\s+(?:sec|second|minute|moment)|find\s+the\s+right|mark\s+(?:\w+\s+){1,3}as|"
    # Naming a thing ("call it version two", "call them the green team"); not phoning people at
    # a time or for a reason ("call them this morning and find out", "call them at lunch").
    r"call\s+(?:it|this|that|them)\s+(?!back\b|in\b|off\b|a\s+day\b|up\b|first\s+thing\b|as\s+soon\b)" + _NOT_WHEN + ")",
    re.IGNORECASE)
# Words that pin an action to this moment of the call: "create a new project, just to show
# you", "a dummy ticket so you can see the flow", "the reports next", "one sec".
_RIGHT_HERE = re.compile(
    r"\b(?:(?<!gets\s)(?<!get\s)(?<!comes\s)(?<!arrives\s)(?<!is\s)here|real\s+quick|now\s+while\s+we|as\s+we\s+speak|while\s+we(?:'re|\s+are)\s+(?:on\s+the\s+(?:call|phone|line)|talking)|for\s+a\s+sec(?:ond)?|just\s+to\s+show|"
    r"so\s+(?:you|everyone|we|you\s+all)\s+can\s+(?:see|follow)|as\s+you\s+can\s+see|dummy|"
    r"this\s+(?:card|tab|page|button|field|form|screen|window|dropdown|menu)\b|next\s*[.!]?\s*$)",
    re.IGNORECASE)
# Handling a point in the talk rather than taking on work: parking it, keeping it in mind,
# leaving it to others, waiting to see; and becoming rather than doing ("get better at saying
# no", "try to be more patient", "take care of yourself").
_NOT_WORK = re.compile(
    r"^(?:park\s+(?:that|this|it)|keep\s+(?:that|this|it)\s+in\s+mind|"
    # an option kept in reserve: "let's hold that as plan B", "keep it as a fallback"
    r"(?:hold|keep)\s+(?:that|this|it|them)\s+(?:as\s+(?:a\s+|our\s+)?(?:plan\s+b|back-?up(?:\s+plan)?|fallback|fall-back)\b|in\s+reserve\b)|take\s+(?:that|this)\s+as\s+a|"
    r"leave\s+(?:that|this|it)\s+(?:up\s+to|to|with)|leave\s+(?:you|you\s+guys|you\s+all)\s+to\s+it|take\s+(?:that|this|it)\s+(?:away|on\s+board)\s*$|"
    r"(?:sleep\s+on|sit\s+with|mull\s+over)\s+(?:it|that|this)\s*$|split\s+the\s+difference|take\s+(?:your|his|her|their)\s+word(?:\s+for\s+it)?\s*$|hold\s+(?:you|him|her|them)\s+to\s+(?:that|it|this)\s*$|take\s+a\s+step\s+back|(?:wait\s+and\s+see|see\s+what\s+happens|play\s+it\s+by\s+ear)|let\s+(?:you|them|you\s+two|you\s+guys|the\s+two\s+of\s+you)\s+(?:\w+\s+)?"
    r"(?:figure|sort|work|hash)\s+(?:it|that|this)\s+out|go\s+either\s+way|(?:need\s+to\s+|have\s+to\s+)?(?:wait\s+and\s+)?see\s+how|"
    r"use\s+(?:some|a\s+little|a\s+bit\s+of|more)\s+help|agree\s+to\s+disagree|get\s+(?:better|worse|used\s+to|comfortable)|"
    r"try\s+to\s+be\b|be\s+more\b|have\s+a\s+(?:heart\s+attack|fit|meltdown|breakdown|nervous\s+breakdown)\b|take\s+(?:\w+\s+){1,3}into\s+(?:account|consideration)|cross\s+that\s+bridge|wait\s+(?:for|on|until|to\s+hear)\b|keep\s+(?:it|that|this|them)\s+on\s+(?:the|our|my)\s+(?:\w+\s+)?(?:list|radar|backlog)|make\s+(?:it|that|this)\s+(?:a|an)\s+[\w-]+\s*$|take\s+care\s+of\s+(?:yourself|myself|ourselves|yourselves)|"
    # A prediction, not a task: "otherwise I will forget", "I'll forget by Monday" ("don't forget
    # the permits" names what to do).
    r"forget(?:\s+(?:it|that|this|about\s+it))?(?:\s*[,;:.!]|\s*$|\s+(?:by|before|otherwise|if|unless)\b)|"
    r"circle\s+back\s+to\s+(?:\w+\s+){0,3}(?:at\s+the\s+end|later\s+(?:on\s+)?(?:today|in\s+the\s+(?:call|meeting))))\b",
    re.IGNORECASE)
_AGREEING = re.compile(r"^(?:(?:do|go\s+with|go\s+for|plan\s+for|live\s+with|try|take|aim\s+for|stick\s+(?:to|with)|shoot\s+for|second|echo|"
                       r"support|back|agree\s+with|drink\s+to|vote\s+for)\s+(?:that|this|it)|do\s+one|give\s+(?:it|that)\s+a\s+(?:go|try|shot|whirl)(?:\s+one)?(?:\s+then|\s+on)?|try(?:\s+my\s+best)?)"
                       # agreeing on a condition, or with a yes after it: "let's do that if it comes
                       # to it", "we should probably do one, yes"
                       r"(?:\s*,?\s*(?:if\s+(?:it\s+comes\s+to\s+(?:it|that)|need\s+be|necessary|needed|we\s+(?:have|need)\s+to)|yes|yeah))?\s*$",
                       re.IGNORECASE)
_TODAY = re.compile(r"(?i:today|this\s+(?:morning|afternoon))$")
# A second verb that leaves something behind after the call: "go through it and send notes".
_AND_THEN = re.compile(r"\band\s+(?:then\s+)?(?:send|email|share|report|circulate|forward|update|write|file|"
                       r"get\s+back|follow\s+up)\b", re.IGNORECASE)
# A whole sentence about the meeting as it happens: "so this is a live demo", "that is the idea".
_SCENE = re.compile(r"^(?:(?:so|and|okay|ok|well|now|alright)[,\s]+)*(?:this|that|it)\s+is\s+"
                    r"(?:a|an|the|our|my|just)\s+(?:\w+\s+){0,2}(?:demo|call|meeting|idea|agenda|plan\s+for\s+today)\b",
                    re.IGNORECASE)


# Leaving the call: "I have to go in, the manager's waving at me", "sorry, I've got to run."
# ("I'll go." taking a job on, and "I have to go to the bank by three", are work.)
_LEAVING = re.compile(r"\b(?:i|we)\s*(?:have\s+to|need\s+to|(?:'ve|\s+have)?\s*got\s+to|gotta|must)\s+"
                      r"(?:go|run|dash|jump|hop|head)(?:\s+(?:in|now|off|out))?\s*(?:[,.!;]|$)", re.IGNORECASE)
_GOING = re.compile(r"^(?:go|run|dash|jump|hop|head)\b", re.IGNORECASE)


def later(phrase: str) -> bool:
    """A cue that puts the action after the call: "later", "after the call", "tomorrow"."""
    return bool(_LATER.search(phrase) or _AND_THEN.search(phrase))


def is_narration(sentence: str, phrase: str, due: DateMatch | None) -> bool:
    """True when `phrase` (the action from its verb on) describes the meeting as it happens.
    `due` is the date said with it: "today" is the meeting's own day, so it does not count."""
    if _SCENE.match(sentence) or _ALWAYS.match(phrase) or _LEAVING.search(sentence) and _GOING.match(phrase) or _AGREEING.match(phrase) or _PLEASANTRY.match(phrase) \
            or _NOT_WORK.match(phrase):
        return True
    dated = due is not None and not _TODAY.match(due.text)
    if _LATER.search(phrase) or _AND_THEN.search(phrase):
        return False
    if _ON_SCREEN.match(phrase) or _BOARD.match(phrase):  # a date on the screen ("drag two crews onto Monday") is no deadline
        return True
    if dated:
        return False
    at = sentence.find(phrase)
    clause = sentence[sentence.rfind(",", 0, at) + 1:at] + phrase if at > 0 else phrase
    return bool(_NOW.match(phrase) or _RIGHT_HERE.search(clause) or _HOLDING.search(sentence)
                or _ASIDE_SECOND.search(clause))


# Holding the call while doing it: "Let me see if I can get him on the line, hang on a sec.",
# "Let me just bring up the diary, bear with me." Not keeping a thing ("I'll hang on to the
# receipts"), nor a second as a length ("cut one second off the intro"): "one sec" said alone.
_HOLDING = re.compile(r"\b(?:(?:hang|hold)\s+on\b(?!\s+(?:to|onto)\b)|bear\s+with\s+me\b|"
                      r"(?:^|(?<=[,.;:!?-])\s*)(?:just\s+)?(?:one|a)\s+sec(?:ond)?\b(?=\s*(?:[,.;:!?-]|$))|"
                      r"give\s+me\s+(?:a|one)\s+(?:sec|second|moment|minute)\b)", re.IGNORECASE)
# "One sec" as an aside closing its clause ("I'll grab the invoice one sec."), not a length the
# task measures: one that goes on ("cut one second off the intro") or follows a word that takes
# a quantity ("by one second", "it takes one second") or a point in time ("at one second",
# "at exactly one second"). Not "for one second": "share my screen for one second" is the call.
_ASIDE_SECOND = re.compile(
    r"(?<!\bby\s)(?<!\bto\s)(?<!\bin\s)(?<!\bof\s)(?<!than\s)(?<!\bper\s)(?<!\boff\s)(?<!takes\s)(?<!\btake\s)"
    r"(?<!\btook\s)(?<!within\s)(?<!about\s)(?<!under\s)(?<!\bover\s)(?<!least\s)(?<!\bmost\s)(?<!every\s)(?<!\bjust\s)"
    r"(?<!\bat\s)(?<!exactly\s)(?<!precisely\s)(?<!around\s)(?<!roughly\s)"
    r"\b(?:just\s+)?one\s+sec(?:ond)?\b(?=\s*(?:[,.;:!?-]|$))", re.IGNORECASE)
