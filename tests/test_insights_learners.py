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
