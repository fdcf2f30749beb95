"""Kept for plugins written before the hooks moved to ``symbl_media.plugins``: their
``from symbl_media.hookspecs import hookimpl`` goes on working. New code imports from
``symbl_media.plugins`` (docs/plugins.md)."""

from symbl_media.plugins.hookspecs import hookimpl, hookspec

__all__ = ["hookimpl", "hookspec"]
