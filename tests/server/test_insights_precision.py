"""Action items that are said like tasks but commit nobody, next to the near miss that does
(each test holds both, so a rule that drops too much fails): offers nobody took up,
farewells, speech acts done by saying them, predictions, contingencies, reported rules."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_an_offer_taken_up_is_the_offerers_task_and_one_declined_or_unanswered_is_none():
    found = chat(("Ana", "Should I send it over?"),
                 ("Ben", "Yes please."),
                 ("Ana", "Do you want me to set up a call with their CTO?"),
                 ("Ben", "No, I'll do that myself."),
                 ("Ana", "Would you like me to draft the reply by Friday?"),
                 ("Ben", "That would be great."),
                 ("Ana", "Shall I book the room?"),
                 ("Ben", "Should I bring my passport?"),
                 ("Ana", "Yes."))
    items = {a["text"]: a for a in found["actionItems"]}
    # Ben's "No, I'll do that myself" declines the offer and takes the task on himself.
    assert list(items) == ["Ana will send it over.", "Ben will do that themselves.",
                           "Ana will draft the reply by Friday."]
    assert items["Ana will send it over."]["messageIds"] == ["4000000000000000", "4000000000000001"]
    assert items["Ana will draft the reply by Friday."]["dueBy"] == "2024-05-17T00:00:00.000Z"
    assert items["Ana will draft the reply by Friday."]["assignee"]["name"] == "Ana"
    assert [q["text"] for q in found["questions"]] == ["Should I bring my passport?"]
