"""pytest fixtures for symbl-media plugin authors, loaded automatically (entry point pytest11):

    def test_my_sink(symbl_sandbox, register_plugin):
        import my_plugin
        register_plugin(my_plugin)                 # for this test only
        api = symbl_sandbox.client()               # a Symbl-compatible server on loopback
"""

from __future__ import annotations

import contextlib

import pytest


@pytest.fixture
def symbl_sandbox(tmp_path):
    """A running sandbox (``RunningSandbox``: ``.url``, ``.client()``, ``.app``) with its data
    in the test's temporary folder."""
    from symbl_media.testing import running_sandbox

    with running_sandbox(tmp_path / "symbl-sandbox") as sandbox:
        yield sandbox


@pytest.fixture
def register_plugin():
    """``register_plugin(module_or_object, name=None)``: registered until the test ends."""
    from symbl_media.testing import plugin_registered

    with contextlib.ExitStack() as stack:
        yield lambda plugin, name=None: stack.enter_context(plugin_registered(plugin, name))
