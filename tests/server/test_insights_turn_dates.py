"""Due dates set in the exchange rather than in the task's own clause (turn_dates.py): the
deadline the turn before set for a thing the task names, and the day agreed at the start of the
task's own message (issue 14's due-date pass). The meeting is on Wednesday 15 May 2024."""

from __future__ import annotations

from .test_insights import chat


def due(*lines: tuple[str, str]) -> dict[str, str | None]:
    return {a["text"]: a.get("dueBy") for a in chat(*lines)["actionItems"]}


def dated(items: dict[str, str | None], fragment: str) -> str | None:
    [when] = [d for text, d in items.items() if fragment in text]
    return when


def test_a_task_naming_what_the_turn_before_set_a_deadline_for_is_due_then():
    items = due(("Bronagh", "And, um, the resus trolley checks are due today, I didn't get to them, sorry."),
                ("Chloe", "I'll do the trolley after the gas."))
    assert dated(items, "trolley") == "2024-05-15T00:00:00.000Z"
    items = due(("Sam", "The fire extinguishers have to be inspected by Friday."),
                ("Lee", "I'll walk round the extinguishers with the caretaker."))
    assert dated(items, "extinguishers") == "2024-05-17T00:00:00.000Z"


def test_a_day_the_turn_before_set_for_something_else_is_not_the_tasks():
    # near misses: another thing, and a time something happens rather than a deadline
    items = due(("Sam", "The plumber is due on Friday."),
                ("Lee", "I'll order the tiles."))
    assert dated(items, "tiles") is None
    items = due(("Anna", "Sure, if someone covers my private lesson on Friday."),
                ("Florian", "I'll take the private lesson myself."))
    assert dated(items, "private") is None


def test_a_day_agreed_at_the_start_of_the_message_dates_its_task():
    items = due(("Sanne", "Shall we talk again once you've heard from Germany? Maybe Friday?"),
                ("Tomasz", "Friday's good. I'll put something in for eleven o'clock."))
    assert dated(items, "put something in") == "2024-05-17T00:00:00.000Z"
    # near miss: a day turned down agrees to nothing
    items = due(("Sanne", "Shall we talk again once you've heard from Germany? Maybe Friday?"),
                ("Tomasz", "Friday's busy. I'll put something in for eleven o'clock."))
    assert dated(items, "put something in") is None
