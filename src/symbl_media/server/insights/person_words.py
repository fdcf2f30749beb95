"""Words that name a person, not a thing talked about: a relation ("Mum", "my sister") or a
post ("the district manager", "the legal team").

The topic finder (topics.py) leaves out the members' names and those of people spoken to; these
are the other ways a conversation names someone. Such a person acts in what is told, and what
the call is about is what concerns them: "Mum's booked the hall" is about the hall.
"""

from __future__ import annotations

# Someone named by their relation to the speaker ("Mum's booked the hall", "my sister's
# fortieth", "the grandmother's favourite flowers"). A group by relation ("the parents", "the
# kids") can be what a call is about, and is not in this list.
KIN = frozenset("""mum mom mother mam dad father nan nana nanna gran granny grandma grandmother grandpa
grandad granddad grandfather grandmothers grandfathers aunt auntie aunty aunts aunties uncle uncles wife husband
son daughter brother sister cousin niece nephew stepmother stepfather stepson stepdaughter fiance fiancee
great-grandmother great-grandfather""".split())
# Words that name someone by their post ("the district manager", "the legal team", "the front
# office lady"): with a word before them, a person or a group of people told of, as a name is.
# Not "lead", which names a thing as often ("a sales lead", "the valley lead" on a roof), nor
# "ma" or "pa" among the relations ("an MA", "the PA system").
POSTS = frozenset("""manager managers director directors officer officers team teams staff lady ladies
guy guys man men woman women assistant assistants coordinator coordinators rep reps representative
representatives secretary clerk president presidents administrator receptionist""".split())
# Of those, the ones that can only be a person, alone too ("the managers said", "the director
# wants"); "team" and "staff" alone can be what a call is about (the team's rota, staff
# cover).
_ONLY_PEOPLE = POSTS - frozenset("team teams staff".split())


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def names_someone(word: str) -> bool:
    """A single word that names a person: a relation ("mum", "Dad's") or a post that can only
    be a person ("managers", "director")."""
    return _bare(word) in KIN or word in _ONLY_PEOPLE


def ends_in_someone(word: str) -> bool:
    """A phrase's last word that makes it a person: a relation ("beloved mother") or any post
    ("district manager", "legal team")."""
    return _bare(word) in KIN or word in POSTS
