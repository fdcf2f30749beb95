"""Which words of a sentence can make a topic: runs of content words.

The first step of the topic finder (topics.py): a sentence is cut into runs of words that can
name a thing, at stopwords, names, numbers, punctuation, words of time and manner, and words
used there as verbs or adverbs ("I'll ring them", "it keeps dropping", "get back to you"). A
run's one to three word grams are the candidates topics.py weighs. A word is judged without a
clitic 's ("the card's on file"), unless it is a name ("Fry's").
"""

from __future__ import annotations

import re

from .conversation import Conversation
from .dates import MONTHS, WEEKDAYS
from .lexicon import base_verb, classes, grades, lemmas, noun_lemma, only_adverb
from .numbers import ORDINALS, SCALES, TENS, UNITS
from .words import STOPWORDS, tokens

# Words after which a word that can be a verb is one: "I'll ring", "to file", "let's wait".
_VERB_CUES = frozenset("to will 'll i'll we'll you'll they'll he'll she'll can could should would must might "
                       "let's lets please don't didn't doesn't won't can't i we you they just".split())
# Words after which a verb's -ing form is the verb going on: "it keeps dropping", "both are running".
_PROGRESSIVE_CUES = frozenset("are were 're keep keeps kept keeping start starts started stop stops stopped "
                              "still".split())
# Adverbs that can be nouns, after a verb: "get back to you", "go back", "come back".
_PARTICLES = frozenset("back".split())
# The verbs "back" is a particle of (by lemma). Not any word that can be a verb: "lower back
# pain", "cash back", "the sofa back cushions" name things ("lower" and "cash" can be verbs).
_PARTICLE_VERBS = frozenset("""get go come call ring phone text email write send bring take give put hold
push pull look think circle play pay set step scale roll fall head turn hear report check reach
move sit lean cut hit fight talk answer double loop swing pop bounce walk drive fly run switch
revert sign log dial kick sleep wind fire bite trace track""".split())
# Words of time and manner that end a run: "phone last night", "mostly interrupts".
_BREAKS = frozenset("last night yesterday tonight morning afternoon evening ago early late meantime meanwhile "
                    "already again ever never always usually really mostly "
                    # the hours of the day and the parts of it said for a habit or a span: "the
                    # latest at noon", "I can do mornings"
                    "noon midday midnight nights mornings afternoons evenings".split())
# Verbs said alone to hold the listener's attention, before what matters: "Wait, is that the
# 18th?", "Oh, wait, Marcus, could you …", "Listen, I know it's late." Said so, they are no
# thing talked about ("the wait for a new part" still is).
_ATTENTION = frozenset("wait listen".split())
# What is said to be polite, to wish, thank or reassure: the words of these set phrases name
# nothing talked about ("no worries", "good luck with the move", "congrats on the round").
_FORMULAE = tuple(tuple(f.split()) for f in (
    "no worries", "no problem", "no bother", "no rush", "no stress", "no pressure", "no hurry", "bear with me",
    "good luck", "best of luck", "take care", "fingers crossed", "congrats", "congratulations", "cheers"))
# Units of measure: beside a number they make an amount ("mile nine", "the forty thousand
# kilometre service", "eighteen degrees"), not a thing talked about.
_UNITS_OF_MEASURE = frozenset("""mile miles kilometre kilometres kilometer kilometers km metre metres meter
meters inch inches foot feet yard yards kilo kilos kilogram kilograms gram grams pound pounds ounce ounces
litre litres liter liters gallon gallons degree degrees dollar dollars euro euros buck bucks quid cent cents
""".split())
# Numbers in the plural are amounts or ages too: "the under tens", "hundreds of them", "in her twenties".
_PLURAL_NUMBERS = frozenset(w + ("es" if w.endswith("x") else "s") for w in (*UNITS, *SCALES)) \
    | frozenset(w[:-1] + "ies" for w in TENS)
# A weekday in the plural says when something is done, as a habit ("the sorting is on
# Thursdays", "I can't do Saturdays"), not what is talked about.
_WEEKDAYS_PLURAL = frozenset(day + "s" for day in WEEKDAYS)
# A fraction is an amount, as a number is: "half of them", "the other half", "half the crew".
_FRACTIONS = frozenset("half halves".split())
# Prepositions the stopword list lacks and the lexicon does not tag as such ("I'm behind on
# rent", "quarter past eight", "beside the till"): function words, no things. Not those that
# are as often nouns or names of things ("the final round", "inside sales", "the Plus plan",
# "a near miss").
_PREPOSITIONS = frozenset("""aboard across along alongside amid amongst astride atop behind beneath beside besides
beyond despite except nearby past throughout underneath unlike versus via""".split())
NOT_TOPICS = _BREAKS | _PREPOSITIONS | frozenset(WEEKDAYS) | _WEEKDAYS_PLURAL | frozenset(MONTHS) \
    | frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES) | _PLURAL_NUMBERS | _FRACTIONS \
    | frozenset(w for o in ORDINALS for w in o.split())
# Parts of the day that name an event after a noun: "presentation night", "memorial evening",
# "the friends night", "a coffee morning". Alone, or after a word of time ("tomorrow night"),
# they say when, and break the run as the other words of time do.
_EVENT_HOURS = frozenset("night evening morning afternoon".split())
_WHEN = frozenset("today tomorrow yesterday tonight week weekend month year day date time".split())
# Words that pick out which span or how much of it, as a determiner does: "the whole afternoon",
# "the following morning", "the same evening". They can be nouns ("a whole", "a following"),
# but before a part of the day they say which one, not what happens in it.
_WHICH_SPAN = frozenset("whole entire following same other previous final rest".split())
# A span of time said with which one ("the monolith next year", "next year's venue", "every
# weekend") says when: both words break the run, as "last night" does.
_WHICH_TIME = frozenset("next this every each coming".split())
_SPANS = frozenset("week weeks weekend weekends month months year years quarter term season".split())
# A holiday after a preposition of time says when ("booked up before Christmas", "closed over
# Easter"); named otherwise it can be what is planned ("the Christmas beer", "Thanksgiving
# hours").
_HOLIDAYS = frozenset("christmas easter thanksgiving halloween hanukkah diwali eid ramadan xmas".split())
_BY_THEN = frozenset("before after over until till by since around".split())
# Words that open a verb's object: "the finance team closes the books", "people pick their
# slots": a phrase's last word right before one of them is the verb of a clause.
_OBJECT_STARTS = frozenset("the a an my our your his their its it them me us him".split())
# Words a verb takes and a noun does not: a particle or a word of time ("the offer ends soon",
# "the price drops later", "the deposit comes back"). After a singular noun, a word in -s
# before one of them is the clause's verb, not a plural closing the phrase: the singular
# subject agrees with it ("the sales calls tomorrow" has a plural before, and is a thing).
_DETERMINERS = frozenset("the a an my our your his her their its this that these those".split())
_CLAUSE_OPENERS = frozenset("and but or so if when once because until unless while since that which where "
                            "before after as um uh".split())
# Not "again" nor a day ("the extra chairs again", "tile prices Wednesday" name things as a
# list or a reminder does).
_AFTER_VERBS = frozenset("soon now later early late up down out off over back away".split())
# A pronoun or a function word with its verb worn down: "that'd", "there's", "it'll".
_CONTRACTED = re.compile(r"^[a-z]+['’](?:d|ll|re|ve|s|m)$")


def proper_names(conversation: Conversation) -> frozenset[str]:
    """Words written with a capital inside a sentence and never without: "Fry's", "St.
    Matthew's" are places, and their 's is part of the name."""
    upper, lower = set(), set()
    for sentence in conversation.sentences:
        for i, token in enumerate(tokens(sentence.text)):
            bare = token.lower.removesuffix("'s")
            if token.text[0].islower():
                lower.add(bare)
            elif i and token.text[0].isupper():
                upper.add(bare)
    return frozenset(upper - lower)


def runs(text: str, names: frozenset[str], proper: frozenset[str] = frozenset()) -> list[list[str]]:
    """Runs of content words, broken at stopwords, names, numbers and punctuation; `proper`
    holds the words that are names in this conversation (`proper_names`)."""
    runs: list[list[str]] = [[]]
    subject = False  # whether the current run opens its clause, where a subject stands
    last_end = 0
    before = ""
    found = tokens(text)
    passed_over = _spelled_addresses(found) | _formulae(found) | _amounts(found)  # words that name nothing here
    for i, token in enumerate(found):
        word = _without_clitic(token.lower, proper)
        gap = text[last_end:token.start]
        last_end = token.end
        if gap.strip(" -"):  # punctuation between the words ends the run
            runs.append([])
        usable = (i not in passed_over and len(word) > 2 and word not in STOPWORDS and word not in NOT_TOPICS
                  # "Jamie's here", "Jamie's desk": a name kept with its 's is still the name
                  and word not in names and word.removesuffix("'s").removesuffix("’s") not in names
                  and not any(ch.isdigit() for ch in word) and len(word) <= 40 and not word.endswith("ly")
                  and not only_adverb(word) and not _number_words(word)
                  and not (_CONTRACTED.match(word) and word.split("'")[0].split("’")[0] in STOPWORDS)
                  # "I'll ring them", "let's wait", "to file it": there the word is a verb
                  and not (before in _VERB_CUES and "VERB" in classes(word))
                  # "keeps dropping", "both are running": a verb going on, not a thing
                  and not (before in _PROGRESSIVE_CUES and word.endswith("ing") and "VERB" in classes(word))
                  # "get back to you", "go back to Lagos": an adverb after its verb
                  and not (word in _PARTICLES and lemmas(before) & _PARTICLE_VERBS)
                  and not (word in _ATTENTION and _alone(text, found, i)))
        if usable and word in _HOLIDAYS and before in _BY_THEN and not gap.strip(" -"):
            usable = False  # "before Christmas", "over Easter": when, not what
        if usable and word in _SPANS and before in _WHICH_TIME and not gap.strip(" -"):
            usable = False  # "next year": when, not a thing
            if runs[-1] and runs[-1][-1] == before:
                runs[-1].pop()
        before = word
        if usable:
            if not runs[-1]:
                subject = _opens_clause(text, found, i)
            runs[-1].append(word)
        elif runs[-1]:
            if word in _EVENT_HOURS and not gap.strip(" -") and _names_an_event(runs[-1][-1]):
                runs[-1].append(word)  # "presentation night": the night is the thing
            elif len(runs[-1]) > 1 and not gap.strip(" -") and (
                    word in _OBJECT_STARTS and "VERB" in classes(runs[-1][-1])
                    or word in _AFTER_VERBS and subject and _agrees(runs[-1][-2], runs[-1][-1])):
                runs[-1].pop()  # "build pipeline cut our build" is about the build pipeline
            runs.append([])
    return [r for r in runs if r]


def _alone(text: str, found: list, i: int) -> bool:
    """Whether token `i` is a clause of its own: punctuation (or the start) before it and
    punctuation after it ("Wait, is that …", "Oh, wait, Marcus")."""
    after = text[found[i].end:found[i + 1].start] if i + 1 < len(found) else text[found[i].end:]
    before = text[found[i - 1].end:found[i].start] if i else "."
    return bool(before.strip(" -")) and bool(after.strip(" -"))


def _names_an_event(word: str) -> bool:
    """Whether `word` and a part of the day after it name an event ("presentation night",
    "demo night", "memorial evening"): a word that can be a noun, and not one of time
    ("tomorrow night", "Saturday night" say when), nor one that says which span ("the whole
    afternoon", "the following morning") or what it was like: an adjective that grades
    ("a long night", "a quiet evening": longer, quieter), which a noun naming an event does not
    ("a longer night" is said, "a more memorial evening" is not)."""
    if word in _WHEN or word in _WHICH_SPAN or grades(word):
        return False
    return "NOUN" in classes(word) or not classes(word)


def _opens_clause(text: str, found: list, i: int) -> bool:
    """Whether the run starting at token `i` stands where a clause's subject does: after its
    determiner, at the start, after punctuation or a conjunction ("and the sticker runs
    out", "if design signs off"); not after a verb ("flip the connection strings back")."""
    if i and found[i - 1].lower in _DETERMINERS:
        i -= 1
    if i == 0 or text[found[i - 1].end:found[i].start].strip(" -"):
        return True
    return found[i - 1].lower in _CLAUSE_OPENERS


def _agrees(noun: str, word: str) -> bool:
    """ `word` can be the verb of singular `noun` in the third person: "offer ends", "price
    drops"; not "sales calls" (a plural before it), "extra chairs" (an adjective can describe),
    nor "release note" (no -s)."""
    return word.endswith("s") and noun_lemma(noun) == noun and "ADJ" not in classes(noun) \
        and "VERB" in classes(word) and not base_verb(word)


def _without_clitic(word: str, proper: frozenset[str]) -> str:
    """The word a clitic 's leans on: "the card's on file", "Saturday's fine", "mid-roll's
    almost gone" are about the card, Saturday and the mid-roll. Judged with the 's, the word
    is one no lexicon knows, so it passed as a rare name ("card's" weighed as "tombola").
    A name's 's stays ("Fry's" is a shop, "Sal's" is not "sale"), but not a weekday's or a
    month's."""
    bare = word.removesuffix("'s")
    if not bare or bare in STOPWORDS or (bare in proper and bare not in NOT_TOPICS):
        return word
    return bare


def _spelled_addresses(found: list) -> set[int]:
    """The words of an address said aloud, "billing at fernhill dot example", "acme dot com":
    the parts of a name on the network, not things talked about."""
    spelled: set[int] = set()
    for i in range(1, len(found) - 1):
        if found[i].lower == "dot":
            spelled.update((i - 1, i, i + 1))
    return spelled


def _formulae(found: list) -> set[int]:
    """The words of a set phrase of politeness ("no worries", "good luck", "congrats")."""
    words = [t.lower for t in found]
    said: set[int] = set()
    for i in range(len(words)):
        for formula in _FORMULAE:
            if tuple(words[i:i + len(formula)]) == formula:
                said.update(range(i, i + len(formula)))
    return said


def _amounts(found: list) -> set[int]:
    """Units of measure said beside a number, in digits or words: "mile nine", "forty thousand
    kilometre service", "2 miles"."""
    def number(j: int) -> bool:
        if not 0 <= j < len(found):
            return False
        word = found[j].lower
        return any(ch.isdigit() for ch in word) or word in NOT_TOPICS and (
            word in UNITS or word in TENS or word in SCALES or _number_words(word))
    return {i for i, t in enumerate(found) if t.lower in _UNITS_OF_MEASURE and (number(i - 1) or number(i + 1))}


def _number_words(word: str) -> bool:
    """ "twenty-three", "forty-five": a number, however it is written."""
    parts = word.split("-")
    return len(parts) > 1 and all(p in NOT_TOPICS for p in parts)
