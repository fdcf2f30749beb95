"""A task said in steps is due when its last step is, when two of its steps were dated in one
sentence: "And I'll start on the narrative. I'll do the problem statement this weekend, and send
you a draft Monday." is one task (the dateless first step joins them), due Monday."""

from __future__ import annotations

from .test_insights import chat

WEDNESDAY = "2024-05-15T00:00:00.000Z"


def due(*lines: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(a["text"], (a.get("dueBy") or "")[:10] or None) for a in chat(*lines, start_time=WEDNESDAY)["actionItems"]]


def test_steps_dated_in_one_sentence_are_due_with_the_last():
    items = due(("Bob", "Alice, how's the application coming along?"),
                ("Alice", "And I'll start on the narrative. I'll do the problem statement this weekend, and send you a draft Monday."))
    assert [d for _, d in items] == ["2024-05-20"]
    items = due(("Bob", "The late fees are a lot for me right now."),
                ("Alice", "I can ask my manager, she's approved it before. I'll email her today and call you back by Friday."))
    assert [d for _, d in items] == ["2024-05-17"]


def test_dated_steps_apart_keep_their_first_day():
    # near miss: two dated steps of one sentence with nothing before them stay two tasks
    items = due(("Bob", "Any news from the landlord?"),
                ("Alice", "I'll call her tonight and let you know on Monday."))
    assert [d for _, d in items] == ["2024-05-15", "2024-05-20"]
    # near miss: steps dated in two sentences keep the first day
    items = due(("Bob", "How's the application coming along?"),
                ("Alice", "I'll start on the narrative this weekend. I'll send you a draft on Monday."))
    assert [d for _, d in items] == ["2024-05-19"]  # the weekend's last day


def test_a_day_in_a_condition_said_next_is_no_deadline_of_the_task():
    items = due(("Bob", "The designer said she'd send the artwork this week."),
                ("Alice", "I'll call her this afternoon and push. If the artwork's not in by Friday we can't get the sleeves printed."))
    assert [d for _, d in items] == ["2024-05-15"]
    # near miss: a deadline said next, with no condition, is when the task is due
    items = due(("Bob", "How slow are the reports?"),
                ("Alice", "Today I'm going to look at the indexes. I should have numbers by Thursday."))
    assert [d for _, d in items] == ["2024-05-16"]


def test_a_recurring_task_is_first_due_on_the_day_it_runs_from():
    items = due(("Bob", "Supervisors are stretched enough as it is."),
                ("Alice", "Okay, here's a compromise. I'll make sure a supervisor is on call every Sunday night from the twenty-second."))
    assert [d for _, d in items] == ["2024-05-22"]
    # near miss: with no day it runs from, its first time is the coming one
    items = due(("Bob", "Who does the fridge checks?"), ("Alice", "I'll do the checks every Sunday night."))
    assert [d for _, d in items] == ["2024-05-19"]


def test_a_task_takes_the_deadline_its_speaker_set_just_before_for_what_it_names():
    items = due(("Owen", "Thursday it is."),
                ("Gwen", "The concert's on Saturday the 21st of June, so I need final numbers for the risers by the 7th. "
                         "Section leaders, can you each count who's actually singing and send me your numbers?"),
                ("Catrin", "Will do."))
    assert [d for _, d in items] == ["2024-06-07"]
    # near miss: a deadline for another thing dates nothing
    items = due(("Owen", "Thursday it is."), ("Gwen", "The plumber is due on Friday. Can you order the tiles?"),
                ("Catrin", "Will do."))
    assert [d for _, d in items] == [None]


def test_a_day_worked_out_from_an_event_is_not_beaten_by_a_deadline_said_next():
    items = due(("Greg", "When does it go to the committee?"),
                ("Linda", "Yes. The committee meets on the fifth of July, and I'll get a draft to the chair the Friday before. "
                          "So I need everyone's pieces by the end of the month, please."))
    assert [d for _, d in items] == ["2024-06-28"]  # 5 July 2024 is a Friday; the month ends on the 31st of May
    # near miss: a time the work happens still gives way to a deadline said next
    items = due(("Bob", "How slow are the reports?"),
                ("Alice", "Tomorrow I'm going to look at the indexes. I should have numbers by Friday."))
    assert [d for _, d in items] == ["2024-05-17"]
