"""Telling someone something later is a task and a follow-up (telling.py): "I'll tell you on
Monday", "I'll tell the agency people too"; telling as it is said ("I'll tell you what",
"let me tell you about …") and "tell the truth" are not."""

from __future__ import annotations

import pytest

from symbl_media.server.insights.follow_ups import is_follow_up

from .test_insights import chat


@pytest.mark.parametrize("said, due", [
    ("I don't know yet, that's why I'm asking. I'll tell you on Monday.", "2024-05-20"),
    ("I'll tell you both tomorrow.", "2024-05-16"),
    ("I'll tell everyone once I hear from the organizers.", None),
    ("I'll tell the agency people too, they didn't check the safes last time.", None),
    ("I'll tell the night shift.", None),
    ("I'll tell Sarah by Tuesday whether it's on.", "2024-05-21"),  # as before
])
def test_telling_someone_later_is_a_follow_up(said, due):
    result = chat(("Elias", "Are there new rules?"), ("Maja", said), ("Elias", "Okay."))
    assert len(result["actionItems"]) == 1, said
    assert len(result["followUps"]) == 1, said
    assert ((result["actionItems"][0].get("dueBy") or "")[:10] or None) == due


@pytest.mark.parametrize("said", [
    "I'll tell you what, it was a long week.",
    "Let me tell you about my last job.",
    "I'll tell the truth.",
    "I can tell the difference.",
    "I'll tell you, it's been a long week.",
])
def test_telling_as_it_is_said_is_no_task(said):
    assert chat(("Maja", said), ("Elias", "Okay."))["actionItems"] == []


@pytest.mark.parametrize("phrase, follows_up", [
    ("tell the agency people too", True),
    ("tell the team on Monday", True),
    ("tell the truth", False),
    ("tell the difference between them", False),
])
def test_telling_a_group_follows_up(phrase, follows_up):
    assert is_follow_up(phrase) is follows_up


@pytest.mark.parametrize("said", [
    "I'll tell the residents in the newsletter.",  # where they are told
    "I'll tell the steering group it's September at the earliest.",  # what, as a clause of its own
    "I'll tell them we're a week late.",
])
def test_telling_others_where_or_what_is_a_task(said):
    assert len(chat(("Elias", "Who lets them know?"), ("Maja", said), ("Elias", "Okay."))["actionItems"]) == 1, said


@pytest.mark.parametrize("said", [
    "I'll tell you it's been a long week.",  # the one spoken to, now
    "I'll tell the truth in the meeting.",
])
def test_telling_as_it_is_said_stays_no_task_with_a_clause_or_a_place(said):
    assert chat(("Maja", said), ("Elias", "Okay."))["actionItems"] == []
