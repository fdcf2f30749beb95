"""One reading of the verb a gerund is of, for the rewriting and the follow-up flag
(lexicon.verb_of_gerund): "mind texting her" is "text her" in both, "morning" no verb."""

from __future__ import annotations

from symbl_media.server.insights import follow_ups, lexicon, rewrite


def test_a_gerund_the_lexicon_does_not_know_is_read_by_the_rules_for_verbs():
    assert lexicon.verb_of_gerund("texting") == "text"
    assert follow_ups._said_plainly("mind texting her the address") == "text her the address"
    assert rewrite._base_verb("texting her the address") == "text her the address"


def test_a_word_the_lexicon_knows_only_as_a_noun_is_no_verb():
    assert lexicon.verb_of_gerund("morning") == "morning"
    assert rewrite._base_verb("morning coffee first") == "morning coffee first"
    # near miss: a gerund the lexicon knows as a verb is its verb
    assert lexicon.verb_of_gerund("calling") == "call"
    assert lexicon.verb_of_gerund("redoing") == "redo"
    assert follow_ups._said_plainly("mind calling the laundry service") == "call the laundry service"
