"""The insight engine on the sample meeting and on small hand-written conversations."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbl_media.server.insights import InsightOptions, analyse

TRANSCRIPT = Path(__file__).resolve().parents[2] / "samples" / "transcript.txt"
# When each line is spoken in the sample recordings (samples/README.md), in seconds.
SPEECH = [(1.00, 2.91), (3.41, 5.47), (5.97, 7.31), (8.01, 9.58), (10.08, 12.57), (13.07, 14.59)]
WEDNESDAY = "2024-05-15T09:00:00.000Z"
CONVERSATION = "5815170693595136"
DEFAULTS = InsightOptions()


def member(name: str) -> dict:
    return {"id": f"{name.lower()}-0000-4000-8000-000000000000", "name": name,
            "email": f"{name.lower()}@example.com"}


def say(lines: list[tuple[str, str]], times: list[tuple[float, float]] | None = None,
        conversation_id: str = CONVERSATION) -> tuple[list[dict], list[dict]]:
    """Messages and members for `lines` of (speaker, text); by default 3 s a line, 0.5 s apart."""
    times = times or [(i * 3.5, i * 3.5 + 3.0) for i in range(len(lines))]
    members = {name: member(name) for name, _ in lines}
    messages = []
    for i, ((name, text), (start, end)) in enumerate(zip(lines, times)):
        who = members[name]
        messages.append({
            "id": str(4000000000000000 + i), "text": text,
            "from": {"id": who["id"], "name": who["name"]},
            "startTime": _clock(start), "endTime": _clock(end),
            "timeOffset": start, "duration": round(end - start, 2),
            "conversationId": conversation_id, "phrases": [],
        })
    return messages, list(members.values())


def _clock(seconds: float) -> str:
    whole, ms = int(seconds), round((seconds % 1) * 1000)
    return f"2024-05-15T09:00:{whole:02d}.{ms:03d}Z"


def meeting_lines() -> list[tuple[str, str]]:
    lines = [line.split(":", 1) for line in TRANSCRIPT.read_text().splitlines() if line.strip()]
    return [(who.strip().title(), text.strip()) for who, text in lines]


def meeting(options: InsightOptions = DEFAULTS, start_time: str = WEDNESDAY,
            conversation_id: str = CONVERSATION) -> dict:
    messages, members = say(meeting_lines(), SPEECH, conversation_id)
    return analyse(conversation_id, messages, members, duration=15.0, start_time=start_time,
                   options=options)


def chat(*lines: tuple[str, str], options: InsightOptions = DEFAULTS,
         start_time: str = WEDNESDAY, times=None) -> dict:
    messages, members = say(list(lines), times)
    duration = max(m["timeOffset"] + m["duration"] for m in messages) + 1.0
    return analyse(CONVERSATION, messages, members, duration=duration, start_time=start_time,
                   options=options)


def action_texts(result: dict) -> list[str]:
    """The action items' texts, in order, of what chat() returns."""
    return [a["text"] for a in result["actionItems"]]


def by_text(items: list[dict], fragment: str) -> dict:
    found = [i for i in items if fragment in i["text"]]
    assert len(found) == 1, f"{fragment!r} in {[i['text'] for i in items]}"
    return found[0]


# --- action items and follow-ups ---------------------------------------------------------

def test_the_request_to_bob_is_his_action_item_due_the_friday_after_the_meeting():
    item = by_text(meeting()["actionItems"], "budget report")
    # Bob answered "Sure, I will send it tomorrow.": one item, his, in the third person.
    assert item["text"] == "Bob will send the budget report by Friday."
    assert item["messageIds"] == ["4000000000000004", "4000000000000005"]
    assert item["assignee"] == {"name": "Bob", "email": "bob@example.com"}
    assert item["from"]["name"] == "Alice"
    assert item["dueBy"] == "2024-05-17T00:00:00.000Z"  # the meeting is on Wednesday 15 May
    assert item["definitive"] is True


def test_friday_said_on_a_friday_means_the_next_one():
    item = by_text(meeting(start_time="2024-05-17T16:30:00Z")["actionItems"], "budget report")
    assert item["dueBy"] == "2024-05-24T00:00:00.000Z"


def test_a_first_person_commitment_is_the_speakers_and_due_tomorrow():
    item = by_text(chat(("Alice", "The beta is ready."), ("Bob", "Good. I will send it tomorrow."))
                   ["actionItems"], "send it")
    assert item["text"] == "Bob will send it tomorrow."
    assert item["assignee"]["name"] == "Bob" and item["from"]["name"] == "Bob"
    assert item["dueBy"] == "2024-05-16T00:00:00.000Z"
    assert {"type": "date", "text": "tomorrow", "offset": 17, "value": "2024-05-16"} in item["entities"]


def test_the_meeting_has_exactly_its_two_action_items():
    texts = [i["text"] for i in meeting()["actionItems"]]
    # Bob's "Sure, I will send it tomorrow." answers Alice's request: merged into it.
    assert texts == ["Alice suggests the team review the launch.",
                     "Bob will send the budget report by Friday."]


def test_a_suggestion_is_an_action_item_but_not_definitive():
    item = by_text(meeting()["actionItems"], "review the launch")
    assert item["definitive"] is False
    assert item["assignee"]["name"] == "Alice"


def test_sending_things_are_follow_ups_and_reviewing_is_not():
    follow_ups = meeting()["followUps"]
    assert [f["text"] for f in follow_ups] == ["Bob will send the budget report by Friday."]
    assert all(f["type"] == "follow_up" for f in follow_ups)
    assert follow_ups[0]["assignee"]["name"] == "Bob"
    assert follow_ups[0]["dueBy"] == "2024-05-17T00:00:00.000Z"


def test_follow_ups_are_about_reaching_someone_not_about_the_work():
    """Symbl's follow-ups: sending, calling, meeting, finding out from someone. "Update" is one
    only towards a person; posting shares with the readers."""
    result = chat(("Alice", "I'll update the billing email under account settings."),
                  ("Bob", "I'll update Dana on the rollout tomorrow."),
                  ("Chris", "I will find out the agreed dates from the vendor."),
                  ("Alice", "I'll post the solutions on the course page on Friday."),
                  ("Bob", "I'll arrange a meeting with the design team."),
                  ("Chris", "I'll rewrite the onboarding emails."),
                  ("Alice", "Let's put a review call in for next Wednesday."))
    assert len(result["actionItems"]) == 7
    texts = sorted(f["text"] for f in result["followUps"])
    assert texts == ["Alice suggests the team put a review call in for next Wednesday.",
                     "Alice will post the solutions on the course page on Friday.",
                     "Bob will arrange a meeting with the design team.",
                     "Bob will update Dana on the rollout tomorrow.",
                     "Chris will find out the agreed dates from the vendor."]


def test_follow_up_ids_differ_from_their_action_items():
    result = meeting()
    assert not {a["id"] for a in result["actionItems"]} & {f["id"] for f in result["followUps"]}


def test_a_named_third_person_gets_the_task_due_at_the_end_of_next_week():
    result = chat(("Alice", "Chris will update the docs next week."), ("Chris", "Fine."))
    item = by_text(result["actionItems"], "update the docs")
    assert item["assignee"]["name"] == "Chris"
    assert item["dueBy"] == "2024-05-24T00:00:00.000Z"  # Friday of the week after 15 May
    assert {"type": "person", "text": "Chris", "offset": 0,
            "value": {"assignee": True, "name": "Chris"}} in item["entities"]


def test_a_request_without_a_name_goes_to_whoever_answers():
    result = chat(("Alice", "Can you own the rollout plan?"), ("Dana", "Sure."),
                  ("Chris", "Great."))
    item = by_text(result["actionItems"], "rollout")
    assert item["assignee"]["name"] == "Dana"


def test_a_request_by_name_at_the_end_of_the_sentence():
    result = chat(("Alice", "Could you schedule the demo for the fifteenth of next month, Chris?"),
                  ("Bob", "I can help."), ("Chris", "Yes."))
    item = by_text(result["actionItems"], "schedule the demo")
    assert item["assignee"]["name"] == "Chris"
    assert item["dueBy"] == "2024-06-15T00:00:00.000Z"
    assert by_text(result["followUps"], "schedule the demo")


def test_a_deadline_said_in_the_next_sentence_is_the_due_date():
    """WEDNESDAY is 15 May 2024: "by Friday" is the 17th, "next Tuesday" the 21st."""
    result = chat(("Alice", "Today I'm going to look at the indexes. I should have numbers by Friday."),
                  ("Bob", "Please read chapter seven. It's due next Tuesday before class."),
                  ("Chris", "I'll tidy the backlog. We demoed it on Monday."))
    assert by_text(result["actionItems"], "indexes")["dueBy"] == "2024-05-17T00:00:00.000Z"
    assert by_text(result["actionItems"], "chapter seven")["dueBy"] == "2024-05-21T00:00:00.000Z"
    assert "dueBy" not in by_text(result["actionItems"], "backlog")  # a time it happened, no deadline


def test_a_date_inside_what_is_asked_is_not_the_due_date():
    result = chat(("Alice", "I'll ask Dana if she can join the call next week."),
                  ("Bob", "I'll ask Dana for the figures by Friday."))
    assert "dueBy" not in by_text(result["actionItems"], "join the call")
    assert by_text(result["actionItems"], "figures")["dueBy"] == "2024-05-17T00:00:00.000Z"


def test_after_the_answer_that_takes_the_task_a_second_commitment_is_its_own_item():
    result = chat(("Kevin", "Could you email me a summary of what we changed?"),
                  ("Rosa", "Sure, I'll send that over in the next hour. "
                           "And I'll check back in with you on Friday to make sure it's stable."))
    texts = [a["text"] for a in result["actionItems"]]
    assert texts == ["Rosa will email Kevin a summary of what we changed.",
                     "Rosa will check back in with Kevin on Friday to make sure it's stable."]
    assert "dueBy" not in result["actionItems"][0]  # Friday is the checking back's
    assert len(result["followUps"]) == 2


def test_a_request_to_be_told_something_is_a_question_and_a_commitment_with_also_is_kept():
    result = chat(("Rosa", "Can you look at the lights on the front and tell me which ones are on?"),
                  ("Kevin", "The wifi one is blinking."),
                  ("Rosa", "I'm also going to flag your router for a firmware update."))
    assert [q["text"] for q in result["questions"]] == [
        "Can you look at the lights on the front and tell me which ones are on?"]
    assert [a["text"] for a in result["actionItems"]] == [
        "Rosa is going to flag Kevin's router for a firmware update."]


def test_contingencies_and_aims_are_not_action_items_but_softened_requests_are():
    result = chat(("Ben", "If it breaks again, we will have to escalate."),
                  ("Ana", "We want to make sure the migration is smooth."),
                  ("Ben", "If anything looks off this week, just ping me."),
                  ("Ana", "If you get a chance, could you review the deck?"),
                  ("Ben", "Make sure the demo works."))
    assert [a["text"] for a in result["actionItems"]] == [
        "Ben needs to review the deck.", "Ana needs to make sure the demo works."]


def test_the_end_of_the_month_is_its_last_day():
    item = chat(("Bob", "We need to close the books by the end of the month."))["actionItems"][0]
    assert item["dueBy"] == "2024-05-31T00:00:00.000Z"
    assert item["assignee"]["name"] == "Bob"


def test_plain_statements_and_refusals_are_not_action_items():
    result = chat(("Alice", "The beta is ready."), ("Bob", "I won't do that."),
                  ("Chris", "I think the numbers look fine."), ("Alice", "Can you hear me?"))
    assert result["actionItems"] == [] and result["followUps"] == []


def test_action_phrases_only_with_detect_phrases():
    item = by_text(meeting()["actionItems"], "budget report")
    assert item["phrases"] == []
    item = by_text(meeting(InsightOptions(detect_phrases=True))["actionItems"], "budget report")
    assert item["phrases"] == [{"type": "action_phrase", "text": "send the budget report by Friday"}]


# --- questions ---------------------------------------------------------------------------

def test_the_question_in_the_meeting_is_chriss():
    questions = meeting()["questions"]
    assert [q["text"] for q in questions] == ["Can we still ship on Monday?"]
    assert questions[0]["from"] == {"id": member("Chris")["id"], "name": "Chris",
                                    "userId": "chris@example.com"}


def test_questions_without_a_question_mark_are_found():
    result = chat(("Alice", "is the beta ready"), ("Bob", "what do you think about the pricing"),
                  ("Chris", "Bob how many tests still fail"), ("Alice", "So when can we ship"))
    assert [q["text"] for q in result["questions"]] == [
        "is the beta ready", "what do you think about the pricing",
        "Bob how many tests still fail", "So when can we ship"]
    assert all(q["score"] < 0.95 for q in result["questions"])


def test_statements_that_open_like_questions_are_not_questions():
    result = chat(("Alice", "What we need is more time."), ("Bob", "When we ship, we celebrate."),
                  ("Chris", "Do it now."), ("Alice", "Have a look at the report."))
    assert result["questions"] == []


# --- topics ------------------------------------------------------------------------------

def test_meeting_topics_are_its_subjects_not_its_people_or_days():
    topics = meeting()["topics"]
    texts = [t["text"] for t in topics]
    assert texts[0] == "budget report"
    assert {"launch", "beta"} <= set(texts) and len(texts) == 3  # six lines: three topics
    assert not {"bob", "alice", "monday", "friday", "morning", "three"} & set(texts)
    assert all(0 < t["score"] <= 1 for t in topics)
    assert by_text(topics, "budget report")["messageIds"] == ["4000000000000004"]


def test_a_topic_names_a_thing_never_a_verb_or_an_adverb():
    # Each word comes up in three messages; the lexicon knows "expire" only as a verb,
    # "really" only as an adverb, and "arrived" cannot end a phrase.
    result = chat(("Alice", "The certificates expire again, the signal keeps dropping, really."),
                  ("Bob", "They expire monthly; the signal was dropping really badly."),
                  ("Chris", "Will they expire? Is the signal still dropping? Really?"),
                  ("Alice", "The new switches arrived. The switches arrived early."))
    texts = {t["text"] for t in result["topics"]}
    assert not {"expire", "really", "switches arrived"} & texts
    assert "signal" in texts


def test_a_phrase_may_end_in_a_common_noun_that_is_not_a_verb_there():
    result = chat(("Alice", "The security questions came in."),
                  ("Bob", "I answered the security questions yesterday."),
                  ("Chris", "Good, then the security questions are done. Quick question."),
                  ("Alice", "Quick question, who signs? Another quick question."))
    assert result["topics"][0]["text"] == "security questions"
    assert "quick question" not in {t["text"] for t in result["topics"]}


def test_a_repeated_subject_outranks_a_passing_one():
    result = chat(("Alice", "The pricing page needs work."), ("Bob", "I like the pricing page."),
                  ("Chris", "Pricing page copy is late, and the logo is blue."))
    assert result["topics"][0]["text"] == "pricing page"
    assert result["topics"][0]["score"] == 1.0
    assert len(result["topics"][0]["messageIds"]) == 3


# --- entities and summary ----------------------------------------------------------------

def test_no_summary_or_entities_unless_enabled_but_custom_entities_always():
    custom = ({"customType": "Document", "text": "Budget Report"},)
    result = meeting(InsightOptions(custom_entities=custom))
    assert result["summary"] == []
    assert result["entities"] == [{
        "type": "custom", "value": "Budget Report", "text": "budget report", "customType": "Document",
        "messageRefs": [{"id": "4000000000000004",
                         "text": "Bob, please send the budget report by Friday.", "offset": 21}]}]
    assert meeting()["entities"] == []


def test_detected_entities_in_the_meeting():
    entities = meeting(InsightOptions(detect_entities=True))["entities"]
    found = {(e["type"], e["text"], e["value"]) for e in entities}
    assert found == {("number", "three", "3"), ("date", "Monday", "2024-05-20"),
                     ("date", "today", "2024-05-15"), ("person", "Bob", "Bob"),
                     ("date", "Friday", "2024-05-17"), ("date", "tomorrow", "2024-05-16")}


def test_spoken_numbers_percentages_people_and_organisations():
    result = chat(("Alice", "About eighty percent of twenty five users, so 3.5% churn."),
                  ("Bob", "Ask Dana, she works at Globex Corporation since two thousand ten."),
                  options=InsightOptions(detect_entities=True))
    found = {(e["type"], e["text"], e["value"]) for e in result["entities"]}
    assert {("percentage", "eighty percent", "80%"), ("number", "twenty five", "25"),
            ("percentage", "3.5%", "3.5%"), ("person", "Dana", "Dana"),
            ("organization", "Globex Corporation", "Globex Corporation"),
            ("number", "two thousand ten", "2010")} <= found


def test_an_entity_said_twice_has_two_message_refs():
    result = chat(("Alice", "Ask Bob."), ("Chris", "Bob is out today."), ("Bob", "I am back."),
                  options=InsightOptions(detect_entities=True))
    bob = next(e for e in result["entities"] if e["type"] == "person")
    assert [(r["text"], r["offset"]) for r in bob["messageRefs"]] == [("Ask Bob.", 4),
                                                                     ("Bob is out today.", 0)]


def test_a_capitalised_word_is_a_person_only_after_a_cue_or_as_a_member():
    result = chat(("Alice", "Dana is out, so ask Erin."), options=InsightOptions(detect_entities=True))
    assert [e["text"] for e in result["entities"] if e["type"] == "person"] == ["Erin"]


def test_summary_names_who_talked_about_what_and_who_will_do_what():
    summary = meeting(InsightOptions(enable_summary=True))["summary"]
    assert len(summary) == 1
    assert summary[0]["text"] == ("Alice, Bob and Chris talked about budget report, beta and launch. "
                                  "Alice suggests the team review the launch. "
                                  "Bob will send the budget report by Friday.")
    assert "Good morning" not in summary[0]["text"]
    assert summary[0]["messageRefs"] == [{"id": f"400000000000000{i}"} for i in (0, 1, 4, 5)]


def test_summary_says_who_decided_what():
    result = chat(("Alice", "Okay, so we agreed to move the launch to May."),
                  ("Bob", "Fine by me."), options=InsightOptions(enable_summary=True))
    assert "Alice and the team agreed to move the launch to May." in result["summary"][0]["text"]


# --- ids ---------------------------------------------------------------------------------

def test_ids_are_the_same_when_recomputed():
    options = InsightOptions(detect_entities=True, enable_summary=True,
                             trackers=({"name": "Launch", "vocabulary": ["ship", "launch"]},))
    assert meeting(options) == meeting(options)


def test_ids_depend_on_the_conversation():
    first, second = meeting(), meeting(conversation_id="6000000000000001")
    assert first["actionItems"][0]["id"] != second["actionItems"][0]["id"]
    assert first["topics"][0]["id"] != second["topics"][0]["id"]


def test_ids_are_unique_within_a_conversation():
    result = chat(("Alice", "Is it ready?"), ("Bob", "Is it ready?"), ("Alice", "Please send it. Please send it."),
                  options=InsightOptions(enable_summary=True))
    ids = [i["id"] for key in ("topics", "actionItems", "followUps", "questions", "summary")
           for i in result[key]]
    assert len(ids) == len(set(ids)) and len(result["questions"]) == 2


def test_running_the_meeting_and_rhetorical_forms_are_not_questions():
    asked = ["Does that make sense?", "Any questions so far?", "Can I jump in here?",
             "Shall we move on?", "Are you still there?", "How cool is that?",
             "Who doesn't love a good spreadsheet?", "Sound good?",
             "Does the export make sense for your team?", "Does that work for you?"]
    result = chat(*[("Ana" if i % 2 else "Ben", q) for i, q in enumerate(asked)])
    assert [q["text"] for q in result["questions"]] == [
        "Does the export make sense for your team?", "Does that work for you?"]


def test_working_the_screen_in_a_live_demo_is_narration_but_the_same_after_the_call_is_a_task():
    result = chat(("Ana", "So here I'm going to create a new project, just to show you."),
                  ("Ana", "I'm going to refresh the page."),
                  ("Ana", "Let me zoom in so you can see it better."),
                  ("Ana", "We're going to look at the reports next."),
                  ("Ana", "Let me give you some context."),
                  ("Ana", "Please bear with me."),
                  ("Ana", "I'll create the project for your team after the call."),
                  ("Ana", "I'm going to submit the refund right now."),
                  ("Ben", "Thanks."))
    assert [a["text"] for a in result["actionItems"]] == [
        "Ana will create the project for Ben's team after the call.",
        "Ana is going to submit the refund right now."]


def test_a_demo_on_screen_a_confirmation_to_get_and_an_answer_that_does_what_was_asked():
    result = chat(("Marta", "Now I'll drag two crews onto Monday."),
                  ("Marta", "I'll call it Test Site."),
                  ("Aiko", "I can confirm that it works. I'll confirm with our payroll team by Thursday."),
                  ("Jonas", "Could you send me the pricing for sixty users?"),
                  ("Marta", "Sure, I'll put that together and send it over tomorrow."))
    items = result["actionItems"]
    assert [a["text"] for a in items] == [
        "Aiko will confirm with our payroll team by Thursday.",
        "Marta will send Jonas the pricing for sixty users."]
    assert items[1]["dueBy"] == "2024-05-16T00:00:00.000Z"


def test_handling_a_point_and_becoming_are_not_work_but_keeping_an_eye_is():
    result = chat(("Ana", "Let's park that for now."), ("Ben", "I'll take that as a yes."),
                  ("Ana", "I'll let you two figure it out."), ("Ben", "We'll need to see how the hiring goes."),
                  ("Ana", "I need to get better at saying no."), ("Ben", "You need to take care of yourself."),
                  ("Ana", "Let's circle back to hiring at the end."), ("Ben", "I'll keep an eye on it."),
                  ("Ana", "Let's circle back to hiring next week."))
    assert [a["text"] for a in result["actionItems"]] == [
        "Ben will keep an eye on it.", "Ana suggests the team circle back to hiring next week."]


def test_the_same_verbs_on_work_rather_than_on_the_screen_are_tasks():
    result = chat(("Ana", "I'll type up the notes."), ("Ben", "We need to select a vendor."),
                  ("Ana", "I'll pause the campaign."), ("Ben", "We should switch to weekly releases."),
                  ("Ana", "I'll fill out the expense form."), ("Ben", "Let me switch to the other browser."),
                  ("Ana", "I'm going to fill in the form with some dummy data."))
    assert len(result["actionItems"]) == 5
    assert not [a for a in result["actionItems"] if "browser" in a["text"] or "dummy" in a["text"]]


def test_a_recap_restates_tasks_already_found_and_names_a_second_assignee():
    result = chat(("Priya", "I will send the quote by Friday."),
                  ("Tom", "Great, and I will check with my CFO on the budget."),
                  ("Priya", "So to recap, I will send the quote by Friday, and Tom will check with his CFO on the budget."))
    items = result["actionItems"]
    assert [(a["text"], a["assignee"]["name"]) for a in items] == [
        ("Priya will send the quote by Friday.", "Priya"),
        ("Tom will check with their CFO on the budget.", "Tom")]
    assert [len(a["messageIds"]) for a in items] == [2, 2]


def test_guesses_and_pleasantries_are_neither_questions_nor_tasks():
    result = chat(("Alice", "How many tickets a week?"), ("Bob", "Probably ninety?"),
                  ("Alice", "Let me know if you have any questions."),
                  ("Bob", "I'll talk to legal about the wording."))
    assert [q["text"] for q in result["questions"]] == ["How many tickets a week?"]
    assert [i["text"] for i in result["actionItems"]] == ["Bob will talk to legal about the wording."]
    assert [f["text"] for f in result["followUps"]] == ["Bob will talk to legal about the wording."]


def test_two_actions_in_one_sentence_are_two_items_with_their_own_ids():
    result = chat(("Alice", "Bob, if you can send me the export, I'll map the fields."), ("Bob", "Fine."))
    items = result["actionItems"]
    assert [i["text"] for i in items] == ["Bob needs to send Alice the export.",
                                          "Alice will map the fields."]
    assert len({i["id"] for i in items}) == 2


# --- said like a task, meant otherwise (non_commitments.py) -----------------------------------

@pytest.mark.parametrize("said", [
    # someone else's words
    "Legal says we need to update the privacy policy, but not now.",
    "The vendor mentioned they're going to raise prices next year.",
    # doubt
    "I'm not sure I'll have time to look at it.",
    "I doubt we can fix it this week.",
    # no time at all
    "I was thinking maybe we could try a different vendor someday.",
    "Maybe someday we'll rewrite the whole thing.",
    "We should eventually move the wiki, no rush.",
    # a standing rule
    "You have to restart the router whenever the light turns orange.",
    "We usually need to deploy on Tuesdays.",
    # a contingency
    "Unless the numbers change, we'll keep the current plan.",
    "If you need anything, just let me know.",
    # the talk itself
    "Let me just finish this thought.",
    "Let me rephrase that.",
    "Let me ask you this.",
    "I'm going to have to disagree with that.",
    "I'll hand you over to my colleague.",
    # leaving, and letting the others go
    "I need to step out in five minutes.",
    "I'll let you get back to your day.",
    "I'll leave you with one thought.",
    # handling a point rather than taking on work
    "We'll take your feedback into account.",
    "We'll cross that bridge when we come to it.",
    "I can totally see why that's frustrating.",
])
def test_a_task_taken_back_by_its_sentence_is_no_action_item(said):
    result = chat(("Dana", "Okay."), ("Omar", said), ("Dana", "Right."))
    assert result["actionItems"] == [], said


@pytest.mark.parametrize("said", [
    "Can you at some point send me the deck?",  # a request keeps its someday
    "I told Dana I'll send it tomorrow.",  # the speaker's own word
    "Sara said she needs the numbers, so I'll pull them tomorrow.",  # the clause after is the speaker's
    "I'll ping you whenever I have the numbers.",  # a promise, not a rule
    "If you need the logs, I'll forward them after the call.",
    "I'm going to have to redo the estimates this week.",
    "I need to sign the NDA before Friday.",
    "I'll head over to the warehouse and count the stock after lunch.",
])
def test_the_same_words_around_a_real_task_leave_it_a_task(said):
    result = chat(("Dana", "Okay."), ("Omar", said), ("Dana", "Right."))
    assert len(result["actionItems"]) == 1, said


def test_a_weekday_alone_after_the_conversation_dated_it_is_that_date():
    # Said on Wednesday 15 May 2024: Thursday alone is the 16th, the Thursday set just before is
    # the 23rd; "this Thursday" says which; a date set further back is another thing's day.
    result = chat(("Ana", "Can we do the review on Thursday the 23rd?"),
                  ("Ben", "Thursday the 23rd is fine."),
                  ("Ana", "Great. I'll send you the draft Thursday."),
                  ("Ben", "So Thursday works? I'll book the room Thursday."),
                  ("Ana", "And I'll ring the caterer this Thursday."),
                  ("Ben", "Okay."), ("Ana", "Right."),
                  ("Ben", "I'll post the agenda on Thursday."))
    assert [(a["text"], a["dueBy"][:10]) for a in result["actionItems"]] == [
        ("Ana will send Ben the draft Thursday.", "2024-05-23"),
        ("Ben will book the room Thursday.", "2024-05-23"),
        ("Ana will ring the caterer this Thursday.", "2024-05-16"),
        ("Ben will post the agenda on Thursday.", "2024-05-16")]
    # "Monday first thing" is an hour of the coming Monday, not a Monday the 1st.
    result = chat(("Ana", "The inspection is Monday first thing."), ("Ben", "Okay. I'll email the landlord Monday."))
    assert result["actionItems"][0]["dueBy"] == "2024-05-20T00:00:00.000Z"
    # Said first, a bare weekday is the coming one whatever is dated after it.
    result = chat(("Ana", "I'll send you the draft Thursday."), ("Ben", "Thursday the 23rd is fine."))
    assert result["actionItems"][0]["dueBy"] == "2024-05-16T00:00:00.000Z"


@pytest.mark.parametrize(("said", "asks"), [
    ("How are your store managers using it today?", True),  # about the work, not small talk
    ("How are your kids?", False),
    ("Can you hear us okay?", False),  # the call itself
    ("What would really help right now is the export.", False),  # "what" opens a statement
    ("What time is the call", True),
    ("Would you be open to a longer contract?", True),  # asks, requests nothing
    ("Would you say the rollout went well?", True),
])
def test_what_is_a_question(said, asks):
    result = chat(("Dana", "Okay."), ("Omar", said), ("Dana", "Hm."))
    assert bool(result["questions"]) is asks, said
    assert result["actionItems"] == []


def test_would_you_be_willing_to_is_a_request_for_the_one_asked():
    result = chat(("Priti", "Would you be willing to do a quick usability session on the new dashboard?"),
                  ("Jorge", "Sure, happy to."))
    assert result["questions"] == []
    item = by_text(result["actionItems"], "usability session")
    assert item["assignee"]["name"] == "Jorge"


def test_someone_on_the_call_is_not_given_a_task():
    result = chat(("Lena", "Hi Jorge, thanks for joining. Priti is on the call too, she's our designer."),
                  ("Jorge", "Hi Priti."), ("Priti", "Hello."))
    assert result["actionItems"] == []


def test_a_deadline_given_in_answer_to_when_is_the_due_date():
    # The meeting is on Wednesday 15 May 2024: the end of next week is Friday 24 May.
    result = chat(("Hannah", "What I can do is audit the design tool seats before the renewal."),
                  ("Grace", "That would help a lot. When could you have that list?"),
                  ("Hannah", "End of next week should be fine."))
    item = by_text(result["actionItems"], "audit the design tool seats")
    assert item["dueBy"] == "2024-05-24T00:00:00.000Z"
    assert {"4000000000000000", "4000000000000002"} <= set(item["messageIds"])


def test_a_date_someone_else_answers_is_not_the_assignees_deadline():
    result = chat(("Hannah", "I'll audit the design tool seats."),
                  ("Grace", "When is the renewal?"),
                  ("Marco", "End of next week."))
    assert "dueBy" not in by_text(result["actionItems"], "audit the design tool seats")


@pytest.mark.parametrize("said", [
    "I'll shoot you an email with the details.", "I'll give the vendor a ring tomorrow.",
    "I'll reach back out to legal.", "Let's hop on a call with the client next week.",
    "I'll set up time with Dana.", "I'll get the numbers to you by Friday.",
    "I'll bring it up with Sara on Monday.", "I'll run it past legal.",
    "I'll loop Sara into the thread.", "I'll confirm the date with the venue.",
    "I'll catch up with the vendor next week.", "I'll get in contact with support.",
])
def test_following_up_said_other_ways_is_a_follow_up(said):
    result = chat(("Omar", said), ("Dana", "Thanks."))
    assert [f["text"] for f in result["followUps"]] == [a["text"] for a in result["actionItems"]] != []


@pytest.mark.parametrize("said", ["I'll book the freight elevator.", "I'll order new laptops.",
                                  "I'll get the tests to pass.", "I'll update the forecast."])
def test_work_that_reaches_nobody_is_no_follow_up(said):
    result = chat(("Omar", said), ("Dana", "Thanks."))
    assert len(result["actionItems"]) == 1
    assert result["followUps"] == []


def test_a_request_answered_by_a_call_follows_up():
    result = chat(("Paula", "Sean, can you book the elevator as soon as she's back?"),
                  ("Sean", "Yeah, I'll call her first thing Friday."))
    assert len(result["actionItems"]) == 1 and len(result["followUps"]) == 1


# --- chairing, options weighed, answers and deadlines (from the blind-written tune set) ----------

@pytest.mark.parametrize("said", [
    "Okay, let's get going, I'll try to keep this moving.",
    "Okay, good morning, let's start.",
    "Then let's make it a P3.",
    "Okay, I'll take it.",
    "I do. Let me put it up.",
    "We could cap it, say at eight percent over the base rate.",  # an option weighed
    "We can remove two spaces on each side.",
    "I'll send it to you now while we talk.",
    "So, I'll wait for your call on Monday.",
    "We should maybe think about cutting the dream sequence.",
    "Could you send me that list? I'd like to compare.",
])
def test_chairing_and_options_are_not_tasks(said):
    result = chat(("Dana", "Okay."), ("Omar", said), ("Dana", "Right."))
    assert [a["text"] for a in result["actionItems"]
            if "list" not in a["text"]] == [], said  # the list asked for is a task, "compare" is not


@pytest.mark.parametrize("said", [
    "We can send you the contract by Friday.",  # an option with a time is a commitment
    "Luis, can you write the allergens up on the board before service?",  # the board, later
    "I'll double-check the wine pairing with her when she gets here.",  # not "here" on the call
])
def test_the_same_forms_with_a_time_to_come_stay_tasks(said):
    result = chat(("Dana", "Okay."), ("Omar", said), ("Luis", "Right."))
    assert len(result["actionItems"]) == 1, said


def test_two_deadlines_joined_by_and_are_two_tasks():
    # Wednesday 15 May 2024: tonight is the 15th, Monday the 20th.
    result = chat(("Mei", "I'll call her tonight and let you know on Monday."), ("Lucia", "Perfect."))
    assert [(a["text"], a["dueBy"][:10]) for a in result["actionItems"]] == [
        ("Mei will call her tonight.", "2024-05-15"), ("Mei will let Lucia know on Monday.", "2024-05-20")]


def test_a_commitment_after_a_bare_will_do_is_its_own_task():
    result = chat(("Rachel", "Sunita, please file the draft by Wednesday noon."),
                  ("Sunita", "Will do. I'll also ask the graphics team for a map version."))
    texts = [a["text"] for a in result["actionItems"]]
    assert len(texts) == 2 and any("graphics team" in t for t in texts)


def test_friday_week_is_the_friday_after_the_coming_one():
    result = chat(("Leanne", "I'll submit the grant application by Friday week."), ("Sam", "Great."))
    assert result["actionItems"][0]["dueBy"] == "2024-05-24T00:00:00.000Z"


@pytest.mark.parametrize(("said", "asks"), [
    ("Aylin, you reproduced that one, right?", True),  # a statement with a tag asks to confirm it
    ("It should have, right?", False),  # a short tag checks nothing
    ("How are you going to defend that in the viva?", True),
    ("So, um, six weeks to go, how are you feeling?", False),
    ("Do you know when she'll decide?", True),
    ("Hello, is that Patrick?", False),
    ("Hi, this is Robert Chen, we spoke on Wednesday about Japan?", False),
    ("Nora, are we recording?", False),
    ("Can I also raise the parking?", False),
    ("Sorry, can we talk about the motel room for a sec?", False),
    ("I'd say a full draft by the end of March?", False),
    ("Like ninety days and then review?", False),
    ("What, like, classes?", True),
    ("Which, honestly, should never happen.", False),
    ("What I'd like to do is send a field inspector out.", False),
    ("Can you walk me through what happened?", True),
    ("I mean, who thought storing dates in local time was a good idea, right?", False),
])
def test_more_of_what_is_a_question(said, asks):
    result = chat(("Dana", "Okay."), ("Omar", said), ("Dana", "Hm."))
    assert bool(result["questions"]) is asks, said


@pytest.mark.parametrize("said", [
    "I'll sit down with Olivia tomorrow morning and go through the budget.",
    "I'll have a word with Tony at training on Thursday.",
    "I'll ring the bowls club to see if they have the sixteenth free.",
    "I'll refer Patrick to the prevention programme.",
    "I'll double-check the wine pairing with her tonight.",
    "I'll book a field inspector for Wednesday morning.",
])
def test_more_ways_of_following_up(said):
    result = chat(("Omar", said), ("Dana", "Thanks."))
    assert len(result["followUps"]) == 1, said


@pytest.mark.parametrize("said, follows_up", [
    # A message given to someone, whatever the verb; a call named with a hyphen or a slash.
    ("I'll pop Sarah a text the night before to confirm.", True),
    ("I'll flick them a note after lunch.", True),
    ("I'll set up the go/no-go call for Sunday at six.", True),
    ("I'll leave a note on the ticket.", False),
    ("I'll make a note of the figures.", False),
])
def test_a_message_given_to_someone_follows_up_whatever_the_verb(said, follows_up):
    result = chat(("Omar", said), ("Dana", "Thanks."))
    assert len(result["actionItems"]) == 1, said
    assert len(result["followUps"]) == follows_up, said


def test_a_date_of_what_is_asked_for_is_not_the_calls():
    # Wednesday 15 May 2024: the call is this afternoon; the plan asked for is due Monday.
    result = chat(("Jordan", "I'll call them this afternoon and ask for a plan by Monday."), ("Sasha", "Good."))
    assert [a["dueBy"][:10] for a in result["actionItems"]] == ["2024-05-15"]


def test_a_past_date_does_not_split_a_task():
    result = chat(("Victor", "I can run last year's volumes through the index and send you the comparison by Monday."),
                  ("Carla", "Great."))
    assert [a["dueBy"][:10] for a in result["actionItems"]] == ["2024-05-20"]


def test_a_word_used_as_a_verb_or_a_number_is_not_a_topic():
    result = chat(("Sam", "I'll ring the club. Twenty-three people came, twenty-three!"),
                  ("Dave", "Can you ring them today? The club wants twenty-three shirts."),
                  ("Sam", "I'll ring them. The club shirts are late."))
    texts = {t["text"] for t in result["topics"]}
    assert not {"ring", "twenty-three", "people"} & texts
    assert "club" in texts or "club shirts" in texts


@pytest.mark.parametrize("said", ["Megan, you've got the schedule?", "Sam, you're on minutes?",
                                  "So we'd lose, what, fourteen seats?"])
def test_who_holds_what_and_sums_aloud_are_not_questions(said):
    assert chat(("Dana", "Okay."), ("Omar", said), ("Dana", "Yes."))["questions"] == []


def test_keeping_a_point_on_the_list_is_no_task():
    assert chat(("Angela", "Let's keep it on the long list."), ("Ben", "Fine."))["actionItems"] == []
