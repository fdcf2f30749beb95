"""Subject and verb agreeing after the rewrite put a name where "you" or "I" was.

"once you get back" said to Ben is "once Ben gets back"; "send me what I need" said by Ana
is "… what Ana needs". Two questions, answered here: is the replaced word the subject of
its clause (so the verb after it must agree), and what is that verb in the third person
singular. The second comes from LemmInflect's lexicon (lexicon.py loads it for topics), not
a list of verbs: any verb it knows in its base form takes its VBZ form ("miss" -> "misses",
"fly" -> "flies"). A modal ("can", "will"), a past form ("sent") and anything the lexicon
does not know as a verb are left as said.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import lexicon
from .words import STOPWORDS

# The word before "you" that opens a clause of which "you" is the subject: "before you go",
# "what you need", "make sure you sign", "and you review it".
_OPENS_A_CLAUSE = frozenset(
    "before after when whenever if once until till unless because since while as so that whether "
    "what where which who how whatever wherever whichever than sure and but or then "
    # verbs whose clause needs no "that": "I know you want ...", "I hope you get ..."
    "know knew think thought hope guess bet believe suppose assume reckon mean understand understood "
    "say said feel figure like".split())
# A question's verb before its subject: "did you get", "can I ask", "are you after": the
# subject's, so it is "they" not "them", and the verb after it stays as said.
_INVERTED = frozenset("can could will would shall should may might must do does did are were is was am".split())
# "the files you need", "everything you need": a relative clause without its "that".
_DETERMINERS = frozenset("the a an any every each those these this that all some no".split())
_INDEFINITE = frozenset("everything anything something nothing whatever all".split())
_MODALS = frozenset("can could will would shall should may might must won't can't couldn't wouldn't "
                    "shouldn't mustn't".split())
# A subject's own verb whatever comes before it ("help you can" is not English): the finite
# forms of be, do and the modals.
_FINITE = _MODALS | frozenset("are were am was did didn't don't do aren't weren't".split())
# A word that can stand between a subject and its verb: "you always send", "I also need".
_ADVERB = frozenset("always never also just still really usually often sometimes only already even actually "
                    "probably definitely ever normally generally absolutely certainly mostly rarely".split())
# Third person singular of the irregular and negated forms LemmInflect has no row for.
_IRREGULAR = {"are": "is", "am": "is", "were": "was", "have": "has", "do": "does", "don't": "doesn't",
              "aren't": "isn't", "weren't": "wasn't", "haven't": "hasn't"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def is_subject(phrase: str, words: list[re.Match], i: int) -> bool:
    """Whether words[i] ("you") is the subject of a clause rather than an object ("let you
    know", "help you find", "send you the notes"): it opens a clause, ends a noun phrase whose
    relative clause it starts ("the files you need"), or a finite verb follows it."""
    verb = verb_after(words, i)
    if verb is None:
        return False
    said = verb.group().lower().replace("’", "'")
    if said in _FINITE:
        return True
    if _inverted(phrase, words, i):
        return words[i - 1].group().lower() != "do" or _can_be_a_verb(said)  # not "do you a favour"
    if i == 0 or re.search(r"[,;:(—–]", phrase[words[i - 1].end():words[i].start()]):
        # "You ready for Friday?": no verb said; "you free"; "Tom, you take the lead" agrees
        return _can_be_a_verb(said) and not ("ADJ" in lexicon.classes(said) and third_singular(said))
    before = words[i - 1].group().lower()
    if before in _OPENS_A_CLAUSE or before in _INDEFINITE or _after_a_noun_phrase(phrase, words, i):
        return _can_be_a_verb(said)
    return False


# A noun phrase's opening word: "the files you need", "my notes you have".
_OPENS_A_NOUN_PHRASE = _DETERMINERS | frozenset("my your our his her their".split())


def _after_a_noun_phrase(phrase: str, words: list[re.Match], i: int) -> bool:
    """ "the files you need", "the site managers you send me": words[i] follows a determiner and
    one to three nouns, so it opens a relative clause without its "that"."""
    k = i - 1
    while k >= 0 and i - k <= 3 and _a_noun(words[k].group().lower()) \
            and not re.search(r"[^\w\s'’-]", phrase[words[k].end():words[k + 1].start()]):
        k -= 1
    return k < i - 1 and k >= 0 and words[k].group().lower() in _OPENS_A_NOUN_PHRASE \
        and not re.search(r"[^\w\s'’-]", phrase[words[k].end():words[k + 1].start()])


def agree(phrase: str, words: list[re.Match], i: int) -> tuple[re.Match, str] | None:
    """The verb governed by words[i], a subject now a singular name, and its third person
    singular; None when it needs no change (a modal, a past form, no verb at all)."""
    verb = verb_after(words, i)
    if verb is None or _inverted(phrase, words, i) \
            or re.search(r"[^\w\s'’]", phrase[words[i].end():verb.start()]):
        return None  # "can I ask": the question's verb comes first; "I, well, I was": no verb
    said = verb.group()
    singular = third_singular(said.lower().replace("’", "'"))
    if singular is None or singular == said.lower() or _said_as_past(phrase, verb):
        return None
    return verb, (singular[:1].upper() + singular[1:] if said[:1].isupper() else singular)


# What a verb joined by "and" takes next, so that the word is a verb and not a noun: "and type
# the text", "and check it", "and chase Jessica", "and pick him up". A noun is never followed by
# a determiner or an object pronoun ("click the block and text" joins two things).
_TAKES = frozenset("the a an this that these those my your his her its our their some any every each another no "
                   "it them him her me us you everyone everybody everything something anything someone somebody "
                   "up out back off down over away".split())
# What a clause can end on before "and" when the word after it, ending the clause too, is a
# verb: "open it and check", "get back and call"; after a noun ("the form and sign") it may be
# a second thing, and stays as said.
_ENDS_A_VERB_PHRASE = frozenset("it them him her me us this that these those up out back off down over away in on "
                                "again too first now today tomorrow tonight later".split())
# Between "and" and the verb it joins: "and then check", "or just call".
BEFORE_A_JOINED_VERB = _ADVERB | {"then"}
# A word that opens a clause of its own, with its own subject, ends the verb's reach: "once you
# tell Sam what he needs and …" ("needs" is his, "and …" may be anyone's).
_SUBORDINATE = frozenset("before after when whenever if once until till unless because since while as so that "
                         "whether what where which who whom whose how than".split())
_OBJECT_OF = {"i": "me", "you": "you"}  # "when I get back and tell me": not the same subject


def joined(phrase: str, words: list[re.Match], k: int, subject: str) -> list[tuple[re.Match, str]]:
    """The verbs joined by "and" or "or" to words[k], the verb that `subject` ("you" or "I") now
    agrees with, each with its third person singular: "you just click the block and type the
    text" is "Ben just clicks the block and types the text", "if I open it and check" is "if
    Ana opens it and checks". The chain stops at punctuation (but ", and"), at a clause of its
    own ("and I", "and Sam", "what he needs"), at a word after "and" that is no verb in its
    base form, and at a verb whose object is the subject itself ("when I get back and tell
    me …": "tell" is the main clause's)."""
    found: list[tuple[re.Match, str]] = []
    listed: list[tuple[re.Match, str]] = []  # "print it, sign it and scan it": kept once "and" comes
    j = k + 1
    while j < len(words):
        gap = phrase[words[j - 1].end():words[j].start()]
        said = words[j].group().lower()
        if re.search(r"[^\w\s,'’-]", gap) or said in _SUBORDINATE:
            break
        if "," in gap and said not in ("and", "or"):
            singular = third_singular(said) if said == words[j].group() else None
            if singular is None or singular == said or not _takes_a_verb(phrase, words, j - 1, j, subject):
                break
            listed.append((words[j], singular))
            j += 1
            continue
        if said not in ("and", "or"):
            j += 1
            continue
        n = j + 1
        while n < len(words) and words[n].group().lower() in BEFORE_A_JOINED_VERB:
            n += 1
        if n >= len(words) or re.search(r"[^\w\s'’-]", phrase[words[j].end():words[n].start()]):
            break
        verb = words[n]
        word = verb.group().lower().replace("’", "'")
        singular = third_singular(word) if word == verb.group() else None  # "and Sam": a name
        if singular is None or singular == word or not _takes_a_verb(phrase, words, j, n, subject):
            break
        found += listed + [(verb, singular)]
        listed = []
        j = n + 1
    return found


def _takes_a_verb(phrase: str, words: list[re.Match], j: int, n: int, subject: str) -> bool:
    """Whether words[n], after "and" at words[j], is a verb of the same subject: what follows it
    opens an object ("and type the text"), or it ends the clause after one ("open it and
    check"), or it can be nothing but a verb ("and ask")."""
    after = words[n + 1] if n + 1 < len(words) else None
    if after is not None and not re.search(r"[^\w\s'’-]", phrase[words[n].end():after.start()]):
        follows = after.group().lower()
        if follows == _OBJECT_OF.get(subject):
            return False
        return follows in _TAKES or after.group()[:1].isupper() and follows != "i"
    before = words[j - 1].group().lower()
    return before in _ENDS_A_VERB_PHRASE or lexicon.classes(words[n].group().lower()) == {"VERB"}


def inverted(phrase: str, words: list[re.Match], i: int) -> tuple[re.Match, str] | None:
    """A question's verb before words[i], a subject now one person's name, and its third person
    singular: "how are you feeling" is "how is Ben feeling", "do I need it" is "does Ana need
    it"; None for a modal or a past form ("can I ask", "did you get"), which stay."""
    if not _inverted(phrase, words, i):
        return None
    verb = words[i - 1]
    said = verb.group().lower()
    if said not in ("are", "were", "do", "am"):
        return None
    singular = _IRREGULAR[said]
    return verb, (singular[:1].upper() + singular[1:] if verb.group()[:1].isupper() else singular)


def verb_after(words: list[re.Match], i: int) -> re.Match | None:
    """The word after words[i], past at most two adverbs ("you always send")."""
    k = i + 1
    while k < len(words) and k <= i + 2 and words[k].group().lower() in _ADVERB:
        k += 1
    return words[k] if k < len(words) else None


# "I read your notes last night", "I set it up last week": a past form that is also the base.
_PAST_TIME = re.compile(r"[^,;.!?]*\b(?:yesterday|last|ago|earlier|already)\b", re.IGNORECASE)


def _said_as_past(phrase: str, verb: re.Match) -> bool:
    from lemminflect import getInflection

    word = verb.group().lower()
    return word in getInflection(word, tag="VBD") and bool(_PAST_TIME.match(phrase, verb.end()))


def compound(words: list[re.Match], i: int) -> bool:
    """ "Sam and I meet", "you or Ben call": a subject of two keeps the plural verb; not
    "… the spares and I want to be sure", a clause of its own."""
    if i < 1 or words[i - 1].group().lower() not in ("and", "or"):
        return False
    if i < 2:
        return True  # "can you and I sit down": the other subject is in the trigger
    other = words[i - 2].group()
    return other[:1].isupper() or other.lower() in ("you", "he", "she", "they", "we", "him", "her", "them", "me")


def _inverted(phrase: str, words: list[re.Match], i: int) -> bool:
    """ "did you get", "can I ask"; not "which is, I know"."""
    return i >= 1 and words[i - 1].group().lower() in _INVERTED \
        and not phrase[words[i - 1].end():words[i].start()].strip()


def _a_noun(word: str) -> bool:
    """ "the files you need", "after the 31st you need"; not "any of you know"."""
    return word not in STOPWORDS and lexicon.can_name_a_thing(word, gerund=False)


def _can_be_a_verb(word: str) -> bool:
    return word in _FINITE or word in _IRREGULAR or "VERB" in lexicon.classes(word) or "AUX" in lexicon.classes(word)


@lru_cache(maxsize=4096)
def third_singular(word: str) -> str | None:
    """ "get" -> "gets", "are" -> "is", "don't" -> "doesn't"; None for a word that is not a
    verb's base form (a modal, a past form "sent", a noun)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _FINITE or "'" in word:
        return None
    if "VERB" not in lexicon.classes(word):
        return None
    from lemminflect import getInflection, getLemma  # the lexicon lexicon.py loads

    lemma = getLemma(word, upos="VERB")
    if not lemma or lemma[0] != word:
        return None  # "sent", "copies": not the base form
    return (getInflection(word, tag="VBZ") or (None,))[0]
