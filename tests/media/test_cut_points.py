"""Cuts decided while the audio arrives (cut_points): from the audio up to the end of each
cut's search window only, the same in any block size, and where plan_cuts would put them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from symbl_media.media.chunking import Cut, Silence, plan_cuts
from symbl_media.media.cut_points import CutPoints, reach

FPS = 50  # 20 ms frames
SPEECH, QUIET = 10 ** (-20 / 10), 10 ** (-70 / 10)  # mean powers: -20 dBFS, -70 dBFS


def levels(seconds: float, pauses: list[tuple[float, float]]) -> np.ndarray:
    power = np.full(round(seconds * FPS), SPEECH)
    for start, end in pauses:
        power[round(start * FPS):round(end * FPS)] = QUIET
    return power


def run(power: np.ndarray, piece: float, expected: float | None, splits=()) -> list[Cut]:
    cutter = CutPoints(piece, expected)
    cuts, at = [], 0
    for cut_at in [*splits, len(power)]:
        cuts += cutter.feed(power[at:cut_at])
        at = cut_at
    return cuts + cutter.finish(len(power) / FPS)


def test_a_cut_is_decided_at_the_end_of_its_window_and_not_before():
    power = levels(600, [(95, 97), (230, 231)])
    cutter = CutPoints(100, 600)
    window_end = round((100 + reach(100)) * FPS)  # 125 s
    assert cutter.feed(power[:window_end - 1]) == []
    assert cutter.feed(power[window_end - 1:window_end]) == [Cut(96.0, True)]


def test_audio_after_the_window_does_not_move_a_decided_cut():
    first = levels(600, [(95, 97)])
    other = first.copy()
    other[round(126 * FPS):] = QUIET  # a long pause right after the window: nearer, too late
    assert run(first, 100, 600)[0] == run(other, 100, 600)[0] == Cut(96.0, True)


@settings(max_examples=60, deadline=None)
@given(splits=st.lists(st.integers(1, 30_000 - 1), max_size=12, unique=True),
       pauses=st.lists(st.tuples(st.floats(0, 590), st.floats(0.3, 8)), max_size=25))
def test_the_cuts_are_the_same_whatever_the_blocks(splits, pauses):
    power = levels(600, [(s, s + d) for s, d in pauses])
    assert run(power, 100, 600, sorted(splits)) == run(power, 100, 600)


def same(cuts, expected) -> bool:
    return [(pytest.approx(c.at, abs=0.021), c.in_silence) for c in cuts] == \
        [(c.at, c.in_silence) for c in expected]


@pytest.mark.parametrize("pauses", [
    [(90, 91), (98.5, 99.5), (120, 121), (197, 198.2), (301, 302)],
    [(58.5, 59.5), (75, 76), (160, 161), (240, 242)],
    [],
])
def test_with_a_pause_in_reach_the_cut_is_plan_cuts_own(pauses):
    power = levels(400, pauses)
    silences = [Silence(a, b) for a, b in pauses]
    assert same(run(power, 100, 400), plan_cuts(400, silences, 100))


def test_a_pause_beyond_the_reach_is_not_used():
    power = levels(400, [(140, 150)])  # 40 s past the target, the reach is 25 s
    assert run(power, 100, 400)[0] == Cut(100.0, False)


def test_the_threshold_follows_the_noise_floor_heard_so_far():
    """Speech at -20 dB with room noise at -45 dB between words: a second of room noise is a
    pause, and short gaps between words are not."""
    power = np.full(300 * FPS, SPEECH)
    power[::7] = 10 ** (-45 / 10)  # 20 ms gaps between words
    power[round(99 * FPS):round(100 * FPS)] = 10 ** (-45 / 10)
    assert same(run(power, 100, 300)[:1], [Cut(99.5, True)])


def test_a_quiet_room_heard_first_keeps_its_threshold_however_loud_what_follows():
    """The threshold comes from the audio up to the decision: a -50 dB murmur is no pause
    in a studio at -70 dB (threshold -60), whatever a loud room after the window would say."""
    power = levels(300, [(40, 60)])  # a studio: 20 s at -70 dB set the floor
    power[round(99 * FPS):round(100 * FPS)] = 10 ** (-50 / 10)
    later = power.copy()
    later[round(126 * FPS):] = 10 ** (-30 / 10)  # a loud room after the window
    assert run(power, 100, 300)[0] == run(later, 100, 300)[0] == Cut(100.0, False)


def test_a_recording_longer_than_expected_is_cut_on_by_its_real_length():
    power = levels(500, [])
    # Expected 250 s: two pieces; it really lasts 500 s, so the tail is cut at the end.
    assert [c.at for c in run(power, 100, 250)] == [100.0, 200.0, 300.0, 400.0]


def test_unknown_length_cuts_every_piece_and_lets_a_short_tail_join():
    power = levels(330, [])
    assert [c.at for c in run(power, 100, None)] == [100.0, 200.0]
