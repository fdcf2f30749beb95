"""Identifiers shaped like Symbl's: digit strings for conversations and messages, UUIDs else."""

from __future__ import annotations

import re
import secrets
import uuid

_DIGITS = re.compile(r"\d{1,30}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def conversation_id() -> str:
    return str(secrets.randbelow(9 * 10**15) + 10**15)  # 16 digits, like "5815170693595136"


def job_id() -> str:
    return str(uuid.uuid4())


def member_id() -> str:
    return str(uuid.uuid4())


def is_conversation_id(value: str) -> bool:
    """Ids reach file names and SQL: only well-formed ones get past the router."""
    return bool(_DIGITS.fullmatch(value))


def is_uuid(value: str) -> bool:
    return bool(_UUID.fullmatch(value))
