"""Requests taken on by an answer (acknowledgements.py, replies.py): "Deal." as a yes, and a
request put to whoever takes it ("can someone send me the link?") taken on by the one who
answers. Each test holds the near miss that stays as it was."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[tuple[str, int]]:
    return [(a["text"], len(a["messageIds"])) for a in chat(*lines)["actionItems"]]


def test_deal_takes_a_request_on_but_deal_with_it_does_not():
    assert tasks(("Ana", "Ben, can you send me a rough plan by Friday?"),
                 ("Ben", "Deal.")) == [("Ben will send Ana a rough plan by Friday.", 2)]
    assert tasks(("Ana", "Ben, can you send me a rough plan by Friday?"),
                 ("Ben", "Deal with it yourself.")) == [("Ben needs to send Ana a rough plan by Friday.", 1)]
