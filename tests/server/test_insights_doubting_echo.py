"""An echo of what was just said, an auxiliary and a pronoun, doubts it when "though" or
"really" follows ("Is it, though?"): a reaction, not a question; a question with content of its
own and "though" still asks."""

from __future__ import annotations

from .test_insights_questions import asked


def test_an_echo_that_doubts_what_was_said_asks_nothing():
    assert asked(("Ana", "The new carrier is cheaper."),
                 ("Ben", "Is it, though?"),
                 ("Ana", "It is, by a lot."),
                 ("Ben", "Did they really?"),
                 ("Ana", "Yes. Would it change the ranking, though?")) == [
        "Would it change the ranking, though?"]
