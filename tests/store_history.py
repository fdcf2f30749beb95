"""The sandbox's database as earlier releases made it, for the tests of opening an older
data folder (a module of its own: ``conftest`` is a name several folders here use)."""

# The SQLite tables as the releases before versioned migrations made them (frozen).
UNVERSIONED_SQLITE_SCHEMA = """
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
