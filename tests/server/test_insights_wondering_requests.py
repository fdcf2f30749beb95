"""A request put as the speaker's wondering ("I was wondering whether you could deliver on the
Friday") is an action item for the one asked, not a question; wondering whether they would
consider something, or asking to be told, stays a question."""

from __future__ import annotations

from .test_insights import chat


def test_wondering_whether_you_could_do_it_is_a_request():
    found = chat(("Ana", "I was wondering whether you could deliver on the Friday, the day before, instead of the morning of."),
                 ("Ben", "Friday works, yes."),
                 ("Ana", "And I was wondering whether you'd be able to get the inventory updated by the end of the month."))
    assert [q["text"] for q in found["questions"]] == []
    assert [a["assignee"]["name"] for a in found["actionItems"]] == ["Ben", "Ben"]


def test_wondering_whether_you_would_consider_it_or_could_tell_me_is_a_question():
    found = chat(("Ana", "I was wondering whether you'd consider some kind of credit for the delay."),
                 ("Ben", "I'll put it to my manager."),
                 ("Ana", "I was wondering if you could tell me when they ship."))
    assert len(found["questions"]) == 2
    assert [a["text"] for a in found["actionItems"]] == ["Ben will put it to their manager."]
