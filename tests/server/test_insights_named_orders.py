"""An order given by name with "you" and a verb in the present ("Emma, you take the lead on
them tonight"): a request to the member named, as "Emma, take the lead" is; with the near
misses that stay no task (a fact of them, a question, nobody named)."""

from __future__ import annotations

import pytest

from .test_insights import action_texts as texts
from .test_insights import chat


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


@pytest.mark.parametrize("said, items", [
    # A share each, the second said without its verb: one item per assignee, in the third person.
    ("Okay. Kevin, you take the cabinets and the cold room, and Ahmed, the fridges and freezers.",
     [("Kevin will take the cabinets and the cold room.", "Kevin"),
      ("Ahmed will take the fridges and freezers.", "Ahmed")]),
    ("Kevin, call the vendor, and Ahmed, the landlord.",
     [("Kevin will call the vendor.", "Kevin"), ("Ahmed will call the landlord.", "Ahmed")]),
    # Two tasks to two names, each with its verb.
    ("Kevin, call the vendor, and Ahmed, email the landlord.",
     [("Kevin will call the vendor.", "Kevin"), ("Ahmed will email the landlord.", "Ahmed")]),
    ("Kevin, you take the cabinets, and Ahmed, you take the fridges.",
     [("Kevin will take the cabinets.", "Kevin"), ("Ahmed will take the fridges.", "Ahmed")]),
])
def test_a_share_each_to_two_names_is_one_item_each(said, items):
    result = chat(("Dana", said), ("Kevin", "Okay."), ("Ahmed", "Sure."))
    assert [(a["text"], a["assignee"]["name"]) for a in result["actionItems"]] == items


@pytest.mark.parametrize("said, items", [
    ("Kevin, send the report to Ahmed, and Tuesday, the rest.",  # no member named: no share
     [("Kevin will send the report to Ahmed.", "Kevin")]),
    ("Kevin, call the vendor, and Ahmed, you know the drill.",  # a fact of Ahmed, no task
     [("Kevin will call the vendor.", "Kevin")]),
    ("Kevin, take a seat, and Ahmed, the chair by the door.",  # no order to share
     []),
])
def test_a_second_name_without_a_share_of_an_order_gets_no_task(said, items):
    result = chat(("Dana", said), ("Kevin", "Okay."), ("Ahmed", "Sure."))
    assert [(a["text"], a["assignee"]["name"]) for a in result["actionItems"]] == items
