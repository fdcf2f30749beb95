"""Not a task for anyone: someone's action inside a question about it ("Do we know when Santiago
will send the rest?") asks what is known; a comparison ("more this morning than I'll do all
week") promises nothing. The near misses stay tasks."""

from __future__ import annotations

import pytest

from .test_insights import action_texts as texts
from .test_insights import chat


@pytest.mark.parametrize("said", [
    "Do we know when Santiago will send the rest?",
    "And, uh, do we know if Katy is going to bill us for the bollard?",
    "I wonder whether Santiago will send the rest.",
    "You look like you've already done more this morning than I'll do all week.",
])
def test_an_action_asked_about_or_compared_is_no_task(said):
    assert texts(chat(("Dana", said), ("Emma", "No idea."))) == []


@pytest.mark.parametrize("said, text", [
    ("Santiago will send the rest tomorrow.", "Santiago will send the rest tomorrow."),
    ("I know Santiago will send the rest tomorrow.", "Santiago will send the rest tomorrow."),
    ("I'll do more than that this week.", "Dana will do more than that this week."),
])
def test_the_same_said_outright_stays_a_task(said, text):
    assert texts(chat(("Dana", said), ("Emma", "Okay."))) == [text]
