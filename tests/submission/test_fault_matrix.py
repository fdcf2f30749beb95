"""The fault matrix, part 1: faults in the requests that send the pieces (the first piece, a
middle append, the last append). The cells and their checks: fault_matrix.py."""

from __future__ import annotations

import pytest

from submission.fault_matrix import SENDING_CELLS, baseline, check_cell, quick_recording

__all__ = ["baseline", "quick_recording"]  # module fixtures, used by name


@pytest.mark.parametrize("kind, where", SENDING_CELLS,
                         ids=[f"{k} @ {w}" for k, w in SENDING_CELLS])
def test_cell(kind, where, box, ops, quick_recording, baseline, tmp_path):
    check_cell(kind, where, box, ops, quick_recording, baseline, tmp_path)
