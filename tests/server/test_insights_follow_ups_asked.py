"""Follow-ups put other ways than a plain verb the list knows: asked or tried with a gerund
("would you mind calling …", "I'll try calling him"), someone let know by a possessive ("let the
VC's office know"), a price got from someone, a matter lodged with or pressed on someone, a
role that answers for the task ("the chair", "the owners"), a training set up; each with a
near miss that reaches no one. They are read for the flag alone (is_follow_up_task): the rules
that find action items read is_follow_up, as before."""

from __future__ import annotations

import pytest

from symbl_media.server.insights.follow_ups import is_follow_up, is_follow_up_task

from .test_insights import chat


@pytest.mark.parametrize("phrase, follows", [
    # asked or tried with a gerund: the task is the gerund's
    ("mind calling the laundry service this week and ordering them", True),
    ("mind sending me a list of the scheduled tasks on those boxes", True),
    ("mind copying me on the RMA email", True),
    ("mind pricing that out and getting it to Dana by next Wednesday", True),
    ("try calling him tomorrow", True),
    # the same lead-ins before work, or before a thing, reach no one
    ("mind putting together a list of everyone who joined in December", False),
    ("mind checking the fridge temperatures", False),
    ("mind the step", False),
    ("try the new menu", False),
])
def test_a_follow_up_asked_or_tried_with_a_gerund(phrase, follows):
    assert is_follow_up_task(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    ("rebook the Octagon for all three slots and let the VC's office know the times by Friday", True),
    ("let the caterer's team know by noon", True),
    ("let the dough rest overnight", False),
])
def test_letting_someone_know_named_with_a_possessive(phrase, follows):
    assert is_follow_up_task(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # a price asked of someone reaches them
    ("get a firm quote from the insurer by tomorrow", True),
    ("get a proper quote from your mate for eighty people", True),
    ("get the repair estimate from the shop over to me by Thursday", True),
    # found in a thing, or made: no one asked
    ("get the quote from the shared folder", False),
    ("get a quote together for the committee", False),
])
def test_a_price_got_from_someone(phrase, follows):
    assert is_follow_up_task(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # lodged with someone, pressed on them, caught in person
    ("log it with the landlord", True),
    ("file a complaint with the council", True),
    ("push the manufacturer for a firmer date", True),
    ("catch him at church tomorrow", True),
    # a tool, a thing moved, a bus
    ("log the readings with the new probe", False),
    ("push the date for a week", False),
    ("catch the bus at eight", False),
])
def test_a_matter_lodged_with_or_pressed_on_someone(phrase, follows):
    assert is_follow_up_task(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    # a role that answers for the task
    ("get a draft to the chair the Friday before", True),
    ("update the owners on the inverter once I hear back from SMA", True),
    ("brief the contractor on the new access route", True),
    # the same words as things
    ("update the estimate on the outage map", False),
    ("move the chair to the corner", False),
])
def test_a_role_that_answers_for_the_task(phrase, follows):
    assert is_follow_up_task(phrase) is follows


@pytest.mark.parametrize("phrase, follows", [
    ("set up the admin training for Tuesday the fourteenth", True),
    ("set up a workshop with the parents", True),
    ("set up the training laptops", False),
    ("set up the training environment", False),
])
def test_a_training_set_up_is_a_meeting(phrase, follows):
    assert is_follow_up_task(phrase) is follows


def test_a_request_put_with_a_gerund_is_flagged_in_a_conversation():
    result = chat(("Ingrid", "Amara, would you mind calling the laundry service this week and ordering them?"),
                  ("Amara", "Sure, no problem."),
                  ("Ingrid", "And would you mind putting the spare towels in the cupboard?"),
                  ("Amara", "Will do."))
    follow_ups = [f["text"] for f in result["followUps"]]
    assert any("laundry service" in t for t in follow_ups)
    assert not any("towels" in t for t in follow_ups)


def test_the_rules_that_find_action_items_read_the_verb_list_as_before():
    # "let me …" done as it is said is told apart by is_follow_up, which these forms leave alone
    assert not is_follow_up("mind calling the laundry service")
    assert is_follow_up_task("mind calling the laundry service")
