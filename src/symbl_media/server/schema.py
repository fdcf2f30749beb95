"""The sandbox's tables as they are now, one definition for SQLite and PostgreSQL.

``store.py`` builds every statement from these; ``migrations.py`` is how a database of any
earlier version comes to match them (a test checks that the two agree). Times are seconds
since the epoch (``Float``: double precision on PostgreSQL); JSON is kept as text.

Jobs are the queue: one row per job with its ``status`` and, while it runs, its lease: the
worker that runs it (``owner``), until when (``lease_expires``), since when (``started_at``)
and how many runs it has had (``attempts``, which also tells one run from the next).
``queue.py`` takes, renews and ends them.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, Table
from sqlalchemy import Text as _Text
from sqlalchemy.types import TypeDecorator


class Text(TypeDecorator):
    """Text as both databases can keep it: PostgreSQL refuses NUL in text (a Text API
    message or a conversation name may hold one, and SQLite would keep it), so NUL is
    stored as U+FFFD on both, and a row reads back the same whichever database holds it."""

    impl = _Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


tables = MetaData()

meta = Table(
    "meta", tables,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False))

# A token is kept as its SHA-256 (``store.token_key``), never as itself.
tokens = Table(
    "tokens", tables,
    Column("token", Text, primary_key=True),
    Column("expires_at", Float, nullable=False))

conversations = Table(
    "conversations", tables,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("metadata", Text, nullable=False, server_default="{}"),
    Column("insights", Text),
    Column("insights_options", Text, nullable=False, server_default="{}"))

jobs = Table(
    "jobs", tables,
    Column("id", Text, primary_key=True),
    Column("conversation_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),  # its place among the conversation's jobs, from 1
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("options", Text, nullable=False),
    Column("upload", Text),
    Column("content_type", Text),
    Column("error", Text),
    Column("duration", Float),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("origin", Text),  # ISO-8601: the stated start of a Text API job that began it
    # The current run's lease (queue.py). owner: "host:PID.PLACE:random" (leases.worker_id);
    # lease_expires: epoch seconds, renewed while it runs (NULL, or past: anyone may take it
    # over); started_at: when this run was claimed; attempts: runs so far, counting this one
    # and those given back (the fencing token: it only ever goes up); given_back: how many
    # of them a stopping worker or a lost database gave back (not counted towards MAX_RUNS).
    Column("owner", Text),
    Column("lease_expires", Float),
    Column("started_at", Float),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("given_back", Integer, nullable=False, server_default="0"),
    # Two API processes appending to one conversation at once cannot both take a place.
    Index("jobs_conversation_seq", "conversation_id", "seq", unique=True),
    Index("jobs_by_status", "status"))

members = Table(
    "members", tables,
    Column("id", Text, primary_key=True),
    Column("conversation_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text),
    Column("email", Text),
    Column("user_id", Text),
    Column("job_id", Text))  # set: only this job's output refers to the member

messages = Table(
    "messages", tables,
    Column("id", Text, primary_key=True),
    Column("conversation_id", Text, nullable=False),
    Column("job_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("member_id", Text),
    Column("start", Float, nullable=False),
    Column("end", Float, nullable=False),
    Column("words", Text, nullable=False, server_default="[]"),
    Column("channel", Integer),
    Index("messages_by_conversation", "conversation_id", "position"))

# The running totals of ended jobs that /metrics' counters say (job_totals.py): one row per
# figure, added to in the transaction that ends a job, so they only go up.
job_totals = Table(
    "job_totals", tables,
    Column("name", Text, primary_key=True),
    Column("value", Float, nullable=False))

# Which migration steps a database has had (migrations.py); not part of ``tables``, since
# it is made before any step runs.
versions = Table(
    "schema_version", MetaData(),
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", Float, nullable=False))
