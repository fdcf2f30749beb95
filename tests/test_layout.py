"""The layout's rules hold: import-linter's contracts in pyproject.toml (no cycle between
folders at any depth, imports inside functions counted; media/ imports nothing above it; the
server never imports the client side; the leaves import only each other) and ruff's pyflakes
checks (an unused or undefined name is how a half-done move shows), ruff's default rules on
src/ with pyproject.toml's settings; mypy on the contract and
the client (pyproject.toml's [tool.mypy] names them), whose types both sides rely on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_the_import_contracts_are_kept():
    done = subprocess.run([BIN / "lint-imports", "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_ruff_finds_no_unused_or_undefined_name():
    done = subprocess.run([BIN / "ruff", "check", "--no-cache", "--select", "F,E9",
                           "src", "tests", "plugins", "benchmarks"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_the_package_keeps_ruffs_rules():
    """src/ under ruff's default rules, with the project's settings in pyproject.toml."""
    done = subprocess.run([BIN / "ruff", "check", "--no-cache", "src"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_mypy_finds_no_type_error_in_the_contract_or_the_client():
    done = subprocess.run([BIN / "mypy", "--no-incremental"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
