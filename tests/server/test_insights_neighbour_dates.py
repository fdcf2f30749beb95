"""Due dates said next to a task rather than in its clause: the day the one asked names for the
whole task in their answer (replies.py); issue 14's due-date and follow-up pass."""

from __future__ import annotations

from .test_insights import chat

WEDNESDAY = "2024-05-15T00:00:00.000Z"
THURSDAY = "2024-05-16T00:00:00.000Z"
FRIDAY = "2024-05-17T00:00:00.000Z"
MONDAY = "2024-05-20T00:00:00.000Z"


def due(*lines: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(a["text"], a.get("dueBy")) for a in chat(*lines)["actionItems"]]


def test_the_day_the_one_asked_names_for_the_whole_task_is_its_due_date():
    assert [d for _, d in due(("Kayla", "Darnell, can you get me the equipment list by Friday?"),
                              ("Darnell", "Yeah, I'll do it Thursday night."))] == [THURSDAY]
    assert [d for _, d in due(("Ingrid", "Can you sign the form by the end of the month?"),
                              ("Kwame", "Yes, I'll do it Monday."))] == [MONDAY]
    assert [d for _, d in due(("Nate", "Could you look at the deposits and let me know by Friday?"),
                              ("Jake", "Yeah, I'll check tonight."))] == [WEDNESDAY]


def test_a_day_for_a_step_of_the_task_leaves_the_asked_deadline():
    # pulling the dates is how the sending gets done; the sending is still due Thursday
    assert [d for _, d in due(("Grace", "Can you send me the end dates for both contracts by Thursday?"),
                              ("Marco", "Sure, I'll pull them from the vendor portal tomorrow."))] == [THURSDAY]
    # the asked verb said again keeps the asked deadline, as the sample meeting reads it
    assert [d for _, d in due(("Alice", "Bob, please send the budget report by Friday."),
                              ("Bob", "Sure, I will send it tomorrow."))] == [FRIDAY]


def test_by_then_and_that_morning_are_the_last_day_said_just_before():
    tuesday = "2024-05-21T00:00:00.000Z"
    items = due(("Rachel", "I can hold the Saturday until next Wednesday. Could you get the deposit in by then?"),
                ("Dan", "Yep."))
    assert ("Dan will get the deposit in by then.", "2024-05-22T00:00:00.000Z") in items
    # asked in the request's words, it stands as any asked deadline: a later day does not move it
    items = due(("Rachel", "I can hold the Saturday until next Wednesday. Could you get the deposit in by then?"),
                ("Dan", "Sure, I'll do it next Friday."))
    assert ("Dan will get the deposit in by then.", "2024-05-22T00:00:00.000Z") in items
    items = due(("Ben", "Let's do Tuesday at nine."),
                ("Aroha", "Done. Can you bring him in a bit hungry?"),
                ("Ben", "Yeah, sure, I'll skip his breakfast that morning."))
    assert [d for text, d in items if "hungry" in text] == [tuesday]


def test_a_bare_then_or_a_day_said_further_back_dates_nothing():
    # "then" alone is as often "after that"; three messages back is another exchange
    assert [d for _, d in due(("Ana", "The window opens on Friday."),
                              ("Ben", "I'll send the form then."))] == [None]
    assert [d for _, d in due(("Ana", "The window opens on Friday."), ("Ben", "Right."), ("Ana", "Okay."),
                              ("Ben", "Fine."), ("Ana", "I'll have the form ready by then."))] == [None]


def test_an_invite_is_due_on_the_meeting_day_said_just_before_it():
    assert [d for t, d in due(("Pieter", "Let's say Friday the twenty-fourth, here at the kitchen. I'll send you an invite."))
            if "invite" in t] == ["2024-05-24T00:00:00.000Z"]
    assert [d for t, d in due(("Helen", "So the next meeting. We said next Wednesday, same time?"),
                              ("Nadia", "That works, I'll move the invite to the big room."))
            if "invite" in t] == ["2024-05-22T00:00:00.000Z"]


def test_an_invite_takes_no_time_of_day_nor_the_verb_and_yields_to_the_answers_day():
    # "just before lunch" says when in a day, not which day
    assert [d for t, d in due(("Tom", "I'd say just before lunch."),
                              ("Kylie", "I'll put it in their calendars."))] == [None]
    # inviting people is not an invite to a meeting said
    assert [d for t, d in due(("Marta", "Aiko can set up a trial workspace for you this week."),
                              ("Aiko", "Yes, I'll set it up and invite the site managers you send me."))
            if "site managers" in t] == [None]
    # the one asked names their own day for sending it
    assert [d for t, d in due(("Maria", "Let's do the debrief next Monday at nine."),
                              ("Linda", "Can you send a calendar invite?"),
                              ("Maria", "Yep, I'll send it today."))
            if "invite" in t] == [WEDNESDAY]


def test_a_sentence_that_is_only_the_day_dates_the_task_before_it():
    assert due(("Daniel", "And I'll circulate it to staff once we have it. Probably Friday, after the partners' meeting.")) == [
        ("Daniel will circulate it to staff once we have it.", FRIDAY)]
    assert [d for _, d in due(("Ana", "I'll send the minutes around. Hopefully tomorrow."))] == [THURSDAY]
    # the day opening a sentence about something else
    assert [d for _, d in due(("Ana", "I'll send the minutes around. Tomorrow's meeting is at nine."))] == [None]


def test_a_task_done_now_is_due_the_day_it_is_said():
    assert due(("Andrés", "So I'll send you the quote now."), ("Camila", "Perfect.")) == [
        ("Andrés will send Camila the quote now.", WEDNESDAY)]
    # what is said next is when it arrives, not when the sending is due
    assert [d for _, d in due(("Hana", "Okay, I'll send the request through to Dr Patel now. "
                                       "It usually takes two working days, so it should be at the pharmacy by Friday."))] == [WEDNESDAY]
    # "for now", "from now on" date nothing
    assert [d for _, d in due(("Ana", "I'll keep the old price for now."),
                              ("Ben", "I'll check the logs from now on."))] == [None, None]


def test_when_the_one_waiting_will_have_it_is_when_it_is_due():
    assert [d for _, d in due(("Ananya", "Vikram, could you draft the customer notice and send it to me for review?"),
                              ("Vikram", "Yes, I'll draft it tonight and you'll have it first thing tomorrow."))] == [THURSDAY]
    assert [d for _, d in due(("Ana", "I'll finish the deck on Friday, you'll get it Monday."))] == [MONDAY]
    # a day of the work alone stays its due date
    assert [d for _, d in due(("Ana", "I'll draft the notice tonight."))] == [WEDNESDAY]


def test_weekdays_said_after_a_week_are_that_weeks_days():
    from datetime import date

    from symbl_media.server.insights import dates
    monday = date(2026, 1, 19)
    said = "Next week Katharina is off Tuesday and Wednesday, so can you take her group those two days?"
    assert [(d.text, d.due) for d in dates.find(said, monday)] == [
        ("Tuesday", date(2026, 1, 27)), ("Wednesday", date(2026, 1, 28))]
    # another sentence: the week and the weekday are two things
    assert [(d.text, d.due) for d in dates.find("I'll send it next week. On Friday I'm off.", monday)] == [
        ("next week", date(2026, 1, 30)), ("Friday", date(2026, 1, 23))]


def test_when_the_speaker_will_see_the_one_the_task_is_with_dates_it():
    assert [d for _, d in due(("Lucía", "I can ask the head of department about the third TA. I'm seeing her Thursday anyway."))] == [THURSDAY]
    # a day of the speaker's own, not a meeting with them
    assert [d for _, d in due(("Lucía", "I can ask the head of department about the third TA. I'm off Thursday anyway."))] == [None]


def test_a_day_past_the_asked_deadline_does_not_move_it():
    # the item's text keeps "by Thursday", which a Monday would contradict
    assert [d for _, d in due(("Kayla", "Darnell, can you get me the equipment list by Thursday?"),
                              ("Darnell", "Yeah, I'll do it Monday."))] == [THURSDAY]


def test_a_curly_apostrophe_reads_as_a_straight_one():
    # "you’ll", "I’m" as transcripts often write them: the rules read only "you'll", "I'm"
    assert [d for _, d in due(("Ana", "I’ll draft it tonight and you’ll have it first thing tomorrow."),
                              ("Ben", "Thanks."))] == [THURSDAY]
    assert [d for _, d in due(("Lucía", "I can ask the head of department about the third TA. I’m seeing her Thursday anyway."))] == [THURSDAY]


def test_a_day_borrowed_from_a_neighbouring_sentence_does_not_make_a_task():
    # The day said next to a sentence dates a task it holds; whether it holds one is judged on
    # its own words: narration of the call, an option weighed, a guess stay what they are.
    assert due(("Ana", "Let's say Friday the twenty-fourth."),
               ("Ben", "Great. Let me pull up the invite on screen.")) == []
    # (the group's next meeting set, "we meet again next Wednesday", is a task of its own:
    # test_insights_next_meeting.py; a meeting already in the calendar is not)
    assert due(("Ana", "The review is next Wednesday."),
               ("Ben", "Okay, let me just open the invite so we can all see it.")) == []
    assert due(("Ana", "The room is ours until Friday."),
               ("Ben", "We could maybe paint it by then.")) == []
    assert due(("Ana", "The quote is good until Friday."),
               ("Ben", "We might sign it by then, who knows.")) == []


def test_a_day_read_from_another_sentence_says_so():
    """replies.py lets a day borrowed from another sentence give way to the answer's; the day
    carries that it was borrowed rather than being told by its offsets."""
    from symbl_media.server.insights import assignees, conversation, invites, people
    from symbl_media.server.insights.dates import find

    from .test_insights import CONVERSATION, WEDNESDAY as START, say

    messages, members = say([("Maria", "Let's do the debrief next Monday at nine."),
                             ("Linda", "Can you send a calendar invite?"),
                             ("Ana", "I'll look at the indexes. I should have numbers by Thursday.")])
    talk = conversation.build(CONVERSATION, messages, members, duration=60.0, start_time=START)
    invite, indexes = talk.sentences[1], talk.sentences[2]
    meeting = invites.meeting_day(talk, invite, "send a calendar invite")
    assert meeting is not None and meeting.borrowed and meeting.text == "next Monday"
    deadline = assignees.deadline_after(talk, indexes, people.People(talk.members))
    assert deadline is not None and deadline.borrowed and deadline.text == "Thursday"
    # near miss: a day said in the sentence itself
    assert [d.borrowed for d in find("I'll send it by Friday.", talk.day)] == [False]


def test_a_weekday_said_alone_after_the_exchange_named_its_week_is_that_weeks():
    # "Thursday next week" dates the Thursday said after it, as "Thursday the 23rd" would
    items = due(("Sofia", "Then I'd come back for a re-inspection. Does Thursday next week in the afternoon work?"),
                ("Miriam", "Thursday afternoon's fine. Two o'clock?"),
                ("Sofia", "Two works. I'll send you an invite after this."))
    assert [d for t, d in items if "invite" in t] == ["2024-05-23T00:00:00.000Z"]
    # "this Thursday" is the coming one, as a bare Thursday already is
    items = due(("Sofia", "Does this Thursday in the afternoon work?"),
                ("Miriam", "Thursday afternoon's fine. Two o'clock?"),
                ("Sofia", "Two works. I'll send you an invite after this."))
    assert [d for t, d in items if "invite" in t] == [THURSDAY]


def test_a_weekday_of_this_week_dates_no_bare_weekday_said_after_it():
    # "Wednesday this week" said on the Wednesday is that day; a bare "Wednesday" said after it
    # is still the next one after the conversation's day (the guide), not today: only "next"
    # and "week" without "this" ("Thursday next week", "Friday week") name another week.
    items = due(("Ana", "The review is Wednesday this week, so today."),
                ("Ben", "Right."),
                ("Ana", "Ben, can you send me the deck Wednesday?"))
    assert [d for t, d in items if "deck" in t] == ["2024-05-22T00:00:00.000Z"]
    # near miss: "Wednesday week" still dates it, as next week's
    items = due(("Ana", "The review is Wednesday week."),
                ("Ben", "Right."),
                ("Ana", "Ben, can you send me the deck Wednesday?"))
    assert [d for t, d in items if "deck" in t] == ["2024-05-29T00:00:00.000Z"]


def test_on_the_day_is_the_day_just_booked():
    items = due(("Sophie", "I can do the 4th of June at three thirty, after school."),
                ("Daniel", "Perfect."),
                ("Sophie", "I'll pencil him in. And could you bring his Well Child book with you on the day?"))
    assert [d for t, d in items if "book" in t] == ["2024-06-04T00:00:00.000Z"]
    # "on the day before" is another day; with no day booked it dates nothing
    items = due(("Sophie", "I can do the 4th of June at three thirty, after school."),
                ("Daniel", "Perfect."),
                ("Sophie", "Could you ring me on the day before the visit?"))
    assert [d for t, d in items if "ring" in t] == [None]
    items = due(("Sophie", "Could you bring his Well Child book with you on the day?"))
    assert [d for t, d in items if "book" in t] == [None]
