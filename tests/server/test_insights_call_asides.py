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
