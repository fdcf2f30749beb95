"""An order given by name with "you" and a verb in the present ("Emma, you take the lead on
them tonight"): a request to the member named, as "Emma, take the lead" is; with the near
misses that stay no task (a fact of them, a question, nobody named)."""

from __future__ import annotations

import pytest

from .test_insights import chat


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["actionItems"]]


@pytest.mark.parametrize("said, text", [
    ("Emma, you take the lead on them tonight.", "Emma will take the lead on them tonight."),
    ("Okay. Emma, you take the cabinets and the cold room.", "Emma will take the cabinets and the cold room."),
    ("So, Emma, you call the supplier first thing tomorrow.", "Emma will call the supplier first thing tomorrow."),
])
def test_a_name_and_you_with_a_present_verb_is_an_order(said, text):
    result = chat(("Dana", said), ("Emma", "Got it."))
    assert texts(result) == [text]
    assert result["actionItems"][0]["assignee"]["name"] == "Emma"


@pytest.mark.parametrize("said", [
    "Emma, you know the drill.",  # a fact of them
    "Emma, you look tired.",
    "Emma, you take sugar?",  # a question
    "Emma, you mentioned the budget.",  # said before: no present
    "Honestly, you take the lead on them.",  # no member named
])
def test_a_name_and_you_without_an_order_is_no_task(said):
    assert texts(chat(("Dana", said), ("Emma", "Okay."))) == []
