"""The insight engine's methods one by one: dates, sentiment, trackers, phrases, analytics."""

from __future__ import annotations

from datetime import date

import pytest

from symbl_media.server.insights import InsightOptions, analyse, phrases
from symbl_media.server.insights import sentiment
from symbl_media.server.insights.dates import find as find_dates

from .test_insights import chat, meeting, member, say

WEDNESDAY = date(2024, 5, 15)


# --- due dates ---------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "text", "due"), [
    ("by Friday", "Friday", "2024-05-17"),
    ("on Wednesday", "Wednesday", "2024-05-22"),  # said on a Wednesday: next week's
    ("next Friday", "next Friday", "2024-05-24"),
    ("tomorrow", "tomorrow", "2024-05-16"),
    ("by the end of the day", "the end of the day", "2024-05-15"),
    ("next week", "next week", "2024-05-24"),  # a week-long span is due on its Friday
    ("by next week", "next week", "2024-05-24"),  # "by" a week: within it, on its Friday
    ("before next week", "next week", "2024-05-20"),  # ... before it: its Monday
    ("by the end of the week", "the end of the week", "2024-05-17"),
    ("by the end of the month", "the end of the month", "2024-05-31"),
    ("end of next month", "end of next month", "2024-06-30"),
    ("on the fifteenth of next month", "the fifteenth of next month", "2024-06-15"),
    ("by the 20th", "the 20th", "2024-05-20"),
    ("on the third", "the third", "2024-06-03"),  # the 3rd has passed this month
    ("March 3rd", "March 3rd", "2025-03-03"),
    ("on the first of June", "the first of June", "2024-06-01"),
    ("in two weeks", "in two weeks", "2024-05-29"),
    ("by the end of March", "the end of March", "2025-03-31"),  # March has passed this year
    ("by the end of June", "the end of June", "2024-06-30"),
    ("by Friday week", "Friday week", "2024-05-24"),  # the Friday after the coming one
    ("in 3 days", "in 3 days", "2024-05-18"),
    ("by 2024-07-01", "2024-07-01", "2024-07-01"),
    # A weekday with its day of the month: the day of the month decides, and the weekday picks
    # the month ("Friday the 14th" is in June: 14 May was a Tuesday).
    ("by Wednesday the 22nd", "Wednesday the 22nd", "2024-05-22"),
    ("on Friday the fourteenth", "Friday the fourteenth", "2024-06-14"),
    ("by Monday, June 3rd", "Monday, June 3rd", "2024-06-03"),
    # The end of a named day is that day, not today.
    ("by end of day Friday", "end of day Friday", "2024-05-17"),
    ("EOD tomorrow", "EOD tomorrow", "2024-05-16"),
    ("by close of business Thursday", "close of business Thursday", "2024-05-16"),
    ("Thursday end of day", "Thursday end of day", "2024-05-16"),
    ("first thing Monday", "Monday", "2024-05-20"),
    # Later on the day it is said.
    ("within the hour", "within the hour", "2024-05-15"),
    ("before service", "before service", "2024-05-15"),
    ("by lunch", "by lunch", "2024-05-15"),
    ("later today", "later today", "2024-05-15"),
    # Counted from a day, and the names people give a week, a fortnight or the middle of a month.
    ("a week from Friday", "a week from Friday", "2024-05-24"),
    ("a week on Tuesday", "a week on Tuesday", "2024-05-28"),
    ("a week from today", "a week from today", "2024-05-22"),
    ("the week after next", "the week after next", "2024-05-31"),  # due on its Friday
    ("in a fortnight", "in a fortnight", "2024-05-29"),
    ("within a week", "within a week", "2024-05-22"),
    ("within 48 hours", "within 48 hours", "2024-05-17"),
    ("two weeks from now", "two weeks from now", "2024-05-29"),
    ("by mid-June", "mid-June", "2024-06-15"),
    ("by the middle of March", "the middle of March", "2025-03-15"),  # March has passed
    ("by month end", "month end", "2024-05-31"),
    ("by year-end", "year-end", "2024-12-31"),
    ("on Thursday next week", "Thursday next week", "2024-05-23"),  # next Thursday
    ("by Friday of next week", "Friday of next week", "2024-05-24"),
])
def test_due_dates_are_resolved_from_the_conversation_day(said, text, due):
    found = find_dates(f"Please send it {said}.", WEDNESDAY)
    assert [(d.text, d.due.isoformat()) for d in found] == [(text, due)]


@pytest.mark.parametrize("text", ["The first thing is the demo.", "You may be right.",
                                  "We have 2 options.", "Let's pick the second option."])
def test_ordinals_and_may_alone_are_not_dates(text):
    assert find_dates(text, WEDNESDAY) == []


def test_an_ordinal_after_a_weekday_is_not_its_day_of_the_month():
    found = find_dates("Let's do Monday the first thing after standup.", WEDNESDAY)
    assert [(d.text, d.due.isoformat()) for d in found] == [("Monday", "2024-05-20")]


def test_a_span_is_an_interval_value():
    [match] = find_dates("next week", WEDNESDAY)
    assert match.value == "2024-05-20/2024-05-26"


# --- sentiment ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The meeting is at ten.", "Let's review the launch.", "Bob, please send the budget report.",
    "Can we still ship on Monday?", "I will send it tomorrow.", "Good morning.",
    "The report has three sections.", "", "   "])
def test_plain_statements_are_neutral(text):
    assert sentiment(text) == {"polarity": {"score": 0.0}, "suggested": "neutral"}


@pytest.mark.parametrize("text", ["This is great!", "I really love the new design.",
                                  "The demo went very well, thanks, excellent work.",
                                  "Not bad at all."])
def test_clearly_positive_sentences_are_positive(text):
    result = sentiment(text)
    assert result["suggested"] == "positive" and 0 < result["polarity"]["score"] <= 1


@pytest.mark.parametrize("text", ["The release was a disaster.", "This is not good.",
                                  "The beta is ready, but three tests fail.",
                                  "I am frustrated and disappointed with the vendor."])
def test_clearly_negative_sentences_are_negative(text):
    result = sentiment(text)
    assert result["suggested"] == "negative" and -1 <= result["polarity"]["score"] < 0


def test_negation_turns_praise_around():
    assert sentiment("The build is good.")["polarity"]["score"] > 0
    assert sentiment("The build is not good.")["polarity"]["score"] < 0


def test_topics_carry_the_sentiment_of_their_messages():
    topic = next(t for t in meeting()["topics"] if t["text"] == "beta")
    assert topic["sentiment"]["suggested"] == "negative"


# --- phrases (detectPhrases) ---------------------------------------------------------------

def test_phrases_are_the_action_spans_of_each_sentence():
    assert phrases("Bob, please send the budget report by Friday.") == [
        {"type": "action_phrase", "text": "send the budget report by Friday"}]
    assert phrases("Good morning. Let's review the launch. I'll draft the notes.") == [
        {"type": "action_phrase", "text": "review the launch"},
        {"type": "action_phrase", "text": "draft the notes"}]


@pytest.mark.parametrize("text", ["The beta is ready.", "Can we still ship on Monday?", "",
                                  "I can see that.", "Let me think."])
def test_no_phrases_without_an_action(text):
    assert phrases(text) == []


# --- trackers ----------------------------------------------------------------------------

def tracked(*lines, vocabulary):
    options = InsightOptions(trackers=({"name": "Watch", "vocabulary": vocabulary},))
    return chat(*lines, options=options)["trackers"]


def test_an_exact_match_gives_the_offset_in_the_message():
    [tracker] = tracked(("Alice", "When do we Ship it?"), vocabulary=["ship"])
    assert tracker["name"] == "Watch"
    [match] = tracker["matches"]
    assert match["value"] == "ship" and match["type"] == "vocabulary"
    assert [(r["text"], r["offset"]) for r in match["messageRefs"]] == [("When do we Ship it?", 11)]


def test_an_inflected_match_has_offset_minus_one():
    [tracker] = tracked(("Alice", "We are shipping soon."), ("Bob", "He sent two reports."),
                        vocabulary=["ship", "send report"])
    offsets = {m["value"]: [(r["text"], r["offset"]) for r in m["messageRefs"]]
               for m in tracker["matches"]}
    # "sent two reports" is not "send report": the words must be adjacent
    assert offsets == {"ship": [("We are shipping soon.", -1)]}
    [tracker] = tracked(("Bob", "He sent reports."), vocabulary=["send report"])
    assert tracker["matches"][0]["messageRefs"][0]["offset"] == -1


def test_multi_word_terms_match_across_spacing_and_case():
    [tracker] = tracked(("Alice", "The  Budget\nReport is late."), vocabulary=["budget report"])
    assert tracker["matches"][0]["messageRefs"][0]["offset"] == 5


def test_matches_respect_word_boundaries_and_missing_trackers_are_left_out():
    [tracker] = tracked(("Alice", "Our relationship with shipping."), vocabulary=["ship", "price"])
    assert tracker["matches"] == [{
        "type": "vocabulary", "value": "ship", "insightRefs": [],
        "messageRefs": [{"id": "4000000000000000", "text": "Our relationship with shipping.",
                         "offset": -1}]}]  # "shipping", not "relationship"
    assert tracked(("Alice", "Nothing to see."), vocabulary=["ship"]) == []


def test_tracker_matches_point_at_the_insights_that_say_them():
    options = InsightOptions(trackers=({"name": "Money", "vocabulary": ["budget"]},))
    [tracker] = meeting(options)["trackers"]
    refs = tracker["matches"][0]["insightRefs"]
    assert {r["type"] for r in refs} == {"action_item", "follow_up"}
    assert all(r["offset"] == 18 for r in refs)  # "Bob will send the budget report by Friday."


# --- analytics ---------------------------------------------------------------------------

def test_the_meetings_silence_is_its_gaps_and_shares_add_up():
    analytics = meeting()["analytics"]
    metrics = {m["type"]: m for m in analytics["metrics"]}
    assert metrics["total_talk_time"]["seconds"] == pytest.approx(10.89)
    assert metrics["total_silence"]["seconds"] == pytest.approx(4.11)
    assert metrics["total_talk_time"]["percent"] + metrics["total_silence"]["percent"] == pytest.approx(100)
    assert metrics["total_overlap"] == {"type": "total_overlap", "percent": 0.0, "seconds": 0.0}
    members = {m["name"]: m for m in analytics["members"]}
    assert sum(m["talkTime"]["percentage"] for m in members.values()) == pytest.approx(100)
    assert members["Bob"]["talkTime"]["seconds"] == pytest.approx(2.06 + 1.57 + 1.52)
    for m in members.values():
        assert m["talkTime"]["percentage"] + m["listenTime"]["percentage"] == pytest.approx(100)
        assert m["talkTime"]["seconds"] + m["listenTime"]["seconds"] == pytest.approx(10.89)


def test_overlapping_speech_is_overlap_once_and_talk_time_is_the_union():
    analytics = chat(("Alice", "one two three four five six seven eight nine ten"),
                     ("Bob", "one two three four five"),
                     times=[(0.0, 6.0), (4.0, 8.0)])["analytics"]
    metrics = {m["type"]: m for m in analytics["metrics"]}
    assert metrics["total_talk_time"]["seconds"] == 8.0
    assert metrics["total_overlap"] == {"type": "total_overlap", "percent": 25.0, "seconds": 2.0}
    assert metrics["total_silence"]["seconds"] == 1.0  # the conversation runs to 9 s
    alice, bob = analytics["members"]
    assert alice["pace"] == {"wpm": 100} and bob["pace"] == {"wpm": 75}
    assert alice["overlap"]["overlapDuration"] == 2.0
    [with_bob] = alice["overlap"]["overlappingMembers"]
    assert with_bob["name"] == "Bob" and with_bob["seconds"] == 2.0
    assert with_bob["percent"] == 20.0  # 2 s of their 6 + 4 s of talk


def test_a_member_who_never_speaks_listens_to_everything():
    messages, members = say([("Alice", "Hello there.")])
    result = analyse("1", messages, [*members, member("Zoe")], duration=10.0,
                     start_time="2024-05-15T09:00:00Z", options=InsightOptions())
    zoe = result["analytics"]["members"][1]
    assert zoe["name"] == "Zoe" and zoe["pace"] == {"wpm": 0}
    assert zoe["talkTime"] == {"percentage": 0.0, "seconds": 0.0}
    assert zoe["listenTime"] == {"percentage": 100.0, "seconds": 3.0}
