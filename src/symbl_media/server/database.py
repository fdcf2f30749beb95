"""The sandbox's SQLite file: its tables, private on disk, opened as one connection in WAL
mode (``connect``); what the rows mean is ``store.py``."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at REAL NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    insights TEXT, insights_options TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, status TEXT NOT NULL, options TEXT NOT NULL,
    upload TEXT, content_type TEXT, error TEXT, duration REAL,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, origin TEXT);
CREATE INDEX IF NOT EXISTS jobs_by_conversation ON jobs (conversation_id, seq);
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, position INTEGER NOT NULL,
    name TEXT, email TEXT, user_id TEXT, job_id TEXT);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, job_id TEXT NOT NULL,
    position INTEGER NOT NULL, text TEXT NOT NULL, member_id TEXT,
    start REAL NOT NULL, end REAL NOT NULL, words TEXT NOT NULL DEFAULT '[]',
    channel INTEGER);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation_id, position);
"""


def connect(path: Path) -> sqlite3.Connection:
    """The database at ``path``, made private, tables created, older databases brought up to
    date. One connection, shared by the sandbox's threads behind ``Store``'s lock."""
    _private_database(Path(path))
    db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    # What is deleted or replaced (a plain token or secret of an older version) is
    # overwritten on disk, not left in a free page.
    db.execute("PRAGMA secure_delete=ON")
    db.executescript(SCHEMA)
    # Databases made before jobs had an origin (the stated start of a Text API job
    # that began its conversation) get the column; NULL means none.
    if "origin" not in {r[1] for r in db.execute("PRAGMA table_info(jobs)")}:
        db.execute("ALTER TABLE jobs ADD COLUMN origin TEXT")
    return db


def _private_database(path: Path) -> None:
    """The database holds every transcript: 0600 whatever the umask, created so before SQLite
    opens it and tightened if an older version left it readable. SQLite gives the -wal and
    -shm files it makes the database file's permissions; ones left from before are tightened."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        try:
            os.chmod(path.with_name(path.name + suffix), 0o600)
        except FileNotFoundError:
            pass
