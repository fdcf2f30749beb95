"""The options the client sends are the options the server accepts: one table of names and
ranges (contract/accepted.py) for both."""

from __future__ import annotations

import pytest

from symbl_media.contract import accepted
from symbl_media.contract.options import (ApiOptions, ChannelSpeaker, OptionProblem, Tracker,
                                          check_confidence)

EVERY_OPTION = ApiOptions(
    name="standup", webhook="https://example.com/hook", vocabulary=("Kubernetes",),
    confidence=0.7, detect_phrases=True, entities=({"customType": "Stage", "text": "beta"},),
    detect_entities=True, separate_channels=True,
    channels=(ChannelSpeaker(1, "Ann", "ann@example.com"),), language="es-ES", mode="phone",
    trackers=(Tracker("Money", ("budget", "price")),), all_trackers=True, summary=True,
    diarize=2)


def test_everything_the_client_can_say_is_accepted_as_it_is_sent():
    sent = EVERY_OPTION.to_json("audio")
    assert accepted.validate(sent) == sent
    assert set(sent) == {f for f in accepted.keys() if f != accepted.OPTION.url}


@pytest.mark.parametrize("value", [0.49, 1.01])
def test_both_sides_refuse_the_same_confidence(value):
    with pytest.raises(OptionProblem, match="0.5 to 1.0"):
        check_confidence(value)
    with pytest.raises(OptionProblem) as refused:
        accepted.validate({"confidenceThreshold": value})
    assert str(refused.value) == ('"confidenceThreshold" must be greater than or equal to 0.5 '
                                  'and less than or equal to 1')
    assert refused.value.option == "confidenceThreshold"


@pytest.mark.parametrize("body, message", [
    ({}, '"url" is required'),
    ({"url": "ftp://example.com/a.mp3"},
     '"url" must be a valid uri with a scheme matching the http|https pattern'),
    ({"url": "http://[x"}, '"url" must be a valid uri with a scheme matching the http|https '
                           'pattern')])
def test_a_media_url_must_be_a_web_url(body, message):
    with pytest.raises(OptionProblem, match=message.replace("|", "\\|").replace("[", "\\[")):
        accepted.check_media_url(body)
    assert accepted.check_media_url({"url": " https://example.com/a.mp3 "}) == \
        "https://example.com/a.mp3"
