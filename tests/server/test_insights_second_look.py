"""The second look (second_look.py): a learned weighing of each action item the rules find,
judged in conversations long enough to have been answered, and left out of short exchanges."""

from __future__ import annotations

from symbl_media.server.insights import second_look

from .test_insights import chat

# Talk around the items, as a stand-up has: nobody takes anything on in these lines.
_AROUND = [("Ana", "Morning all, how was everyone's weekend?"), ("Ben", "Good, thanks. Quiet one."),
           ("Cy", "Same here, mostly in the garden."), ("Ana", "Nice. Okay, so the numbers first."),
           ("Ben", "Sign-ups were up about four percent on last week."), ("Cy", "Mostly from the newsletter, I think."),
           ("Ana", "That's good to hear."), ("Ben", "The churn is flat."), ("Cy", "Which is fine for March."),
           ("Ana", "Agreed.")]


def tasks(*lines: tuple[str, str]) -> list[str]:
    return [a["text"] for a in chat(*lines)["actionItems"]]


def test_a_short_exchange_is_left_to_the_rules():
    # Three messages: nobody has had the chance to answer, which the weighing would count against it.
    assert tasks(("Ana", "Ben, can you at some point send me the deck?"), ("Ben", "The one from Tuesday?"),
                 ("Ana", "Yes, that one.")) == ["Ben needs to at some point send Ana the deck."]


def test_in_a_long_conversation_going_round_the_table_is_dropped_and_a_dated_promise_kept():
    # "Let's go round" is how the meeting runs itself: the rules' group intention, the weighing's
    # drop (it reads a group "let's" with a short phrase and no date, answered by a status).
    lines = [*_AROUND, ("Ana", "Let's go round."), ("Ben", "Sure. I finished the export yesterday."),
             ("Cy", "I'll send the budget to finance by Friday."), ("Ana", "Thanks, Cy.")]
    assert len(lines) >= second_look.MIN_MESSAGES
    assert tasks(*lines) == ["Cy will send the budget to finance by Friday."]


def test_the_weights_shipped_are_read_once_and_give_a_probability():
    weights, threshold = second_look._weights()
    assert 0.0 < threshold < 1.0 and len(weights) > 100 and "bias" in weights
    assert second_look._weights() is second_look._weights()  # read once, cached
    assert second_look.probability(["bias"], {"bias": 0.0}) == 0.5


def _said_before(*lines: tuple[str, str]) -> str:
    from symbl_media.server.insights.conversation import build

    from .test_insights import WEDNESDAY, say
    messages, members = say(list(lines))
    conversation = build("c", messages, members, duration=60.0, start_time=WEDNESDAY)
    return second_look._follow_up_before(conversation, conversation.sentences[-1])


def test_the_follow_up_weighing_reads_whether_the_turn_before_said_a_follow_up():
    # A follow-up taken on in other words: "I'll do that tonight" answers "send the organisers …".
    assert _said_before(("Ana", "Niamh, could you send the organisers the registration form?"),
                        ("Niamh", "I'll do that tonight, actually.")) == "before:follow-up:True"
    # the same answer to ordinary work
    assert _said_before(("Ana", "Niamh, could you tidy the stockroom?"),
                        ("Niamh", "I'll do that tonight, actually.")) == "before:follow-up:False"
    # the speaker's own sentence before counts, as the message before does
    assert _said_before(("Ana", "Right."), ("Niamh", "I need to call the venue. I'll do it after lunch.")) \
        == "before:follow-up:True"


def _signals(*lines: tuple[str, str]) -> list[list[str]]:
    """What the weighing reads of each action item the rules find in `lines`."""
    from symbl_media.server.insights import action_items, month_days, weekday_dates
    from symbl_media.server.insights.conversation import build
    from symbl_media.server.insights.people import People

    from .test_insights import CONVERSATION, WEDNESDAY, say

    messages, members = say(list(lines))
    conversation = build(CONVERSATION, messages, members, duration=60.0, start_time=WEDNESDAY)
    names = action_items.names_in(conversation)
    found = action_items.by_the_rules(conversation, People(conversation.members), names)
    found = month_days.resolve(conversation, weekday_dates.resolve(conversation, found))
    return [second_look.signals(conversation, f, names) for f in found]


def test_a_group_plan_with_a_day_is_told_from_a_group_idea_without_one():
    # A date weighs differently by kind: "let's order them on Tuesday" is a plan made, "let's
    # order them" alone often an idea; the kind and the date alone add up and cannot say so.
    [planned] = _signals(("Ana", "Let's order the new chairs on Tuesday."), ("Ben", "Fine."))
    [idea] = _signals(("Ana", "Let's order the new chairs."), ("Ben", "Fine."))
    assert "kind-due:group:True" in planned and "kind-due:group:False" in idea
    [asked] = _signals(("Ana", "Ben, can you send me the budget by Friday?"), ("Ben", "Fine."))
    assert "kind-due:request:True" in asked


def test_a_task_named_again_later_is_told_from_one_never_spoken_of_again():
    # A recap or a later turn naming the task's things again ("the chairs … ordered") shows it
    # was taken on; an idea nobody comes back to is not spoken of again.
    [recapped] = _signals(("Ana", "I'll order the folding chairs for the hall."), ("Ben", "Great."),
                          ("Cy", "So, recap: Ana orders the folding chairs."))
    [alone] = _signals(("Ana", "I'll order the folding chairs for the hall."), ("Ben", "Great."),
                       ("Cy", "Anything else? No? Thanks all."))
    assert "again:True" in recapped and "again:False" in alone
