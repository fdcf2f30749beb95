"""Whom "you" means in the speaker's own task: the one named, the one whose answer took it up,
the one who asked, and only then whoever speaks next (docs/sandbox-insights.md, "Whom "you"
means")."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_you_in_an_answer_is_the_one_who_asked_not_the_next_speaker():
    assert tasks(("Ana", "Ben, where's the deck?"),
                 ("Ben", "I'll send it to you tonight."),
                 ("Cleo", "Great, thanks.")) == ["Ben will send it to Ana tonight."]
    # the speaker's own "Sure." in between
    assert tasks(("Ana", "Ben, where's the deck?"),
                 ("Ben", "Sure."),
                 ("Ben", "I'll send it to you tonight."),
                 ("Cleo", "Great, thanks.")) == ["Ben will send it to Ana tonight."]


def test_you_named_is_the_one_named():
    assert tasks(("Cleo", "Morning all."),
                 ("Ana", "Where's the form?"),
                 ("Ben", "I'll email it to you tonight, Cleo."),
                 ("Dan", "Okay.")) == ["Ben will email it to Cleo tonight."]


def test_an_offer_taken_up_is_for_the_one_who_took_it_up():
    # Greg asks for his wife, who needs the car; she takes the offer up (the one who asked
    # comes second to the one whose answer is one item with the task)
    assert tasks(("Greg", "Do you guys have a loaner? She needs a car this afternoon."),
                 ("Travis", "We don't, but I can have them pick you up."),
                 ("Denise", "Oh, yes please.")) == ["Travis will have them pick Denise up."]


def test_near_miss_an_answer_to_nothing_asked_is_to_whoever_speaks_next():
    assert tasks(("Ana", "The deck is nearly done."),
                 ("Ben", "I'll send it to you tonight."),
                 ("Cleo", "Great, thanks.")) == ["Ben will send it to Cleo tonight."]
