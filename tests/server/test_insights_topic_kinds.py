"""Kinds of words that name no topic: when something is done, how much of it, and who
(docs/sandbox-insights.md, Topics)."""

from __future__ import annotations

from .test_insights import chat


def texts(found: dict) -> list[str]:
    return [t["text"] for t in found["topics"]]


def test_a_weekday_in_the_plural_says_when_not_what():
    found = texts(chat(("Ana", "The stocktake is on Thursdays, and the window display too."),
                       ("Ben", "I can't do Thursdays, sorry. Saturdays work for the window display."),
                       ("Ana", "Fine, Saturdays then. Who does the stocktake?")))
    assert "thursdays" not in found and "saturdays" not in found
    assert "stocktake" in found and "window display" in found


def test_a_fraction_is_an_amount():
    found = texts(chat(("Ana", "Half the pickers start at six, the other half at eight."),
                       ("Ben", "And half of them need crates. The half marathon closes the road."),
                       ("Ana", "Then the crates go on the tractor before the marathon.")))
    assert "half" not in found
    assert "crates" in found and any("marathon" in t for t in found)


def test_someone_named_by_their_relation_is_a_person_not_a_topic():
    found = texts(chat(("Ana", "Mum wanted the lilies for the casket spray. Dad's cousin is reading."),
                       ("Ben", "Lilies are fine. Did your mum say which ones?"),
                       ("Ana", "Yes. And Dad's asking about the casket spray price."),
                       ("Ben", "The parents asked too."),
                       ("Ana", "The parents get a programme.")))
    assert not {"mum", "dad", "dad's", "cousin"} & set(found)
    assert "casket spray" in found and "lilies" in found and "parents" in found


def test_someone_named_by_their_post_is_a_person_not_a_topic():
    found = texts(chat(("Ana", "The district manager wants the roof package priced. The legal team asked too."),
                       ("Ben", "Fine, the district manager gets the roof package quote and the staff rota."),
                       ("Ana", "The managers said the legal team signs off the staff rota.")))
    assert not {"district manager", "legal team", "managers", "manager"} & set(found)
    assert "roof package" in found and "staff rota" in found
    # near miss: a lead can be a thing
    found = texts(chat(("Ana", "The sales lead from the expo wants a demo."),
                       ("Ben", "Good, the sales lead gets the demo.")))
    assert "sales lead" in found


def test_a_span_of_time_said_with_which_one_says_when():
    found = texts(chat(("Ana", "The reporting team splits the monolith next year."),
                       ("Ben", "The monolith next year, fine. Every weekend the reporting team is on call."),
                       ("Ana", "And next year's venue is booked, the venue with the stage.")))
    assert "monolith next year" not in found and "year venue" not in found
    assert "monolith" in found and "venue" in found


def test_a_preposition_is_no_topic():
    found = texts(chat(("Ana", "I'm behind on the storage unit, sorry. Can we do quarter past eight?"),
                       ("Ben", "Quarter past eight is fine. Accounts that are behind keep the storage unit."),
                       ("Ana", "Great. I hope I won't be behind again."),
                       ("Ben", "Twenty past nine works too.")))
    assert "behind" not in found and "past" not in found
    assert "storage unit" in found
    # near misses: prepositions as often part of a thing's name
    from symbl_media.server.insights.topic_runs import runs
    assert runs("The near miss in aisle four.", frozenset())[0] == ["near", "miss"]
    assert runs("The final round is inside sales.", frozenset()) == [["final", "round"], ["inside", "sales"]]


def test_a_thing_only_put_off_to_someday_is_not_talked_about():
    found = texts(chat(("Ana", "The leaf blowers start at seven thirty, right under the windows."),
                       ("Ben", "I'll move the leaf blowers to after nine."),
                       ("Ana", "Someday I'd love to talk about a little pollinator garden."),
                       ("Ben", "And the front entrance quote by Monday, and the rain plan at some point.")))
    assert "little pollinator garden" not in found and "rain plan" not in found
    assert "leaf blowers" in found and "front entrance quote" in found


def test_no_bother_is_politeness():
    from symbl_media.server.insights.topic_runs import runs
    assert runs("Yep, no bother, the refund screen is open.", frozenset()) == [["refund", "screen"], ["open"]]
    assert all("bother" not in r for r in runs("No bother at all.", frozenset()))
    # near miss: the word naming a thing
    assert runs("The bother of a second visit.", frozenset())[0] == ["bother"]


def test_a_holiday_after_a_preposition_of_time_says_when():
    found = texts(chat(("Ana", "The hygienist gets booked up before Christmas, so the filling first."),
                       ("Ben", "Is the filling done before Christmas? We close over Christmas."),
                       ("Ana", "Fine, the filling on Tuesday.")))
    assert "christmas" not in found and "filling" in found
    # near miss: the holiday named as what is planned
    found = texts(chat(("Ana", "The Christmas party is on the twelfth."),
                       ("Ben", "Who books the Christmas party?")))
    assert "christmas party" in found
