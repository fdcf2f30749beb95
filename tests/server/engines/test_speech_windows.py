"""The parts of the transcriber that need no model: level, windows, loop detection."""

from __future__ import annotations

import numpy as np

from symbl_media.server.engines.decoding import repeats
from symbl_media.server.engines.speech import (
    RATE,
    Window,
    halves,
    normalise_level,
    pack_windows,
    split_at,
)


def test_quiet_audio_is_brought_up_and_loud_audio_left_alone():
    t = np.arange(RATE * 2) / RATE
    quiet = (0.005 * np.sin(2 * np.pi * 220 * t)).astype("float32")  # about -49 dBFS
    louder, gain = normalise_level(quiet)
    assert 25 < gain <= 30 and np.max(np.abs(louder)) < 1.0
    loud = (0.5 * np.sin(2 * np.pi * 220 * t)).astype("float32")
    same, gain = normalise_level(loud)
    assert gain == 0.0 and same is loud


def test_speech_is_packed_into_windows_of_at_most_thirty_seconds():
    spans = [(i * 10 * RATE, (i * 10 + 8) * RATE) for i in range(10)]  # 8 s of speech each
    windows = pack_windows(spans)
    assert [len(w.spans) for w in windows] == [3, 3, 3, 1]
    assert all(w.seconds <= 30 for w in windows)


def test_a_window_time_is_placed_back_after_the_pauses_cut_out():
    w = Window(((RATE, 3 * RATE), (10 * RATE, 12 * RATE)))  # 1-3 s and 10-12 s
    assert w.shift(0.5) + 0.5 == 1.5
    assert w.shift(2.5) + 2.5 == 10.5


def test_a_window_is_halved_at_the_join_nearest_its_middle():
    w = Window(((0, 5 * RATE), (6 * RATE, 16 * RATE), (17 * RATE, 27 * RATE)))  # joins at 5, 15 s
    first, second = halves(w)
    assert first.spans == w.spans[:2] and second.spans == w.spans[2:]
    one = Window(((0, 20 * RATE),))
    a, b = halves(one)
    assert a.spans == ((0, 10 * RATE),) and b.spans == ((10 * RATE, 20 * RATE),)


def test_a_stuck_decoder_is_told_from_a_speaker_repeating_himself():
    yeah, comma = 3363, 11
    assert repeats([50, 51, 52] + [yeah, comma] * 8)
    assert not repeats([50, 51] + [yeah, comma] * 3 + [60, 61])
    assert repeats(list(range(100, 108)) * 3)  # a whole phrase three times over


def test_a_window_is_cut_where_a_reading_stopped_inside_a_stretch_or_at_a_join():
    w = Window(((RATE, 3 * RATE), (10 * RATE, 14 * RATE)))  # 1-3 s and 10-14 s: 6 s heard
    head, rest = split_at(w, 3 * RATE)  # 3 s in: 1 s into the second stretch
    assert head.spans == ((RATE, 3 * RATE), (10 * RATE, 11 * RATE))
    assert rest.spans == ((11 * RATE, 14 * RATE),)
    assert head.samples + rest.samples == w.samples
    # the rest's own times are placed back in the piece as the whole window's were
    assert rest.shift(0.5) + 0.5 == w.shift(3.5) + 3.5 == 11.5
    head, rest = split_at(w, 2 * RATE)  # exactly at the join
    assert head.spans == w.spans[:1] and rest.spans == w.spans[1:]
