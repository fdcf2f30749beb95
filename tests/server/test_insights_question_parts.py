"""Several sentences of one speaker that make one question (question_acts.py): an alternative
opened by "or", a question that only points back at the one before, and a question that only
hands the floor over before the one that asks. Each test holds the near miss that asks on its
own, so a rule that joins too much fails."""

from __future__ import annotations

from .test_insights import chat


def asked(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_an_alternative_opened_by_or_is_part_of_the_question_before_it():
    assert asked(("Ana", "Should we tell the board about the engineer who left? Or does that go in the people update?"),
                 ("Ben", "People update."),
                 # a second question that asks something else stays
                 ("Ana", "Did the supplier confirm the delivery? Was it the same driver as last time?")) == [
        "Should we tell the board about the engineer who left?",
        "Did the supplier confirm the delivery?", "Was it the same driver as last time?"]


def test_a_question_that_only_points_back_is_part_of_the_one_before_it():
    assert asked(("Ana", "Diego, what about the audio with the councillor? Where are we on that?"),
                 ("Ben", "Still waiting on him."),
                 # with a content word of its own it asks something more
                 ("Ana", "What about the invoice? Where are we on the refund?"),
                 ("Ben", "Paid."),
                 ("Ana", "What about travel insurance? Do we get it through you?")) == [
        "What about the audio with the councillor?",
        "What about the invoice?", "Where are we on the refund?",
        "What about travel insurance?", "Do we get it through you?"]
