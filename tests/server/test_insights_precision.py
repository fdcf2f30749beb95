"""Action items that are said like tasks but commit nobody, next to the near miss that does
(each test holds both, so a rule that drops too much fails): offers nobody took up,
farewells, speech acts done by saying them, predictions, contingencies, reported rules."""

from __future__ import annotations

import pytest

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_an_offer_taken_up_is_the_offerers_task_and_one_declined_or_unanswered_is_none():
    found = chat(("Ana", "Should I send it over?"),
                 ("Ben", "Yes please."),
                 ("Ana", "Do you want me to set up a call with their CTO?"),
                 ("Ben", "No, I'll do that myself."),
                 ("Ana", "Would you like me to draft the reply by Friday?"),
                 ("Ben", "That would be great."),
                 ("Ana", "Shall I book the room?"),
                 ("Ben", "Should I bring my passport?"),
                 ("Ana", "Yes."))
    items = {a["text"]: a for a in found["actionItems"]}
    # Ben's "No, I'll do that myself" declines the offer and takes the task on himself.
    assert list(items) == ["Ana will send it over.", "Ben will do that themselves.",
                           "Ana will draft the reply by Friday."]
    assert items["Ana will send it over."]["messageIds"] == ["4000000000000000", "4000000000000001"]
    assert items["Ana will draft the reply by Friday."]["dueBy"] == "2024-05-17T00:00:00.000Z"
    assert items["Ana will draft the reply by Friday."]["assignee"]["name"] == "Ana"
    assert [q["text"] for q in found["questions"]] == ["Should I bring my passport?"]


@pytest.mark.parametrize("said", [
    "I'd like to thank everyone for coming.",
    "I'll give you an example.",
    "I'm going to talk a bit about the roadmap.",
    "I'm going to ask a few questions about your setup.",
    "Let me tell you what happened.",
    "I'll transfer you to billing.",
    "Let me just check that for you.",
    "We'll talk soon.",
    "I'll catch you later.",
    "I'll leave it with you.",
    "Let's take a step back.",
    "Let's wait and see.",
    "I'll try.",
])
def test_speech_acts_farewells_and_moves_in_the_talk_are_not_tasks(said):
    assert tasks(("Ana", said), ("Ben", "Okay.")) == []


@pytest.mark.parametrize("said, task", [
    ("I'll talk to the landlord about the lease tomorrow.", "Ana will talk to the landlord about the lease tomorrow."),
    ("I'll send you an example of the contract.", "Ana will send Ben an example of the contract."),
    ("Let me check that with finance.", "Ana will check that with finance."),
    ("I'll try to get the quote to you by Friday.", "Ana will try to get the quote to Ben by Friday."),
    ("Let's wait for the audit before we sign.", None),
])
def test_the_same_verbs_on_work_stay_tasks(said, task):
    assert tasks(("Ana", said), ("Ben", "Okay.")) == ([task] if task else [])


def test_what_will_happen_to_someone_and_availability_are_not_tasks_but_asking_them_is():
    assert tasks(("Ana", "You should get an email in a few minutes."), ("Ben", "I can do Tuesday.")) == []
    assert tasks(("Ana", "You should get a second quote from another supplier."), ("Ben", "Hm.")) == [
        "Ben should get a second quote from another supplier."]
    assert tasks(("Ana", "I can do the review on Tuesday."), ("Ben", "Hm.")) == ["Ana can do the review on Tuesday."]


def test_plan_b_hearsay_hedged_advice_and_reassurance_commit_nobody():
    assert tasks(("Ana", "Worst case, we'll just push it a week."),
                 ("Ben", "Assuming legal signs off, we'll launch on Monday."),
                 ("Ana", "Apparently we have to re-certify every year."),
                 ("Ben", "According to legal, we need to update the terms."),
                 ("Ana", "Maybe you should talk to HR."),
                 ("Ben", "We'll figure it out."),
                 ("Ana", "You should talk to HR before Friday."),
                 ("Ben", "We need to update the terms by Friday.")) == [
        "Ben should talk to HR before Friday.", "Ben thinks the team needs to update the terms by Friday."]


def test_answering_the_phone_and_offering_more_help_are_neither_questions_nor_tasks():
    found = chat(("Nina", "Hi, thanks for calling Riverside Vets, this is Nina, how can I help?"),
                 ("Paul", "Hi, it's about Biscuit's ear drops, how can I get her to take them?"),
                 ("Nina", "Try them after a walk. Anything else I can help with?"),
                 ("Paul", "No, that's all."))
    assert [q["text"] for q in found["questions"]] == [
        "Hi, it's about Biscuit's ear drops, how can I get her to take them?"]
    assert [a["text"] for a in found["actionItems"]] == []


def test_go_ahead_and_is_a_request_and_lets_make_a_start_is_chairing():
    found = chat(("Helen", "Okay, let's make a start."),
                 ("Helen", "Raj, go ahead and book the coach."),
                 ("Raj", "Will do, I'll do it tomorrow morning."))
    assert [(a["text"], a["dueBy"][:10]) for a in found["actionItems"]] == [
        ("Raj will book the coach.", "2024-05-16")]


def test_when_do_you_need_that_by_dates_the_last_task_asked_not_the_askers_own():
    found = chat(("Kate", "I'll talk to Sam. Also, you should write up the design doc for the migration."),
                 ("Leo", "Okay. When do you need that by?"),
                 ("Kate", "End of the month would be good."))
    due = {a["text"]: a.get("dueBy", "")[:10] for a in found["actionItems"]}
    assert due == {"Kate will talk to Sam.": "",
                   "Leo should write up the design doc for the migration.": "2024-05-31"}


def test_letting_someone_go_and_aiming_for_a_date_just_agreed_are_not_tasks():
    assert tasks(("Omar", "I'll let you get to your board prep."),
                 ("Jess", "I'll aim for that."),
                 ("Omar", "I'll aim for a first draft by Friday.")) == [
        "Omar will aim for a first draft by Friday."]


def test_a_request_carried_out_on_the_call_is_no_action_item_but_one_taken_on_is():
    found = chat(("Agent", "Can you unplug the router for me?"),
                 ("Cust", "Okay, done."),
                 ("Agent", "Could you try loading a web page?"),
                 ("Cust", "Yep, that works."),
                 ("Agent", "Can you read me the serial number on the back?"),
                 ("Cust", "It's X Y 4 4 9 1. Can you email me the ticket number?"),
                 ("Agent", "Sure, I'll email it to you straight after this call."))
    assert [a["text"] for a in found["actionItems"]] == ["Agent will email Cust the ticket number."]
    assert "Can you read me the serial number on the back?" in [q["text"] for q in found["questions"]]


def test_you_opening_its_own_clause_is_they_in_the_rewrite():
    assert tasks(("Chef", "Jonno, check the walk-in temperature before you go."), ("Jonno", "Yeah.")) == [
        "Jonno will check the walk-in temperature before they go."]


def test_a_plural_you_is_never_one_listeners_name_and_the_verbs_agree():
    # Two others: "you both" names them both; a later "you" of the same phrase is "they".
    assert tasks(("Harriet", "I'll introduce you both to Priya by email this afternoon."),
                 ("Beth", "Great."), ("Sam", "Thanks."),
                 ("Harriet", "And I'll send the contract to both of you once you have read the notes."),
                 ("Sam", "Okay.")) == [
        "Harriet will introduce Beth and Sam to Priya by email this afternoon.",
        "Harriet will send the contract to Beth and Sam once they have read the notes."]
    # One other, or three when "you two" says two: who is meant is not known, so "them".
    assert tasks(("Ana", "I'll introduce you both to Priya tomorrow."), ("Ben", "Great.")) == [
        "Ana will introduce them both to Priya tomorrow."]
    assert tasks(("Ana", "I'll call you two before you both leave on Friday."), ("Ben", "Okay."),
                 ("Cy", "Sure."), ("Di", "Fine.")) == [
        "Ana will call the two of them before they both leave on Friday."]
    # "email you both quotes" counts the quotes.
    assert tasks(("Keisha", "I'll email you both quotes by Monday."), ("Dave", "Great."), ("Linda", "Thanks.")) == [
        "Keisha will email Dave both quotes by Monday."]
    # "send you all the notes" is one "you" and "all the notes"; one listener's name agrees.
    assert tasks(("Ana", "I'll send you all the notes when you are back on Friday."), ("Ben", "Thanks.")) == [
        "Ana will send Ben all the notes when Ben is back on Friday."]


def test_am_of_a_clock_time_stays_in_the_rewrite_and_only_i_am_agrees():
    assert tasks(("Ana", "I'll send the rota by 10 am."),
                 ("Ben", "Okay. I am going to call the printer at 9 am tomorrow.")) == [
        "Ana will send the rota by 10 am.", "Ben is going to call the printer at 9 am tomorrow."]


def test_seconding_a_motion_is_agreeing_not_a_task():
    assert tasks(("Chair", "Shall we vote on setting aside two thousand for the boiler?"),
                 ("Secretary", "I'll second that."),
                 ("Treasurer", "I'll back up the accounts before Friday.")) == [
        "Treasurer will back up the accounts before Friday."]


def test_being_in_touch_is_a_follow_up_and_giving_advice_a_go_is_agreeing():
    found = chat(("Ines", "We'll be in touch by the end of the week about next steps."),
                 ("Marco", "Great. Should I send over my references now or later?"),
                 ("Ines", "Try keeping the same wake-up time every day."),
                 ("Marco", "I'll give it a go."))
    assert [(a["text"], a["dueBy"][:10]) for a in found["followUps"]] == [
        ("Ines says the team will be in touch by the end of the week about next steps.", "2024-05-17")]
    assert "Marco will give it a go." not in [a["text"] for a in found["actionItems"]]
    # Asking which of two is asking: no offer
    assert [q["text"] for q in found["questions"]] == ["Should I send over my references now or later?"]


def test_a_word_every_meeting_has_weighs_less_as_a_topic_than_a_rare_one_said_as_often():
    found = chat(("Ana", "The team looked at the boiler this morning."),
                 ("Ben", "Did the team say the boiler needs replacing?"),
                 ("Ana", "Yes, the boiler is fifteen years old, the team thinks."))
    ranked = [t["text"] for t in found["topics"]]
    assert "boiler" in ranked and (("team" not in ranked) or ranked.index("boiler") < ranked.index("team"))
    top = {t["text"]: t["score"] for t in found["topics"]}
    assert top["boiler"] == 1.0 and top.get("team", 0.0) < 0.5


def test_needing_a_thing_is_no_task_and_an_offer_after_a_lead_in_is_taken_up():
    found = chat(("Officer", "I'll need your last two years of accounts."),
                 ("Doyle", "My accountant usually handles this stuff, should I put you in touch with her?"),
                 ("Officer", "That would be helpful, yes. I'll need to check the van's logbook too."))
    assert [a["text"] for a in found["actionItems"]] == [
        "Doyle will put Officer in touch with her.", "Officer needs to check the van's logbook too."]
    assert found["questions"] == []


def test_a_plan_is_a_commitment_but_remembering_for_oneself_and_a_sometime_are_not():
    assert tasks(("Ana", "I'm planning to send it Friday."),
                 ("Ben", "I need to remember to breathe."),
                 ("Ana", "We should catch up sometime."),
                 ("Ben", "Let's keep in touch. Let's make it happen."),
                 ("Ana", "Remember to lock the back door tonight."),
                 ("Ben", "Let's catch up sometime next week.")) == [
        "Ana is planning to send it Friday.", "Ben needs to lock the back door tonight.",
        "Ben suggests the team catch up sometime next week."]


def test_can_take_keeps_its_verb_taking_the_minutes_is_a_role_on_the_call_and_feelings_are_no_tasks():
    assert tasks(("Ana", "Ben can take the order to the client tomorrow."),
                 ("Ben", "Hm."), ("Cara", "Okay.")) == ["Ben will take the order to the client tomorrow."]
    assert tasks(("Ana", "Ben can take the minutes."), ("Ben", "Hm."), ("Cara", "Okay.")) == []
    assert tasks(("Ana", "Ben is going to hate me for this. Ben needs to relax."),
                 ("Ben", "Hm."), ("Cara", "Okay.")) == []


def test_done_in_a_later_sentence_of_the_answer_is_done_but_done_by_a_date_is_a_promise():
    assert tasks(("IC", "Dev, can you rotate the key right now?"),
                 ("Dev", "Rotating now. Okay, done, the new key is in the vault.")) == []
    assert tasks(("IC", "Dev, can you rotate the key?"),
                 ("Dev", "Sure. Done by Friday.")) == ["Dev will rotate the key."]


def test_a_roll_call_is_not_a_question():
    assert [q["text"] for q in chat(("IC", "This is the bridge for the leaked key. Who's on?"),
                                    ("Maya", "Maya, security. Who's on the billing rota this week?"))["questions"]] == [
        "Who's on the billing rota this week?"]


@pytest.mark.parametrize("said", [
    "Is there any way you could send it today?", "Any chance you could send it today?",
    "Do you think you could send it today?", "Would it be possible to send it today?",
    "Are you able to send it today?",
])
def test_a_polite_request_is_an_action_item_for_the_one_asked_not_a_question(said):
    found = chat(("Ana", said), ("Ben", "Hm."))
    assert [a["text"] for a in found["actionItems"]] == ["Ben needs to send it today."]
    assert found["questions"] == []


def test_asking_whether_something_can_be_done_at_all_stays_a_question():
    found = chat(("Ana", "Is it possible to export the report to PDF?"), ("Ben", "Yes."))
    assert [q["text"] for q in found["questions"]] == ["Is it possible to export the report to PDF?"]
    assert found["actionItems"] == []


def test_you_guys_is_the_one_asked_not_part_of_the_task():
    assert tasks(("Ana", "Can you guys look into the refund?"), ("Ben", "Hm.")) == ["Ben needs to look into the refund."]


@pytest.mark.parametrize("said", [
    "I'm going to cover three things today.", "I'm going to skip this slide.", "I'll come back to that.",
    "I'll get to that in a minute.", "I'll hand it back to you.", "I'll keep going.", "Let me stop you there.",
    "Let me write that down.", "I'll make a note of it.", "I'll take that on board.", "Let me sleep on it.",
    "I'll take your word for it.", "I'll leave you to it.",
])
def test_presenting_noting_and_considering_on_the_call_are_not_tasks(said):
    assert tasks(("Ana", said), ("Ben", "Hm.")) == []


@pytest.mark.parametrize("said, task", [
    ("I'll get back to you on that tomorrow.", "Ana will get back to Ben on that tomorrow."),
    ("I'll write up the notes and send them round.", "Ana will write up the notes and send them round."),
    ("I'll cover the front desk on Saturday.", "Ana will cover the front desk on Saturday."),
])
def test_near_misses_of_presenting_stay_tasks(said, task):
    assert tasks(("Ana", said), ("Ben", "Hm.")) == [task]


def test_a_softener_before_an_order_keeps_it_an_order_but_a_condition_that_may_not_happen_does_not():
    assert tasks(("Ana", "If you can, send me the deck tonight."), ("Ben", "Hm.")) == ["Ben needs to send Ana the deck tonight."]
    assert tasks(("Ana", "When you get a chance, send me the deck."), ("Ben", "Hm.")) == ["Ben needs to send Ana the deck."]
    assert tasks(("Ana", "If you can't make it, just let me know."), ("Ben", "Hm.")) == []


def test_an_offer_said_as_a_statement_is_the_offerers_task_not_a_question():
    found = chat(("Sophie", "Fewer takeaways, more walking. I can email you the Heart Foundation leaflet if you like?"),
                 ("Daniel", "Yes please, that'd be helpful."))
    assert [a["text"] for a in found["actionItems"]] == ["Sophie will email Daniel the Heart Foundation leaflet."]  # welcomed: her task
    assert found["questions"] == []


@pytest.mark.parametrize("said", [
    "Ha, I'll give you some good and some less good.", "Perfect, I'll put that through.",
    "Well, let's start and she can catch up.", "Let me sit with it.", "I'll stay on mute mostly.",
    "Let's split the difference.", "I can do the 4th of February at three thirty, after school.",
    "What would you do differently?",
])
def test_on_the_call_considering_a_slot_offered_and_a_wh_question_are_not_tasks(said):
    assert tasks(("Ana", said), ("Ben", "Hm.")) == []


def test_why_a_request_is_made_is_no_second_task_and_a_sentence_opening_with_so_still_commits():
    assert tasks(("Fiona", "Could you send me that photo tonight, so I can forward it to the engineer?"), ("Priya", "Hm.")) == [
        "Priya needs to send Fiona that photo tonight."]
    assert tasks(("Rosa", "It runs out in August. So I'll book her in at the vet in two weeks."), ("Luis", "Hm.")) == [
        "Rosa will book her in at the vet in two weeks."]


def test_what_someone_outside_said_they_would_do_is_reported_not_a_request():
    assert tasks(("Yuki", "Professor Hayashi is our first choice, and she said she'd let us know by the end of June."),
                 ("Emily", "Hm.")) == []


def test_let_me_is_done_as_it_is_said_unless_it_reaches_someone_or_has_a_time():
    assert tasks(("Hana", "Okay, I've got you. Let me just have a look at her diary."), ("Dan", "Hm."),
                 ("Hana", "Let me share the runbook."), ("Dan", "Hm."),
                 ("Hana", "Let me check with Hiroshi and get back to you today."), ("Dan", "Hm."),
                 ("Hana", "Let me look into the refund tomorrow.")) == [
        "Hana will check with Hiroshi and get back to Dan today.", "Hana will look into the refund tomorrow."]


def test_what_one_person_takes_on_in_one_turn_is_one_task_in_steps():
    found = chat(("Thandi", "Okay. Let's meet again same time next Tuesday to see where we are, I'll send an invite."),
                 ("Pieter", "I'll budget for fourteen then. I'll have the revised budget in the folder by Friday."),
                 ("Mei", "I'll call her tonight and let you know on Monday."))
    assert [(a["text"], a["dueBy"][:10]) for a in found["actionItems"]] == [
        ("Thandi will send an invite to meet again same time next Tuesday to see where we are.", "2024-05-21"),
        ("Pieter will budget for fourteen then and have the revised budget in the folder by Friday.", "2024-05-17"),
        # one sentence, two deadlines: two tasks
        ("Mei will call her tonight.", "2024-05-15"), ("Mei will let you know on Monday.", "2024-05-20")]  # nobody speaks after Mei


def test_the_speakers_own_promise_on_a_condition_is_a_task_but_an_event_that_may_happen_is_not():
    assert tasks(("Travis", "If you bring it back Thursday morning, I'll get you in first thing."), ("Denise", "Hm."),
                 ("Travis", "If it breaks again, we'll have to escalate.")) == [
        "Travis will get Denise in first thing."]


def test_an_offer_taken_up_and_said_again_by_the_offerer_is_one_task_with_its_date():
    # Said on Wednesday 15 May. The offerer's "I'll send that this afternoon" right after the
    # yes restates the offer; a yes that asks for something else is answered, not restated.
    found = chat(("Ana", "Want me to send you the details so you can pass them on?"),
                 ("Ben", "Yes please, that'd be great."),
                 ("Ana", "No worries. I'll send that this afternoon."),
                 ("Ben", "Shall I book the room for the workshop?"),
                 ("Ana", "Yes please. Could you also print the handouts?"),
                 ("Ben", "Sure, I'll do that tomorrow."))
    assert [(a["text"], len(a["messageIds"]), a.get("dueBy", "")[:10]) for a in found["actionItems"]] == [
        ("Ana will send Ben the details so Ben can pass them on.", 3, "2024-05-15"),
        ("Ben will book the room for the workshop.", 2, ""),
        ("Ben will print the handouts.", 2, "2024-05-16")]
    assert [f["text"] for f in found["followUps"]] == ["Ana will send Ben the details so Ben can pass them on."]


def test_an_offer_is_not_merged_with_the_next_request_the_other_side_makes():
    # Said on Wednesday 15 May. "do a shortlist" is said before the request: its "do" names a
    # thing of its own, it does not point back at the mood board asked for after the yes. The
    # offer is taken up by "That's perfect." across its own "Would that work?".
    found = chat(("Samuel", "I can do a shortlist of five by Friday week. Would that work?"),
                 ("Harriet", "That's perfect."),
                 ("Harriet", "And on the cover, could you put together a little mood board?"),
                 ("Samuel", "Sure, I'll get that to you by Monday."))
    assert [(a["text"], [int(i) % 10 for i in a["messageIds"]], a.get("dueBy", "")[:10])
            for a in found["actionItems"]] == [
        ("Samuel will do a shortlist of five by Friday week.", [0, 1], "2024-05-24"),
        ("Samuel will put together a little mood board.", [2, 3], "2024-05-20")]


def test_a_verb_that_opens_a_hyphenated_noun_gives_no_order():
    said = chat(("Ana", "Sign-ups were up about four percent on last week."), ("Ben", "Check-in opens at nine."),
                ("Cy", "Ana, sign the form, please."))
    assert [a["text"] for a in said["actionItems"]] == ["Ana needs to sign the form."]
