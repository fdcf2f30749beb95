"""An offer put as a supposition ("would it help if I sent a reminder?") and taken up is the
speaker's task, its verb in the base form (actions.OFFER_TRIGGER, rewrite._from_the_past).
Each test holds the near miss that stays as it was."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[tuple[str, int]]:
    return [(a["text"], len(a["messageIds"])) for a in chat(*lines)["actionItems"]]


def test_would_it_help_if_i_taken_up_is_the_offerers_task_in_the_base_form():
    assert tasks(("Ana", "Fifteen opened the invite but didn't answer. Would it help if I sent a reminder to those fifteen?"),
                 ("Ben", "Yes, please.")) == [("Ana will send a reminder to those fifteen.", 2)]
    assert tasks(("Ana", "Would it help if I did a couple of extra sessions with him in the gym?"),
                 ("Ben", "Yes, please, that'd be brilliant.")) == [
        ("Ana will do a couple of extra sessions with him in the gym.", 2)]


def test_would_it_help_if_i_not_taken_up_is_no_task():
    assert tasks(("Ana", "Would it help if I sent a reminder to those fifteen?"),
                 ("Ben", "No, leave it, they'll come.")) == []


def test_a_past_that_is_a_base_form_too_stays():
    assert tasks(("Ana", "Would it help if I put the numbers in the quote?"),
                 ("Ben", "Yes, please.")) == [("Ana will put the numbers in the quote.", 2)]


def test_the_offer_said_again_after_a_nod_is_one_task_with_its_day():
    assert tasks(("Ana", "Would it help if I priced all three for your exact layout?"),
                 ("Ben", "Yes, please, that would be great."),
                 ("Ana", "Perfect, I'll email the three quotes over by Thursday.")) == [
        ("Ana will price all three for Ben's exact layout and email the three quotes over by Thursday.", 3)]


def test_a_promise_said_after_something_else_stays_a_task_of_its_own():
    assert tasks(("Ana", "Do you want me to send you the brochure?"), ("Ben", "Yes, please."),
                 ("Ana", "The room is free, so I'll book the room for Friday.")) == [
        ("Ana will send Ben the brochure.", 2), ("Ana will book the room for Friday.", 1)]


def test_an_offer_taken_up_after_a_promise_in_the_same_turn_is_a_task_of_its_own():
    assert tasks(("Ana", "I'll bring ten. Actually, would it help if I did a short lunch session with your nurses?"),
                 ("Ben", "That would be good, yes.")) == [
        ("Ana will bring ten.", 1), ("Ana will do a short lunch session with Ben's nurses.", 2)]
    # near miss: an offer that points back at what was just said offers the same task
    assert tasks(("Ana", "I can help with the lab templates. Want me to share them with you?"),
                 ("Ben", "Yes, please.")) == [("Ana can help with the lab templates and share them with Ben.", 2)]


def test_what_if_i_how_about_i_why_dont_i_taken_up_are_the_offerers_tasks():
    assert tasks(("Ana", "What if I came in an hour early on Thursdays?"),
                 ("Ben", "Yes, that would help a lot.")) == [("Ana will come in an hour early on Thursdays.", 2)]
    assert tasks(("Ana", "How about I send you the draft tonight?"),
                 ("Ben", "Yes, please.")) == [("Ana will send Ben the draft tonight.", 2)]
    assert tasks(("Ana", "Why don't I call the supplier tomorrow?"),
                 ("Ben", "Great, thanks.")) == [("Ana will call the supplier tomorrow.", 2)]


def test_what_if_i_is_no_question_when_it_offers_and_one_when_it_supposes():
    offered = chat(("Ana", "What if I came in an hour early on Thursdays?"), ("Ben", "Yes, that would help a lot."))
    assert offered["questions"] == []
    # near misses: a supposition about oneself asks; an offer turned down commits nobody
    supposed = chat(("Ana", "What if I miss the train on Friday?"), ("Ben", "Yes, that could happen."))
    assert [q["text"] for q in supposed["questions"]] == ["What if I miss the train on Friday?"]
    assert supposed["actionItems"] == []
    assert tasks(("Ana", "What if I came in an hour early on Thursdays?"), ("Ben", "No, we're fine, thanks.")) == []
