"""Question-shaped sentences read again on the seventh blind batch (question_acts.py,
question_self.py): who is on the call is logistics ("Bob, are you with us from the garage?",
"Hi, Mr. Hughes?"); call words in a question about the work do not make it about the call ("when
are they actually arriving?"); "Like, <a yes/no question>" after a yes/no question asks one more
thing; an offer's "Would that help?" and an item handed over ("Greg, you wanted to talk about
final sale?") ask nothing. Each with the near miss that still asks, or still does not."""

from __future__ import annotations

from .test_insights import chat


def questions(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_who_is_on_the_call_is_not_a_question_but_where_a_thing_is_is():
    assert questions(("Ana", "Bob, are you with us from the garage?"),
                     ("Bob", "Yep, I'm here."),
                     ("Ana", "Is Karim with you?"),
                     ("Ben", "He is."),
                     ("Ana", "Is the signed form with you?")) == ["Is the signed form with you?"]


def test_a_greeting_with_a_name_is_not_a_question_but_what_follows_it_may_be():
    assert questions(("Ana", "Hi, Mr. Hughes?"),
                     ("Ben", "Speaking."),
                     ("Ana", "Hi, Ben, did the tickets arrive at the school?")) == [
        "Ben, did the tickets arrive at the school?"]


def test_call_words_in_a_question_about_the_work_do_not_make_it_about_the_call():
    assert questions(("Ana", "So when are they actually arriving?"),
                     ("Ben", "June, we think."),
                     ("Ana", "And if they don't come through?"),
                     ("Ben", "Then we look elsewhere."),
                     ("Ana", "So what's the next step on the desks, just so I'm clear?"),
                     ("Ben", "Sorry, I was on mute, did you catch that?"),
                     ("Ana", "Did it come through?")) == [
        "So when are they actually arriving?", "And if they don't come through?",
        "So what's the next step on the desks, just so I'm clear?"]


def test_a_rewording_that_is_a_question_of_its_own_asks_but_an_example_fragment_does_not():
    assert questions(("Ana", "Is the surf house actually a house? Like, do we each get a room?"),
                     ("Ben", "Each a room."),
                     ("Ana", "Do we have proof of that? Like, server logs?")) == [
        "Is the surf house actually a house?", "Like, do we each get a room?", "Do we have proof of that?"]


def test_i_mean_says_the_question_again():
    assert questions(("Ana", "Is that dangerous? I mean, can I keep driving on them for a while?")) == [
        "Is that dangerous?"]


def test_an_offers_tag_and_a_raised_item_handed_over_ask_nothing():
    assert questions(("Ana", "I can pull the numbers on the last two sales. Would that help?"),
                     ("Ben", "Yes, please. Greg, you wanted to talk about final sale?"),
                     ("Greg", "We moved the launch to May. Would that help?"),
                     ("Ana", "Did you want to talk about the budget?")) == [
        "Would that help?", "Did you want to talk about the budget?"]


def test_how_life_treats_them_and_how_an_event_went_as_the_call_opens_are_small_talk():
    assert questions(("Ana", "Hi, Ben. How's the school year treating you so far?"),
                     ("Ben", "Busy! How was the launch party on Friday?"),
                     ("Ana", "Chaos. Okay, the desks."),
                     ("Ben", "Right."),
                     ("Ana", "How was the inspection on Friday?")) == ["How was the inspection on Friday?"]
