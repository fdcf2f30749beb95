"""Arranging named by a pro-form ("I'll set that up", "I'll book it for you") follows up when it
takes up what another speaker just asked for: it is booked or set up with whoever provides it,
and the one who asked hears back. Near misses: the speaker's own plan, with no one else's turn
before it, and a thing installed somewhere ("set it up in room two")."""

from __future__ import annotations

import pytest

from .test_insights import chat


def _flagged(result: dict, word: str) -> bool:
    items = [a for a in result["actionItems"] if word in a["text"]]
    assert len(items) == 1, [a["text"] for a in result["actionItems"]]
    return items[0]["text"] in [f["text"] for f in result["followUps"]]


@pytest.mark.parametrize("answer, follows", [
    ("That's reasonable. I'll set that up, and you'll get the first one next Monday.", True),
    ("It's free on Tuesdays. I'll book it for you.", True),
    ("Fine. I'll arrange that tomorrow.", True),
    # a thing installed or configured somewhere: work on it, no one reached
    ("We have a spare one. I'll set it up in room two on Friday.", False),
    ("Sure. I'll set it up as its own release in the portal tonight.", False),
])
def test_arranging_what_another_asked_for_follows_up(answer, follows):
    result = chat(("Jennifer", "What I do want is a weekly report on every load, every store."),
                  ("Marcus", answer), ("Jennifer", "Good."))
    assert _flagged(result, "Marcus") is follows


def test_arranging_ones_own_plan_is_no_follow_up():
    result = chat(("Marcus", "Okay, that's agreed."),
                  ("Jennifer", "Thanks."),
                  ("Marcus", "I need a test server for the new loader. I'll set that up tomorrow."),
                  ("Jennifer", "Good."))
    items = [a for a in result["actionItems"] if "set that up" in a["text"] or "test server" in a["text"]]
    assert all(a["text"] not in [f["text"] for f in result["followUps"]] for a in items), items
