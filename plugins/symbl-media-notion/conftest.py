"""Lets the tests import symbl_media_notion from this folder when the plugin is not installed."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)

try:
    import symbl_media_notion  # noqa: F401  (installed: use that)
except ImportError:
    sys.path.insert(0, HERE)
