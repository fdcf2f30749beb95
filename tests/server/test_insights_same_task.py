"""One task said in several turns is one action item (same_task.py; replies.py for a group
intention taken on): said again by the one who takes it on, added to, said again further on
naming the same person; and the near misses that are two tasks: another thing sent, another
person acting, another day."""

from __future__ import annotations

from .test_insights import chat


def items(*lines: tuple[str, str]) -> list[tuple[str, int]]:
    return [(a["text"], len(a["messageIds"])) for a in chat(*lines)["actionItems"]]


def test_a_task_said_again_in_other_words_is_one_task():
    assert items(("Ana", "I think Jessica has the signed copy. I'll ask her."),
                 ("Ben", "Thanks. They wanted it last week, so the sooner the better."),
                 ("Ana", "Okay, I'll message her right after this.")) == [("Ana will ask her.", 2)]


def test_a_task_added_to_is_one_task_with_its_date():
    assert items(("Ana", "I'll send the report to Ben by Friday."),
                 ("Ben", "Great."),
                 ("Ana", "I'll send it and cc Maria on it.")) == [("Ana will send the report to Ben by Friday.", 2)]


def test_a_call_said_again_further_on_to_the_same_person_is_one_task():
    lines = [("Ana", "Cy, let me know as soon as you know, and I'll call Ben back."),
             ("Cy", "Sure.")]
    lines += [("Ben", "And the wipers, are they okay?") if n % 2 else ("Ana", "Those are fine.") for n in range(8)]
    lines += [("Ana", "Okay. So I'll call you by eleven with news on the parts."), ("Ben", "Great, thanks.")]
    assert [(t, n) for t, n in items(*lines) if t.startswith("Ana will call")] == [
        ("Ana will call Ben by eleven with news on the parts.", 2)]


def test_the_same_verb_for_another_thing_or_another_person_is_two_tasks():
    assert items(("Ana", "I'll send the contract tomorrow."),
                 ("Ben", "Thanks."),
                 ("Ana", "And I'll send the invoice tomorrow.")) == [
        ("Ana will send the contract tomorrow.", 1), ("Ana will send the invoice tomorrow.", 1)]
    assert items(("Ana", "I'll send the slides tonight."),
                 ("Ben", "I'll send mine tonight too.")) == [
        ("Ana will send the slides tonight.", 1), ("Ben will send theirs tonight too.", 1)]
    # another day is another time the task is done
    assert len(items(("Ana", "I'll call the supplier today."),
                     ("Ben", "Okay."),
                     ("Ana", "And I'll call the supplier again on Friday."))) == 2


def test_the_answer_taking_a_task_on_in_its_own_words_is_the_task():
    assert items(("Ana", "Could you get the deposit in by Wednesday?"),
                 ("Ben", "Yep, we'll pay it as soon as we've read the estimate.")) == [
        ("Ben will get the deposit in by Wednesday.", 2)]


def test_a_request_handed_on_in_the_answer_is_the_one_handed_it():
    got = chat(("Tom", "Could you bring a sample box to the tasting on Thursday?"),
               ("Ana", "Sure, Rui can take it with the morning run. Rui?"),
               ("Rui", "Yeah, I'll put it on the van Thursday."))["actionItems"]
    assert [(a["text"], a["assignee"]["name"], len(a["messageIds"])) for a in got] == [
        ("Rui will bring a sample box to the tasting on Thursday.", "Rui", 3)]
    # someone named for a thing of their own is a task of their own
    assert len(chat(("Tom", "Could you bring a sample box to the tasting on Thursday?"),
                    ("Ana", "Sure, and Rui will clean the van tomorrow."))["actionItems"]) == 2


def test_a_step_on_the_day_the_task_is_due_is_part_of_it():
    assert items(("Ana", "Ben, could you reassign the rest to the backup reviewers today?"),
                 ("Ben", "Sure, I'll do it tonight and email them.")) == [
        ("Ben will reassign the rest to the backup reviewers today.", 2)]


def test_a_group_intention_taken_on_by_having_someone_do_it_is_one_task():
    assert items(("Ana", "We can also drop off a box kit if you'd rather."),
                 ("Ben", "Let's do the box kit, I don't have time to hunt for boxes."),
                 ("Ana", "Okay, I'll have the driver drop it off Monday morning.")) == [
        ("Ana will have the driver drop it off Monday morning.", 2)]
    # someone else doing a thing of their own is another task
    assert len(items(("Ben", "Let's do the box kit, I don't have time to hunt for boxes."),
                     ("Ana", "Okay, and I'll have the driver check the van on Monday."))) == 2


def test_a_name_nobody_in_the_recording_has_goes_to_the_one_who_takes_the_request_on():
    # Diarized speakers have no names: "Bob, please …" answered "Sure, I will send it" is one
    # task, Speaker 2's, not "Bob needs to …" beside "Speaker 2 will send it".
    items = chat(("Speaker 1", "Bob, please send the budget report by Friday."),
                 ("Speaker 2", "Sure, I will send it tomorrow."))["actionItems"]
    assert [(a["text"], a["assignee"]["name"]) for a in items] == \
        [("Speaker 2 will send the budget report by Friday.", "Speaker 2")]
    # No one takes it on: the request stays with the name said.
    items = chat(("Ana", "Carl, please send the deck by Friday."), ("Ben", "He is away this week."))["actionItems"]
    assert [a["assignee"]["name"] for a in items] == ["Carl"]


def test_a_new_thing_sent_to_the_same_person_further_on_is_another_task():
    # "ask him and get back to you" and "email you the door code": verbs of one class to the same
    # person, seven messages apart, but the later names a thing the earlier does not.
    lines = [("Ana", "I don't know, I'll ask him and get back to you tomorrow."), ("Ben", "Great, thanks.")]
    lines += [("Ben", "And the parking, is it free?") if n % 2 else ("Ana", "Out front, two hours.") for n in range(6)]
    lines += [("Ana", "I'll email you the door code the day before you start.")]
    assert [t for t, _ in items(*lines)] == [
        "Ana will ask him and get back to Ben tomorrow.", "Ana will email Ben the door code the day before Ben starts."]

