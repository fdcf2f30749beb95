"""Which parts of speech an English word can be, and its noun lemma, from a lexicon.

The topic finder has no tagger (spaCy's models and NLTK's data are not in wheels), but it
does not need a word's part of speech in context, only whether the word can name a thing at
all: "expire", "dropping", "really" and "nice" never can, so they are never a topic nor a
phrase's head. LemmInflect's lexicon (in its wheel, about 0.3 s to load, once, on first use)
knows that for the words it has; a word it does not have ("timesheets", "Okta", "wifi") is
taken as a name of a thing, which domain words usually are.

How common a word is in English at large comes from wordfreq's tables (in its wheel, about
0.2 s to load, once): a topic should be what this conversation is about, not a word every
conversation has.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1 << 16)
def classes(word: str) -> frozenset[str]:
    """The universal POS tags ``word`` can carry ("NOUN", "VERB", "ADJ", "ADV"); empty when
    the lexicon does not know it."""
    from lemminflect import getAllLemmas  # loaded on first use: its tables take 0.3 s

    return frozenset(getAllLemmas(word.lower()))


@lru_cache(maxsize=1 << 16)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma the lexicon gives ``word``, whatever its part of speech ("trimmed" -> trim,
    "cuts" -> cut); empty when it does not know the word."""
    from lemminflect import getAllLemmas

    return frozenset(lemma for found in getAllLemmas(word.lower()).values() for lemma in found)


@lru_cache(maxsize=1 << 16)
def verb_of_gerund(gerund: str) -> str:
    """The verb a gerund is of ("calling" -> "call", "redoing" -> "redo", "texting" -> "text",
    which the lexicon does not know), by lemminflect's reading as a verb; the word itself when
    the lexicon knows it only as something else ("morning"). One reading for the rewriting
    (rewrite.py) and the follow-up flag (follow_ups.py)."""
    if classes(gerund) and "VERB" not in classes(gerund):
        return gerund
    from lemminflect import getLemma

    return (getLemma(gerund.lower(), upos="VERB") or (gerund,))[0]


@lru_cache(maxsize=1 << 16)
def base_verb(word: str) -> bool:
    """A verb in its base form: "grab", "swap"; not "sounds" or "thanks" (a verb in -s), nor
    "great" (never a verb)."""
    from lemminflect import getAllLemmas

    return word.lower() in getAllLemmas(word.lower()).get("VERB", ())


@lru_cache(maxsize=1 << 16)
def grades(word: str) -> bool:
    """An adjective with a comparative in the lexicon: "long" (longer), "quiet" (quieter),
    "good" (better); not "memorial", "whole" or "presentation"."""
    from lemminflect import getAllInflections

    return "ADJ" in classes(word) and bool(getAllInflections(word.lower(), upos="ADJ").get("JJR"))


def can_name_a_thing(word: str, *, gerund: bool = True) -> bool:
    """A noun, a word the lexicon does not know ("wifi", "runbook", "onboarding") or, alone,
    a gerund ("pricing", "staging"; not at the end of a phrase: "people keep asking")."""
    tags = classes(word)
    return not tags or "NOUN" in tags or (gerund and word.endswith("ing") and "VERB" in tags)


def only_adverb(word: str) -> bool:
    """ "really", "here", "usually": never part of a topic."""
    return classes(word) == {"ADV"}


def verb_only(word: str) -> bool:
    """ "expire", "send", "cap"… only when the lexicon knows no other use; a participle
    ("saved cards", "lost orders", "flaky integration tests") modifies a noun and is kept."""
    return classes(word) == {"VERB"} and not word.endswith(("ed", "ing", "en"))


@lru_cache(maxsize=1 << 16)
def noun_lemma(word: str) -> str:
    """The singular of a noun ("policies" -> "policy", "boxes" -> "box", "data" -> "data"),
    the word itself otherwise."""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word.lower()).get("NOUN")
    return lemmas[0] if lemmas else word.lower()


# Zipf frequency (log10 of uses per billion words): "team" 5.7, "invoice" 3.3, "tombola" 1.8.
_COMMONEST = 7.0
_RARITY_FLOOR = 0.15


@lru_cache(maxsize=1 << 16)
def rarity(word: str) -> float:
    """How much a word can say about one conversation: 1.0 for a word of Zipf frequency 4
    ("invoice" 1.23, "boiler" 1.1), less for common ones ("team" 0.43, "plan" 0.57), never
    below 0.15; a word wordfreq does not know (Zipf 0) is rare."""
    from wordfreq import zipf_frequency  # loaded on first use: its English table takes 0.2 s

    # To one decimal: the tables' own precision; closer words are not told apart.
    return max(_RARITY_FLOOR, (_COMMONEST - round(zipf_frequency(word.lower(), "en"), 1)) / 3.0)
