"""Due dates read off the conversations moved from train/ to tune/: a time of day belongs to the
day said beside it ("by noon tomorrow"); "before the weekend" is its Friday; "the night of the
eleventh", "the week of the sixteenth"; an ordinal made part of a word is no day ("the first-day
madness"); hours said in words ("quarter to seven", "eight-thirty"); "now" after "is" is
"currently"; the day a thing is for, or is changed to, gives way to when the work is done."""

from __future__ import annotations

from datetime import date

from symbl_media.server.insights import dates

from .test_insights import chat

WEDNESDAY = date(2024, 5, 15)
TODAY = "2024-05-15T00:00:00.000Z"
TOMORROW = "2024-05-16T00:00:00.000Z"
FRIDAY = "2024-05-17T00:00:00.000Z"


def due(*lines: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(a["text"], a.get("dueBy")) for a in chat(*lines)["actionItems"]]


def days(text: str) -> list[tuple[str, str]]:
    return [(d.text, d.due.isoformat()) for d in dates.find(text, WEDNESDAY)]


def test_a_time_of_day_is_that_of_the_day_said_beside_it():
    assert days("I'll call you back by noon tomorrow.") == [("by noon", "2024-05-16"), ("tomorrow", "2024-05-16")]
    assert days("I'll call them tomorrow morning and ask them to bring a case before noon.") == [
        ("tomorrow", "2024-05-16"), ("before noon", "2024-05-16")]
    assert days("I'll draft it tomorrow and send it by end of day.")[-1] == ("end of day", "2024-05-16")
    # near miss: alone, it is the day it is said
    assert days("I'll send it before noon.") == [("before noon", "2024-05-15")]


def test_a_time_of_day_is_not_that_of_a_day_in_the_clause_giving_the_reason():
    assert days("I'm off tomorrow, so I'll send it before noon.") == [
        ("tomorrow", "2024-05-16"), ("before noon", "2024-05-15")]
    assert due(("Ana", "I'm off tomorrow, so I'll send it before noon."), ("Ben", "Thanks.")) == [
        ("Ana will send it before noon.", TODAY)]
    # near miss: the same day said in the task's own clause still dates it
    assert days("I'll send it tomorrow before noon.")[-1] == ("before noon", "2024-05-16")


def test_before_the_weekend_is_its_friday():
    assert days("I'll ring Judith before the weekend.") == [("weekend", "2024-05-17")]
    assert days("I'll ring Judith over the weekend.") == [("weekend", "2024-05-19")]  # near miss


def test_a_part_of_a_day_of_the_month_and_the_week_of_one():
    assert days("I could do it on the night of the eleventh.") == [("the eleventh", "2024-06-11")]
    assert days("I'll come the morning of the 26th.") == [("the 26th", "2024-05-26")]
    assert days("I'll run the export the week of the twentieth.") == [("the week of the twentieth", "2024-05-24")]
    assert days("It's the night of the show.") == []  # near miss: no day of the month
    # near miss: "the week of the second release" ranks the release, and names no day
    assert days("I'll send the recap the week of the second release.") == []
    assert days("I'll be away the week of the first.") == [("the week of the first", "2024-05-31")]


def test_an_ordinal_made_part_of_a_word_is_no_day():
    assert days("I'll call her tomorrow morning, before the first-day madness.") == [("tomorrow", "2024-05-16")]
    assert days("Send it before the first.") == [("the first", "2024-06-01")]  # near miss


def test_hours_said_in_words():
    assert days("I'll check at quarter to seven.") == [("at quarter to seven", "2024-05-15")]
    assert days("I'll have it ready before eight-thirty.") == [("before eight-thirty", "2024-05-15")]
    assert days("I'll do it by half past six.") == [("by half past six", "2024-05-15")]
    # near misses: a thing's opening hours, an amount
    assert days("Get a quote for a lock that opens at five thirty.") == []
    assert days("Trim it by five.") == []


def test_now_after_is_means_currently():
    assert [d for _, d in due(("Ana", "I'll check who our relationship manager is now before I send anything."),
                              ("Ben", "I'll send you the quote now."))] == [None, TODAY]


def test_the_day_a_thing_is_for_gives_way_to_when_the_work_is_done():
    assert due(("Ana", "I'll turn it off for Friday and Saturday nights this afternoon."),
               ("Ben", "I'll update the estimate on the outage map to Friday this afternoon.")) == [
        ("Ana will turn it off for Friday and Saturday nights this afternoon.", TODAY),
        ("Ben will update the estimate on the outage map to Friday this afternoon.", TODAY)]
    # near misses: the day it is for alone is its due date; "as today" compares
    assert [d for _, d in due(("Ana", "I'll send you an invite for Friday, same time as today."))] == [FRIDAY]


def test_a_step_dated_only_by_the_day_its_thing_is_for_is_one_task_with_the_deadline():
    assert [d for _, d in due(("Ana", "Fine, I'll put a sectional in for Thursday afternoon, and send you the schedule by Friday."))] == [FRIDAY]
    # near miss: two steps each with a day of its own stay two
    assert [d for _, d in due(("Ana", "I'll call her tonight and let you know on Friday."))] == [TODAY, FRIDAY]


def test_an_answer_reaching_the_one_waiting_earlier_than_asked_is_due_that_day():
    assert [d for _, d in due(("Ana", "Ben, can you get back to the venue this week with a headcount?"),
                              ("Ben", "Yep, I'll write to them tomorrow."))] == [TOMORROW]
    assert [d for _, d in due(("Ana", "Ben, could you put a quote together for the clean before the end of the month?"),
                              ("Ben", "No worries. I'll get it to you by Friday, actually."))] == [FRIDAY]


def test_the_asked_verb_again_or_a_step_keeps_the_asked_deadline():
    assert [d for _, d in due(("Ana", "Ben, can you send me the report by Friday?"),
                              ("Ben", "Sure, I will send it tomorrow."))] == [FRIDAY]
    assert [d for _, d in due(("Ana", "Ben, can you get the restriping scheduled by Friday?"),
                              ("Ben", "Yeah, I think that's doable. I'll talk to the maintenance crew tomorrow."))][:1] == [FRIDAY]


def test_an_answer_opening_a_sentence_with_a_day_dates_the_request():
    assert [d for _, d in due(("Ana", "Ben, would you mind picking the crates up?"),
                              ("Ben", "Yeah, okay. Tomorrow morning, he's never home in the evening."))] == [TOMORROW]
    # near miss: a day further on in the sentence is about something else
    assert [d for _, d in due(("Ana", "Ben, would you mind picking the crates up?"),
                              ("Ben", "Yeah, okay. He's away tomorrow, though."))] == [None]
    # near miss: the day opening the sentence is what it is about, not when the task is done
    for said in ("Yeah, okay. Monday's our stock take, so I'm flat out.", "Yeah, okay. Tomorrow is a bank holiday, mind."):
        assert [d for _, d in due(("Ana", "Ben, would you mind picking the crates up?"), ("Ben", said))] == [None], said
    assert [d for _, d in due(("Ana", "Ben, would you mind picking the crates up?"),
                              ("Ben", "Yeah, okay. Friday's fine."))] == ["2024-05-17T00:00:00.000Z"]


def test_a_commitment_the_speaker_takes_back_next_is_no_task():
    assert due(("Ana", "I'll buy six at the supply place on Saturday. No, wait, that's too late, the tasting's tomorrow. "
                       "I'll go tonight, they're open till eight.")) == [("Ana will go tonight.", TODAY)]
    # near miss: "no" answering something else keeps the task
    assert [d for _, d in due(("Ana", "I'll buy six at the supply place on Saturday. No need to borrow any."))] == [
        "2024-05-18T00:00:00.000Z"]
    # near miss: "No, that's it", "No, that's fine" close the turn and keep what was promised
    for after in ("No, that's it from me.", "No, that's fine, I have the address.", "No, that is all I have."):
        assert [d for _, d in due(("Ana", f"I'll buy six at the supply place on Saturday. {after}"))] == [
            "2024-05-18T00:00:00.000Z"], after


def test_a_day_of_the_month_followed_by_what_is_done_that_day():
    assert days("Let's have a short call on the 26th to sign it off.") == [("the 26th", "2024-05-26")]
    assert days("Fix it by the second to last page.") == []  # near miss: a rank


def test_an_invite_with_a_word_before_it_is_for_the_meeting_day_just_said():
    assert [d for _, d in due(("Ana", "Can we do this again tomorrow, same time?"),
                              ("Ben", "Same time tomorrow. I'll send a new invite, because the bridge number changed."))] == [TOMORROW]
    # near miss: inviting people is no invite for a day
    assert [d for _, d in due(("Ana", "Can we do this again tomorrow, same time?"),
                              ("Ben", "Same time tomorrow. I'll invite the new site managers."))] == [None]
