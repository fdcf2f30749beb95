"""How a task is said: a pseudo-cleft ("what I'll do is ...") is the speaker's commitment, in the
third person without its frame; reading an order back on the call is no task; and the words that
never name a topic however often they are said."""

from __future__ import annotations

from symbl_media.server.insights import analyse

from .test_insights import CONVERSATION, WEDNESDAY, chat, say


def items(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_a_pseudo_cleft_is_the_speakers_commitment_without_its_frame():
    got = chat(("Ana", "What I'll do is reset the router config tomorrow."),
               ("Ben", "So what we need to do is call the landlord by Friday."))["actionItems"]
    assert [a["text"] for a in got] == ["Ana will reset the router config tomorrow.",
                                        "Ben thinks the team needs to call the landlord by Friday."]
    assert [a["dueBy"][:10] for a in got] == ["2024-05-16", "2024-05-17"]


def test_reading_an_order_back_on_the_call_is_no_task_but_reading_a_contract_tonight_is_one():
    assert items(("Ana", "I'll just read that back to you: two rooms, three nights."),
                 ("Ben", "Correct. I'll read the contract tonight.")) == ["Ben will read the contract tonight."]


def test_a_contraction_or_an_ordinal_is_never_a_topic():
    result = chat(("Sam", "That'd be the twenty-first. That'd work for the boiler."),
                  ("Dave", "The twenty-first is fine for the boiler service. That'd suit me."),
                  ("Sam", "Good, the boiler engineer comes on the twenty-first."))
    texts = {t["text"] for t in result["topics"]}
    assert not {"that'd", "twenty-first"} & texts
    assert any("boiler" in t for t in texts)


def test_agreeing_an_idiom_and_a_prohibition_are_no_tasks():
    assert items(("Lena", "Could I just silence it for the weekend?"),
                 ("Malte", "Yes, please do."),
                 ("Lena", "As ready as I'll ever be."),
                 ("Malte", "Please don't keep copies of the sheets on your desktops."),
                 ("Lena", "Please do the backup tonight.")) == ["Malte needs to do the backup tonight."]


def test_a_pseudo_cleft_set_off_by_a_comma_leaves_the_task_that_follows():
    got = chat(("Gary", "What I'll do is, after Thursday I'll send you a written quote by end of the week."),
               ("Sarah", "Brilliant."))["actionItems"]
    assert [(a["text"], a["dueBy"][:10]) for a in got] == [
        ("Gary will send Sarah a written quote by end of the week.", "2024-05-17")]


def test_taking_the_agenda_in_order_is_chairing_but_a_dated_plan_is_a_task():
    assert items(("Helen", "Let's start at the top."),
                 ("Ji-woo", "Let's do sponsors, venue, judging, registrations."),
                 ("Rhian", "Okay, let's plan for it."),
                 ("Helen", "Let's do the budget review on Friday.")) == [
        "Helen suggests the team do the budget review on Friday."]


def test_a_group_intention_someone_takes_on_at_once_is_their_task():
    got = chat(("Priya", "I think we should meet again in two weeks, after rehearsal."),
               ("Colin", "Works for me. I'll put it in the group chat."),
               ("Sunita", "We should call a second reference for both vendors."),
               ("Karen", "Agreed. Liam, would you be willing to do those calls?"),
               ("Liam", "Yeah, happy to. I'll try to get them done by next Monday."),
               ("Aisha", "We should also run a load test before the next deploy."),
               ("Hannah", "Agreed. I'll set up a meeting with the database team on Monday."))["actionItems"]
    assert [(a["text"], a["messageIds"], (a.get("dueBy") or "")[:10]) for a in got] == [
        ("Colin will put it in the group chat.", ["4000000000000000", "4000000000000001"], "2024-05-29"),
        ("Liam should call a second reference for both vendors.",
         ["4000000000000002", "4000000000000003", "4000000000000004"], "2024-05-20"),
        ("Aisha thinks the team should run a load test before the next deploy.", ["4000000000000005"], ""),
        ("Hannah will set up a meeting with the database team on Monday.", ["4000000000000006"], "2024-05-20")]


def test_a_group_intention_taken_on_by_another_unnamed_speaker_is_theirs():
    # Two speakers nobody named are both "Unknown Speaker": told apart by id, not by name.
    messages, _ = say([("Priya", "I think we should meet again in two weeks, after rehearsal."),
                       ("Colin", "Works for me. I'll put it in the group chat.")])
    for message in messages:
        del message["from"]["name"]
    members = [{"id": m["from"]["id"]} for m in messages]
    got = analyse(CONVERSATION, messages, members, duration=10.0,
                  start_time=WEDNESDAY)["actionItems"]
    assert [(a["text"], a["messageIds"]) for a in got] == [
        ("Unknown Speaker will put it in the group chat.",
         ["4000000000000000", "4000000000000001"])]


def test_end_of_day_after_another_day_is_that_days_end_and_one_task():
    got = chat(("Denise", "I'll draft it tomorrow and send it to you by end of day."), ("Angela", "Great."))["actionItems"]
    assert [(a["text"], a["dueBy"][:10]) for a in got] == [
        ("Denise will draft it tomorrow and send it to Angela by end of day.", "2024-05-16")]



def test_ring_me_is_a_request_like_call_me():
    got = chat(("Gareth", "I have to drop off now. Rhian, ring me if anything changes."), ("Rhian", "Will do."))
    assert [a["text"] for a in got["actionItems"]] == ["Rhian will ring Gareth if anything changes."]


def test_agreeing_a_name_put_on_the_list_and_a_hyperbole_are_no_tasks():
    assert items(("Helen", "What if we offered a smaller grant?"),
                 ("Peter", "I could live with that."),
                 ("Steph", "I can help with cleanup."),
                 ("Rosa", "Oh, you're a star. I'll put you down."),
                 ("Jordi", "Don't say it like that, I'll have a heart attack."),
                 ("Rosa", "I'll put the flyer in the folder tomorrow.")) == [
        "Steph can help with cleanup.", "Rosa will put the flyer in the folder tomorrow."]


def test_a_guess_at_what_a_condition_will_need_is_no_promise_but_a_plain_conditional_promise_is():
    assert items(("Gary", "If they come up from the floor I'll have to lift two boards, probably."),
                 ("Sarah", "Okay. If you bring it back Thursday, I'll get you in first thing.")) == [
        "Sarah will get Gary in first thing."]


def test_a_need_said_right_after_ones_own_question_is_why_it_is_asked():
    assert items(("Jordi", "Are we doing the tasting on the eighth or the ninth? I have to plan prep."),
                 ("Marta", "The eighth. I have to order the fish by Friday.")) == [
        "Marta has to order the fish by Friday."]


def test_an_offer_welcomed_is_the_offerers_task_with_the_request_that_welcomes_it():
    got = chat(("Tom", "And the background?"),
               ("Daniel", "We'd like grey. I can send you the brand guide."),
               ("Tom", "Yes please, that'd be really helpful. Send it to the studio email."),
               ("Tom", "And what should people wear?"),
               ("Kylie", "Good question."))["actionItems"]
    assert [(a["text"], a["messageIds"]) for a in got] == [
        ("Daniel will send Tom the brand guide.", ["4000000000000001", "4000000000000002"])]


def test_telling_visiting_writing_to_and_inviting_someone_follow_up_but_reminding_oneself_does_not():
    got = chat(("Min", "I'll tell Sarah by Tuesday whether the logo goes on the banner."),
               ("Jenna", "I'll stop by Sal's Hardware about the raffle donation."),
               ("Gary", "I'll come and look at the radiator on Thursday."),
               ("Vikram", "I'll confirm the backup region in writing by Thursday."),
               ("Kylie", "I'll put the group shot in their calendars."),
               ("Nadia", "I'll move the invite to the big room."),
               ("Priya", "I'll put a review reminder in the calendar."),
               ("Jordan", "I'll get that in writing from him by Friday."))
    assert [f["text"] for f in got["followUps"]] == [
        "Min will tell Sarah by Tuesday whether the logo goes on the banner.",
        "Jenna will stop by Sal's Hardware about the raffle donation.",
        "Gary will come and look at the radiator on Thursday.",
        "Vikram will confirm the backup region in writing by Thursday.",
        "Kylie will put the group shot in their calendars.",
        "Nadia will move the invite to the big room."]
    assert len(got["actionItems"]) == 8


def test_the_night_before_is_the_day_before_the_last_date_said():
    got = chat(("Gary", "How's Friday morning for you, about half eight?"),
               ("Sarah", "Friday's fine."),
               ("Gary", "Lovely. I'll text you the night before just to confirm."),
               ("Sarah", "I'll clear the cupboard the day before the visit."))["actionItems"]
    assert [(a["text"], (a.get("dueBy") or "")[:10]) for a in got] == [
        ("Gary will text Sarah the night before just to confirm.", "2024-05-16"),
        ("Sarah will clear the cupboard the day before the visit.", "")]


def test_would_you_mind_and_do_you_mind_ask_for_the_task_in_their_gerund():
    assert items(("Ana", "Tim, would you mind handling the landing page fixes?"), ("Tim", "Sure."),
                 ("Ana", "Do you mind sending me the invoice?"), ("Tim", "Not at all."),
                 ("Ana", "Do you mind if I record this?"), ("Tim", "Go ahead.")) == [
        "Tim will handle the landing page fixes.", "Tim will send Ana the invoice."]


def test_a_deadline_given_in_taking_a_request_on_dates_it_unless_another_task_holds_it():
    got = chat(("Thandi", "Naledi, could you pull together the numbers for 2022 to 2024?"),
               ("Naledi", "Yeah, I can do that. I'll probably need till next Wednesday though."),
               ("Hannah", "Luis, could you write up a status page runbook?"),
               ("Luis", "Sure, I'll draft it and send it around for review by Friday."))["actionItems"]
    assert [(a["text"], (a.get("dueBy") or "")[:10]) for a in got] == [
        ("Naledi will pull together the numbers for 2022 to 2024.", "2024-05-22"),
        ("Luis will write up a status page runbook.", ""),
        ("Luis will send it around for review by Friday.", "2024-05-17")]


def test_a_day_proposed_right_after_a_task_dates_it_but_a_question_without_one_does_not():
    got = chat(("Gary", "I can come and look at both properly. How's Thursday morning for you?"),
               ("Sarah", "Thursday's fine."),
               ("Gary", "I'll send the quote. Is that okay for you?"),
               ("Sarah", "Yes."))["actionItems"]
    assert [(a["text"], (a.get("dueBy") or "")[:10]) for a in got] == [
        ("Gary can come and look at both properly.", "2024-05-16"), ("Gary will send the quote.", "")]


# The fifth blind tune batch: kinds of turn, each with a near miss that stays a task.

def test_taking_the_floor_and_the_meetings_own_length_are_no_tasks():
    assert items(("Ana", "Thanks for coming. We'll keep this to half an hour."),
                 ("Ben", "Sorry, I'll jump in. Is the waiting period the same?"),
                 ("Ana", "It is. I'll jump in on the vendor call tomorrow and ask them.")) == [
        "Ana will jump in on the vendor call tomorrow and ask them."]


def test_a_possibility_offered_with_could_is_a_task_only_when_taken_up():
    assert items(("Ana", "If they can't, my niece plays the cello. I could ask her, if that's any help."),
                 ("Ben", "Thanks, maybe."),
                 ("Ana", "I could send you the brand guide."),
                 ("Ben", "Yes please, that would be really helpful."),
                 ("Ana", "And I can book the room for Thursday.")) == [
        "Ana will send Ben the brand guide.", "Ana can book the room for Thursday."]


def test_a_deadline_in_the_clause_dates_the_task_not_the_day_it_is_about():
    got = chat(("Ana", "I'll confirm Friday with you by tonight."),
               ("Ben", "Good. I'll call them tomorrow and ask for a plan by Monday."))["actionItems"]
    assert [a["dueBy"][:10] for a in got] == ["2024-05-15", "2024-05-16"]  # said on Wednesday the 15th


def test_a_clock_time_as_a_deadline_is_the_day_it_is_said():
    got = chat(("Ana", "Kenji, could you check with engineering that it's fixed before twelve?"),
               ("Kenji", "Sure. And I'll have comments on the list back by nine tomorrow."),
               ("Ana", "Great. Please cut the order by five percent."))["actionItems"]
    assert [a.get("dueBy", "")[:10] for a in got] == ["2024-05-15", "2024-05-16", ""]


def test_what_the_speaker_does_while_holding_the_call_is_no_task():
    assert items(("Ana", "Let me see if I can get him on the line, hang on a sec."),
                 ("Ben", "Sure. Let me just bring up the diary, bear with me."),
                 ("Ana", "Hang on, I'll send you the photos tomorrow.")) == [
        "Ana will send Ben the photos tomorrow."]


def test_starting_with_an_item_of_the_agenda_is_neither_a_task_nor_a_question():
    result = chat(("Ana", "Can I start with Mr. Lavoie, because that one's changed since Monday?"),
                  ("Ben", "Fair. Let's start there then. What changed?"),
                  ("Ana", "He moved wards. I'll start with the handover notes tomorrow morning."))
    assert [a["text"] for a in result["actionItems"]] == ["Ana will start with the handover notes tomorrow morning."]
    assert [q["text"] for q in result["questions"]] == ["What changed?"]


def test_keeping_something_and_a_second_as_a_length_are_tasks_not_holding_the_call():
    # "hang on" / "hold on" hold the call only as an interjection ("hang on a sec"), not when
    # they keep a thing ("hang on to the receipts"); "one second" holds it only said alone.
    assert items(("Ana", "Who keeps the receipts?"),
                 ("Ben", "I'll hang on to the receipts until the audit."),
                 ("Ana", "I'll renew the licence, it takes one second."),
                 ("Ben", "Let me pull the file, one sec.")) == [
        "Ben will hang on to the receipts until the audit.", "Ana will renew the licence."]


def test_an_amount_after_by_is_no_clock_time():
    # "by four" is a time the day it is said; "by 20" (no hour of a twelve-hour clock) is the
    # amount of a change, not a deadline.
    got = chat(("Ana", "I'll trim the guest list by 20 and send it round."),
               ("Ben", "And I'll send the draft by four."))["actionItems"]
    assert [a.get("dueBy", "")[:10] for a in got] == ["", "2024-05-15"]


def test_a_second_that_is_the_tasks_object_is_no_holding_of_the_call():
    # "one sec" holds the call said as an aside at the end of its clause ("let me check that
    # one sec"); a length the task measures ("cut one second off", "by one second") is work.
    assert items(("Ana", "I'll cut one second off the intro."),
                 ("Ben", "Can you trim the outro by one second?"),
                 ("Ana", "Sure. I'll grab the invoice one sec."),
                 ("Ben", "I'll pull the file up, one second.")) == [
        "Ana will cut one second off the intro.", "Ana will trim the outro by one second."]


def test_an_hour_after_by_is_an_amount_when_its_clause_changes_a_quantity():
    # A bare 1-12 after "by" is a clock time ("by four": today) unless the clause changes a
    # quantity (cut, trim, reduce, extend, push back) or counts ("one by one"); am/pm, o'clock
    # or minutes always make it a time, and "before eleven" is one.
    got = chat(("Ana", "Please cut the spend by 10."),
               ("Ben", "Sure. And I'll trim the guest list by twelve and send it round by four."),
               ("Ana", "Can you push the launch back by two?"),
               ("Ben", "Yes. I'll drop the samples off by nine, and cut the budget by 10:30."),
               ("Ana", "I'll call the caterer before eleven and check the plates one by one."))["actionItems"]
    assert [(a["text"], a.get("dueBy", "")[:10]) for a in got] == [
        ("Ben will cut the spend by 10.", ""),
        ("Ben will trim the guest list by twelve and send it round by four.", "2024-05-15"),
        ("Ben will push the launch back by two.", ""),
        ("Ben will drop the samples off by nine, and cut the budget by 10:30.", "2024-05-15"),
        ("Ana will call the caterer before eleven and check the plates one by one.", "2024-05-15")]


def test_having_something_to_someone_follows_up_like_getting_it_to_them():
    got = chat(("Diego", "I'll have the revised draft to you by Friday."),
               ("Gloria", "And I can have a draft return to Jake by the 15th."),
               ("Liam", "I'll have the quote done by Friday."),
               ("Diego", "I'll have to check the figures tomorrow."))
    assert [f["text"] for f in got["followUps"]] == [
        "Diego will have the revised draft to Gloria by Friday.",
        "Gloria can have a draft return to Jake by the 15th."]
    assert len(got["actionItems"]) == 4


def test_the_day_a_requested_thing_is_for_gives_way_to_the_day_the_answer_does_it():
    # Said on Wednesday 15 May. "For the 14th of June" is the flight's day, "tonight" the task's;
    # a deadline asked for ("before Wednesday") stays, and "for Thursday" alone dates the task.
    got = chat(("Ana", "Can you book a flight home for the 14th of June?"),
               ("Ben", "Sure, I'll book it tonight."),
               ("Ana", "And can you add the results before Wednesday?"),
               ("Ben", "Yes, I'll attach them today."),
               ("Ana", "Could you send the invite for Thursday?"),
               ("Ben", "Sure."))["actionItems"]
    assert [(a["text"], a["dueBy"][:10]) for a in got] == [
        ("Ben will book a flight home for the 14th of June.", "2024-05-15"),
        ("Ben will add the results before Wednesday.", "2024-05-22"),
        ("Ben will send the invite for Thursday.", "2024-05-16")]


def test_a_verb_that_only_shares_a_word_with_a_change_leaves_by_four_a_time():
    # "double-check" is not "double", "drop me a line" changes no quantity: their "by four" is
    # a time today, as "cut the spend by 10" is not.
    got = chat(("Ana", "Can you double-check the invoice by four?"),
               ("Ben", "Sure. And I'll drop you a line by five."),
               ("Ana", "Great. I'll cut the spend by 10."))["actionItems"]
    assert [(a["text"], a.get("dueBy", "")[:10]) for a in got] == [
        ("Ben will double-check the invoice by four.", "2024-05-15"),
        ("Ben will drop Ana a line by five.", "2024-05-15"),
        ("Ana will cut the spend by 10.", "")]


def test_having_a_date_moved_to_a_weekday_or_month_reaches_nobody():
    # "to Friday" is a day, not a person: "have/get the meeting moved to Friday" is no follow-up,
    # "have the draft to Jake" is one.
    got = chat(("Ana", "I'll have the meeting moved to Friday."),
               ("Ben", "And I'll get the launch pushed to March."),
               ("Ana", "Then I'll have the draft to Jake by Monday."))
    assert [f["text"] for f in got["followUps"]] == ["Ana will have the draft to Jake by Monday."]
    assert len(got["actionItems"]) == 3


def test_a_second_at_which_the_task_happens_is_no_holding_of_the_call():
    # "at one second", "at exactly one second" is a point in the recording the task edits,
    # as "by one second" is a length; "one sec" closing a clause still holds the call.
    assert items(("Ana", "I'll start the fade at one second."),
                 ("Ben", "And I'll cut the intro at exactly one second."),
                 ("Ana", "Great. I'll grab the invoice one sec.")) == [
        "Ana will start the fade at one second.", "Ben will cut the intro at exactly one second."]
