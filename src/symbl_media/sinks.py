"""Where insights go: ``--sink NAME[:TARGET]``. JSON for now; more kinds come as plugins."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from symbl_media.collect import Insights
from symbl_media.errors import OutputError, SymblMediaError
from symbl_media.prepared import write_json_atomic

KINDS = ("json",)


class SinkProblem(SymblMediaError):
    exit_code = 2


@dataclass(frozen=True)
class SinkSpec:
    kind: str
    target: str | None  # a path, "-" for stdout, or None for the kind's default

    @classmethod
    def parse(cls, text: str) -> "SinkSpec":
        kind, _, target = text.partition(":")
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise SinkProblem(f"--sink {text!r}: unknown sink {kind!r} (known: "
                              f"{', '.join(KINDS)})")
        return cls(kind, target or None)


def write(spec: SinkSpec, insights: Insights) -> str:
    """Hand ``insights`` to one sink; returns where they went, for the summary."""
    data = insights.to_json()
    if spec.target in (None, "-"):
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return "standard output"
    path = Path(spec.target)
    if path.is_dir():
        path = path / f"{insights.conversation_id}.json"
    try:
        write_json_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the insights there ({exc.strerror})") from None
    return str(path)
