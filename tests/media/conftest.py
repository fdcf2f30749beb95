"""What the media tests share: ffmpeg run quietly to make their inputs, and a decode in parts
(or split between two processes) allowed on files far shorter than a real one's minimum."""

from __future__ import annotations

import subprocess

import pytest

from symbl_media.media.parts import MIN_PART_ENV


def run_ffmpeg(*args) -> None:
    """ffmpeg with ``args`` (paths may be Path), errors only, overwriting, failing loudly."""
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *map(str, args)], check=True)


@pytest.fixture
def parts_on_short_files(monkeypatch):
    """SYMBL_MEDIA_MIN_PART_SECONDS=0: parts (and the split) on a file of a few seconds, so
    the many inputs the tests compare stay small."""
    monkeypatch.setenv(MIN_PART_ENV, "0")
