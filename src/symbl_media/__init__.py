"""symbl-media: get any recording through Symbl.ai's Async API.

The Python API is the official Symbl SDK's Async interface (``import symbl_media as symbl``:
``symbl.Audio``, ``symbl.Video``, ``symbl.Text``, docs/python-api.md). It is imported on first
use, so ``import symbl_media`` (and the CLI) stays quick.
"""

__version__ = "0.1.0"

_LAZY = {
    "Audio": "symbl_media.sdk.async_api", "Video": "symbl_media.sdk.async_api", "Text": "symbl_media.sdk.async_api",
    "Conversation": "symbl_media.sdk.conversation",
    "SymblMediaError": "symbl_media.errors", "ApiError": "symbl_media.errors",
    "AuthError": "symbl_media.errors", "InvalidArgument": "symbl_media.errors",
    "JobFailed": "symbl_media.errors", "Unreachable": "symbl_media.errors",
    "InputNotFound": "symbl_media.errors",
}

__all__ = ["Audio", "Conversation", "Text", "Video", "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symbl_media' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
