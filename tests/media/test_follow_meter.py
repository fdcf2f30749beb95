"""The level meter the cuts are decided from (follow.Meter): each 20 ms frame's mean power,
exact whatever the blocks the WAV arrives in, and read without fresh memory per block."""

from __future__ import annotations

import resource

import numpy as np

from symbl_media.media.follow import FULL_SCALE, Meter


def _exact(samples: np.ndarray, frame: int) -> list[float]:
    """Each frame's sum of squares in Python integers, then scaled as the meter scales it."""
    values = [int(v) for v in samples]
    whole = len(values) - len(values) % frame
    return [sum(v * v for v in values[at:at + frame]) / (frame * FULL_SCALE)
            for at in range(0, whole, frame)]


def test_each_frames_power_is_exact_in_any_blocks_at_full_scale():
    rate, channels = 16000, 2
    frame = round(rate * 0.02) * channels
    rng = np.random.default_rng(7)
    samples = rng.integers(-32768, 32768, size=frame * 37 + 11, dtype=np.int16)
    samples[:frame] = -32768  # the largest square there is, a whole frame of it
    data = samples.astype("<i2").tobytes()
    expected = _exact(samples, frame)
    assert expected[0] == 1.0
    for cuts in ([len(data)], [2, 640, 641, 1279, 5000, len(data)], list(range(6, len(data), 6))):
        meter, got, at = Meter(rate, channels), [], 0
        for end in [*cuts, len(data)]:
            got += list(meter.feed(data[at:end]))
            at = end
        assert got == expected  # equal floats, not close ones


def test_metering_takes_no_fresh_memory_per_block():
    """64 blocks of 1 MiB (what follow.Growing reads at a time): squaring each block as int64
    arrays made two 4 MiB arrays per block, each taken from the kernel page by page (2,048
    page faults a block; 1.7 million and 2.6 s of system CPU on the 8-hour benchmark)."""
    rng = np.random.default_rng(1)
    block = rng.integers(-32768, 32768, size=1 << 19, dtype=np.int16).tobytes()  # 1 MiB
    meter = Meter(16000, 1)
    meter.feed(block)  # the first block may set up what the rest reuse
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(64):
        meter.feed(block)
    faults = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before
    assert faults < 64 * 4, f"{faults} page faults for 64 blocks"
