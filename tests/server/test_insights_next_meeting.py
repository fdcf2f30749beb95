"""The group's next meeting set in the present tense with its time ("Then we meet again tomorrow
at eleven, same room", "So we reconvene on Friday at ten") is an action item for the group and
a follow-up: a meeting set up, as "we'll meet again tomorrow" already was. Near misses: a habit
("we meet every Monday"), the time of another task ("when we meet again next week, …") and
"we meet again" with no time."""

from __future__ import annotations

import pytest

from .test_insights import chat


def _items(result: dict) -> list[tuple[str, bool]]:
    follow_ups = {f["text"] for f in result["followUps"]}
    return [(a["text"], a["text"] in follow_ups) for a in result["actionItems"]]


@pytest.mark.parametrize("closing, due", [
    ("Then we meet again tomorrow at eleven, same room, same bridge line.", "2024-05-16"),
    ("So we reconvene on Friday at ten.", "2024-05-17"),
    ("Okay, we regroup Thursday once the quotes are in.", "2024-05-16"),
])
def test_the_next_meeting_set_in_the_present_is_a_follow_up(closing, due):
    result = chat(("Greg", f"Good. Anything else? No? Okay. {closing}"),
                  ("Aisha", "Sounds good."))
    items = _items(result)
    assert len(items) == 1 and items[0][1], items
    assert result["actionItems"][0]["dueBy"].startswith(due)


@pytest.mark.parametrize("closing", [
    "We meet every Monday at nine, as usual.",
    "When we meet again next week, it's the budget.",
    "Well, we meet again.",
])
def test_a_habit_a_time_clause_or_no_time_is_no_meeting_set(closing):
    result = chat(("Greg", f"Good. Anything else? No? Okay. {closing}"),
                  ("Aisha", "Sounds good."))
    assert _items(result) == []


def test_regrouping_things_reaches_no_one():
    result = chat(("Greg", "Could you regroup the stock by size on Friday?"),
                  ("Aisha", "Sure, I'll do it."))
    items = _items(result)
    assert items and not any(flag for _, flag in items), items
