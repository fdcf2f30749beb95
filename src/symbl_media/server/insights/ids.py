"""Deterministic digit-string ids: the same conversation, kind and content give the same id."""

from __future__ import annotations

import hashlib

_SEP = "\x1f"


def make_id(conversation_id: str, kind: str, *parts: object) -> str:
    """A 16-digit id (no leading zero), like Symbl's, derived from what it identifies."""
    key = _SEP.join([str(conversation_id), kind, *map(str, parts)])
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:8], "big")
    return str(10**15 + digest % (9 * 10**15))
