"""Questions the speaker never hands over (question_self.py), and turns that work the call or
the agenda: each test holds the near miss that does ask, so a rule that drops too much fails."""

from __future__ import annotations

from .test_insights import chat


def asked(*lines: tuple[str, str]) -> list[str]:
    return [q["text"] for q in chat(*lines)["questions"]]


def test_a_question_its_speaker_answers_at_once_is_rhetorical():
    assert asked(("Ana", "Is it perfect? No. But it's a lot better than what we had."),
                 ("Ben", "Why does this matter? Because every minute of downtime costs us money."),
                 ("Ana", "So what does that tell us? It tells us the cache is the bottleneck."),
                 ("Ben", "Is the cache warm after a deploy? We saw misses all morning."),
                 ("Ana", "Why did the deploy run at noon? Legal wanted it before the weekend, apparently."),
                 ) == ["Is the cache warm after a deploy?", "Why did the deploy run at noon?"]


def test_a_yes_no_question_followed_by_a_reason_or_a_question_still_asks():
    # "Because ..." after a yes/no question says why it is asked; "No?" is a second question.
    assert asked(("Ana", "Is there a deadline on that? Because Sam is away in June."),
                 ("Ben", "Anything else on the vendor? No? Fine.")) == ["Is there a deadline on that?"]


def test_searching_for_ones_own_words_asks_nobody():
    assert asked(("Ana", "What was I going to say? Oh, the invoices."),
                 ("Ben", "How do I put this? The numbers are bad."),
                 ("Ana", "What did I do wrong in the export?")) == ["What did I do wrong in the export?"]


def test_rewording_ones_own_question_is_one_question():
    assert asked(("Ana", "What's the plan if it fails? Like, do we roll back?"),
                 ("Ben", "We roll back. What happens to the queue? Do we drain it first?")) == [
        "What's the plan if it fails?", "What happens to the queue?", "Do we drain it first?"]


def test_someone_elses_question_reported_is_not_asked():
    assert asked(("Ana", "My daughter keeps asking, are we moving or not?"),
                 ("Ben", "The client asked me: can we get it sooner?"),
                 ("Ana", "I was asking, can we get it sooner?")) == ["I was asking, can we get it sooner?"]


def test_rhetorical_questions_with_anyone_or_a_guess_expect_no_answer():
    assert asked(("Ana", "Who would have guessed the printer would be the problem?"),
                 ("Ben", "Why would anyone store dates in local time?"),
                 ("Ana", "What more can I say?"),
                 ("Ben", "Why would we store dates in local time?")) == [
        "Why would we store dates in local time?"]


def test_working_the_call_and_the_agenda_are_not_questions():
    assert asked(("Ana", "Can I put you on hold for a second?"),
                 ("Ben", "Sure."),
                 ("Ana", "Okay. And the third thing was the bins?"),
                 ("Ben", "Yes. Can I just grab your postcode?"),
                 ("Ana", "Can I put the bins out on Sunday night?")) == [
        "Can I put the bins out on Sunday night?"]
