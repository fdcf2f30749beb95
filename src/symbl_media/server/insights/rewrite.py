"""Action items in the third person, as Symbl writes them: "Priya Patel will send the slides."

The action phrase (from its verb on) gets a subject and a modal taken from the trigger ("I'm
going to" -> "is going to", "I have to" -> "has to", "can you" -> "needs to"), and its
pronouns are turned to agree: the speaker's "me"/"my" become the speaker's name when someone
else acts, "their"/"them" when the speaker acts; the addressee's "you"/"your" become
"they"/"their" when they act, their name when the speaker acts for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import agreement, fillers, lexicon


def _modals(*rows: tuple[str, str]) -> list[tuple[re.Pattern, str]]:
    """A table of (what the speaker said, how the rewrite says it), matched case-blind."""
    return [(re.compile(said, re.IGNORECASE), written) for said, written in rows]


_COMMITMENT_MODALS = _modals(
    # An offer taken up: "do you want me to send it?" - "yes, please" -> "Ana will send it".
    (r"\bme\s+to\b|\b(?:shall|should|can|could|may)\s+i\b", "will"),
    (r"going\s+to|gonna", "is going to"),
    (r"planning\s+to", "is planning to"),
    (r"plan\s+to", "plans to"),
    (r"intend\s+to", "intends to"),
    (r"need\s+to", "needs to"),
    (r"have\s+to", "has to"),
    (r"\bmust\b", "must"),
    (r"\bcan\b", "can"),
    (r"\bcould\b", "could"),
    (r"like\s+to", "would like to"),
)
_REQUEST_MODALS = _modals(
    (r"have\s+to", "has to"),
    (r"\bmust\b", "must"),
    (r"\bshould\b", "should"),
)
_GROUP_MODALS = _modals(
    (r"let'?s|let\s+us", "suggests the team"),
    (r"going\s+to", "says the team is going to"),
    (r"need\s+to", "thinks the team needs to"),
    (r"have\s+to", "thinks the team has to"),
    (r"\bmust\b", "thinks the team must"),
    (r"should|ought\s+to", "thinks the team should"),
    (r"\bcould\b", "says the team could"),
    (r"\bcan\b", "says the team can"),
    (r"\bmight\b", "says the team might"),
)
_ASSIGNMENT_MODALS = _modals(
    (r"going\s+to", "is going to"),
    (r"needs\s+to", "needs to"),
    (r"has\s+to", "has to"),
    (r"\bshould\b", "should"),
)
_OPENS_A_CLAUSE = frozenset("before after when whenever if once until till unless because since while as so that "
                            "whether".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_AUX_AFTER = frozenset(["are", "were", "have", "had", "will", "would", "can", "could", "should", "need", "want", "get", "do", "did", "don't", "'re", "'ve", "'ll", "'d"])


@dataclass(frozen=True)
class Voice:
    """Who says the action and who does it, by the names the text should use."""
    speaker: str
    actor: str  # the subject of the rewritten sentence
    actor_is_speaker: bool
    listener: str | None = None  # whom "you" means when the speaker acts
    # Everyone else in the conversation, whom a plural "you" ("you both", "all of you") may mean.
    others: tuple[str, ...] = ()


def modal(kind: str, trigger: str, accepted: bool = False) -> str:
    """The verb group after the subject, from the words that triggered the action."""
    table = {"commitment": _COMMITMENT_MODALS, "request": _REQUEST_MODALS,
             "group": _GROUP_MODALS, "assignment": _ASSIGNMENT_MODALS}[kind]
    for pattern, words in table:
        if pattern.search(trigger):
            # An offer taken up ("I can change it" - "please do") is a commitment.
            return "will" if accepted and words in ("can", "could") else words
    if kind == "group":
        return "says the team will"
    if kind == "request":
        return "will" if accepted else "needs to"
    return "will"


def third_person(phrase: str, modal_words: str, voice: Voice, names: frozenset[str]) -> str:
    """The action as a sentence about `voice.actor`, pronouns turned to agree."""
    actor = voice.actor
    phrase = fillers.drop(phrase, names)  # "send it, you know, by Friday": not "…, Ben knows, …"
    # "I'll text you, Fiona, once I hear back": her name is where "you" was, not said twice
    phrase = fillers.drop_address(phrase, voice.listener if voice.actor_is_speaker else voice.actor)
    joined = _SPEAKER_JOINS.match(phrase)
    if joined and not voice.actor_is_speaker:
        # "can you and I sit down on Friday?": the two of them act ("Ben and Ana will sit
        # down …"), not "Ben will and Ana sit down …"; a verb group of one becomes plural.
        actor, phrase = f"{voice.actor} and {voice.speaker}", phrase[joined.end():]
        modal_words = plural(modal_words)
    body = _base_verb(_swap(phrase, voice))
    first = _WORD.match(body)
    if first and first.group().lower() not in names and first.group() != "I":
        body = body[:1].lower() + body[1:]
    body = body.rstrip(" ,;:-")
    return f"{actor} {modal_words} {body}."


# The speaker joining the one asked: "can you and I …", "could you and me …".
_SPEAKER_JOINS = re.compile(r"^(?:and|or)\s+(?:I|me|myself)\b\s*", re.IGNORECASE)


# "would you mind handling the fixes?", "do you mind sending me the invoice?": after a modal the
# verb is in its base form ("Tim will handle the fixes", "… needs to send …").
_GERUND_START = re.compile(r"^(?:mind\s+)?([^\W\d_]+ing)\b", re.IGNORECASE)


def _base_verb(body: str) -> str:
    m = _GERUND_START.match(body)
    if m is None:
        return _from_the_past(body)
    lemma = lexicon.verb_of_gerund(m.group(1))
    if lemma.lower() == m.group(1).lower() and not body.lower().startswith("mind"):
        return body
    return lemma + body[m.end():]


# An offer put as a supposition keeps its verb in the past: "would it help if I sent a reminder?"
# - "yes, please" is "Ana will send a reminder". After the modal the verb is in its base form;
# a past that is a base form too ("put", "read", "saw" of sawing) stays as it is.
_FIRST_WORD = re.compile(r"^([^\W\d_]+)\b")


def _from_the_past(body: str) -> str:
    m = _FIRST_WORD.match(body)
    if m is None or lexicon.base_verb(m.group(1)):
        return body
    from lemminflect import getAllInflections, getAllLemmas

    word = m.group(1).lower()
    for lemma in getAllLemmas(word).get("VERB", ()):
        if word in getAllInflections(lemma, upos="VERB").get("VBD", ()):
            return lemma + body[m.end():]
    return body


# "you" said to more than one: never one listener's name. "send you all the notes" is "you" and
# "all the notes", so "you all" before a determiner is not plural.
_PLURAL_YOU = re.compile(
    r"\b(?:(?P<of>both|all|each|the\s+two|the\s+three)\s+of\s+you|you\s+(?P<q>both|all|two|three)"
    r"(?!\s+(?:the|of|my|our|your|this|that|these|those|a|an|about|day|week|night|morning|set|right)\b)|"
    r"you\s+(?:guys|folks|lot)|y['’]all)\b", re.IGNORECASE)
_HOW_MANY = {"both": 2, "two": 2, "the two": 2, "three": 3, "the three": 3}


def _of_a_thing(m: re.Match, phrase: str) -> bool:
    """ "email you both quotes": "both" counts the quotes, "you" is one listener."""
    following = re.match(r"\s+([^\W\d_]+)", phrase[m.end():])
    if m.group("q") is None or following is None:
        return False
    word = following.group(1).lower()
    return "NOUN" in lexicon.classes(word) and lexicon.noun_lemma(word) != word


def _plural_you(m: re.Match, voice: Voice, subject: bool) -> str:
    """The addressees by name when the conversation says who they are (the speaker acts and
    everyone else is as many as "both", "two", "three" say; "all", "you guys" when two or three
    are), else they/them with the quantifier kept ("introduce them both")."""
    quantifier = (m.group("of") or m.group("q") or "").lower()
    fewest, most = _how_many(m)
    if voice.actor_is_speaker and fewest <= len(voice.others) <= most:
        return together(voice.others)
    if m.group("of"):
        return f"{quantifier} of them"
    pronoun = "they" if subject else "them"
    return f"{pronoun} {quantifier}" if quantifier in ("both", "all") else \
        (f"the {quantifier} of {pronoun}" if quantifier else pronoun).replace("of they", "of them")


def _how_many(m: re.Match) -> tuple[int, int]:
    """How many people a plural "you" means, fewest and most: "both" 2, "the three of you" 3,
    "you all" and "you guys" two or three (more is a crowd nobody names)."""
    wanted = _HOW_MANY.get(" ".join((m.group("of") or m.group("q") or "").lower().split()))
    return (wanted, wanted) if wanted else (2, 3)


def addressed(trigger: str) -> tuple[int, int] | None:
    """How many a request is made to when its "you" is plural ("could you both", "can you
    two", "can you guys"), fewest and most; None when it is said to one."""
    m = _PLURAL_YOU.search(trigger)
    return None if m is None else _how_many(m)


def together(names: tuple[str, ...] | list[str]) -> str:
    """ "Ana and Ben", "Ana, Ben and Cy"."""
    return ", ".join(names[:-1]) + " and " + names[-1]


# The verb group after a subject of two or three: "Ana and Ben need to send Tom their slides".
_PLURAL_MODALS = {"needs to": "need to", "has to": "have to", "is going to": "are going to",
                  "is planning to": "are planning to", "plans to": "plan to", "intends to": "intend to"}


def plural(modal_words: str) -> str:
    return _PLURAL_MODALS.get(modal_words, modal_words)


def _swap(phrase: str, voice: Voice) -> str:
    words = list(_WORD.finditer(phrase))
    plural = {p.start(): p for p in _PLURAL_YOU.finditer(phrase) if not _of_a_thing(p, phrase)}
    out, last, said_plural = [], 0, False
    also_agree: dict[int, str] = {}  # the verbs joined to one made to agree: "… and types the text"
    for i, m in enumerate(words):
        if m.start() < last:
            continue  # a word already written: inside a plural "you", or a verb made to agree
        if m.start() in also_agree:
            out.append(phrase[last:m.start()] + also_agree.pop(m.start()))
            last = m.end()
            continue
        before = words[i - 1].group().lower() if i else ""
        if m.start() in plural:
            p = plural[m.start()]
            after = next((w.group().lower() for w in words[i:] if w.start() >= p.end()), "")
            out.append(phrase[last:p.start()])
            out.append(_plural_you(p, voice, after in _AUX_AFTER or before in _OPENS_A_CLAUSE))
            last, said_plural = p.end(), True
            continue
        nxt = words[i + 1].group().lower() if i + 1 < len(words) else ""
        said = m.group().lower()
        if phrase[m.start() - 1:m.start()] == "-" or phrase[m.end():m.end() + 1] == "-":
            continue  # "a thank-you letter", "a see-you-soon card": part of a word, nobody's "you"
        # "you" the subject of its clause ("before you go", "the files you need") is "they" or
        # a name whose verb agrees; an object ("let you know", "help you find") is "them".
        subject = said == "i" or said == "you" and agreement.is_subject(phrase, words, i)
        if said == "you":
            nxt = "are" if subject else ""
        if said == "am" and "i" not in (before, nxt):
            continue  # "by 10 am" is a time of day; only "I am" / "am I" is the verb
        # After "you both", a "you" of the same phrase means them too: "... once they have signed".
        new = _replacement(m.group(), nxt, replace(voice, actor_is_speaker=False) if said_plural
                           and said.startswith("you") else voice)
        if new is None:
            continue
        one = subject and new not in ("they", "them") and not agreement.compound(words, i) \
            and not (i + 1 < len(words) and words[i + 1].group().lower() in ("and", "or"))  # "are you and Sam free"
        asked = agreement.inverted(phrase, words, i) if one else None
        if asked is not None and asked[0].start() >= last:  # "how are you feeling" -> "how is Ben feeling"
            out.append(phrase[last:asked[0].start()] + asked[1] + phrase[asked[0].end():m.start()])
        else:
            out.append(phrase[last:m.start()])
        out.append(new)
        last = m.end()
        if not subject or agreement.compound(words, i):
            continue  # "Ana and I meet": a subject of two keeps the plural
        if new == "they":
            verb = agreement.verb_after(words, i)
            if verb is not None and verb.group().lower() == "was":  # "once I was back" -> "once they were back"
                out.append(phrase[last:verb.start()] + verb.group()[:-3] + "were")
                last = verb.end()
            continue
        # One person's name: "once you get back" -> "once Ben gets back", "what I need" ->
        # "what Ana needs", "if you don't hear" -> "if Ben doesn't hear".
        agreed = agreement.agree(phrase, words, i)
        if agreed is not None:
            verb, form = agreed
            out.append(phrase[last:verb.start()] + form)
            last = verb.end()
            # "you just click the block and type the text": every verb joined to it agrees too
            also_agree.update((v.start(), f) for v, f in agreement.joined(phrase, words, words.index(verb), said))
    out.append(phrase[last:])
    return "".join(out)


_YOU_WILL = {"you're": " is", "you've": " has", "you'll": " will", "you'd": " would"}


def _replacement(word: str, nxt: str, voice: Voice) -> str | None:
    w = word.lower().replace("’", "'")
    s = voice.speaker
    if w in ("i", "i'm", "i've", "i'll", "i'd"):
        tail = {"i": "", "i'm": " is", "i've": " has", "i'll": " will", "i'd": " would"}[w]
        return ("they" + {"": "", " is": " are", " has": " have"}.get(tail, tail)
                if voice.actor_is_speaker else s + tail)
    if w in ("me", "myself"):
        return ("them" if w == "me" else "themselves") if voice.actor_is_speaker else s
    if w in ("my", "mine"):
        return ("their" if w == "my" else "theirs") if voice.actor_is_speaker else f"{s}'s"
    if w in _YOU_WILL:  # "once you've signed": one listener's name and the verb, or they
        if not voice.actor_is_speaker:
            return "they" + w[3:]
        return None if voice.listener is None else voice.listener + _YOU_WILL[w]
    if w in ("you", "your", "yours", "yourself"):
        if voice.actor_is_speaker:
            who = voice.listener
            if who is None:
                return None
            return who if w in ("you", "yourself") else f"{who}'s"
        return {"you": "they" if nxt in _AUX_AFTER else "them", "your": "their",
                "yours": "theirs", "yourself": "themselves"}[w]
    if w == "am" and voice.actor_is_speaker:
        return "are"
    return None
