"""Questions the speaker does not put to anyone: answered, reworded or quoted by themselves.

A question asks the others for information. Some questions in a turn are never handed over:
- the speaker answers it at once: "Is it perfect? No. But ...", "Why does this matter?
  Because every minute of downtime costs us money.", "So what does that tell us? It tells us
  the cache is the bottleneck." (a teacher's or presenter's question, rhetorical);
- the speaker searches their own memory: "What was I going to say?", "How do I put this?";
- the speaker rewords or gives an example of the question they just asked, in the same turn:
  "What's the plan if it fails? Like, do we roll back?" is one question, not two; so is a list
  of examples closed by "anything (like that)?" ("Have you noticed any leaks? Running toilets,
  wet spots in the yard, anything like that?");
- the speaker reports someone else's question: "My daughter keeps asking, are we moving?".
Each rule reads the question's form and the speaker's next words, never a list of sentences.
"""

from __future__ import annotations

import re

from .conversation import Conversation, Sentence
from .question_forms import clauses, opens_a_question
from .words import STOPWORDS, stem, tokens

# A bare answer opening the speaker's next sentence: "No.", "Yes, and ...", "Absolutely not."
_BARE_ANSWER = re.compile(r"^\W*(?:yes|yeah|yep|no|nope|nah|absolutely(?:\s+not)?|of\s+course(?:\s+not)?|"
                          r"not\s+really|not\s+at\s+all|definitely(?:\s+not)?|certainly(?:\s+not)?)\b\s*[.,!;]",
                          re.IGNORECASE)
_YES_NO = re.compile(r"^\W*(?:(?:so|and|but|okay|ok|well|now)[,\s]+)*(?:is|are|was|were|do|does|did|can|could|will|"
                     r"would|should|has|have|had|isn'?t|aren'?t|wasn'?t|doesn'?t|don'?t|didn'?t)\s", re.IGNORECASE)
_WH = re.compile(r"^\W*(?:(?:so|and|but|okay|ok|well|now)[,\s]+)*(?P<wh>what|why|how|who|which|where|when)\b",
                 re.IGNORECASE)
_BECAUSE = re.compile(r"^\W*(?:well,?\s+)?(?:because|'cause|cause)\b", re.IGNORECASE)
# The speaker's own memory or wording: "what was I going to say?", "where was I going with
# this?", "how do I put this?", "what am I trying to say?" ("what did I do wrong?" asks).
_OWN_WORDS = re.compile(r"^\W*(?:(?:so|and|but|oh|um|uh|sorry|now)[,\s]+)*(?:what|where|how)\s+(?:was|am|did|do|were|should|can)"
                        r"\s+i\s+(?:(?:going|trying|about|meaning|wanting)\s+to\s+|gonna\s+|want\s+to\s+)?"
                        r"(?:say|saying|ask|asking|mean|put\s+(?:this|it)|going\s+with\s+(?:this|that)|"
                        r"thinking|talking\s+about)\b[^?]*\?$", re.IGNORECASE)
# Rewording or exemplifying one's own question: "Like, do we roll back?", "I mean, is it safe?".
_REWORDING = re.compile(r"^\W*(?:like|i\s+mean|in\s+other\s+words|say|or\s+rather|you\s+know)\b\s*,?", re.IGNORECASE)
# After a yes/no question, a rewording that is a whole question of its own, a verb and its
# subject, asks one more thing: "Is the surf house actually a house? Like, do we each get a
# room?"; after a wh-question it offers an answer to it ("What's the plan if it fails? Like, do
# we roll back?"), and an example said as a fragment ("Like, server logs?",
# "Like, to two-fifty?") rewords, and so does "I mean, ..." (the labels read "Is that dangerous?
# I mean, can I keep driving on them?" as one question, said again).
_LIKE = re.compile(r"^\W*like\b", re.IGNORECASE)
_OWN_YES_NO = re.compile(r"\s*(?:do|does|did|is|are|was|were|can|could|should|will|would|have|has|must)\s+"
                         r"(?:we|i|you|they|he|she|it|that|this|there|those|these)\b", re.IGNORECASE)
# Examples of the question just asked, said as a list with no question of its own and closed by
# "anything", "anyone" or "something" ("Have you shown this to anyone? Investors, a trade show,
# anything?", "And dietary things? Allergies, vegetarians, anyone who hates coriander?"): the
# speaker fills in what they asked, as "like, ...?" does. Said alone, or as its own question ("Do
# you have a map of it, or anything?"), it asks.
_EXAMPLES = re.compile(r"^[^?]*,\s*(?:or\s+)?(?:anything|anyone|anybody|something|someone)\b[^,?]*\?$", re.IGNORECASE)
# Someone else's question, quoted: "my daughter keeps asking, are we moving?", "he was like, why
# is it broken?", "the client asked: can we get it sooner?". The speaker's own "I was asking" asks.
_REPORTED = re.compile(r"\b(?!i\b|we\b)(?:[A-Za-z]+)\s+(?:(?:keeps?|kept)\s+asking|asked(?:\s+me|\s+us)?|was\s+like|"
                       r"were\s+like|(?:is|are)\s+like|goes|went)\s*[,:]\s*[\"“']?"
                       r"(?:what|why|how|who|which|where|when|is|are|was|were|do|does|did|can|could|will|would|should)\b",
                       re.IGNORECASE)


def not_asked(conversation: Conversation, sentence: Sentence) -> str | None:
    """Why the question-shaped `sentence` is not put to anyone, or None when it is."""
    text = sentence.text.strip()
    if _OWN_WORDS.match(text):
        return "searching for one's own words"
    if _REPORTED.search(text):
        return "someone else's question, reported"
    before, after = _neighbours(conversation, sentence)
    if after is not None and not after.text.rstrip().endswith("?") and _answers(text, after.text):
        return "answered by its own speaker"
    if before is not None and before.text.rstrip().endswith("?") and (m := _REWORDING.match(text)) \
            and not (_LIKE.match(text) and _OWN_YES_NO.match(text, m.end()) and not _WH.match(before.text)):
        return "rewording the question before it"
    if before is not None and before.text.rstrip().endswith("?") and _EXAMPLES.match(text) \
            and not any(opens_a_question(part, frozenset()) for part in clauses(text, every=True)):
        return "rewording the question before it"
    return None


def _neighbours(conversation: Conversation, sentence: Sentence) -> tuple[Sentence | None, Sentence | None]:
    """The sentences just before and after `sentence` in the same message."""
    i = sentence.index
    before = conversation.sentences[i - 1] if i > 0 else None
    after = conversation.sentences[i + 1] if i + 1 < len(conversation.sentences) else None
    same = sentence.message.id
    return (before if before is not None and before.message.id == same else None,
            after if after is not None and after.message.id == same else None)


def _answers(question: str, reply: str) -> bool:
    """Does the speaker's next sentence answer their own question? A yes/no question followed by
    a bare yes or no; a why-question by "because ..."; a wh-question by a statement whose first
    words take up the question's own verb ("What does that tell us? It tells us ...")."""
    if _YES_NO.match(question):
        return bool(_BARE_ANSWER.match(reply))
    wh = _WH.match(question)
    if wh is None:
        return False
    if wh.group("wh").lower() == "why":
        return bool(_BECAUSE.match(reply))
    asked = {stem(t.lower) for t in tokens(question)[1:]} - _FUNCTION
    opening = [stem(t.lower) for t in tokens(reply)[:4]]
    return any(w in asked for w in opening[1:]) and opening[0] in _SUBJECTS


_SUBJECTS = frozenset("it we you they i he she that this there the".split())
_FUNCTION = frozenset(stem(w) for w in STOPWORDS) | {"be", "do", "have", "go", "get", "can", "will", "would"}
