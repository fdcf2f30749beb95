"""How a task is said: a pseudo-cleft ("what I'll do is ...") is the speaker's commitment, in the
third person without its frame; reading an order back on the call is no task; and the words that
never name a topic however often they are said."""

from __future__ import annotations

from .test_insights import chat


def items(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_a_pseudo_cleft_is_the_speakers_commitment_without_its_frame():
    got = chat(("Ana", "What I'll do is reset the router config tomorrow."),
               ("Ben", "So what we need to do is call the landlord by Friday."))["actionItems"]
    assert [a["text"] for a in got] == ["Ana will reset the router config tomorrow.",
                                        "Ben thinks the team needs to call the landlord by Friday."]
    assert [a["dueBy"][:10] for a in got] == ["2024-05-16", "2024-05-17"]


def test_reading_an_order_back_on_the_call_is_no_task_but_reading_a_contract_tonight_is_one():
    assert items(("Ana", "I'll just read that back to you: two rooms, three nights."),
                 ("Ben", "Correct. I'll read the contract tonight.")) == ["Ben will read the contract tonight."]


def test_a_contraction_or_an_ordinal_is_never_a_topic():
    result = chat(("Sam", "That'd be the twenty-first. That'd work for the boiler."),
                  ("Dave", "The twenty-first is fine for the boiler service. That'd suit me."),
                  ("Sam", "Good, the boiler engineer comes on the twenty-first."))
    texts = {t["text"] for t in result["topics"]}
    assert not {"that'd", "twenty-first"} & texts
    assert any("boiler" in t for t in texts)
