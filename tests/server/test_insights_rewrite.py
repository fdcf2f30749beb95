"""Rewritten action items (issue 14): every verb joined to one that agrees agrees too, fillers
and hedges are not turned into claims about anyone, and a request to everyone addressed
("could both of you …", "can you two …", "would you guys …") is theirs."""

from __future__ import annotations

import pytest

from symbl_media.server.insights import rewrite

from .test_insights import chat

SPEAKING = rewrite.Voice("Ana", "Ana", True, "Ben")  # Ana acts, talking to Ben
ASKED = rewrite.Voice("Ana", "Ben", False)  # Ben acts, asked by Ana


def written(phrase: str, voice: rewrite.Voice) -> str:
    return rewrite.third_person(phrase, "will" if voice is SPEAKING else "needs to", voice, frozenset())


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


# --- 1. verbs joined by "and" / "or" ------------------------------------------------------

@pytest.mark.parametrize("phrase, voice, text", [
    # the listener's name: "Ben just clicks the block and type the text" was the bug
    ("send the link so you just click the block and type the text", SPEAKING,
     "Ana will send the link so Ben just clicks the block and types the text."),
    ("send the form once you print it, sign it and scan it", SPEAKING,
     "Ana will send the form once Ben prints it, signs it and scans it."),
    ("call back if you ring the office or email them", SPEAKING,
     "Ana will call back if Ben rings the office or emails them."),
    # the speaker's name in a request: "until I open it and check"
    ("wait until I open it and check", ASKED, "Ben needs to wait until Ana opens it and checks."),
    ("hold the order until I get back and then sign it", ASKED,
     "Ben needs to hold the order until Ana gets back and then signs it."),
])
def test_every_verb_joined_to_one_that_agrees_agrees(phrase, voice, text):
    assert written(phrase, voice) == text


@pytest.mark.parametrize("phrase, voice, text", [
    # two things joined, not two verbs: "text" here is a noun
    ("send it so you click the block and text", SPEAKING, "Ana will send it so Ben clicks the block and text."),
    # a new subject after "and"
    ("send it when I get back and Sam checks it", ASKED, "Ben needs to send it when Ana gets back and Sam checks it."),
    # a verb whose object is the subject itself belongs to the main clause: Ben tells Ana
    ("look at it when I send it and tell me what you think", ASKED,
     "Ben needs to look at it when Ana sends it and tell Ana what they think."),
    # after a modal or a question's verb the verbs stay as said
    ("send it so you can open it and check the logs", SPEAKING,
     "Ana will send it so Ben can open it and check the logs."),
    # "they" keeps the plural, and so do the verbs joined to it
    ("send it so you click the block and type the text", ASKED,
     "Ben needs to send it so they click the block and type the text."),
])
def test_verbs_that_are_not_joined_to_it_stay_as_said(phrase, voice, text):
    assert written(phrase, voice) == text


def test_requests_and_commitments_with_joined_verbs_keep_the_base_form_after_the_modal():
    assert tasks(("Ana", "Ben, can you call the bank and ask about the invoice?"), ("Ben", "Sure.")) == [
        "Ben will call the bank and ask about the invoice."]
    assert tasks(("Ana", "I'll open it and check the logs tomorrow."), ("Ben", "Thanks.")) == [
        "Ana will open it and check the logs tomorrow."]


# --- 2. fillers and hedges ----------------------------------------------------------------

@pytest.mark.parametrize("phrase, voice, text", [
    ("send it, you know, by Friday", SPEAKING, "Ana will send it by Friday."),  # not "Ben knows"
    ("send it, I mean, by Friday", ASKED, "Ben needs to send it by Friday."),  # not "Ana means"
    ("send it by Friday, you see", ASKED, "Ben needs to send it by Friday."),  # not "they see"
    ("book it, I guess, before I leave", ASKED, "Ben needs to book it before Ana leaves."),
    ("you know, send the report", SPEAKING, "Ana will send the report."),
    ("apply at least, um", SPEAKING, "Ana will apply at least."),
    # a word said again as the speaker restarts is said once
    ("check the, um, the tank", SPEAKING, "Ana will check the tank."),
])
def test_fillers_and_hedges_are_not_claims_about_anyone(phrase, voice, text):
    assert written(phrase, voice) == text


@pytest.mark.parametrize("phrase, voice, text", [
    # the same words as a clause of their own mean what they say
    ("call me as soon as you know", SPEAKING, "Ana will call them as soon as Ben knows."),
    ("flag the chapters where I think it sags", ASKED, "Ben needs to flag the chapters where Ana thinks it sags."),
    ("forward it if you see the email", SPEAKING, "Ana will forward it if Ben sees the email."),
])
def test_the_same_words_with_a_clause_of_their_own_stay(phrase, voice, text):
    assert written(phrase, voice) == text


@pytest.mark.parametrize("phrase", [
    # a new clause's "it's", "you'll" after the same word: no restart ("check it's the cable",
    # "forward it to you'll have it" were written)
    "check it, it's the cable",
    "check it it's probably the cable",
    "forward it to you, you'll have it by Friday",
    "look at it, it’s the one from Friday",
    # the same word in another case is another word: a name, then the tag
    "send the list to Will, will you",
])
def test_a_word_said_again_as_part_of_another_is_no_restart(phrase):
    from symbl_media.server.insights import fillers

    assert fillers.drop(phrase) == phrase


def test_a_name_that_is_also_a_modal_opening_the_phrase_is_kept():
    from symbl_media.server.insights import fillers

    # Will is in the conversation: "Will, will you …" speaks to him
    assert fillers.drop("Will, will you send it", frozenset({"will", "ana"})) == "Will, will you send it"
    # near misses: the sentence's capital on a restart, and a modal said twice
    assert fillers.drop("Will, will you send it", frozenset({"ana", "ben"})) == "Will you send it"
    assert fillers.drop("The, the tank", frozenset({"will"})) == "The tank"
    assert fillers.drop("will, will you send it", frozenset({"will"})) == "will you send it"


@pytest.mark.parametrize("phrase, text", [
    ("send it when I, I'm back", "Ben needs to send it when Ana is back."),
    ("call me when we, we've got it", "Ben needs to call Ana when we've got it."),
])
def test_i_and_we_said_again_with_their_verb_worn_on_are_a_restart(phrase, text):
    assert written(phrase, ASKED) == text


def test_a_new_clauses_it_s_after_it_is_kept_in_the_task():
    assert tasks(("Ana", "I'll check it it's probably the cable."), ("Ben", "Thanks.")) != [
        "Ana will check it's probably the cable."]
    assert written("check it, it's the cable", SPEAKING) == "Ana will check it, it's the cable."


def test_a_hedge_between_commas_does_not_end_the_task_before_its_date():
    found = chat(("Ana", "I'll send you the figures, I think, by Friday."), ("Ben", "Thanks."))
    [item] = found["actionItems"]
    assert item["text"] == "Ana will send Ben the figures by Friday."
    assert item["dueBy"] == "2024-05-17T00:00:00.000Z"


# --- 3. a request to everyone addressed ---------------------------------------------------

@pytest.mark.parametrize("asked", [
    "Could both of you send me your slides by Friday?",
    "Can you two send me your slides by Friday?",
    "Would you guys send me your slides by Friday?",
    "Could the two of you send me your slides by Friday?",
    "Could each of you send me your slides by Friday?",
    "Can y'all send me your slides by Friday?",
    "Do you guys mind sending me your slides by Friday?",
    "Would both of you be able to send me your slides by Friday?",
])
def test_a_request_to_both_listeners_is_theirs_not_a_question(asked):
    found = chat(("Tom", asked), ("Ana", "Sure."), ("Ben", "Will do."))
    assert found["questions"] == []
    [item] = found["actionItems"]
    assert item["text"] == "Ana and Ben will send Tom their slides by Friday."
    assert [e["text"] for e in item["entities"] if e["type"] == "person" and e["value"].get("assignee")] == [
        "Ana", "Ben"]


def test_a_request_to_three_names_the_three_and_one_of_you_is_whoever_takes_it():
    assert tasks(("Tom", "Could you three send me your slides by Friday?"), ("Ana", "Sure."), ("Ben", "Will do."),
                 ("Cy", "Okay.")) == ["Ana, Ben and Cy will send Tom their slides by Friday."]
    assert tasks(("Tom", "Could one of you send me the minutes?"), ("Ben", "Sure."), ("Ana", "Thanks.")) == [
        "Ben will send Tom the minutes."]
    # the call's logistics stay no task
    assert chat(("Tom", "Can you all hear me?"), ("Ana", "Yes."), ("Ben", "Yes."))["actionItems"] == []


# --- 4. other errors read in the rewritten texts of tune/ ------------------------------------

def test_the_name_of_the_one_spoken_to_is_not_said_twice():
    assert tasks(("Craig", "And I'll text you, Fiona, once I hear back about the shipping."), ("Fiona", "Thanks.")) == [
        "Craig will text Fiona once they hear back about the shipping."]
    assert tasks(("Hamish", "I can pick that up for you this afternoon, Mrs Mitchell."),
                 ("Agnes Mitchell", "Thank you.")) == ["Hamish can pick that up for Agnes Mitchell this afternoon."]
    # a name in a list stays
    assert written("email Sam, Ben, and Cy the notes", SPEAKING) == "Ana will email Sam, Ben, and Cy the notes."


@pytest.mark.parametrize("said, text", [
    # an offer's tag, asking whether it suits, and the conjunction a reply word leaves
    ("I can send you the quote on WhatsApp so you have it in writing, want me to?",
     "Ana will send Ben the quote on WhatsApp so Ben has it in writing."),
    ("I'll email Aoife a leaflet with the basics, if that's okay.", "Ana will email Aoife a leaflet with the basics."),
    ("It does. I'll double check the wording in the contract, but yes.", "Ana will double check the wording in the contract."),
])
def test_what_closes_the_sentence_after_the_task_is_not_left_half(said, text):
    assert tasks(("Ana", said), ("Ben", "Yes please.")) == [text]


def test_a_request_to_everyone_is_written_for_everyone():
    assert tasks(("Ana", "Everyone, send Priya your photos."), ("Ben", "Will do."), ("Cy", "Sure.")) == [
        "Everyone will send Priya their photos."]
    assert tasks(("Ana", "I've put a draft in the runbook, please everyone check your slots."), ("Cy", "Okay."),
                 ("Ben", "Thanks.")) == ["Everyone will check their slots."]


def test_the_team_says_you_to_the_one_spoken_to():
    assert tasks(("Ana", "We'll text you a reminder at the end of April to book it."), ("Ben", "Great.")) == [
        "Ana says the team will text Ben a reminder at the end of April to book it."]


@pytest.mark.parametrize("phrase, voice, text", [
    # a relative clause without "that" after a noun of two words, an adverb before the verb
    ("invite the site managers you send me", SPEAKING, "Ana will invite the site managers Ben sends them."),
    ("play any songs you absolutely don't want", SPEAKING, "Ana will play any songs Ben absolutely doesn't want."),
    # a question's verb before one person's name agrees with it; "did" and a modal stay
    ("ask how are you feeling", SPEAKING, "Ana will ask how is Ben feeling."),
    ("check whether do I need it", ASKED, "Ben needs to check whether does Ana need it."),
    ("check whether are you and Sam free", SPEAKING, "Ana will check whether are Ben and Sam free."),
    # "you" inside a word is nobody's
    ("send every sponsor a proper thank-you letter", SPEAKING, "Ana will send every sponsor a proper thank-you letter."),
])
def test_agreement_read_off_the_tune_texts(phrase, voice, text):
    assert written(phrase, voice) == text


def test_a_condition_closing_a_clause_belongs_to_the_next_one():
    assert tasks(("Ana", "I'll ask him at the lab meeting on Monday, and if he can't, I'll email the department office."),
                 ("Ben", "Great.")) == ["Ana will ask him at the lab meeting on Monday and email the department office."]
    # "and" with no verb after it joins no second task: this was "Ana will if Joseph can get back …"
    assert tasks(("Ana", "Then I'll have the glossary to you by Wednesday, and if Joseph can get back to me by "
                         "Friday week, I'm comfortable with the end of the month."), ("Ben", "Great.")) == [
        "Ana will have the glossary to Ben by Wednesday."]
    # joined on by "and", the condition stays the first clause's
    assert tasks(("Ana", "So, let's meet again Thursday next week, once we have the references, and we'll "
                         "finalise the scores."), ("Ben", "Sure.")) == [
        "Ana suggests the team meet again Thursday next week, once we have the references to finalise the scores."]


def test_a_letter_naming_a_thing_ends_its_sentence_and_a_plan_b_is_no_task():
    from symbl_media.server.insights.sentences import split

    assert [s.text for s in split("Let's hold that as plan B. I'll let you know next week.")] == [
        "Let's hold that as plan B.", "I'll let you know next week."]
    assert [s.text for s in split("I spoke to J. Smith and Mary J. Blige.")] == ["I spoke to J. Smith and Mary J. Blige."]
    assert tasks(("Ben", "I could ask my niece."), ("Ana", "Let's hold that as plan B. I'll let you know next week."),
                 ("Ben", "Okay.")) == ["Ana will let Ben know next week."]


def test_the_speakers_appraisal_after_an_unpunctuated_request_is_not_the_task():
    assert tasks(("Ana", "If you could clear the cupboard under the sink before Thursday that'd help, so I can see "
                         "where they come in."), ("Ben", "Sure.")) == [
        "Ben will clear the cupboard under the sink before Thursday."]


def test_and_then_an_adverb_then_a_verb_is_still_a_second_task():
    # "and" joins a second task when a verb follows it, past an adverb as after "then": these
    # were one task due tonight
    assert [(a["text"], a["dueBy"][:10]) for a in chat(
        ("Ana", "I'll call her tonight and also let you know on Monday."), ("Ben", "Thanks."))["actionItems"]] == [
        ("Ana will call her tonight.", "2024-05-15"), ("Ana will also let Ben know on Monday.", "2024-05-20")]
    assert len(tasks(("Ana", "I'll call her tonight and just email you the answer on Monday."), ("Ben", "Thanks."))) == 2


@pytest.mark.parametrize("asked", [
    "Could you two explain how the export works?", "Could you both explain how the export works?",
    "Could you all explain how the export works?", "Can you two tell me what happened on Friday?",
])
def test_asking_several_listeners_to_be_told_is_still_a_question(asked):
    # the count after "you" was given back and passed for the request's verb: neither a
    # question nor an action item
    found = chat(("Ana", asked), ("Ben", "Sure."))
    assert [q["text"] for q in found["questions"]] == [asked] and found["actionItems"] == []


@pytest.mark.parametrize("said", ["if that’s okay", "if you’d like", "if that’s fine"])
def test_asking_whether_it_suits_goes_with_a_curly_apostrophe_too(said):
    # "Ana can send Ben the quote tomorrow, if that’s." was written
    assert tasks(("Ana", f"I can send you the quote tomorrow, {said}."), ("Ben", "Great.")) == [
        "Ana can send Ben the quote tomorrow."]


def test_a_request_with_a_tag_is_a_task_for_the_one_asked_without_its_tag():
    # "…, would you?" makes an imperative a question in form only: the question finder leaves
    # it out as a request, so the action finder must not drop it as a question.
    for tag in ("would you", "will you", "could you", "can you please"):
        items = chat(("Ana", f"Ben, send me the deck by Friday, {tag}?"), ("Ben", "Sure."))
        assert [(a["text"], a["assignee"]["name"]) for a in items["actionItems"]] == \
            [("Ben will send Ana the deck by Friday.", "Ben")], tag
        assert items["questions"] == []
    # a question that only ends like one stays a question, with no task
    items = chat(("Ana", "Ben, what did the client say, would you know?"), ("Ben", "Not yet."))
    assert items["actionItems"] == []
