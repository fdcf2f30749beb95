"""Proposals, offers, guesses and requests said with a rising tone (question_acts.py,
question_moves.py): none asks for information. Each test holds the near miss that does ask, so
a rule that drops too much fails."""

from __future__ import annotations

from .test_insights import chat


def asked(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_a_guess_with_im_guessing_is_not_a_question():
    assert asked(("Ana", "The landlord will want a reference as well, I'm guessing?"),
                 ("Ben", "Yes, probably."),
                 ("Ana", "What is the landlord guessing the repairs will cost?")) == [
        "What is the landlord guessing the repairs will cost?"]


def test_the_speakers_own_work_offered_as_a_statement_is_an_offer():
    assert asked(("Ana", "I could drive the boxes over on my way home?"),
                 ("Ben", "That would be great."),
                 ("Ana", "If it helps, I can print the labels tonight so you have them first thing?"),
                 ("Ben", "Lovely."),
                 # asking whether what was said is allowed, and an offer with a question after it
                 ("Ana", "So I could do it after the holidays?"),
                 ("Ben", "I could bring forty now and the rest later, would that suit you?")) == [
        "So I could do it after the holidays?", "I could bring forty now and the rest later, would that suit you?"]


def test_a_suggestion_tagged_with_its_own_modal_is_not_a_question():
    assert asked(("Ana", "We could give the spare chairs to the school, couldn't we?"),
                 ("Ben", "Nadia, you could check the fire exits with Tom, couldn't you?"),
                 ("Ana", "The exits were checked last month, weren't they?")) == [
        "The exits were checked last month, weren't they?"]


def test_an_imperative_with_a_tag_is_a_request():
    assert asked(("Ana", "Send me the floor plan before Thursday, would you?"),
                 ("Ben", "Will do."),
                 ("Ana", "You sent the floor plan already, did you?")) == [
        "You sent the floor plan already, did you?"]


def test_proposing_a_time_or_a_step_is_not_a_question():
    assert asked(("Ana", "Can we do half past three instead?"),
                 ("Ben", "Could we meet again on Friday, same room?"),
                 ("Ana", "Do we want to run a rehearsal with the projector?"),
                 ("Ben", "Would it help if we brought the chairs over for you?"),
                 # whether something can be done then, and a choice between two, still ask
                 ("Ana", "Can we actually open on Tuesday, with the lift out?"),
                 ("Ben", "Do we want to rent the projector or buy one?")) == [
        "Can we actually open on Tuesday, with the lift out?", "Do we want to rent the projector or buy one?"]


def test_asking_someone_to_tell_the_others_is_a_request():
    assert asked(("Ana", "Craig, can you tell everyone where we are with the lift?"),
                 ("Ben", "Sure, the part arrives Tuesday."),
                 ("Ana", "Can you tell me where we are with the lift?")) == [
        "Can you tell me where we are with the lift?"]
