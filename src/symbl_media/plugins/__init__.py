"""Plugins: what a plugin author imports, in one place.

    from symbl_media.plugins import hookimpl, Sink, SinkCall

The hooks are in ``hookspecs``, the frozen descriptions a plugin registers in ``types``, the
manager that loads built-ins and entry points alike in ``manager``, the built-in plugins in
``builtins/`` (registered exactly like a third party's), the pytest fixtures in
``pytest_fixtures``. docs/plugins.md documents each.
"""

from symbl_media.errors import SymblMediaError
from symbl_media.plugins.hookspecs import hookimpl, hookspec
from symbl_media.plugins.types import Engine, InputSource, Preprocessor, Sink, SinkCall

__all__ = ["Engine", "InputSource", "Preprocessor", "Sink", "SinkCall", "SymblMediaError",
           "hookimpl", "hookspec"]
