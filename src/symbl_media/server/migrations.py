"""How a database of any earlier version (or none) comes to match ``schema.py``: an ordered
list of steps, each run once, in one transaction, and recorded in ``schema_version``.

A step says what it did when it was written and is never edited afterwards, so step 1 keeps
its own copy of the tables as the unversioned releases made them; a change to ``schema.py``
comes with a new step (tests/server/test_store.py checks that a database migrated from
nothing has exactly ``schema.py``'s tables, columns and indexes). Steps are written with
SQLAlchemy's constructs, the same for SQLite and PostgreSQL.

Why not Alembic: the server runs inside ``submit`` (the base install), its steps are few and
run at start, and a list with a version table is all of Alembic that would be used here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    case,
    func,
    insert,
    inspect,
    select,
)

from symbl_media.errors import StoreError
from symbl_media.server import schema
from symbl_media.server.database import Database

# Held for the migration's transaction, so API processes and workers starting together on
# one PostgreSQL database migrate it once (SQLite: BEGIN IMMEDIATE does the same).
LOCK_KEY = 0x53594D424C  # "SYMBL"


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _unversioned_tables() -> MetaData:
    """The tables as releases before versioned migrations made them (frozen)."""
    tables = MetaData()
    Table("meta", tables, Column("key", Text, primary_key=True),
          Column("value", Text, nullable=False))
    Table("tokens", tables, Column("token", Text, primary_key=True),
          Column("expires_at", Float, nullable=False))
    Table("conversations", tables, Column("id", Text, primary_key=True),
          Column("name", Text, nullable=False), Column("created_at", Float, nullable=False),
          Column("metadata", Text, nullable=False, server_default="{}"),
          Column("insights", Text),
          Column("insights_options", Text, nullable=False, server_default="{}"))
    Table("jobs", tables, Column("id", Text, primary_key=True),
          Column("conversation_id", Text, nullable=False),
          Column("seq", Integer, nullable=False), Column("kind", Text, nullable=False),
          Column("status", Text, nullable=False), Column("options", Text, nullable=False),
          Column("upload", Text), Column("content_type", Text), Column("error", Text),
          Column("duration", Float), Column("created_at", Float, nullable=False),
          Column("updated_at", Float, nullable=False), Column("origin", Text),
          Index("jobs_by_conversation", "conversation_id", "seq"))
    Table("members", tables, Column("id", Text, primary_key=True),
          Column("conversation_id", Text, nullable=False),
          Column("position", Integer, nullable=False), Column("name", Text),
          Column("email", Text), Column("user_id", Text), Column("job_id", Text))
    Table("messages", tables, Column("id", Text, primary_key=True),
          Column("conversation_id", Text, nullable=False),
          Column("job_id", Text, nullable=False), Column("position", Integer, nullable=False),
          Column("text", Text, nullable=False), Column("member_id", Text),
          Column("start", Float, nullable=False), Column("end", Float, nullable=False),
          Column("words", Text, nullable=False, server_default="[]"),
          Column("channel", Integer),
          Index("messages_by_conversation", "conversation_id", "position"))
    return tables


def _tables_of_unversioned_releases(conn: Connection) -> None:
    """Made where missing; a SQLite file of an unversioned release keeps its rows. Ones made
    before jobs had an ``origin`` (the stated start of a Text API job that began its
    conversation) get the column, NULL meaning none."""
    frozen = _unversioned_tables()
    frozen.create_all(conn, checkfirst=True)
    if "origin" not in {c["name"] for c in inspect(conn).get_columns("jobs")}:
        conn.exec_driver_sql("ALTER TABLE jobs ADD COLUMN origin TEXT")


def _jobs_as_a_queue(conn: Connection) -> None:
    """A job's place in its conversation is unique (two API processes appending at once
    cannot both take it), and jobs are found by status (the queue, the 429 count)."""
    jobs = Table("jobs", MetaData(), autoload_with=conn)
    Index("jobs_by_conversation", jobs.c.conversation_id, jobs.c.seq).drop(conn, checkfirst=True)
    Index("jobs_conversation_seq", jobs.c.conversation_id, jobs.c.seq,
          unique=True).create(conn, checkfirst=True)
    Index("jobs_by_status", jobs.c.status).create(conn, checkfirst=True)


def _leases(conn: Connection) -> None:
    """Jobs get a lease: who runs one, until when, since when, and how many runs it has had
    (queue.py). A job left in progress by an older version has no lease, so it is taken over
    at once, as an older version's restart would have run it again."""
    have = {c["name"] for c in inspect(conn).get_columns("jobs")}
    for name, kind in (("owner", Text()), ("lease_expires", Float()), ("started_at", Float())):
        if name not in have:
            conn.exec_driver_sql(f"ALTER TABLE jobs ADD COLUMN {name} "
                                 f"{kind.compile(dialect=conn.dialect)}")
    if "attempts" not in have:
        conn.exec_driver_sql("ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")


def _given_back_apart(conn: Connection) -> None:
    """Runs given back are counted in their own column, so ``attempts`` (the fencing token)
    only goes up. A database of step 3 gave a run back by counting ``attempts`` down: its
    jobs start with none given back, which is what its counts already say."""
    if "given_back" not in {c["name"] for c in inspect(conn).get_columns("jobs")}:
        conn.exec_driver_sql("ALTER TABLE jobs ADD COLUMN given_back INTEGER NOT NULL DEFAULT 0")


# The histogram's bucket bounds when step 5 was written (job_totals.JOB_BUCKETS then).
_STEP5_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
                  14400.0)


def _job_totals(conn: Connection) -> None:
    """Running totals of ended jobs (job_totals.py), so /metrics' counters only go up; made
    with what the ended jobs still in the table add up to (those of conversations already
    deleted are not counted), in one aggregate query. A database that has the table already
    (its version record lost) keeps the totals it has: they are running already."""
    if inspect(conn).has_table("job_totals"):
        return
    totals = Table("job_totals", MetaData(), Column("name", Text, primary_key=True),
                   Column("value", Float, nullable=False))
    totals.create(conn)
    jobs = Table("jobs", MetaData(), autoload_with=conn)
    run = jobs.c.updated_at - func.coalesce(jobs.c.started_at, jobs.c.created_at)
    run = case((run < 0, 0.0), else_=run)
    bucket = case(*[(run <= b, f"{b:g}") for b in _STEP5_BUCKETS], else_="+Inf")
    media = jobs.c.kind != "text"
    rows = conn.execute(
        select(jobs.c.status, media.label("media"), bucket.label("bucket"),
               func.count().label("n"), func.sum(run).label("seconds"),
               func.sum(func.coalesce(jobs.c.duration, 0.0)).label("audio"))
        .where(jobs.c.status.in_(("completed", "failed")))
        .group_by(jobs.c.status, media, bucket)).all()
    amounts: dict[str, float] = {}
    for row in rows:
        for name, value in ((f"{row.status}:count", row.n),
                            (f"{row.status}:seconds", row.seconds),
                            (f"{row.status}:le:{row.bucket}", row.n)):
            amounts[name] = amounts.get(name, 0.0) + float(value or 0.0)
        if row.status == "completed" and row.media:
            amounts["media:seconds"] = amounts.get("media:seconds", 0.0) + float(row.seconds or 0)
            amounts["media:audio"] = amounts.get("media:audio", 0.0) + float(row.audio or 0)
    if amounts:
        conn.execute(insert(totals), [{"name": k, "value": v} for k, v in sorted(amounts.items())])


STEPS = (
    Step(1, "the tables of the unversioned releases", _tables_of_unversioned_releases),
    Step(2, "jobs as a queue: a unique place per conversation, an index by status",
         _jobs_as_a_queue),
    Step(3, "leases: a job's owner, lease expiry, start of its run and attempts", _leases),
    Step(4, "runs given back counted apart, so attempts only goes up", _given_back_apart),
    Step(5, "running totals of ended jobs, seeded from the jobs there", _job_totals),
)
LATEST = STEPS[-1].version


def migrate(db: Database) -> list[int]:
    """Run the steps this database has not had; returns their versions. A database made by
    a newer version is refused (``StoreError``) rather than guessed at."""
    with db.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
        schema.versions.create(conn, checkfirst=True)
        done = conn.scalar(select(func.max(schema.versions.c.version))) or 0
        if done > LATEST:
            raise StoreError(f"{db.described} was made by a newer symbl-media (schema "
                             f"version {done}; this one knows up to {LATEST})")
        ran = []
        for step in STEPS[done:]:
            step.apply(conn)
            conn.execute(insert(schema.versions).values(
                version=step.version, description=step.description, applied_at=time.time()))
            ran.append(step.version)
        return ran
