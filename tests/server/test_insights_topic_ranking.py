"""Topics chosen in another order than the hand weight's (topics.choose with a topic_ranking.Ranking):
the order a learned weighing gives, its threshold, and the variants still grouped under their
topic. Without weights (a package built without topic_ranking.json, or a conversation under
topic_ranking.MIN_MESSAGES) the finder keeps the hand order."""

from __future__ import annotations

from symbl_media.server.insights import topic_ranking, topics
from symbl_media.server.insights.conversation import build

from .test_insights import WEDNESDAY, chat, say

_LINES = [("Ana", "The boiler is making that noise again."), ("Ben", "The boiler in the basement?"),
          ("Ana", "Yes, the boiler. And the gutter is loose."), ("Ben", "The gutter over the porch?"),
          ("Ana", "That gutter, and the boiler pressure valve."), ("Ben", "The boiler pressure valve, noted."),
          ("Ana", "Also the skylight."), ("Ben", "The skylight leaks?"), ("Ana", "The skylight leaks a bit."),
          ("Ben", "Fine."), ("Ana", "So the boiler first."), ("Ben", "Boiler first, then the gutter."),
          ("Ana", "Thanks.")]


def _weighed():
    messages, members = say(_LINES)
    conversation = build("c", messages, members, duration=60.0, start_time=WEDNESDAY)
    return conversation, topics.weigh(conversation, frozenset(("ana", "ben")))


def test_without_shipped_weights_the_finder_keeps_the_hand_order(monkeypatch):
    assert topic_ranking._weights() is not None  # they ship
    monkeypatch.setattr(topic_ranking, "_weights", lambda: None)
    conversation, weighed = _weighed()
    assert topic_ranking.ranking(conversation, weighed, topics._weak, topics._describes) is None
    assert [t["text"] for t in chat(*_LINES)["topics"] if not t["parentRefs"]][:2] == ["boiler", "gutter"]


def test_a_ranking_orders_the_topics_and_stops_at_its_threshold():
    conversation, weighed = _weighed()
    hand = [t["text"] for t in topics.choose(conversation, weighed, 3) if not t["parentRefs"]]
    assert hand[:2] == ["boiler", "gutter"]
    by_key = {weighed.candidates[k].text: k for k in weighed.forms}
    # a weighing that puts the skylight first, the gutter under its threshold
    ranking = topic_ranking.Ranking({by_key["skylight"]: 0.9, by_key["boiler"]: 0.8, by_key["gutter"]: 0.2}, 0.5)
    found = topics.choose(conversation, weighed, 10, ranking)
    parents = [t["text"] for t in found if not t["parentRefs"]]
    assert parents == ["skylight", "boiler"]
    # the boiler's variant said twice is still grouped under it
    assert [t["parentRefs"] for t in found if t["text"] == "boiler pressure valve"] == \
        [[{"type": "topic", "text": "boiler"}]]
