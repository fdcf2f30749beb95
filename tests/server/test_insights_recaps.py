"""A task said again that names another of the speaker's tasks beside it (recaps.py): "I'll
send the template and the what-to-wear note this afternoon" closes both the template asked for
and the note offered; a pair that names nothing else said stays one task's."""

from __future__ import annotations

from .test_insights import chat


def items(result: dict) -> dict[str, dict]:
    return {a["text"]: a for a in result["actionItems"]}


def test_a_recap_naming_two_tasks_closes_both():
    result = chat(("Kylie", "Could you send us a template for that? We've never done one."),
                  ("Tom", "Sure, I'll send it this afternoon."),
                  ("Tom", "I can write up a short what-to-wear note if you like."),
                  ("Kylie", "Oh, yes, please."),
                  ("Tom", "Okay, I think that's everything. I'll send the template and the what-to-wear note this afternoon."))
    found = items(result)
    note = found["Tom will write up a short what-to-wear note."]
    assert note["dueBy"][:10] == "2024-05-15"
    assert note["messageIds"][-1] == "4000000000000004"
    assert "Tom will write up a short what-to-wear note." in [f["text"] for f in result["followUps"]]


def test_a_pair_naming_nothing_else_said_leaves_the_other_task_alone():
    result = chat(("Kylie", "Could you send us a template for that? We've never done one."),
                  ("Tom", "Sure, I'll send it this afternoon."),
                  ("Tom", "I'll write the release notes for the app too."),
                  ("Kylie", "Great."),
                  ("Tom", "Okay, I think that's everything. I'll send the template and the price list this afternoon."))
    found = items(result)
    assert found["Tom will send us a template for that."]["messageIds"][-1] == "4000000000000004"
    notes = found["Tom will write the release notes for the app too."]
    assert "dueBy" not in notes
    assert len(notes["messageIds"]) == 1
