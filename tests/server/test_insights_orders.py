"""Orders in any verb, not only the task verbs actions.py lists ("Ben, grab the keys on your way
in."), next to the near misses that open a reply the same way and order nothing."""

from __future__ import annotations

import pytest

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


@pytest.mark.parametrize("said, task", [
    ("Ben, grab the keys on your way in.", "Ben will grab the keys on their way in."),
    ("Okay, swap the two slides before the review.", "Ben will swap the two slides before the review."),
    ("Okay, so, print off two copies for Friday.", "Ben will print off two copies for Friday."),
    ("Ben, water the plants while I'm away.", "Ben will water the plants while Ana is away."),
])
def test_a_verb_after_a_name_or_a_lead_in_with_an_object_is_an_order(said, task):
    assert tasks(("Ana", said), ("Ben", "Sure.")) == [task]


@pytest.mark.parametrize("said", [
    "Great, thanks.",                    # never a verb
    "Okay, perfect timing.",             # an adjective as the reply opens
    "Okay, sounds good.",                # a verb in -s
    "Thanks, see you Friday.",
    "Okay, mind the step.",              # a warning
    "So, look, I think it works.",       # verbs that open talk
    "Say, what about Friday?",
    "Okay, come on.",
    "Okay, hang on a sec.",
    "Okay, wait.",
    "So, listen up.",
    "Okay, guess what.",
    "So, imagine the worst case.",
    "Okay, thank you.",
    "Okay, give me a second.",           # asking for time
    "So, get this: they paid.",          # a pronoun closing the clause
    "Okay, scratch that.",
    "Okay, have a good weekend.",        # a wish
    "So, do you have the file?",         # a question
    "Just turn up.",                     # a phrasal verb alone
    "Right, while the tea's still hot.",  # a function word
    "So leave them.",                    # nothing to be done
])
def test_replies_that_open_like_an_order_order_nothing(said):
    assert tasks(("Ana", said), ("Ben", "Okay.")) == []


def test_an_order_added_in_the_turn_that_took_up_an_offer_is_the_same_task():
    found = chat(("Maria", "Tyrone, do we have enough canopies for a fourth lane?"),
                 ("Tyrone", "We'd need two more. I think the Rotary club has some, I can ask."),
                 ("Maria", "Please. And find out by Friday so we're not scrambling."),
                 ("Tyrone", "Will do."))["actionItems"]
    assert [(a["text"], len(a["messageIds"]), a["dueBy"]) for a in found] == [
        ("Tyrone will find out by Friday so we're not scrambling.", 3, "2024-05-17T00:00:00.000Z")]


def test_an_order_added_after_the_answer_is_a_task_of_its_own():
    found = chat(("Darnell", "Tommy, can you run the mower over to the repair shop this morning?"),
                 ("Tommy", "Yeah, I'll drop it on the way to the first stop."),
                 ("Darnell", "And ask them if they've got a loaner."),
                 ("Tommy", "Will do."))["actionItems"]
    assert [a["text"] for a in found] == ["Tommy will run the mower over to the repair shop this morning.",
                                          "Tommy will ask them if they've got a loaner."]
