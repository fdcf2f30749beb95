"""Sentences shaped like commitments that are about the call itself or predict rather than
promise (narration.py): leaving the call, one's own camera, a recap of what others will do,
"otherwise I'll forget". Each test holds the near miss that is a task, so a rule that drops
too much fails."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_leaving_the_call_is_not_a_task_but_an_errand_is():
    assert tasks(("Ana", "Right, I have to go in, my boss is waving at me."),
                 ("Ben", "Sorry, I've got to run."),
                 ("Ana", "I have to go to the bank by three.")) == ["Ana has to go to the bank by three."]


def test_ones_own_camera_on_the_call_is_not_a_task():
    assert tasks(("Ana", "The signal is bad down here so I'll keep my camera off."),
                 ("Ben", "I'll turn off my mic while the drill is going."),
                 ("Ana", "I'll keep the projector on for the visitors tomorrow.")) == [
        "Ana will keep the projector on for the visitors tomorrow."]


def test_a_recap_of_what_others_will_do_is_not_the_recappers_task():
    items = tasks(("Ana", "So let me recap: Ben orders the chairs this morning, Carla drafts the memo by lunchtime."),
                  ("Ben", "I'll send you the chair invoice tomorrow."))
    assert items == ["Ben will send Ana the chair invoice tomorrow."]


def test_forgetting_is_a_prediction_not_a_task():
    items = tasks(("Ana", "Can you send a calendar invite? Otherwise I will forget, I promise."),
                  ("Ben", "Yep, I'll send it today."))
    assert items == ["Ben will send a calendar invite."]


def test_terms_offered_are_not_a_task_but_a_quantity_of_things_is():
    assert tasks(("Ana", "At six shops I can do forty-two cents instead of forty-five, but I'd need a standing order."),
                 ("Ben", "For the launch I can get you thirty."),
                 ("Ana", "I can get you thirty copies by Friday."),
                 ("Ben", "I can do the sign.")) == [
        "Ana can get Ben thirty copies by Friday.", "Ben can do the sign."]


def test_having_to_check_with_ones_family_is_a_hedge_but_promising_to_is_a_task():
    assert tasks(("Ana", "I might, I have to check with my sister, she might need me."),
                 ("Ben", "I'll check with my husband and call you back if it clashes.")) == [
        "Ben will check with their husband and call Ana back if it clashes."]


def test_booking_someone_in_as_it_is_said_is_not_a_task_but_with_a_day_it_is():
    assert tasks(("Ana", "I'll pencil him in for now."),
                 ("Ben", "I'll pop her in on Tuesday at ten."),
                 ("Ana", "I'll put you in touch with Dana tomorrow.")) == [
        "Ben will pop her in on Tuesday at ten.", "Ana will put Ben in touch with Dana tomorrow."]
