"""Is what the model wrote said in the messages it cites?

A model, a small one above all, writes fluent text with details nobody said: a time, a
weekday, a name, a number. Each check here compares the model's text with the cited messages'
own words, so an item survives only when its words come from them: ``invented`` lists the
details that do not, ``supported`` says whether enough of its words do, ``said`` finds where a
phrase the model copied really is. People named in the conversation (its members) may always
be named, since the third-person rewrite adds them.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.:,]\d+)*")
# Details a model invents: each must be in the cited messages to stay.
_DATE_WORDS = frozenset("""monday tuesday wednesday thursday friday saturday sunday january
february march april june july august september october november december today tomorrow
tonight yesterday morning afternoon evening noon midnight weekend eod pm""".split())
_NUMBER_WORDS = {w: str(i) for i, w in enumerate("""zero one two three four five six seven
eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen
twenty""".split())}
# Words every rewrite may add (modal verbs, pronouns, articles): not evidence either way.
GLUE = frozenset("""a an the and or but to of in on at by for with from into about after
before over under up out off as so if then than that this these those it its is are was were
be been being will would shall should can could may might must need needs needed has have
had having do does did done going go get gets got make makes let lets i me my mine we us our
ours you your yours he him his she her hers they them their theirs who whom which what when
where why how not no yes also just all any some each more most other again back there here
now very really please will wants want like""".split())


def words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in _WORD.findall(text or "")]


def stem(word: str) -> str:
    # Enough to tell "slides" from "slide" and "scheduled" from "schedule" apart from nothing.
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)][:5]
    return word[:5]


def supported(text: str, sources: list[str], names: frozenset[str], share: float = 0.5
              ) -> bool:
    """Whether at least ``share`` of the content words of ``text`` (not glue, not a member's
    name) are words of ``sources`` (compared by a crude stem)."""
    said = {stem(w) for s in sources for w in words(s)}
    content = [w for w in words(text) if w not in GLUE and w not in names and len(w) > 1]
    if not content:
        return False
    return sum(stem(w) in said for w in content) >= share * len(content)


def invented(text: str, sources: list[str], names: frozenset[str]) -> list[str]:
    """The details of ``text`` that ``sources`` never say: numbers and times, weekdays,
    months and other date words, capitalised names (a sentence's first word aside). Member
    names (lower-cased words in ``names``) are allowed."""
    said = {w for s in sources for w in words(s)}
    said |= {_NUMBER_WORDS[w] for w in said if w in _NUMBER_WORDS}
    said |= {w for s in sources for w in re.findall(r"\d+", s)}
    found = []
    for m in _WORD.finditer(text or ""):
        raw, word = m.group(), m.group().lower().strip("'’-")
        if word in said or word in names:
            continue
        if raw[0].isdigit():
            if all(part in said for part in re.findall(r"\d+", raw)):
                continue
            found.append(raw)
        elif word in _DATE_WORDS or raw[0].isupper() and raw != "I" and not _starts_sentence(text, m.start()):
            found.append(raw)
    return found


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \"'“(")
    return not before or before[-1] in ".!?:;"


def said(phrase: str | None, text: str) -> int | None:
    """Where ``phrase`` is in ``text`` (case and spacing aside), or None."""
    if not phrase or not phrase.strip():
        return None
    pattern = r"\s+".join(re.escape(p) for p in phrase.strip(" .,!?").split())
    if not pattern:
        return None
    m = re.search(pattern, text, re.IGNORECASE)
    return m.start() if m else None


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def best_sentence(text: str, message: str, names: frozenset[str]) -> str | None:
    """The sentence of ``message`` the model's ``text`` quotes or paraphrases (most of its
    content words in it), or None when none does."""
    if said(text, message) is not None:
        return " ".join(text.split())
    best, best_share = None, 0.0
    content = [w for w in words(text) if w not in GLUE and w not in names]
    if not content:
        return None
    for sentence in sentences(message):
        stems = {stem(w) for w in words(sentence)}
        share = sum(stem(w) in stems for w in content) / len(content)
        if share > best_share:
            best, best_share = sentence, share
    return best if best_share >= 0.6 else None
