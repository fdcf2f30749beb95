"""Several sentences of one speaker that make one question (question_acts.py): an alternative
opened by "or", a question that only points back at the one before, and a question that only
hands the floor over before the one that asks; and tags that ask nothing (on a group's intention,
on a hedged judgement). Each test holds the near miss that asks on its
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
        # the thing raised, then the question about it, is one question: the second
        # (test_insights_question_openings.py)
        "Where are we on the refund?", "Do we get it through you?"]


def test_handing_over_before_the_question_is_no_question_of_its_own():
    assert asked(("Ana", "What do you think, Ben? Is that realistic?"),
                 ("Ben", "If the sand shows up this week, yes."),
                 # alone, it asks for a view
                 ("Ana", "We could open the east gate instead. What do you think?")) == [
        "Is that realistic?", "What do you think?"]


def test_a_tag_and_a_name_after_a_group_intention_asks_nothing():
    assert asked(("Ana", "We'll want to talk it over first, right, Maya?"),
                 ("Ben", "Yeah."),
                 # a tag and a name after a claim asks to confirm it
                 ("Ana", "The deposit is two hundred, right, Maya?")) == [
        "The deposit is two hundred, right, Maya?"]


def test_a_hedged_figure_with_i_dont_know_is_a_guess():
    assert asked(("Ana", "Rui, can you put the pre-order together this week? Thirty signed and, I don't know, forty regular?"),
                 ("Ben", "Yeah, I'll send it tomorrow."),
                 # not knowing, said as the question itself, asks
                 ("Ana", "I don't know if that changes the shampoo?")) == [
        "I don't know if that changes the shampoo?"]


def test_a_tag_on_a_hedged_judgement_seeks_agreement():
    assert asked(("Ana", "I mean, the labs were kind of optional in practice, weren't they?"),
                 ("Ben", "They were."),
                 ("Ana", "The ones who run off are the important ones, right?"),
                 ("Ben", "Always."),
                 # a tag on a fact asks to confirm it
                 ("Ana", "The labs were optional until last year, weren't they?")) == [
        "The labs were optional until last year, weren't they?"]


def test_how_someone_is_asked_as_the_call_opens_is_small_talk():
    assert asked(("Ana", "Kia ora, Paws and Suds."),
                 ("Ben", "Hi, it's Ben, I've got the big poodle cross, Miso."),
                 ("Ana", "Miso! Of course. How's he doing?"),
                 ("Ben", "Still eating everything. He needs a full groom."),
                 ("Ana", "Sure, when suits you?"),
                 ("Ben", "Tuesday. He had a hot spot on his leg, though."),
                 # later in the call it asks about the work
                 ("Ana", "Oh no. How's he doing?")) == ["Sure, when suits you?", "How's he doing?"]


def test_how_someone_is_today_asks_and_is_not_about_the_call():
    # "today" is one of the call's words ("are we recording today?"), but asked how a patient or
    # a relative is, it asks how they are
    assert asked(("Ana", "Hi, it's Ana from the care home."),
                 ("Ben", "Hi, Ana."),
                 ("Ana", "We saw your dad this morning."),
                 ("Ben", "Oh good."),
                 ("Ana", "He was up early."),
                 ("Ben", "How is he today?"),
                 ("Ana", "Brighter than yesterday."),
                 ("Ben", "And how's she doing today, the new nurse?"),
                 ("Ana", "Settling in.")) == ["How is he today?", "And how's she doing today, the new nurse?"]


def test_a_question_of_call_words_alone_is_still_about_the_call():
    assert asked(("Ana", "Hi, it's Ana from the care home."),
                 ("Ben", "Hi, Ana."),
                 ("Ana", "We saw your dad this morning."),
                 ("Ben", "Oh good."),
                 ("Ana", "Are we recording today?"),
                 ("Ben", "Yes."),
                 ("Ana", "Can you hear me today?"),
                 ("Ben", "Yes.")) == []
