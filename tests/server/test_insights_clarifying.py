"""A fragment with a rising tone that pins down the other speaker's statement is a question
(question_clarifies.py); an echo, a reaction, a guess after a question and a fragment its
speaker talks on past are not."""

from __future__ import annotations

from .test_insights import chat


def questions(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_a_fragment_that_narrows_the_statement_before_asks():
    assert questions(("Tom", "Their agency said they'd come back by Wednesday with the dates."),
                     ("Ana", "Wednesday this week?"),
                     ("Tom", "Yes, this Wednesday.")) == ["Wednesday this week?"]
    assert questions(("Ana", "The memorial evening is in the same room as last year."),
                     ("Ben", "The chapel room, with the candles?"),
                     ("Ana", "That one.")) == ["The chapel room, with the candles?"]


def test_its_reason_for_asking_may_follow():
    assert questions(("Tom", "A whole batch failed the adhesion test, so they repainted it."),
                     ("Ana", "The same problem as the batch in the autumn? Because two frames came back."),
                     ("Tom", "Similar, yes.")) == ["The same problem as the batch in the autumn?"]


def test_an_echo_a_reaction_a_guess_or_thinking_aloud_does_not_ask():
    # only the words just said
    assert questions(("Tom", "I charge every card one by one."),
                     ("Ana", "Every card one by one?"),
                     ("Tom", "Yes.")) == []
    # nothing of the statement taken up
    assert questions(("Tom", "Okay."),
                     ("Ana", "The 9th of August?"),
                     ("Tom", "Hm.")) == []
    # a reaction
    assert questions(("Tom", "We'll be coding all night on the demo."),
                     ("Ana", "Ha, all night though?"),
                     ("Tom", "Maybe.")) == []
    # a guess answering a question
    assert questions(("Tom", "How big is the stain on the ceiling?"),
                     ("Ana", "About the size of a dinner plate now?"),
                     ("Tom", "Okay.")) == ["How big is the stain on the ceiling?"]
    # its speaker talks on instead of handing the turn over
    assert questions(("Tom", "The earliest I've got is Tuesday at ten forty."),
                     ("Ana", "Tuesday the 28th? Hmm. I'm on a site visit that morning."),
                     ("Tom", "Let me look.")) == []
