"""Sentences shaped like a question that fill in something rather than ask it, read on `tune/`
(the 84 conversations moved from train/): a list of examples after the speaker's own question,
a figure recalled aloud ("…, what was it, fourteen hundred …?"), and a request put as "I was
wondering if either of you could …". Each with the near miss that
still asks."""

from __future__ import annotations

from .test_insights import chat


def questions(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_examples_after_ones_own_question_are_part_of_it():
    assert questions(("Carmen", "Have you noticed any leaks? Running toilets, wet spots in the yard, anything like that?"),
                     ("Linda", "There's a soggy patch by the side gate.")) == ["Have you noticed any leaks?"]
    assert questions(("Sam", "Have you shown this to anyone outside the company? Investors, a trade show, anything?"),
                     ("Dev", "I did a demo at a maker fair.")) == ["Have you shown this to anyone outside the company?"]


def test_a_list_with_anything_said_alone_or_as_its_own_question_still_asks():
    assert questions(("Dwayne", "Good to know. Do you have a map of it, or anything?"),
                     ("Rachel", "Somewhere in the closing documents.")) == ["Do you have a map of it, or anything?"]
    assert questions(("Rachel", "We should check the pipes before the spring."),
                     ("Dwayne", "Torque on the clamps, anything like that?"),
                     ("Rachel", "No, just the joints.")) == ["Torque on the clamps, anything like that?"]


def test_a_figure_recalled_aloud_is_a_guess_but_asked_of_someone_by_name_asks():
    assert questions(("Dana", "And the premium went from, what was it, fourteen hundred to nearly nineteen hundred?"),
                     ("Raj", "Eighteen ninety.")) == []
    assert questions(("Marcus", "Ferguson offered us, what was it, Luis, eight off list on the Bradford White stuff?"),
                     ("Luis", "Eight and a half.")) == ["What was it, Luis, eight off list on the Bradford White stuff?"]


def test_wondering_whether_either_of_you_could_requests():
    assert questions(("Ines", "I was wondering if either of you could take it, at least for February."),
                     ("Tom", "I can.")) == []


def test_wondering_whether_we_can_or_whether_we_need_still_asks():
    # "I was wondering whether we could ..." is left to the weighing: a proposal the labels count
    # as a question about as often as not.
    assert questions(("Ines", "I was also wondering whether we can edit the homepage text ourselves after launch."),
                     ("Tom", "Yes, through the editor.")) == [
        "I was also wondering whether we can edit the homepage text ourselves after launch."]
    assert questions(("Ines", "And I was wondering whether we need a permit from the county for any of this."),
                     ("Tom", "Not for drains.")) == [
        "And I was wondering whether we need a permit from the county for any of this."]


def test_what_one_is_supposed_to_do_answered_with_what_cannot_be_meant_is_rhetorical():
    assert questions(("Kate", "They've taken the garage spaces for the bins. Where are we supposed to park, on the roof?"),
                     ("Yuki", "Ha. Fair point.")) == []
    assert questions(("Kate", "Is the board supposed to respond to the management letter formally?"),
                     ("Yuki", "Yes, in writing.")) == ["Is the board supposed to respond to the management letter formally?"]
    assert questions(("Kate", "Where are we supposed to park during the works?"),
                     ("Yuki", "On Elm Street.")) == ["Where are we supposed to park during the works?"]


def test_whos_first_hands_the_floor_but_whos_first_in_line_asks():
    assert questions(("Owen", "Okay, questions from the doc. Who's first?"), ("Mia", "Me.")) == []
    assert questions(("Owen", "Who's first on the waiting list for the flat?"), ("Mia", "The Ahmeds.")) == [
        "Who's first on the waiting list for the flat?"]
