"""Putting something on the screen is the call itself, asked of someone else too ("Yasmin, can
you put the dashboard up?", "can you flip to the mock-ups?", "Felix, talk us through them");
"pull" without "up" fetches or changes a thing, work after the call ("could you pull the
booking data from last year", "I can pull the sugar back in the curd")."""

from __future__ import annotations

import pytest

from .test_insights import action_texts as texts
from .test_insights import chat


@pytest.mark.parametrize("said", [
    "Yasmin, can you put the dashboard up?",
    "Felix, can you flip to the mock-ups?",
    "Felix, talk us through them.",
    "Ji-woo, can you put the round timeline up on the screen?",
    "Let me pull the file up, one second.",  # as before
])
def test_putting_a_thing_on_the_screen_is_no_task(said):
    assert texts(chat(("Dana", said), ("Felix", "Sure."))) == []


@pytest.mark.parametrize("said, text", [
    ("Ruben, could you pull the booking data from last year and see where the demand was?",
     "Ruben will pull the booking data from last year and see where the demand was."),
    ("I can pull the sugar back in the curd.", "Dana can pull the sugar back in the curd."),
    ("Can you put the shelf up this week?", "Ruben will put the shelf up this week."),
    # without a day too: a thing put up in a room, not on the screen
    ("Can you put the new shelves up?", "Ruben will put the new shelves up."),
    ("Could you put the Christmas lights up?", "Ruben will put the Christmas lights up."),
])
def test_fetching_or_changing_a_thing_is_work(said, text):
    assert texts(chat(("Dana", said), ("Ruben", "Sure."))) == [text]
