"""Orders the rules missed: one that waits on a given case and is taken on or dated ("If it's
still broken after the tech's been, let me know" - "Will do."), one said after "once" or
"whenever" ("whenever you know, just drop me the flight numbers"), and letting someone other
than the speaker know ("Just let the front desk know the numbers by Thursday"). Each with a near
miss that stays out: a standing order for whatever may come up, a date that belongs to the case,
a case not taken on, and "let" that lets a thing be."""

from __future__ import annotations

from symbl_media.server.insights.follow_ups import is_follow_up_task

from .test_insights import action_texts, chat


def _follow_ups(result: dict) -> list[str]:
    return [f["text"] for f in result["followUps"]]


def test_an_order_for_a_given_case_taken_on_is_a_task_and_a_follow_up():
    result = chat(("Renee", "Okay. If it's still broken after the tech's been, let me know and I'll call them myself."),
                  ("Tom", "Will do."))
    assert "Tom will let Renee know." in action_texts(result)
    assert "Tom will let Renee know." in _follow_ups(result)


def test_an_order_for_a_given_case_dated_in_the_order_is_a_task():
    result = chat(("Maja", "If the battery is flat, charge it by Monday."), ("Oskar", "Right, and the servo?"))
    assert any("charge it by Monday" in t for t in action_texts(result))


def test_an_order_for_whatever_may_come_up_stays_out():
    result = chat(("Marisol", "If anything looks off, just ping me."), ("Paolo", "Okay."))
    assert action_texts(result) == []
    result = chat(("Marisol", "If you're ever stuck like that again, just message dispatch and they'll log it."),
                  ("Paolo", "Got it."))
    assert action_texts(result) == []


def test_a_date_in_the_case_does_not_make_the_order_a_task():
    result = chat(("Dana", "If it's not sorted by Friday, let me know and I'll call them myself."),
                  ("Leo", "Alright. So, the rota."))
    assert not any("let Dana know" in t for t in action_texts(result))


def test_an_order_after_once_or_whenever_is_a_task():
    result = chat(("Katharina", "Okay, well, whenever you know, just drop me the flight numbers."),
                  ("Daniel", "Will do."))
    assert action_texts(result) == ["Daniel will drop Katharina the flight numbers."]
    assert _follow_ups(result) == ["Daniel will drop Katharina the flight numbers."]


def test_letting_someone_else_know_is_an_order():
    result = chat(("Helen", "That's lovely. Just let the front desk know the numbers by Thursday."), ("Grace", "Will do."))
    assert _follow_ups(result) == ["Grace will let the front desk know the numbers by Thursday."]
    result = chat(("Helen", "Let the dough rest overnight."), ("Grace", "Will do."))
    assert action_texts(result) == []


def test_something_dropped_to_someone_is_sent():
    assert is_follow_up_task("drop me the flight numbers")
    assert not is_follow_up_task("drop them off at the depot")
    assert not is_follow_up_task("drop the price for the second order")


def test_an_order_after_but_is_a_task():
    result = chat(("Ben", "That's fine, but put it in writing to me by the end of the day."), ("Liam", "Sure, will do."))
    assert _follow_ups(result) == ["Liam will put it in writing to Ben by the end of the day."]
    # "but" before a clause that is no order
    result = chat(("Ben", "I'd love to help, but the deadline is tight."), ("Liam", "Sure."))
    assert action_texts(result) == []
