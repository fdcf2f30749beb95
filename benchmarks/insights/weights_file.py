"""The command line the fitting scripts share: write the fitted weights into the package, or
with --check only say whether the shipped file is what the labelled conversations give."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path


def main(argv: list[str] | None, description: str, target: Path, fitted: Callable[[], str],
         summary: Callable[[dict], str]) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights, write nothing")
    args = parser.parse_args(argv)
    text = fitted()
    if args.check:
        same = target.exists() and target.read_text() == text
        print("the shipped weights are what the labelled conversations give" if same else
              f"{target.name} differs from what the labelled conversations give: run this without --check")
        return 0 if same else 1
    target.write_text(text)
    print(f"wrote {target} ({summary(json.loads(text))})")
    return 0
