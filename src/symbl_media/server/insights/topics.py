"""Topics: key phrases scored by how often and how widely they come up.

A local heuristic, not Symbl's model. Candidates are runs of one to three content words (no
stopwords, no common verbs, no names of members, no numbers) inside a sentence; a candidate's
weight is the number of messages it comes up in times the square root of its count, with a
bonus for longer phrases; a word is shown as the phrase it mostly comes in ("pricing page" for "pricing"), and
phrases sharing a word with a stronger one are dropped. A single word weighs less the more
common it is in English at large (lexicon.rarity). Without a part-of-speech tagger,
some verbs and adjectives slip through as topics.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from . import agenda, topic_ranking
from . import sentiment as sentiment_
from .actions import IMPERATIVES
from .conversation import Conversation
from .ids import make_id
from .lexicon import can_name_a_thing, classes, noun_lemma, rarity, verb_only
from .non_commitments import for_someday
from .person_words import ends_in_someone, names_someone
from .topic_runs import NOT_TOPICS, proper_names, runs
from .words import stem

_MAX_N = 3
# A topic weighs at least this share of the strongest one. At 0.15, one word said nine times
# ("pads" on a brake job) left room for four topics where the length gave eight, and the
# ones it cut ("airbag", "python", "blood pressure tablets") were labelled as often as the rest.
MIN_SHARE = 0.05
MAX_CHILDREN = 2
RAISED = 1.5  # the weight of a thing raised by "what about", "regarding", "moving on to"…
# The weight of a thing named in a question ("is the deposit refundable?"): a little more, so
# that of two things said as often the one someone asked about comes first; at 1.1 and 1.2 it
# outweighed things said more often (docs/benchmarks.md, "Topics: what a call says hello with").
ASKED = 1.05
# The weight of someone the call tells of: a name (written with a capital, never without) said
# as the subject of a verb ("Leo is due for his jabs", "Aoife will be there", "the ICU is
# full"), or any word said as the subject of a verb of saying, asking, wanting or knowing
# ("the bride said", "the organisers confirmed"). They act in what is told and are talked
# about for what they do; a thing the call is about is talked about ("the Shopify connector",
# "in Matosinhos", "the bride's bouquet") and keeps its weight when it is only so.
ACTS = 0.5
ENDS = 0.1  # the share of a conversation's messages at each end: its greetings and its goodbyes
# The opening and the closing exchange proper: hello and who is calling, thanks and goodbye.
GREETING = 0.05
SHORT = 10  # messages: below this, a word said once may be a topic
# Verbs, adverbs and adjectives common in meetings that make poor topics on their own.
_WEAK = frozenset(
    "good great bad nice fine ready sure able many much new old big small last next first second "
    "today tomorrow yesterday week weeks month day days year time times "
    "think know want see say said says tell told ask asked make made take took give gave send sent "
    "let lets get got go going went come came look looking looks use used using try trying tried "
    "fix fixed fail fails failed own owns work works working talk talked call called put keep "
    "start started finish finished need needs needed mean means feel felt seem seems show shows "
    "review reviewed check checked help helps done doing thing things stuff way ways guys "
    "everyone somebody anything something yes yeah okay right well really just still also "
    "maybe probably actually soon later now ago agree agreed hope thanks thank please sorry "
    "hello bye cool awesome perfect exactly ship shipped minute minutes hour hours second seconds "
    "percent tonight question questions answer end turn stop change approve post share "
    "ahead love hate catch detect demonstrate wonder various different several certain whole entire main "
    "other real quick part lot bit idea point case number hear call calls meeting guess folks place kind sort "
    "ping email schedule set book forward remind invite people person problem issue stuff ".split()) | (frozenset(IMPERATIVES) - {"test", "file", "order", "text", "phone"})
_WEAK_STEMS = frozenset(stem(w) for w in _WEAK)
# Nouns that never end a topic's phrase: "good thing", "next steps", "quick question".
_NEVER_HEAD = frozenset("thing things stuff way ways bit lot point kind sort time times day days "
                        "week weeks idea ideas guys folks everyone part".split())


@dataclass
class _Candidate:
    surfaces: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    count: int = 0
    messages: set[str] = field(default_factory=set)
    sentences: set[int] = field(default_factory=set)
    n: int = 1
    raised: bool = False  # named right after "what about", "regarding", "moving on to"…
    asked: bool = False  # named in a question
    acts: bool = False  # a name said as the subject of a verb ("Leo is due")
    talked_about: bool = False  # said at least once outside a clause that puts it off ("at some point")

    @property
    def text(self) -> str:
        return max(self.surfaces.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]


def find(conversation: Conversation, names: frozenset[str], *, limit: int | None = None) -> list[dict]:
    weighed = weigh(conversation, names)
    if weighed is None:
        return []
    ranking = topic_ranking.ranking(conversation, weighed, _weak, _describes)
    if limit is None:
        limit = topic_limit(len(conversation.sentences))
        if ranking is not None:  # the learned order may keep more, or stop at its threshold alone
            limit = len(weighed.candidates) if ranking.extra is None else limit + ranking.extra
    return choose(conversation, weighed, limit, ranking)


class Forms:
    """The phrases that may be shown as topics, in the hand order, found as far as they are
    read: finding each one's longest form looks at every candidate, and a choice of ten topics
    reads a few dozen of a long call's thousands."""

    def __init__(self, found: Iterator[tuple[str, ...]]):
        self._found = found
        self._read: list[tuple[str, ...]] = []

    def _read_to(self, n: int) -> bool:
        """Find forms until n are read; whether there are that many."""
        while len(self._read) < n:
            key = next(self._found, None)
            if key is None:
                return False
            self._read.append(key)
        return True

    def first(self, n: int) -> list[tuple[str, ...]]:
        self._read_to(n)
        return self._read[:n]

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        i = 0
        while self._read_to(i + 1):
            yield self._read[i]
            i += 1

    def __bool__(self) -> bool:
        return self._read_to(1)


@dataclass
class Weighed:
    """A conversation's candidates, their hand weights, and the phrases that may be shown as
    topics (each candidate's longest form, said enough and not only at the ends), strongest
    first by hand weight: what the choice of topics picks from."""
    candidates: dict[tuple[str, ...], _Candidate]
    weights: dict[tuple[str, ...], float]
    forms: Forms
    position: dict[str, float]  # each message's place in the conversation, 0 to 1


def weigh(conversation: Conversation, names: frozenset[str]) -> Weighed | None:
    candidates = _candidates(conversation, names)
    if not candidates:
        return None
    weights = {key: _weight(c) for key, c in candidates.items()}
    position = {m.id: i / len(conversation.messages) for i, m in enumerate(conversation.messages)}
    return Weighed(candidates, weights, Forms(_forms(conversation, candidates, weights, position)), position)


def _forms(conversation: Conversation, candidates: dict, weights: dict,
           position: dict[str, float]) -> Iterator[tuple[str, ...]]:
    short = len(conversation.messages) < SHORT
    seen: set[tuple[str, ...]] = set()
    for key in sorted(candidates, key=lambda k: (-weights[k], k)):
        key = _longest_form(key, candidates, weights)
        if key in seen:
            continue
        seen.add(key)
        if _supported(candidates[key], short) and (short or not _only_at_the_ends(candidates[key], position)):
            yield key


def choose(conversation: Conversation, weighed: Weighed, limit: int,
           ranking: topic_ranking.Ranking | None = None) -> list[dict]:
    """At most `limit` topics sharing no word, in the order of `ranking` (the learned one) or,
    without it, of the hand weight; a learned ranking also stops at its threshold."""
    candidates, weights = weighed.candidates, weighed.weights
    order: Iterable[tuple[str, ...]] = weighed.forms
    if ranking is not None:  # stable: the hand order breaks ties; the forms not weighed follow in it
        weighed_first = sorted(ranking.probability, key=lambda k: -ranking.probability[k])
        order = chain(weighed_first, (k for k in weighed.forms if k not in ranking.probability))
    chosen: list[tuple[str, ...]] = []
    for key in order:
        if len(chosen) >= limit or (ranking is not None and ranking.probability.get(key, 0.0) < ranking.threshold):
            break
        if any(_overlaps(key, other) for other in chosen):
            continue
        chosen.append(key)
    if not chosen:
        return []
    chosen.sort(key=lambda k: (-weights[k], k))
    top = weights[chosen[0]]
    chosen = [k for k in chosen if weights[k] >= MIN_SHARE * top]
    if ranking is not None:
        chosen.sort(key=lambda k: -ranking.probability.get(k, 0.0))
    children = _children(chosen, candidates, weights)
    sentiment_of = _Polarity(conversation)
    topics = []
    for key in chosen:
        topics.append(_topic(conversation, key, candidates[key], weights[key] / top, sentiment_of, None))
        for child in children.get(key, ()):
            topics.append(_topic(conversation, child, candidates[child], weights[child] / top, sentiment_of,
                                 candidates[key].text))
    return topics


def topic_limit(sentences: int) -> int:
    """How many topics a conversation of this many sentences gets: √sentences − ½, at least 3
    and at most 10 (24 sentences: 4, 40: 6, 80: 8). The labelled conversations have 4 to 8
    topics, a few more the longer they are."""
    return max(3, min(10, round(math.sqrt(sentences) - 0.5)))


def _topic(conversation: Conversation, key: tuple[str, ...], c: _Candidate, score: float,
           sentiment_of: dict, parent: str | None) -> dict:
    message_ids = [m.id for m in conversation.messages if m.id in c.messages]
    polarity = round(sum(sentiment_of[i] for i in message_ids) / len(message_ids), 3)
    return {
        "id": make_id(conversation.id, "topic", " ".join(key)),
        "text": c.text,
        "type": "topic",
        "score": round(score, 3),
        "messageIds": message_ids,
        "sentiment": _label(polarity),
        "parentRefs": [{"type": "topic", "text": parent}] if parent else [],
    }


class _Polarity(dict):
    """Each message's polarity, scored the first time a topic asks for it."""

    def __init__(self, conversation: Conversation):
        super().__init__()
        self._texts = {m.id: m.text for m in conversation.messages}

    def __missing__(self, message_id: str) -> float:
        self[message_id] = value = sentiment_.score(self._texts[message_id])
        return value


def _only_at_the_ends(c: _Candidate, position: dict[str, float]) -> bool:
    """Said in the opening exchange and again in the goodbyes, never in between: the small
    talk a call starts and ends with ("how were the Tim Tams?" ... "enjoy the Tim Tams"), or
    the frame of the meeting ("the checklist" ... "that's the checklist done"); or said only
    in the first or the last twentieth of the messages, the hellos and the goodbyes."""
    at = [position[m] for m in c.messages]
    early = sum(1 for p in at if p < ENDS)
    late = sum(1 for p in at if p >= 1 - ENDS)
    if early > 0 and late > 0 and early + late == len(at):
        return True
    # Said only while saying hello or goodbye: who is calling and from where ("calling
    # Cloudnest support", "Harbour Property Management"), a greeting in another language
    # ("bom dia", "doei"); what the call is about comes up again once it gets going.
    return max(at) < GREETING or min(at) >= 1 - GREETING


def _supported(c: _Candidate, short: bool) -> bool:
    """A single word must come up in two messages to be a topic, unless the conversation is
    too short for anything to; a phrase once is enough, unless it opens with a description."""
    if c.n > 1 and c.count == 1 and _describes(c.text.split()[0]):
        return False
    if not c.talked_about:
        return False  # "a pollinator garden at some point": put off, not talked about
    return short or c.n > 1 or len(c.messages) > 1


def _describes(word: str) -> bool:
    """A word that can only describe ("angry phone calls", "fizzy orange", "proper request
    process") or a past participle ("updated headcount sheet"): said once, such a phrase
    describes a thing in passing; said again the same way ("signed edition", "saved cards",
    "raised crossing"), it is the thing's name."""
    tags = classes(word)
    return tags == {"ADJ"} or (tags == {"VERB"} and word.endswith("ed"))


def _children(chosen: list, candidates: dict, weights: dict) -> dict:
    """The variants of each topic said at least twice ("integration tests" under "flaky
    integration tests"): topics of their own, grouped under it by `parentRefs`."""
    taken = set(chosen)
    found: dict = {}
    for key in chosen:
        variants = [k for k in candidates if k not in taken and len(k) > 1 and _overlaps(k, key)
                    and candidates[k].count >= 2 and not _contains(key, k)]
        variants.sort(key=lambda k: (-weights[k], k))
        found[key] = variants[:MAX_CHILDREN]
        taken.update(found[key])
    return found


def _label(polarity: float) -> dict:
    suggested = ("positive" if polarity >= sentiment_.THRESHOLD
                 else "negative" if polarity <= -sentiment_.THRESHOLD else "neutral")
    return {"polarity": {"score": polarity}, "suggested": suggested}


def _candidates(conversation: Conversation, names: frozenset[str]) -> dict[tuple[str, ...], _Candidate]:
    found: dict[tuple[str, ...], _Candidate] = defaultdict(_Candidate)
    proper = proper_names(conversation)
    for sentence in conversation.sentences:
        turned_to = agenda.raised(sentence.text)
        asks = sentence.text.rstrip().endswith("?")
        acting = _acting(sentence.text)
        put_off = _put_off(sentence.text)
        for run in runs(sentence.text, names, proper):
            for n in range(1, min(_MAX_N, len(run)) + 1):
                for i in range(len(run) - n + 1):
                    gram = run[i:i + n]
                    if n == 1 and (_weak(gram[0]) or not can_name_a_thing(gram[0]) or gram[0] in NOT_TOPICS
                                   or names_someone(gram[0])):
                        continue
                    if n > 1 and not _phrase(gram):
                        continue
                    key = tuple(stem(w) for w in gram)
                    c = found[key]
                    c.surfaces[" ".join(gram)] += 1
                    c.count += 1
                    c.n = n
                    c.messages.add(sentence.message.id)
                    c.sentences.add(sentence.index)
                    c.raised = c.raised or gram[0] in turned_to
                    c.asked = c.asked or asks
                    c.acts = c.acts or (n == 1 and _acts(gram[0], acting, gram[0] in proper))
                    c.talked_about = c.talked_about or not all(w in put_off for w in gram)
    return found


def _put_off(sentence: str) -> frozenset[str]:
    """The words (lower case) said only in a clause that puts something off to no time in
    particular: "someday I'd love to talk about a pollinator garden", "the rain plan at some
    point"; not those of another clause of the sentence ("the quote by Monday, and the rain
    plan at some point" keeps the quote)."""
    clauses = re.split(r"[,;:]|\b(?:but|and)\b", sentence.lower().replace("’", "'"))
    later = {w for c in clauses if for_someday(c) for w in re.findall(r"[\w'-]+", c)}
    now = {w for c in clauses if not for_someday(c) for w in re.findall(r"[\w'-]+", c)}
    return frozenset(later - now)


def _phrase(gram: list[str]) -> bool:
    """A phrase names a thing: its last word can be a noun ("move day", "security questions",
    not "switches arrived"), and no word of it is only a verb ("cap it", "expire")."""
    last = gram[-1]
    if not can_name_a_thing(last, gerund=False) or last in _NEVER_HEAD or ends_in_someone(last):
        return False
    if _weak(last) and classes(last) != {"NOUN"} and noun_lemma(last) == last:
        return False  # "tests fail", "pipeline cut": a verb as likely; "security questions" stays
    if _weak(gram[0]) and "ADJ" in classes(gram[0]):
        return False  # "quick question", "good point", "next steps"
    return not any(verb_only(w) for w in gram[:-1])


# A name followed by a verb it is the subject of: "Leo is", "Aoife will", "the ICU's been full"
# ("'s" as "is" or "has", before what it says of the subject).
_SUBJECT_OF = re.compile(r"\b([\w-]+)(?=(?:\s+(?:is|was|will|has|had|said|says|did|does|can|could|would|"
                         r"isn't|wasn't)|['’]s\s+(?:a|an|the|been|going|not|in|on|at|due|here|there))\b)")
# A word followed by a verb of saying, asking, wanting or knowing: what only someone does ("the
# bride said", "the organisers confirmed", "the landlord wants").
_SPEAKS = re.compile(r"\b([\w'’-]+)(?=\s+(?:said|says|told|tells|asked|asks|wants|wanted|thinks|thought|knows|"
                     r"knew|agreed|emailed|called|rang|mentioned|promised|reckons|confirmed|replied|wrote)\b)")


def _acting(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words `sentence` says as someone who acts: any word as the subject of a verb of
    saying or knowing ("the bride said"), and, when it is a name, as the subject of any verb
    ("Leo is due")."""
    lower = sentence.lower().replace("’", "'")
    return frozenset(_SPEAKS.findall(lower)), frozenset(_SUBJECT_OF.findall(lower))


def _acts(word: str, acting: tuple[frozenset[str], frozenset[str]], name: bool) -> bool:
    speaking, subjects = acting
    return word in speaking or (name and word.removesuffix("'s") in subjects)


def _weak(word: str) -> bool:
    """A word too common in meetings to be a topic on its own or a phrase's last word; its
    inflections too ("looked", "changed")."""
    return word in _WEAK or stem(word) in _WEAK_STEMS


def _weight(c: _Candidate) -> float:
    # Coming back to a thing in another message counts in full; saying it again in the same
    # breath ("the boiler, the boiler's pilot, the boiler again") counts as its square root.
    # Neither the raw count nor the number of speakers told the labelled topics apart on
    # tune/: a word one speaker echoes back ("the back?" "yes, the back") is no more a topic
    # (docs/benchmarks.md, "Topics: how often, and by how many").
    weight = math.sqrt(c.count) * len(c.messages) * (1.0 + 0.6 * (c.n - 1))
    # A thing the speakers turn to ("what about the deposit?") is one they chose to talk about.
    weight *= RAISED if c.raised else 1.0
    # Among the strongest candidates of tune/, one named in a question was labelled 66 times
    # in 100, the others 54: a thing someone asks about is one the call is about.
    weight *= ASKED if c.asked else 1.0
    weight *= ACTS if c.acts else 1.0
    # A single word is weighed by how rare it is in English at large (tf-idf with the language
    # as the background corpus): "team", "plan", "line", "support" come up in every meeting
    # and name none; "boiler", "tombola", "homepage" are what this one is about.
    return weight * rarity(c.text) if c.n == 1 else weight


def _longest_form(key: tuple[str, ...], candidates: dict, weights: dict) -> tuple[str, ...]:
    """The phrase that usually surrounds `key`: "pricing page" for "pricing" when most of the
    times "pricing" was said, "pricing page" was."""
    count = candidates[key].count
    longer = [k for k in candidates if len(k) > len(key) and _contains(k, key)
              and candidates[k].count >= max(2, count / 3)]
    return max(longer, key=lambda k: (weights[k], k)) if longer else key


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when one phrase contains the other or they share a word ("budget" vs "budget report")."""
    return bool(set(a) & set(b))
