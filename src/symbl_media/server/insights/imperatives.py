"""Orders in any verb: "Ben, grab the keys on your way in.", "Okay, swap the two slides."

The closed list of task verbs in actions.py (`IMPERATIVES`: send, book, fix…) misses most of
English. Any verb can give an order, but a word opening a sentence is an order only in a
frame that says so: after a lead-in that hands the floor to the one asked (a name set off by
a comma, "so", "and", "okay", "also", "then", "just"), a verb in its base form, with an
object or a particle after it. Each part keeps a reading out:

- the base form: "Okay, sounds good", "So, thanks for that" are a verb in -s;
- a verb and nothing else: a word that can be an adjective or an adverb is read as one at the
  start of a reply ("Okay, perfect timing", "So, right the next thing", "Great, thanks");
- an object or a particle with more after it: "Okay, wait.", "Just turn up." order nothing;
  a pronoun closing the clause is an idiom's ("Okay, scratch that", "So, get this: …");
- not a question: "So, do you have the file?"; not a function word ("Right, while the tea's
  still hot"); not asking for time ("Okay, give me a second") or that nothing be done ("So
  leave them");
- not a verb that opens talk rather than a task ("Look, …", "Listen, …", "Say, …", "Guess
  what", "Imagine the …", "Mind the step", "Come on", "Hang on a sec", "Thank you", "Have a
  good weekend", "Scratch that").
"""

from __future__ import annotations

import re

from .lexicon import base_verb, classes
from .words import STOPWORDS

# Handing the floor over, once or more: "Ben, …", "Okay, so …", "And also …"; or to the whole
# room: "Everyone send me photos by the end of October", "And everyone, get your draft
# schedules to me by October first" (the order is everyone's). Without the comma only
# "everyone"/"everybody", whose own verb would end in -s: after "all of you", "each of you",
# "y'all" a plain verb tells ("Each of you get a voucher at the door").
# An order may also wait on a case said first ("If she doesn't, escalate it to their regional
# manager", "whenever you know, just drop me the flight numbers": CONDITION); action_items.py
# keeps it only when the case is a given one and the order is taken on or dated.
CONDITION = r"(?:if|once|whenever|as\s+soon\s+as)\s+[^,.;:?!]{3,80},\s*"
LEAD_IN = (r"^(?:(?:(?-i:[A-Z][^\W\d_]+),\s*|(?:so|and|okay|ok|also|then|just|well)[,\s]+|" + CONDITION + "|"
           r"(?:everyone|everybody)\s+|(?:everyone|everybody|all\s+of\s+you|each\s+of\s+you|y['’]all)\s*,\s*)+"
           r"(?:go\s+ahead\s+and\s+)?)")
# Verbs that open talk, mark a pause, wish or thank, or take back what was said, rather than
# give a task, whatever follows them.
# (actions.py's _NOT_TASKS already keeps out "see", "say", "guess", "imagine", "excuse"…)
_NOT_ORDERS = frozenset("""
look listen watch mind picture consider wait hang hold come go carry thank bless pardon have take
let scratch forget meet welcome""".split())
# Function words that give orders too: "Then get me the music by Monday", "Ewan, do a private
# referral then" ("Okay, do it." agrees, and narration.py reads it so).
_ORDERING_STOPWORDS = frozenset({"get", "do"})
_SO_DO = re.compile(r"\bso\s+$", re.IGNORECASE)
# "do" in a wish or a send-off gives no task: "Sam, do your best", "Ana, do your thing".
_DO_A_WISH = re.compile(r"do\s+(?:your|their|our|his|her)\s+(?:very\s+)?(?:best|thing)\b", re.IGNORECASE)
# What opens an object: "grab the keys", "swap them", "walk everyone through".
_OBJECT = frozenset("the a an my our your his her their its it them him me us some both every each "
                    "these those this that".split())
# A verb's particle: "clear out the fridge", "print off two copies".
_PARTICLES = frozenset("up down out off over back away through around".split())
_WORD = re.compile(r"([^\W\d_]+)(?:\s+([^\W\d_]+(?:['’][^\W\d_]+)?))?")
# A pronoun that closes the clause is an idiom's, not a task's object: "get this: …", "picture
# that"; "swap that slide" names one.
_ALONE = re.compile(r"\s*(?:$|[,.;:!?…])")
# "Leave it", "So leave them" asks that nothing be done.
_LET_BE = re.compile(r"leave\s+(?:it|them|this|that|those)\s*(?:$|[,.;:!?…])", re.IGNORECASE)
# Asking for time is no task: "Okay, give me a second", "So, bear with us a minute".
_TIME_ASKED = re.compile(r"\s+(?:me|us)\s+(?:a|one|two|a\s+few|five)\s+(?:sec|secs|second|seconds|minute|minutes|moment|moments|bit)\b",
                         re.IGNORECASE)


def is_order(sentence: str, at: int, *, taking: bool = False) -> bool:
    """Whether the word at `at` (after a LEAD_IN) gives an order: a verb only, in its base form,
    with an object or a particle after it, in a sentence that does not ask. `taking`: after a
    name and "you" ("Emma, you take the lead"), where "take" hands a share of the work over
    rather than opening talk ("Take a seat")."""
    if sentence.rstrip(" \"'”)").endswith("?"):
        return False
    m = _WORD.match(sentence, at)
    if not m or not m.group(2):
        return False
    verb, after = m.group(1).lower(), m.group(2).lower()
    if verb in STOPWORDS - _ORDERING_STOPWORDS or not base_verb(verb) or classes(verb) & {"ADJ", "ADV", "AUX"} - ({"AUX"} if verb in _ORDERING_STOPWORDS else set()) or verb in _NOT_ORDERS - ({"take"} if taking else set()) \
            or _TIME_ASKED.match(sentence, m.end(1)) or _LET_BE.match(sentence, at):
        return False
    if verb == "do" and _SO_DO.search(sentence, 0, at):
        return False  # "So do the others.": the others do too
    if verb == "do" and _DO_A_WISH.match(sentence, m.start(1)):
        return False
    if after in ("this", "that") and _ALONE.match(sentence, m.end()):
        return False
    # A phrasal verb alone is a reply, not an order: "Just turn up.", "Hurry up."
    return after in _OBJECT or after in _PARTICLES and not _ALONE.match(sentence, m.end())
