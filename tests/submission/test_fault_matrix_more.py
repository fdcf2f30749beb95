"""The fault matrix, part 2: faults at the insight fetch, failed jobs, an unreachable
webhook, a full disk and a killed ffmpeg. The cells and their checks: fault_matrix.py."""

from __future__ import annotations

import pytest

from submission.fault_matrix import OTHER_CELLS, baseline, check_cell, delivered, quick_recording

__all__ = ["baseline", "delivered", "quick_recording"]  # module fixtures, used by name


@pytest.mark.parametrize("kind, where", OTHER_CELLS, ids=[f"{k} @ {w}" for k, w in OTHER_CELLS])
def test_cell(kind, where, box, ops, quick_recording, baseline, delivered, tmp_path):
    at_fetch = where == "insight fetch"
    check_cell(kind, where, box, ops, quick_recording, baseline, tmp_path,
               delivered=delivered if at_fetch else None)
