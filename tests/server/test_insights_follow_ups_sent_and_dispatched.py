"""The flag's test (is_follow_up_task) on people sent somewhere: they are dispatched, not
reached ("send Marco's crew, they're closest"); the same people sent a thing, or a message sent
besides, still follow up."""

from __future__ import annotations

import pytest

from symbl_media.server.insights.follow_ups import is_follow_up_task


@pytest.mark.parametrize("phrase, follows", [
    # people sent somewhere are dispatched
    ("send Marco's crew, they're closest", False),
    ("send a photographer to the council chamber for the vote tonight", False),
    ("send two packers the day before", False),
    # the same people sent a thing, or a message sent besides, still follow up
    ("send the crew the new rota tonight", True),
    ("send a technician out and email the customer the slot", True),
    ("send Dana the invoice", True),
])
def test_people_sent_somewhere_are_dispatched_not_reached(phrase, follows):
    assert is_follow_up_task(phrase) is follows
