"""The insight scorer's matching rules and the labelled set's shape (benchmarks/insights/):
the figures in docs/benchmarks.md are only as good as these."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent / "benchmarks" / "insights"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"insights_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


matching = _load("matching")


@pytest.mark.parametrize(("text", "copy"), [
    ("I'll send the slides after lunch.", True),  # word for word
    ("Priya Patel: I'll send the slides after lunch.", True),  # a name pasted in front
    ("Priya Patel I'll send the slides", True),  # part of the sentence, a name pasted in
    ("Priya Patel will send the slides after lunch.", False),  # rewritten
    ("Priya Patel will send Tom the slides.", False),
])
def test_a_pasted_name_is_not_a_rewrite(text, copy):
    source = "Okay. I'll send the slides after lunch. Thanks, Tom!"
    assert matching.is_copy(text, [source], ["Priya Patel", "Tom Becker"]) is copy


def test_items_pair_one_to_one_only_within_a_shared_message_most_similar_first():
    gold = [{"messages": [3], "text": "Tom Becker will send Lena a sample export."},
            {"messages": [3], "text": "Lena Ortiz will map the fields before the call."}]
    found = [{"messages": [3], "text": "Lena Ortiz will map the fields before that call."},
             {"messages": [3, 4], "text": "Tom Becker will send Lena a sample export."},
             {"messages": [9], "text": "Tom Becker will send Lena a sample export."}]
    pairs = matching.pair(gold, found)
    assert [(p.gold["text"][:3], p.found["messages"]) for p in pairs] == [
        ("Tom", [3, 4]), ("Len", [3])]
    # Sharing a message is not enough when the texts are about different things.
    assert matching.pair(gold[:1], [{"messages": [3], "text": "Thanks, bye."}]) == []


@pytest.mark.parametrize(("found", "right"), [
    ("annual plan quote", True), ("plan", True), ("inboxes", True), ("call", False),
    ("end", False)])
def test_a_topic_names_a_label_when_half_its_words_overlap(found, right):
    labels = [["annual plan", "quote"], ["support inbox"]]
    assert any(matching.topic_matches(found, v) for v in labels) is right


@pytest.mark.parametrize(("found", "label"), [
    ("decline message", "decline messages"), ("bug", "bugs"), ("test case", "test cases"),
    ("policy", "policies"), ("status", "statuses"), ("inbox", "inboxes"), ("fee", "fees")])
def test_a_singular_names_its_plural(found, label):
    # The old fold cut "es" from any word over four letters ("messages" -> "messag") and
    # left words of four letters alone ("bugs").
    assert matching.topic_matches(found, [label])
    assert matching.topic_matches(label, [found])


def test_a_hyphenated_word_is_one_word():
    assert not matching.topic_matches("call", ["on-call"])
    assert matching.topic_matches("on-call rotation", ["on-call"])


def test_the_labelled_set_is_well_formed():
    files = {half: sorted((HERE / half).glob("*.json")) for half in ("tune", "held_out", "train")}
    assert len(files["tune"]) >= 6 and len(files["held_out"]) >= 6
    names = [p.name for p in files["tune"] + files["held_out"] + files["train"]]
    assert len(names) == len(set(names)), "a conversation's name is in two halves"
    kinds = set()
    for path in files["tune"] + files["held_out"] + files["train"]:
        doc = json.loads(path.read_text())
        kinds.add(doc["kind"])
        messages = doc["request"]["messages"]
        names = {m["name"] for m in doc["members"]}
        assert all(m["from"]["name"] in names and m["duration"]["startTime"] for m in messages)
        for item in doc["gold"]["actionItems"] + doc["gold"]["questions"]:
            assert all(0 <= i < len(messages) for i in item["messages"]), (path, item)
        for item in doc["gold"]["actionItems"]:
            assert item["text"] and isinstance(item["followUp"], bool)
            if item["dueDate"]:
                said = messages[item["messages"][0]]["duration"]["startTime"][:10]
                assert date.fromisoformat(item["dueDate"]) >= date.fromisoformat(said), path
        assert doc["gold"]["topics"] and all(doc["gold"]["topics"])
    assert len(kinds) >= 8


def _labels_are_well_formed(gold: dict, messages: list[dict], where) -> None:
    for item in gold["actionItems"] + gold["questions"]:
        assert item["messages"] and all(0 <= i < len(messages) for i in item["messages"]), (where, item)
    for item in gold["actionItems"]:
        assert item["text"] and isinstance(item["followUp"], bool), (where, item)
        if item["dueDate"]:
            said = messages[item["messages"][0]]["duration"]["startTime"][:10]
            assert date.fromisoformat(item["dueDate"]) >= date.fromisoformat(said), (where, item)
    assert gold["topics"] and all(gold["topics"]), where


def test_second_labels_are_of_tune_conversations_and_well_formed():
    for path in sorted((HERE / "second_labels").glob("*.json")):
        doc = json.loads((HERE / "tune" / path.name).read_text())
        second = json.loads(path.read_text())["gold"]
        _labels_are_well_formed(second, doc["request"]["messages"], path)
        names = {m["name"] for m in doc["members"]}
        assert all(a["assignee"] in names | {None} for a in second["actionItems"]), path


def test_a_labelling_scored_against_itself_agrees_on_every_figure(monkeypatch):
    """The adapter that dresses a labelling as the server's answer loses nothing: a
    conversation's own labels, scored as if returned, are right on every count."""
    monkeypatch.syspath_prepend(str(HERE))
    agreement = _load("agreement")
    doc = json.loads((HERE / "tune" / "sales-discovery.json").read_text())
    score = agreement.scoring.Score()
    score.conversation("sales-discovery", doc, agreement.as_returned(doc, doc["gold"]))
    figures = score.figures()
    for key in ("actionItems", "followUps", "questions", "topics"):
        assert figures[key]["f1"] == 1.0, (key, figures[key])
    for key in ("assignee", "dueDate"):
        assert figures[key]["right"] == figures[key]["of"] > 0, (key, figures[key])


def test_the_second_look_ships_the_weights_the_labelled_conversations_give(monkeypatch):
    """second_look.json is fitted, not written by hand: refitting on tune/ and train/ with the
    rules as they are gives the same weights (benchmarks/insights/fit_second_look.py writes it).
    Within 0.01 each rather than byte for byte: another scikit-learn, scipy or BLAS may move the
    fourth decimal, while a rule changed without a refit moves the weights of every signal it
    touches by far more (and adds or removes signals)."""
    # The fit needs scikit-learn, which the bench extra installs and the test extra does not.
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (the bench extra)")
    monkeypatch.syspath_prepend(str(HERE))
    fit = _load("fit_second_look")
    shipped, refitted = json.loads(fit.TARGET.read_text()), json.loads(fit.fitted())
    assert shipped["fittedOn"] == refitted["fittedOn"], "run benchmarks/insights/fit_second_look.py"
    for kind in ("actionItems", "followUps", "questions"):
        # each kind's threshold is its own (benchmarks/insights/weighings.py), written with its weights
        assert shipped[kind]["threshold"] == refitted[kind]["threshold"], f"{kind}: run benchmarks/insights/fit_second_look.py"
        old, new = shipped[kind]["weights"], refitted[kind]["weights"]
        moved = {s: (old.get(s, 0.0), new.get(s, 0.0)) for s in old.keys() | new.keys()
                 if abs(old.get(s, 0.0) - new.get(s, 0.0)) > 0.01}
        assert not moved, f"{kind}: run benchmarks/insights/fit_second_look.py ({len(moved)} weights moved)"


def test_the_topic_ranking_ships_the_weights_the_labelled_conversations_give(monkeypatch):
    """topic_ranking.json is fitted like second_look.json (benchmarks/insights/
    fit_topic_ranking.py): refitting on tune/ and train/ with the topic rules as they are gives
    the same setting and, within 0.01, the same weights. A rule that changes which phrases are
    candidates, or what is read of them, moves them further and adds or drops head words."""
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (the bench extra)")
    monkeypatch.syspath_prepend(str(HERE))
    fit = _load("fit_topic_ranking")
    shipped, refitted = json.loads(fit.TARGET.read_text()), json.loads(fit.fitted())
    for key in ("fittedOn", "limit", "threshold"):
        assert shipped[key] == refitted[key], f"{key}: run benchmarks/insights/fit_topic_ranking.py"
    old, new = shipped["weights"], refitted["weights"]
    moved = {s: (old.get(s, 0.0), new.get(s, 0.0)) for s in old.keys() | new.keys()
             if abs(old.get(s, 0.0) - new.get(s, 0.0)) > 0.01}
    assert not moved and abs(shipped["intercept"] - refitted["intercept"]) <= 0.01, \
        f"run benchmarks/insights/fit_topic_ranking.py ({len(moved)} weights moved)"
