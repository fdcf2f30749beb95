"""Follow-ups said in everyday forms (follow_ups.py): sending said casually ("shoot it over"),
phoning ("get on the phone with"), sending again, copying someone in, reminding someone until
they do it, taking it up the chain, getting an answer from someone, booking someone in, a
follow-up someone starts or keeps doing; each with a near miss that is ordinary work."""

from __future__ import annotations

import pytest

from symbl_media.server.insights.follow_ups import is_follow_up

from .test_insights import chat


@pytest.mark.parametrize("phrase", [
    "loop in Sara", "circle back on the pricing", "ping Dana about it", "touch base next week",
    "set up time with Raj",  # already known; the forms below are new
    "shoot it over", "shoot over the deck", "shoot the deck over to you", "flick it across tonight",
    "get on the phone with the vendor", "hop on the phone with them", "give her a bell",
    "resend the two October invoices", "copy Tiago on it", "cc the client", "copy them in",
    "nag people to pick", "escalate it to the regional manager", "bounce it off Priya", "bounce a few ideas off the team",
    "get a yes or no from Pedal Sur", "get an answer from legal", "hear back from the supplier",
    "wait to hear back from legal", "book Biscuit in at the vet", "book her in for Tuesday",
    "start sending a short priorities email every Monday", "keep calling them",
    "put a placeholder in our one-to-one on the 14th", "pencil in the on-site training",
    "put a hold on Thursday", "put a hold on the 14th", "put a hold on the thirty-first",
    "put a hold on my calendar", "send a calendar hold for Friday", "copy you in",
    "put a few example files on a shared drive for Dong-hyun",
])
def test_follow_up_forms(phrase):
    assert is_follow_up(phrase)


@pytest.mark.parametrize("phrase", [
    "copy Inês on their answer", "copy Sigrún", "tell Zoë by Tuesday", "bounce it off Zoë",
    "get the slides over to Chloé",
])
def test_a_name_with_a_letter_beyond_english_is_someone_too(phrase):
    # "[A-Z][a-z]+" then a word's end: "Inês", "Sigrún" and "Zoë" were no one
    assert is_follow_up(phrase)


@pytest.mark.parametrize("phrase", [
    "shoot the scene over two days", "copy the file", "copy the data over to the new drive",
    "book the room in advance", "hold the banner until I hear back from them",
    "keep the receipts", "start with the kitchen", "start the engine",
    "put it on the shelf", "pencil in the Saturday", "pencil that in for us",
    # copying them somewhere, a day's figures: no one copied in
    "copy them onto the USB stick", "copy them across to the new sheet", "copy Tiago into the folder",
    "copy Monday figures into the sheet",
    # a hold on a thing stops it; it books no one's time
    "put a hold on the order", "set a hold on the account", "put a hold on their card",
    # bouncing a thing off a thing reaches no one
    "bounce the ball off the wall", "bounce the signal off the satellite",
])
def test_near_misses_are_ordinary_work(phrase):
    assert not is_follow_up(phrase)


def test_a_request_to_resend_is_a_follow_up():
    found = chat(("Tiago", "Inês, could you resend the two October invoices to the new accounts address?"),
                 ("Inês", "Sure, this afternoon."))
    assert [f["text"] for f in found["followUps"]] == [a["text"] for a in found["actionItems"]] != []


@pytest.mark.parametrize("said, follows_up", [
    ("But can you and I sit down tomorrow morning and go through it line by line?", True),
    ("Could you and I catch up on Friday about the budget?", True),
    ("Can you sit down tonight and go through the budget line by line?", False),  # alone: work, no meeting
])
def test_the_one_asked_and_the_speaker_together_is_a_meeting(said, follows_up):
    result = chat(("Olivia", said), ("Sasha", "Sure."))
    assert len(result["actionItems"]) == 1, said
    assert len(result["followUps"]) == follows_up, said


@pytest.mark.parametrize("before, follows_up", [
    ("Then let's aim for the training the first week of July.", True),
    ("Let's do a review call once it's installed.", True),
    ("Then let's do the radiator move on Saturday.", False),  # a job pencilled in
    ("Saturday works for the delivery.", False),  # a day
])
def test_pencilling_it_in_follows_up_when_it_is_a_session(before, follows_up):
    result = chat(("Dong", "Our new hire starts July first."), ("Lee", f"{before} I'll pencil it in."),
                  ("Dong", "Great."))
    pencilled = [a for a in result["actionItems"] if "pencil it in" in a["text"]]
    assert len(pencilled) == 1, [a["text"] for a in result["actionItems"]]
    assert (pencilled[0]["text"] in [f["text"] for f in result["followUps"]]) is follows_up


@pytest.mark.parametrize("phrase, follows", [
    ("put it to my manager and come back to you by Friday", True),
    ("come back to Sanne on the credit", True),
    ("bleep the pain team after handover", True),
    ("come back to that point later", False),
    ("come back to it after lunch", False),
])
def test_coming_back_to_someone_and_bleeping_them_follow_up(phrase, follows):
    assert is_follow_up(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # a quantifier or an adverb between the subject and the verb: the verb is still the verb
    ("each call our list by the end of next week", True),
    ("both email her tonight", True),
    ("first ring the supplier", True),
    ("each bring a dish", False),
    ("quickly tidy the stockroom", False),
])
def test_a_word_before_the_verb_does_not_hide_it(phrase, follows):
    assert is_follow_up(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # taking a matter up with someone
    ("flag it with the warehouse", True),
    ("raise the late invoice with their accounts team", True),
    ("take it up with Dana", True),
    ("bring the parking up with the landlord", True),
    ("flag the boxes in red", False),
    ("raise the price with care", False),
    ("take the boxes up to the attic", False),
])
def test_taking_it_up_with_someone_follows_up(phrase, follows):
    assert is_follow_up(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # fitting someone in: an appointment, as "book her in"
    ("get you in first thing", True),
    ("squeeze her in on Friday", True),
    ("fit Denise in after lunch", True),
    ("get them in the van", False),
    ("fit them in the boot", False),
    ("get the order in", False),
    ("get it in before Friday", False),
])
def test_fitting_someone_in_is_an_appointment(phrase, follows):
    assert is_follow_up(phrase) is follows


@pytest.mark.parametrize("then, items", [
    # what is checked carries its own date: one call, due today, a follow-up
    ("and check they can do two hundred white roses for the fourteenth?", 1),
    ("and check that the hall is still free on Friday?", 1),
    # the check has a deadline of its own: two tasks, each with its day
    ("and check the van by Friday?", 2),
])
def test_a_date_inside_what_is_checked_does_not_split_the_call(then, items):
    result = chat(("Élodie", f"Karim, can you ring them today {then}"), ("Karim", "Sure."))
    assert len(result["actionItems"]) == items, [a["text"] for a in result["actionItems"]]
    if items == 1:
        assert result["followUps"] and result["actionItems"][0]["dueBy"].startswith("2024-05-15")


@pytest.mark.parametrize("phrase", ["quickly text them", "kindly email the landlord", "each call our list"])
def test_an_adverb_or_a_quantifier_before_the_verb_is_passed_over(phrase):
    assert is_follow_up(phrase)


@pytest.mark.parametrize("phrase", [
    "apply email filters to the inbox", "supply text for the flyer", "tally call logs", "rally phone banks",
])
def test_a_verb_in_ly_is_the_verb_not_an_adverb_before_it(phrase):
    # Skipping any first word in -ly read "apply email filters" as "email filters": its object's
    # first word, a noun that can be a verb, became the verb.
    assert not is_follow_up(phrase)
