"""The store on each backend: migrations from nothing and from an older data folder, and
what two processes on one database must agree on (a job's place, who takes a job, the
signing key). ``store_target`` (tests/conftest.py) is a SQLite file or a fresh PostgreSQL
database of the throwaway cluster."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, inspect, text

from store_history import UNVERSIONED_SQLITE_SCHEMA
from symbl_media.errors import StoreError
from symbl_media.server import migrations, schema
from symbl_media.server.database import open_database
from symbl_media.server.leases import Lease
from symbl_media.server.queue import JobQueue
from symbl_media.server.store import Store


def _layout(engine) -> dict:
    """Each table's columns (name, type family, nullable) and indexes (columns, unique)."""
    seen = inspect(engine)
    layout = {}
    for table in seen.get_table_names():
        columns = {c["name"]: (type(c["type"]).__name__.upper()[:3], c["nullable"])
                   for c in seen.get_columns(table)}
        indexes = {i["name"]: (tuple(i["column_names"]), bool(i["unique"]))
                   for i in seen.get_indexes(table)}
        layout[table] = (columns, indexes)
    return layout


def _engine(store: Store):
    return store._db.engine


def test_a_new_database_is_migrated_to_exactly_the_schema(store_target, tmp_path):
    store = Store(*store_target)
    try:
        got = _layout(_engine(store))
        with _engine(store).connect() as conn:
            versions = [r[0] for r in conn.execute(text(
                "SELECT version FROM schema_version ORDER BY version"))]
    finally:
        store.close()
    reference = create_engine(f"sqlite:///{tmp_path / 'reference.sqlite3'}")
    schema.tables.create_all(reference)
    schema.versions.create(reference)
    want = _layout(reference)
    # Types compared by family: FLOAT and DOUBLE PRECISION, TEXT and VARCHAR are the same here.
    family = {"DOU": "FLO", "REA": "FLO", "VAR": "TEX", "BIG": "INT"}
    tidy = {t: ({c: (family.get(k, k), n) for c, (k, n) in cols.items()}, idx)
            for t, (cols, idx) in got.items()}
    want = {t: ({c: (family.get(k, k), n) for c, (k, n) in cols.items()}, idx)
            for t, (cols, idx) in want.items()}
    assert tidy == want
    assert versions == [s.version for s in migrations.STEPS]


def test_opening_again_runs_no_step(store_target):
    Store(*store_target).close()
    db = open_database(*store_target)
    try:
        assert migrations.migrate(db) == []
    finally:
        db.close()


def test_an_unversioned_data_folder_opens_with_its_rows_and_is_migrated(tmp_path):
    path = tmp_path / "sandbox.sqlite3"
    with sqlite3.connect(path) as db:  # as the releases before versioned migrations left it
        db.executescript(UNVERSIONED_SQLITE_SCHEMA)
        db.execute("ALTER TABLE jobs DROP COLUMN origin")  # and an older one still
        db.execute("INSERT INTO conversations (id, name, created_at) VALUES ('1', 'old', 5)")
        for seq in (1, 2):
            db.execute("INSERT INTO jobs (id, conversation_id, seq, kind, status, options, "
                       "duration, created_at, updated_at) VALUES (?, '1', ?, 'text', "
                       "'completed', '{}', 2.5, 5, 5)", (f"j{seq}", seq))
    db.close()
    store = Store(path)
    try:
        assert store.conversation("1")["duration"] == 5.0
        assert [j["seq"] for j in store.jobs("1")] == [1, 2]
        assert store.jobs("1")[0]["origin"] is None
        assert store.job(store.add_job("1", "text", {}, None, None))["seq"] == 3
        indexes = {i["name"]: i["unique"] for i in inspect(_engine(store)).get_indexes("jobs")}
    finally:
        store.close()
    assert indexes == {"jobs_conversation_seq": 1, "jobs_by_status": 0}


def test_a_database_of_a_newer_version_is_refused(store_target):
    Store(*store_target).close()
    db = open_database(*store_target)
    with db.begin() as conn:
        conn.execute(schema.versions.insert().values(version=migrations.LATEST + 1,
                                                     description="future", applied_at=0))
    db.close()
    with pytest.raises(StoreError, match="made by a newer symbl-media"):
        Store(*store_target)


def test_two_processes_appending_to_one_conversation_take_distinct_places(store_target):
    """Two stores on one database stand for two API processes: 40 appends at once."""
    first, second = Store(*store_target), Store(*store_target)
    try:
        cid = first.create_conversation("shared")
        errors: list[BaseException] = []

        def append(store: Store) -> None:
            try:
                for _ in range(20):
                    store.add_job(cid, "text", {}, None, None)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=append, args=(s,)) for s in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert [j["seq"] for j in first.jobs(cid)] == list(range(1, 41))
    finally:
        first.close()
        second.close()


def test_a_job_is_taken_once_and_the_first_signing_key_is_kept(store_target):
    first, second = Store(*store_target), Store(*store_target)
    try:
        one, two = JobQueue(first, "one", 30), JobQueue(second, "two", 30)
        cid = first.create_conversation(None)
        jid = first.add_job(cid, "text", {}, None, None)
        claim = one.claim()
        assert claim.job["id"] == jid and claim.lease == Lease(jid, "one", 1)
        assert two.claim() is None and first.active_job_count() == 1
        assert first.meta_or_set("signing_key", "aa") == "aa"
        assert second.meta_or_set("signing_key", "bb") == "aa"
        first.add_job(cid, "text", {}, None, None)
        assert two.claim() is None  # the next waits for the first, in order
        assert first.record_job_output(cid, jid, [{"id": "m1", "text": "half", "start": 0,
                                                   "end": 1}], 1.0, lease=claim.lease)
        assert one.give_back(claim.lease) is True
        # Given back: runnable again, and still in_progress to a client (never backwards).
        job = second.job(jid)
        assert second.messages(cid) == [] and (job["status"], job["owner"]) == ("in_progress",
                                                                                None)
        assert one.give_back(claim.lease) is False  # given back once
    finally:
        first.close()
        second.close()


def test_a_conversation_and_its_members_messages_and_tokens_round_trip(store_target):
    store = Store(*store_target)
    try:
        cid = store.create_conversation("call")
        jid = store.add_job(cid, "audio", {"name": "call"}, "/u/x.bin", "audio/wav")
        a = store.add_member(cid, "Speaker 1", job_id=jid)
        b = store.add_member(cid, "Ann", "ann@example.com")
        store.record_job_output(cid, jid, [
            {"id": "1", "text": "hello", "start": 0.0, "end": 1.25, "member_id": a["id"],
             "words": [{"word": "hello"}], "channel": 1},
            {"id": "2", "text": "bye", "start": 1.5, "end": 2.0}], 2.0, "2000-01-01T00:00:00")
        store.update_member(cid, a["id"], "Ann", "ann@example.com")  # merged into b
        assert [m["id"] for m in store.members(cid)] == [b["id"]]
        got = store.messages(cid)
        assert [(m["text"], m["member_id"], m["words"], m["end"]) for m in got] == [
            ("hello", b["id"], [{"word": "hello"}], 1.25), ("bye", None, [], 2.0)]
        conv = store.conversation(cid)
        assert (conv["duration"], conv["origin"]) == (2.0, "2000-01-01T00:00:00")
        store.add_token("tok-123456789", 10_000_000_000.0)
        assert store.token_expiry("tok-123456789") == 10_000_000_000.0
        store.expire_tokens(5.0)
        assert store.token_expiry("tok-123456789") == 5.0
        store.set_meta("k", "1")
        store.set_meta("k", "2")
        assert store.meta("k") == "2"
        assert store.delete_conversation(cid) == ["/u/x.bin"]
        assert store.conversation(cid) is None and store.messages(cid) == []
    finally:
        store.close()


def test_text_with_nul_is_kept_the_same_way_on_both(store_target):
    """PostgreSQL refuses NUL in text, SQLite keeps it: both store U+FFFD."""
    store = Store(*store_target)
    try:
        cid = store.create_conversation("a\x00b")
        jid = store.add_job(cid, "text", {"name": "a\x00b"}, None, None)
        store.record_job_output(cid, jid, [{"id": "1", "text": "x\x00y", "start": 0,
                                            "end": 1}], 1.0)
        assert store.conversation(cid)["name"] == "a\ufffdb"
        assert [m["text"] for m in store.messages(cid)] == ["x\ufffdy"]
    finally:
        store.close()


def test_a_database_of_step_3_gets_given_back_runs_counted_apart(store_target):
    """A database left by the release before step 4 (given-back runs counted ``attempts``
    down) keeps its jobs, which start with none given back."""
    db = open_database(*store_target)
    try:
        with db.begin() as conn:
            schema.versions.create(conn, checkfirst=True)
            for step in migrations.STEPS[:3]:
                step.apply(conn)
                conn.execute(schema.versions.insert().values(
                    version=step.version, description=step.description, applied_at=0))
            conn.execute(text("INSERT INTO conversations (id, name, created_at) "
                              "VALUES ('1', 'old', 5)"))
            conn.execute(text("INSERT INTO jobs (id, conversation_id, seq, kind, status, "
                              "options, created_at, updated_at, attempts) VALUES ('j1', '1', "
                              "1, 'audio', 'in_progress', '{}', 5, 5, 2)"))
        assert "given_back" not in {c["name"] for c in inspect(db.engine).get_columns("jobs")}
    finally:
        db.close()
    store = Store(*store_target)
    try:
        job = store.job("j1")
        assert (job["attempts"], job["given_back"]) == (2, 0)
        claim = JobQueue(store, "next", 30).claim()  # given back by the old release
        assert claim.taken_over is None and claim.lease.attempt == 3
        assert JobQueue(store, "next", 30).give_back(claim.lease)
        assert (store.job("j1")["attempts"], store.job("j1")["given_back"]) == (3, 1)
    finally:
        store.close()


def test_a_database_of_step_4_gets_running_totals_of_the_jobs_it_holds(store_target):
    """Step 5 seeds the job totals (/metrics' counters) from the ended jobs already there;
    from then on each job's end adds to them, and a delete takes nothing away."""
    from symbl_media.server import job_figures

    db = open_database(*store_target)
    try:
        with db.begin() as conn:
            schema.versions.create(conn, checkfirst=True)
            for step in migrations.STEPS[:4]:
                step.apply(conn)
                conn.execute(schema.versions.insert().values(
                    version=step.version, description=step.description, applied_at=0))
            conn.execute(text("INSERT INTO conversations (id, name, created_at) "
                              "VALUES ('1', 'old', 5)"))
            # (kind, status, created, started, ended, audio length)
            for n, row in enumerate([("audio", "completed", 0, 10, 12, 30.0),  # 2 s
                                     ("text", "completed", 0, 20, 20.25, None),  # 0.25 s
                                     ("video", "failed", 0, 30, 100, None),  # 70 s
                                     ("audio", "completed", 0, None, 400, 60.0),  # 400 s
                                     ("audio", "scheduled", 0, None, 0, None)], start=1):
                kind, status, created, started, ended, duration = row
                conn.execute(text(
                    "INSERT INTO jobs (id, conversation_id, seq, kind, status, options, "
                    "created_at, started_at, updated_at, duration) VALUES (:id, '1', :seq, "
                    ":kind, :status, '{}', :created, :started, :ended, :duration)"),
                    dict(id=f"j{n}", seq=n, kind=kind, status=status, created=created,
                         started=started, ended=ended, duration=duration))
    finally:
        db.close()
    store = Store(*store_target)
    try:
        totals = job_figures.read(store).totals
        completed, failed = totals.state("completed"), totals.state("failed")
        assert (completed.count, failed.count) == (3, 1)
        assert completed.seconds == pytest.approx(402.25)
        assert failed.seconds == pytest.approx(70)
        bounds = dict(zip((0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0),
                          completed.buckets))
        assert (bounds[0.5], bounds[2.5], bounds[300.0], bounds[600.0]) == (1, 2, 2, 3)
        assert dict(zip((60.0, 120.0), failed.buckets[6:8])) == {60.0: 0, 120.0: 1}
        assert totals.media_seconds == pytest.approx(402)
        assert totals.audio_seconds == pytest.approx(90)
        # The scheduled job, run and ended now, adds to them; deleting takes nothing away.
        queue = JobQueue(store, "w", 30)
        claim = queue.claim()
        assert claim.job["id"] == "j5" and queue.end(claim.lease, "failed", "no")
        assert job_figures.read(store).totals.state("failed").count == 2
        store.delete_conversation("1")
        after = job_figures.read(store)
        assert after.totals.state("completed") == completed
        assert after.totals.state("failed").count == 2
        assert after.totals.audio_seconds == pytest.approx(90)
        assert after.state("completed").count == 0  # the gauge: the jobs are gone
    finally:
        store.close()
