"""An offer of "I could …" taken up by telling the one who offered to go ahead ("Do it.", "Yes,
do that.", "Go for it.") is their task, as one welcomed with "yes please" is
(welcomes._WELCOME). Each test holds the near miss that stays as it was."""

from __future__ import annotations

from .test_insights import chat


def tasks(*lines: tuple[str, str]) -> list[tuple[str, int]]:
    return [(a["text"], len(a["messageIds"])) for a in chat(*lines)["actionItems"]]


def test_i_could_told_to_go_ahead_is_the_offerers_task():
    assert tasks(("Ana", "That's real money. I could build a paid late checkout in the PMS."),
                 ("Ben", "Do it. How long would you need?")) == [("Ana will build a paid late checkout in the PMS.", 2)]
    assert tasks(("Ana", "I could ask Rui at the Taberna for a group price."),
                 ("Ben", "Yes, do that.")) == [("Ana will ask Rui at the Taberna for a group price.", 2)]
    assert tasks(("Ana", "I could ask Rui at the Taberna for a group price."),
                 ("Ben", "Go for it.")) == [("Ana will ask Rui at the Taberna for a group price.", 2)]


def test_i_could_not_told_to_go_ahead_stays_no_task():
    # near misses: turned down, a question about when, a wait
    assert tasks(("Ana", "I could ask Rui at the Taberna for a group price."),
                 ("Ben", "No, don't do that.")) == []
    assert tasks(("Ana", "I could ask Rui at the Taberna for a group price."),
                 ("Ben", "Do it now? He's busy.")) == []
    assert tasks(("Ana", "I could ask Rui at the Taberna for a group price."),
                 ("Ben", "Hmm, let's wait.")) == []
