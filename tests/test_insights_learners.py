"""The two judges of the second look (benchmarks/insights/learn_actions.py and
learn_questions.py) take the same options the same way: --misses lists tune/'s misses, with
--apart those of a batch judged by a model trained on the rest too, and neither lists train/'s."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent / "benchmarks" / "insights"


@pytest.fixture
def learners(monkeypatch):
    monkeypatch.syspath_prepend(str(HERE))
    import learn_actions
    import learn_questions
    # No conversation is read: the options alone are under test.
    monkeypatch.setattr(learn_questions, "load", lambda *args, **kwargs: {})
    return learn_actions, learn_questions


@pytest.mark.parametrize("argv", [
    ["--misses", "--apart", "agency-checkin"],
    ["--misses"],
])
def test_both_list_misses_with_or_without_a_batch_apart(learners, argv):
    for learner in learners:
        assert learner.main(argv) == 0, learner.__name__


def test_neither_lists_the_misses_of_train(learners):
    for learner in learners:
        with pytest.raises(SystemExit):
            learner.main(["--misses", "--fresh"])


def test_the_batch_apart_is_judged_by_a_model_trained_on_the_rest(learners):
    learn_actions, _ = learners
    def rows(name):
        return ([{"conversation": name, "signals": ["kind:request"], "label": True, "rules": True},
                 {"conversation": name, "signals": ["kind:group"], "label": False, "rules": True}], 1)
    everything = {name: rows(name) for name in ("a", "b", "c", "d")}
    verdict = learn_actions.verdicts(everything, ["d"])
    assert set(verdict) == {id(r) for rs, _ in everything.values() for r in rs}
    assert [verdict[id(r)] for r in everything["d"][0]] == [True, False]


@pytest.fixture
def weighings(monkeypatch):
    monkeypatch.syspath_prepend(str(HERE))
    import weighings
    return weighings


def _rows(name, *pairs):
    return ([{"conversation": name, "signals": signals, "label": label, "rules": True} for signals, label in pairs], 1)


def test_a_signal_is_read_when_seen_in_as_many_conversations_as_the_weighing_says(learners, weighings):
    # "w:rare" is said in one conversation only: read with least 1, not with the first fit's 2.
    _, learn_questions = learners
    rows = [*_rows("a", (["bias", "w:rare"], True), (["bias"], False))[0],
            *_rows("b", (["bias", "w:common"], True), (["bias"], False))[0],
            *_rows("c", (["bias", "w:common"], True), (["bias"], False))[0]]
    assert "w:rare" in learn_questions.train(rows, "rules", weighings.Weighing(0.3, 1))
    assert "w:rare" not in learn_questions.train(rows, "rules", weighings.Weighing(0.3, 2))


def test_each_kind_is_judged_at_its_own_threshold(learners, weighings):
    # The same fit, kept at a threshold of 0 and dropped at one of 1: leave_one_out reads the
    # weighing's threshold, not one shared by every kind.
    _, learn_questions = learners
    everything = {n: _rows(n, (["bias", "kind:request"], True), (["bias", "kind:group"], False)) for n in "abc"}
    def kept(threshold):
        verdict = learn_questions.leave_one_out(everything, "rules", weighing=weighings.Weighing(0.3, 2, threshold))
        return sum(verdict.values())
    assert kept(0.0) == 6 and kept(1.0) == 0 and kept(0.5) == 3


def test_the_cross_validation_prefers_f1_but_holds_action_items_to_their_precision(monkeypatch, weighings):
    monkeypatch.syspath_prepend(str(HERE))
    import tune_weighing
    W = weighings.Weighing
    def figures(right, returned, labelled=100):
        return {"right": right, "returned": returned, "labelled": labelled}
    judged = [(W(0.1, 2, 0.3), figures(90, 110)),   # F1 0.857, precision 0.818
              (W(0.3, 2, 0.5), figures(80, 90)),    # F1 0.842, precision 0.889
              (W(1.0, 2, 0.6), figures(70, 75))]    # F1 0.800
    assert tune_weighing.best("questions", judged)[0] == W(0.1, 2, 0.3)
    assert tune_weighing.best("actions", judged)[0] == W(0.3, 2, 0.5)
    # a tie goes to the first fit's setting
    tied = [(W(0.1, 2, 0.5), figures(80, 90)), (weighings.FIRST, figures(80, 90))]
    assert tune_weighing.best("questions", tied)[0] == weighings.FIRST
    # the folds are of whole conversations, every one in exactly one
    folds = tune_weighing.folds([f"c{i:02}" for i in range(14)])
    assert len(folds) == tune_weighing.FOLDS and sorted(n for f in folds for n in f) == [f"c{i:02}" for i in range(14)]


def test_the_alternatives_form_pairs_and_grow_trees_that_are_plain_nested_lists(monkeypatch):
    monkeypatch.syspath_prepend(str(HERE))
    import weighing_alternatives as alt
    assert alt.with_pairs(["kind:group", "then:sure", "due:True"], [("kind:", "then:")]) == \
        ["kind:group", "then:sure", "due:True", "kind:group&then:sure"]
    # a group plan is right with a day, a request without one: no sum of single weights can say
    # so (kind and date alone are right half the time), a pair of them or a tree of depth 2 can
    def row(i):
        kind, dated = ("group", "request")[i % 2], (i // 2) % 2 == 1
        return {"conversation": f"c{i}", "signals": ["bias", f"kind:{kind}", f"due:{dated}"],
                "label": dated == (kind == "group"), "rules": True}
    rows = [row(i) for i in range(80)]
    for fit in (lambda rs: alt.trees(rs, 0.3, 2, 20, 2), lambda rs: alt.regression(rs, 3.0, 2, (("kind:", "due:"),))):
        score = fit(rows)
        assert score(["bias", "kind:group", "due:True"]) > 0.5 > score(["bias", "kind:group", "due:False"])
        assert score(["bias", "kind:request", "due:False"]) > 0.5 > score(["bias", "kind:request", "due:True"])
    single = alt.regression(rows, 3.0, 2)
    assert abs(single(["bias", "kind:group", "due:True"]) - 0.5) < 0.05
    assert alt._walk(["due:True", -1.0, ["kind:group", 0.5, 2.0]], {"due:True", "kind:group"}) == 2.0


def test_an_l1_weighing_sets_the_signals_that_say_nothing_to_zero(learners, weighings):
    # The kind says it all; "w:noise", on three right candidates and one wrong, adds nothing: the
    # lasso weighs it 0, L2 a little.
    _, learn_questions = learners
    rows = [{"conversation": f"c{i % 4}", "signals": ["bias", f"kind:{('request', 'group')[i % 2]}",
                                                      *(["w:noise"] if i in (0, 1, 2, 4) else [])],
             "label": i % 2 == 0, "rules": True} for i in range(40)]
    lasso = learn_questions.train(rows, "rules", weighings.Weighing(1.0, 2, 0.5, "l1"))
    ridge = learn_questions.train(rows, "rules", weighings.Weighing(1.0, 2, 0.5))
    assert lasso["w:noise"] == 0.0 and ridge["w:noise"] != 0.0
    assert lasso["kind:request"] > 0 > lasso["kind:group"]
