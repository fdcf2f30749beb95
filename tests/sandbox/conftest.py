"""Fixtures for the sandbox tests: a running server on loopback and a client for it."""

from __future__ import annotations

import pytest

from symbl_media.testing import running_sandbox


@pytest.fixture
def sandbox(tmp_path):
    with running_sandbox(tmp_path / "sandbox-data") as running:
        yield running


@pytest.fixture
def api(sandbox):
    return sandbox.client()
