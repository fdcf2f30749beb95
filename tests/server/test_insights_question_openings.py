"""Questions that ask nothing about the work, read on the batch moved from train/ to tune/:
warming up as the call opens (question_openings.py: how someone's week or move went, the
weather and the trip in), who is joining and from where, a late arrival catching up, and
handing someone the floor to present (question_acts.py). Each with the near miss that still
asks."""

from __future__ import annotations

from .test_insights import chat


def questions(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_how_life_is_going_as_the_call_opens_is_small_talk_but_how_the_work_is_going_asks():
    assert questions(("Ana", "Morning! How's the house hunting going, anyway?"),
                     ("Ben", "Slowly. How was the move into the new wing, by the way?"),
                     ("Ana", "Chaos. How was everyone's week?"),
                     ("Ben", "Good. Right, how's the oven behaving since I left?"),
                     ("Ana", "Better, it holds temperature now.")) == [
        "Right, how's the oven behaving since I left?"]


def test_a_question_with_a_warm_up_tagged_on_is_small_talk():
    assert questions(("Ana", "How's the wedding prep going, you surviving?"),
                     ("Ben", "Just about."),
                     ("Ana", "So how's the summer going, Ben, all packed up already?"),
                     ("Ben", "Nearly."),
                     ("Ana", "How did the first on-call week go?")) == ["How did the first on-call week go?"]


def test_the_weather_and_the_trip_in_are_small_talk_as_the_call_opens_not_later():
    assert questions(("Ana", "Did anyone else get absolutely soaked on the way here?"),
                     ("Ben", "Me. Did you see it snowed again in Potsdam?"),
                     ("Ana", "I did. Is the snow as bad out your way?"),
                     ("Ben", "Worse. Did you get a chance to look at the mockups?"),
                     ("Ana", "Yes, they're good."),
                     ("Ben", "Did the rain get into the stockroom again?")) == [
        "Did you get a chance to look at the mockups?", "Did the rain get into the stockroom again?"]


def test_who_is_joining_and_from_where_is_the_call_itself_but_a_task_on_the_road_asks():
    assert questions(("Ana", "Anders, are you joining from the car?"),
                     ("Anders", "Yes, sorry."),
                     ("Ana", "Is Catrin on her way?"),
                     ("Ben", "Two minutes out."),
                     ("Ana", "Is now still an okay time?"),
                     ("Ben", "Sure."),
                     ("Ana", "Are you driving the van to the fair on Saturday?")) == [
        "Are you driving the van to the fair on Saturday?"]


def test_a_late_arrival_catching_up_asks_nothing_but_what_a_report_missed_does():
    assert questions(("Ana", "Sorry, what did I miss?"),
                     ("Ben", "Not much."),
                     ("Ana", "What have I missed?"),
                     ("Ben", "The budget."),
                     ("Ana", "What did we miss in the audit?")) == ["What did we miss in the audit?"]


def test_handing_someone_the_floor_to_present_is_not_a_question_but_asking_to_be_told_is():
    assert questions(("Ana", "Marcus, do you want to walk everyone through it?"),
                     ("Marcus", "Sure."),
                     ("Ana", "Mikko, do you want to give us the two-minute version?"),
                     ("Mikko", "Okay."),
                     ("Ana", "Jonas, want to start with what went well?"),
                     ("Jonas", "Fine."),
                     ("Ana", "Can you walk me through what happened?"),
                     ("Ben", "Do you want to go through the contract clause by clause or just the changes?")) == [
        "Can you walk me through what happened?",
        "Do you want to go through the contract clause by clause or just the changes?"]


def test_closing_courtesies_and_asking_for_the_floor_on_a_point_ask_nothing():
    assert questions(("Ana", "Can I say something about the unis?"),
                     ("Ben", "Go ahead."),
                     ("Ana", "Can I ask what's behind not using the inventory?"),
                     ("Ben", "Cost. Anything you want to raise before we finish?"),
                     ("Ana", "No. Is there anything else I can help you with today?"),
                     ("Ben", "Is there anything else on the invoice?")) == [
        "Can I ask what's behind not using the inventory?", "Is there anything else on the invoice?"]


def test_a_complaint_a_judgement_or_a_surely_put_as_a_question_asks_nothing_but_a_cause_asked_does():
    assert questions(("Ana", "Why is it always June?"),
                     ("Ben", "Ha. When am I ever late?"),
                     ("Ana", "Isn't it a bit odd to advertise bikes in the subway?"),
                     ("Ben", "Then we should report both numbers, surely?"),
                     ("Ana", "Why does the build always fail on Mondays?"),
                     ("Ben", "The backup job. The deductible is a thousand, right?")) == [
        "Why does the build always fail on Mondays?", "The deductible is a thousand, right?"]


def test_a_thing_raised_then_asked_about_in_the_same_turn_is_one_question_but_alone_it_asks():
    assert questions(("Ana", "What about the notice in the paper? Does that go through you, or do we do that?"),
                     ("Ben", "Through us. And the bike? Can a bike even go by sea with the boxes?"),
                     ("Ana", "It can. What about the lawn?"),
                     ("Ben", "It grows back. And the hotel, same as last time? The one by the park?"),
                     ("Ana", "Yes. What about the invoice? Where are we on that?")) == [
        "Does that go through you, or do we do that?", "Can a bike even go by sea with the boxes?",
        "What about the lawn?", "And the hotel, same as last time?", "What about the invoice?"]


def test_a_weather_or_traffic_word_naming_a_kind_of_thing_is_the_work():
    # "the website traffic numbers", "the heat pump", "the storm drain": asked about the work as the call opens
    assert questions(("Ana", "Hi all."),
                     ("Ben", "Did anyone look at the website traffic numbers?"),
                     ("Ana", "They're up. Did you check the heat pump readings from Tuesday?"),
                     ("Ben", "Yes. Has anyone fixed the storm drain on Elm Street yet?"),
                     ("Ana", "Not yet.")) == [
        "Did anyone look at the website traffic numbers?", "Did you check the heat pump readings from Tuesday?",
        "Has anyone fixed the storm drain on Elm Street yet?"]


def test_a_complaint_names_who_or_when_but_why_something_keeps_happening_asks():
    opening = [("Ana", "Right, the roof."), ("Ben", "Yes."), ("Ana", "So."), ("Ben", "Okay."), ("Ana", "Well.")]
    assert questions(*opening, ("Ben", "Why is it always me?"), ("Ana", "Ha. Why is it always a Sunday?"),
                     ("Ben", "Why is it always timing out after the deploy?"), ("Ana", "The cache."),
                     ("Ben", "Why is it always slow on Monday mornings?"), ("Ana", "The backups.")) == [
        "Why is it always timing out after the deploy?", "Why is it always slow on Monday mornings?"]


def test_a_plan_for_later_or_a_call_asked_for_is_no_floor_handed_over():
    opening = [("Ana", "Right, the roof."), ("Ben", "Yes."), ("Ana", "So."), ("Ben", "Okay."), ("Ana", "Well.")]
    assert questions(*opening, ("Ben", "Do you want to give us a call when you land?"), ("Ana", "Sure."),
                     ("Ben", "Do you want to go through the contract tomorrow?"), ("Ana", "Sure."),
                     ("Ben", "Mikko, do you want to give us the quick update?"), ("Mikko", "Okay.")) == [
        "Do you want to give us a call when you land?", "Do you want to go through the contract tomorrow?"]


def test_planning_a_move_or_a_thing_of_the_work_asks_as_the_call_opens():
    # "the wedding prep" is life; "the sprint planning", "the website move" are the work
    assert questions(("Ana", "Hi. How's the wedding prep going?"),
                     ("Ben", "Fine. How's the sprint planning going?"),
                     ("Ana", "Slowly. How is the website move going?"),
                     ("Ben", "Done. How's the data migration thing going?")) == [
        "How's the sprint planning going?", "How is the website move going?", "How's the data migration thing going?"]
