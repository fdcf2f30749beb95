"""Days said with a task: a time of day and no day (clock_times.py: "at the two o'clock huddle",
"by eleven with news" are due the day they are said; a day named in the clause still decides, a
number that is an amount is no time); "the end of next week" said at the weekend
(calendar_days.py); a day of the month alone after the exchange gave its month (month_days.py)."""

from __future__ import annotations

from .test_insights import chat

WEDNESDAY = "2024-05-15T00:00:00.000Z"
FRIDAY = "2024-05-17T00:00:00.000Z"


def due(*lines: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(a["text"], a.get("dueBy")) for a in chat(*lines)["actionItems"]]


def test_a_clock_time_with_at_is_due_the_day_it_is_said():
    assert due(("Ana", "Then I'll brief the charge nurses at the two o'clock huddle."),
               ("Ben", "I'll ring the supplier at 3:30."),
               ("Ana", "I'll call the landlord at 3:30 on Friday."),
               ("Ben", "I'll price the loan at four percent.")) == [
        ("Ana will brief the charge nurses at the two o'clock huddle.", WEDNESDAY),
        ("Ben will ring the supplier at 3:30.", WEDNESDAY),
        ("Ana will call the landlord at 3:30 on Friday.", FRIDAY),
        ("Ben will price the loan at four percent.", None)]


def test_a_deadline_hour_followed_by_what_comes_with_it_is_that_day():
    assert due(("Ana", "I'll call you by eleven with news on the parts."),
               ("Ben", "I'll cut the order by ten with the new prices.")) == [
        ("Ana will call Ben by eleven with news on the parts.", WEDNESDAY),
        ("Ben will cut the order by ten with the new prices.", None)]


def test_the_end_of_next_week_said_at_the_weekend_is_the_coming_weeks_friday():
    saturday = "2024-05-18T10:00:00Z"
    items = chat(("Ana", "I can get ten signatures by the end of next week."),
                 ("Ben", "And I'll have the wording to you by the end of the week."), start_time=saturday)["actionItems"]
    assert [a["dueBy"] for a in items] == ["2024-05-24T00:00:00.000Z", "2024-05-24T00:00:00.000Z"]
    items = chat(("Ana", "I can get ten signatures by the end of next week."), start_time=WEDNESDAY)["actionItems"]
    assert [a["dueBy"] for a in items] == ["2024-05-24T00:00:00.000Z"]


def test_a_day_of_the_month_alone_takes_the_month_the_exchange_just_gave_it():
    assert due(("Ana", "We'd need the final numbers by the fourth of August at the latest."),
               ("Ben", "Okay, I'll send you the final count on the fourth then."),
               ("Ana", "And I'll send the menu on the ninth.")) == [
        ("Ben will send Ana the final count on the fourth then.", "2024-08-04T00:00:00.000Z"),
        ("Ana will send the menu on the ninth.", "2024-06-09T00:00:00.000Z")]
    # further back than the exchange, the coming fourth
    assert due(("Ana", "The gala is on the fourth of August."), ("Ben", "Right."), ("Ana", "Okay."),
               ("Ben", "Fine."), ("Ana", "I'll send the count on the fourth.")) == [
        ("Ana will send the count on the fourth.", "2024-06-04T00:00:00.000Z")]


def test_an_hour_word_alone_after_at_is_due_that_day_but_a_level_is_no_time():
    assert due(("Ana", "Right, I'll ring the staffing office at nine and see if anyone's picked the shift up."),
               ("Ben", "I'll do the gas at ten and then ring the reg with the result."),
               ("Ana", "I'll keep the flow at eight."),
               ("Ben", "I'll sell the spare tickets at ten.")) == [
        ("Ana will ring the staffing office at nine and see if anyone's picked the shift up.", WEDNESDAY),
        ("Ben will do the gas at ten and then ring the reg with the result.", WEDNESDAY),
        ("Ana will keep the flow at eight.", None),
        ("Ben will sell the spare tickets at ten.", None)]



def test_an_hour_word_after_a_day_is_that_days_hour():
    from datetime import date

    from symbl_media.server.insights.dates import find
    wednesday = date(2024, 5, 15)
    assert [(d.text, d.due) for d in find("Tuesday at nine, done, I'll pop him in.", wednesday)] == [
        ("Tuesday", date(2024, 5, 21))]
    assert [(d.text, d.due) for d in find("I'll pop him in at nine, done.", wednesday)] == [("at nine", wednesday)]
