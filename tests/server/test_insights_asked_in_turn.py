"""Questions read with the turns around them (the fourth blind-written tune batch's kinds): each
test holds what asks and its near miss that does not."""

from __future__ import annotations

from .test_insights import chat


def asked(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_something_to_be_done_put_as_a_question_is_a_task_once_the_next_speaker_takes_it_on():
    result = chat(("Ana", "Maggie, do you want to confirm with their teacher?"),
                  ("Maggie", "Yes, I'll call her tomorrow."),
                  ("Ana", "Could the letter say something about the bus stop too?"),
                  ("Maggie", "Good point, yes, I'll put the stop location in."),
                  ("Ana", "Could we add a size question to the form?"),
                  ("Maggie", "I just added it. Done."),
                  ("Ana", "Would the school be able to send it through the parent app?"),
                  ("Maggie", "Not sure, the app is new."))
    assert [q["text"] for q in result["questions"]] == [
        "Would the school be able to send it through the parent app?"]
    assert "Maggie will call her tomorrow." in [a["text"] for a in result["actionItems"]]


def test_a_question_about_the_future_answered_with_a_commitment_still_asks():
    assert asked(("Omar", "Will the solutions be posted?"),
                 ("Alan", "I'll post them on the course page on Wednesday.")) == ["Will the solutions be posted?"]


def test_raising_the_next_thing_with_and_asks_but_an_alternative_belongs_to_its_question():
    assert asked(("Ana", "The venue is booked. And parking?"),
                 ("Ben", "Street parking. And the uniforms?"),
                 ("Ana", "Does the school need to know about the card reader? Or the food truck?"),
                 ("Ben", "And maybe Sarah Moss?")) == [
        "And parking?", "And the uniforms?", "Does the school need to know about the card reader?"]


def test_why_not_after_a_negation_asks_why_and_after_a_proposal_agrees():
    assert asked(("Ana", "The bank hasn't signed the agreement yet."), ("Ben", "Why not?"),
                 ("Ana", "Legal. Let's just print new banners."), ("Ben", "Why not?")) == ["Why not?"]


def test_anything_else_i_should_know_asks_while_anything_else_opens_the_floor():
    assert asked(("Ana", "Anything else I should know?"), ("Ben", "No. Anything else?")) == [
        "Anything else I should know?"]


def test_a_tag_after_a_long_claim_asks_to_confirm_it():
    assert asked(("Gary", "And the radiator in the kitchen, you want it moved to the end wall, is that right?"),
                 ("Sarah", "Yes. Is that right?")) == [
        "And the radiator in the kitchen, you want it moved to the end wall, is that right?"]


def test_greeting_the_one_called_and_a_laugh_before_an_echo_ask_nothing():
    assert asked(("Gary", "Morning, is that Sarah?"), ("Sarah", "Yes. We need someone all night."),
                 ("Gary", "Ha, all night though?"), ("Sarah", "Morning, is that the invoice from June?")) == [
        "Is that the invoice from June?"]


def test_taking_the_floor_being_called_in_and_going_through_the_list_run_the_meeting():
    assert asked(("Liam", "Can I ask about pricing? Did anyone work out why year one is higher?"),
                 ("Katrin", "Hi both. Lena, you wanted me about the disk?"),
                 ("Rhian", "Aisha, medical. Where are we?"),
                 ("Elena", "Anna, shall we just go through them in order?"),
                 ("Rhian", "Where are we on the film permit?")) == [
        "Did anyone work out why year one is higher?", "Where are we on the film permit?"]


def test_a_past_wondering_is_an_embedded_question_and_a_question_about_it_is_part_of_it():
    assert asked(("Peter", "I liked it, but I wondered whether the library should fund it from its own budget. "
                           "Is that a fair question, or am I being harsh?")) == [
        "I liked it, but I wondered whether the library should fund it from its own budget."]


def test_asking_whether_someone_has_time_for_a_task_is_a_request_once_they_take_it_on():
    assert asked(("Ana", "Do you have time to review the deck this week?"),
                 ("Tim", "Sure, I'll look at it Thursday."),
                 ("Ana", "Do you have time to review the budget too?"),
                 ("Tim", "Not really, I'm swamped.")) == ["Do you have time to review the budget too?"]
