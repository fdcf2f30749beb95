"""Due dates worked out from an event said earlier in the call (events.py): once someone dates
it, "the morning of the wedding", "the Friday before the festival", "before the board meeting",
"the day after the launch", "two days before the audit", "the night before we move" are days
(issue 14's due-date pass). The meeting is on Wednesday 15 May 2024."""

from __future__ import annotations

from .test_insights import chat


def due(*lines: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(a["text"], a.get("dueBy")) for a in chat(*lines)["actionItems"]]


def day(n: int, month: int = 5) -> str:
    return f"2024-{month:02d}-{n:02d}T00:00:00.000Z"


def dated(items: list[tuple[str, str | None]], fragment: str) -> str | None:
    [when] = [d for text, d in items if fragment in text]
    return when


def test_the_morning_of_an_event_is_the_day_it_was_given():
    items = due(("Elodie", "So, the Silva wedding, the eighth of June. Lots of white roses."),
                ("Camille", "Lovely."),
                ("Elodie", "I'll bring the bouquets myself the morning of the wedding."))
    assert dated(items, "bouquets") == day(8, 6)
    # an event nobody dated gives no day
    items = due(("Elodie", "I'll bring the bouquets myself the morning of the wedding."))
    assert dated(items, "bouquets") is None


def test_a_weekday_before_an_event_is_the_nearest_one_before_it_not_the_coming_one():
    items = due(("Jenna", "So the festival's Saturday the 25th, ten days."),
                ("Marcus", "Okay, I'll get the float from the bank on the Friday before the festival."))
    assert dated(items, "float") == day(24)
    # a weekday alone is still the coming one
    items = due(("Jenna", "So the festival's Saturday the 25th, ten days."),
                ("Marcus", "Okay, I'll get the float from the bank on Friday."))
    assert dated(items, "float") == day(17)


def test_a_deadline_set_by_an_event_is_its_day_and_another_event_of_the_kind_is_not_it():
    items = due(("Robert", "The board meets on June twelfth, so the packet goes out a week before."),
                ("Robert", "Maria, could you get the response drafted before the board meeting?"))
    assert dated(items, "response") == day(12, 6)
    items = due(("Robert", "The board meets on June twelfth, so the packet goes out a week before."),
                ("Robert", "Maria, could you get the response drafted before the team meeting?"))
    assert dated(items, "response") is None


def test_days_and_weeks_either_side_of_an_event():
    assert dated(due(("Kim", "The launch is on Monday the 27th."),
                     ("Lee", "I'll send the customers the survey the day after the launch.")), "survey") == day(28)
    assert dated(due(("Kim", "The audit is on the 24th."),
                     ("Lee", "I'll have the files ready two days before the audit.")), "files") == day(22)
    assert dated(due(("Kim", "The audit is on the 24th."),
                     ("Lee", "I'll have the files ready two days before the inspection.")), "files") is None


def test_what_the_speakers_will_do_on_a_day_is_an_event_too():
    items = due(("Sam", "We move on Saturday, the van comes at eight."),
                ("Ann", "Then I'll pack the kitchen the night before we move."))
    assert dated(items, "kitchen") == day(17)


def test_an_event_dated_by_the_answer_to_which_of_two_days():
    items = due(("Jordi", "Can I ask, are we doing the friends and family night on the eighth or the ninth?"),
                ("Marta", "The eighth. The ninth we keep for a rest."),
                ("Sam", "Ha, deal. I'll have a playlist ready for the friends night."))
    assert dated(items, "playlist") == day(8, 6)
    # a word that also names any day's stretch needs the event's own word: "for the night"
    items = due(("Jordi", "Can I ask, are we doing the friends and family night on the eighth or the ninth?"),
                ("Marta", "The eighth. The ninth we keep for a rest."),
                ("Sam", "I'll book a hotel room for the night."))
    assert dated(items, "hotel") is None


def test_the_friday_before_with_no_event_reads_back_then_to_what_the_call_is_about():
    # a day said just before: the Monday before it
    items = due(("Karim", "So Friday the 24th, from what time can we get in?"),
                ("Camille", "I'll text you the gate code on the Monday before."))
    assert dated(items, "gate code") == day(20)
    # nothing dated just before: the event the call has named most, not one said in passing
    items = due(("Jenna", "So the festival's Saturday the 25th. The festival needs volunteers."),
                ("Rosa", "I'll do the festival flyer tonight."),
                ("Jenna", "Can you and I go over the float at the meeting next Thursday?"),
                ("Rosa", "Sure."),
                ("Marcus", "The float, I'd say two hundred in small bills."),
                ("Jenna", "Two hundred sounds right."),
                ("Marcus", "Okay, I'll get it from the bank on the Friday before."))
    assert dated(items, "from the bank") == day(24)


def test_then_after_the_sentence_dated_an_event_is_that_day():
    items = due(("Sofia", "Ahmed, could you do a short refresher on sash height at group meeting?"),
                ("Ahmed", "Sure. Group meeting's Monday, I'll do it then."))
    assert dated(items, "refresher") == day(20)
    # said by another, a bare "then" is still left alone (test_insights_neighbour_dates.py)
    assert dated(due(("Ana", "The window opens on Friday."), ("Ben", "I'll send the form then.")), "form") is None


def test_the_friday_before_said_again_is_the_same_day_not_the_coming_friday():
    # The "Friday" of the first "the Friday before" is no day said: read as the coming Friday
    # (the 17th), the second task was due the Friday before that, in the past, and fell back
    # on the coming Friday.
    items = due(("Elodie", "So, the Silva wedding, the fifteenth of June."),
                ("Camille", "I'll collect the flowers the Friday before."),
                ("Elodie", "Lovely."),
                ("Camille", "And I'll pick up the cake the Friday before."))
    assert dated(items, "flowers") == day(14, 6)
    assert dated(items, "cake") == day(14, 6)


def test_a_weekday_before_an_event_held_today_or_never_dated_is_no_day():
    # The festival is today: the Friday before it has passed, and "Friday" inside the phrase is
    # not the coming Friday that "Friday" alone means (it had fallen back to the 17th).
    items = due(("Jenna", "So the festival is today, the fifteenth of May."),
                ("Marcus", "I'll get the float from the bank the Friday before the festival."))
    assert dated(items, "float") is None
    # nor when nobody dated the festival
    assert dated(due(("Marcus", "I'll get the float from the bank the Friday before the festival.")), "float") is None
    # near miss: a weekday alone is still the coming one, and a festival still to come its Friday before
    assert dated(due(("Marcus", "I'll get the float from the bank on Friday.")), "float") == day(17)
    items = due(("Jenna", "So the festival's Saturday the 25th, ten days."),
                ("Marcus", "I'll get the float from the bank the Friday before the festival."))
    assert dated(items, "float") == day(24)
