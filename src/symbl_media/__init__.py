"""symbl-media: get any recording through Symbl.ai's Async API."""

__version__ = "0.1.0"
