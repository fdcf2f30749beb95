"""Make ``symbl_media_slack`` importable from this folder when the distribution is not installed
(``pytest plugins/symbl-media-slack/tests`` from a symbl-media checkout)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)

if importlib.util.find_spec("symbl_media_slack") is None and HERE not in sys.path:
    sys.path.insert(0, HERE)
