"""What the sandbox keeps: conversations, jobs, members, messages, insights, tokens.

Every statement is built with SQLAlchemy Core from ``schema.py``, the same for SQLite (the
data folder's file, the default) and PostgreSQL (``--database``). Each call is one
transaction; ``with store.transaction():`` groups several (on this thread). Where two API
processes could race on one conversation (a new job's place, a member's, the messages' order)
the conversation's row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite has one writer).
A database that does not answer raises ``StoreUnavailable`` (the API's 503).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, delete, func, select, update

from symbl_media.contract import endpoints as api
from symbl_media.server import ids, job_signal, migrations
from symbl_media.server.database import open_database
from symbl_media.server.leases import Lease, hold
from symbl_media.server.schema import conversations, jobs, members, messages, meta, tokens

ACTIVE = api.RUNNING
# The advisory lock the 429 cap is checked under (``lock_admission``); migrations.py has
# another ("SYMBL").
ADMISSION_KEY = 0x53594D424C + 1


def started(conversation: dict) -> datetime:
    """When a conversation starts: the stated start of the Text API job that began it, or else
    when it was created. Message times are offsets from it."""
    if conversation.get("origin"):
        return datetime.fromisoformat(conversation["origin"])
    return datetime.fromtimestamp(conversation["created_at"], UTC)


def _conversation_query():
    """A conversation lasts as long as the audio of its jobs that got that far: derived, so a
    job that fails or is run again after a crash can never be counted twice. Its start
    ("origin", ISO-8601) is the stated start of the Text API job that began it, if one did
    (NULL: it started when it was created)."""
    j = jobs.alias("j")
    duration = (select(func.coalesce(func.sum(j.c.duration), 0.0))
                .where(j.c.conversation_id == conversations.c.id).scalar_subquery())
    origin = (select(j.c.origin)
              .where(j.c.conversation_id == conversations.c.id, j.c.origin.is_not(None))
              .order_by(j.c.seq).limit(1).scalar_subquery())
    return select(conversations, duration.label("duration"), origin.label("origin"))


_CONVERSATION = _conversation_query()
_MEMBER = select(members.c.id, members.c.name, members.c.email, members.c.user_id)


class Store:
    def __init__(self, target: Path | str, password: str | None = None) -> None:
        """``target``: the SQLite file, or a PostgreSQL URL (``password``, if given, is used
        when the URL has none). Opening migrates the database to ``schema.py``."""
        self._db = open_database(target, password)
        self._local = threading.local()
        try:
            migrations.migrate(self._db)
            self._hash_plain_credentials()
        except BaseException:
            self._db.close()
            raise

    @property
    def described(self) -> str:
        return self._db.described

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql": where a statement must say how it locks (queue.py)."""
        return self._db.dialect

    def insert(self, table):
        """The dialect's INSERT, for ``on_conflict_do_update`` (job_totals.py)."""
        return self._db.insert(table)

    def close(self) -> None:
        self._db.close()

    def listening(self, channel: str):
        """``Database.listening``: PostgreSQL's notifications on ``channel`` (job_signal.py)."""
        return self._db.listening(channel)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction for everything inside (on this thread); nested ones join it."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._db.begin() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    def _rows(self, statement) -> list[dict]:
        with self.transaction() as conn:
            return [dict(r._mapping) for r in conn.execute(statement)]

    def _one(self, statement) -> dict | None:
        rows = self._rows(statement)
        return rows[0] if rows else None

    def _run(self, statement) -> int:
        with self.transaction() as conn:
            return conn.execute(statement).rowcount

    def _lock_conversation(self, conn: Connection, cid: str) -> None:
        """Other writers to this conversation wait until this transaction ends (PostgreSQL;
        SQLite's BEGIN IMMEDIATE already excludes every other writer)."""
        conn.execute(select(conversations.c.id).where(conversations.c.id == cid)
                     .with_for_update())

    # ------------------------------------------------------------------ meta and tokens

    def meta(self, key: str) -> str | None:
        row = self._one(select(meta.c.value).where(meta.c.key == key))
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        insert = self._db.insert(meta).values(key=key, value=value)
        self._run(insert.on_conflict_do_update(index_elements=[meta.c.key],
                                               set_={"value": insert.excluded.value}))

    def meta_or_set(self, key: str, value: str) -> str:
        """The stored value, or ``value`` stored now: processes starting together on one
        database agree on the first one written (the token signing key)."""
        with self.transaction() as conn:
            conn.execute(self._db.insert(meta).values(key=key, value=value)
                         .on_conflict_do_nothing(index_elements=[meta.c.key]))
            return conn.scalar(select(meta.c.value).where(meta.c.key == key))

    def delete_meta(self, key: str) -> None:
        self._run(delete(meta).where(meta.c.key == key))

    # Tokens are kept as their SHA-256 (``token_key``), never as themselves: the tokens
    # table proves a token was issued and says until when, and cannot hand one out.

    def add_token(self, token: str, expires_at: float) -> None:
        with self.transaction():
            insert = self._db.insert(tokens).values(token=token_key(token),
                                                    expires_at=expires_at)
            self._run(insert.on_conflict_do_update(
                index_elements=[tokens.c.token], set_={"expires_at": insert.excluded.expires_at}))
            self._run(delete(tokens).where(tokens.c.expires_at < time.time() - 86400))

    def token_expiry(self, token: str) -> float | None:
        row = self._one(select(tokens.c.expires_at).where(tokens.c.token == token_key(token)))
        return row["expires_at"] if row else None

    def _hash_plain_credentials(self) -> None:
        """Data folders of earlier versions kept tokens (and the app secret, see auth.py) in
        plain text: hash them in place, once, and let the old text be overwritten."""
        plain = self._rows(select(tokens.c.token).where(tokens.c.token.not_like("sha256:%")))
        if not plain:
            return
        with self.transaction():
            for row in plain:  # still valid for as long as they were
                hashed = token_key(row["token"])
                self._run(delete(tokens).where(tokens.c.token == hashed))
                self._run(update(tokens).where(tokens.c.token == row["token"])
                          .values(token=hashed))
        self.checkpoint()

    def checkpoint(self) -> None:
        """Overwritten text gone from disk: SQLite's write-ahead log folded in and emptied."""
        self._db.checkpoint()

    def expire_tokens(self, at: float) -> None:
        self._run(update(tokens).where(tokens.c.expires_at > at).values(expires_at=at))

    # ------------------------------------------------------------------ conversations

    def create_conversation(self, name: str | None) -> str:
        cid = ids.conversation_id()
        self._run(conversations.insert().values(id=cid, name=name or cid,
                                                created_at=time.time()))
        return cid

    def conversation(self, cid: str) -> dict | None:
        return self._one(_CONVERSATION.where(conversations.c.id == cid))

    def conversations(self, limit: int, offset: int, descending: bool) -> list[dict]:
        created = conversations.c.created_at
        return self._rows(_CONVERSATION.order_by(created.desc() if descending else created,
                                                 conversations.c.id)
                          .limit(limit).offset(offset))

    def update_conversation(self, cid: str, lease: Lease | None = None, **fields) -> bool:
        """``lease``: only while that job's run holds it (``LeaseLost`` otherwise); False if
        the job is gone."""
        with self.transaction() as conn:
            if lease is not None:
                self._lock_conversation(conn, cid)  # conversation, then job: as everywhere
                if not hold(conn, lease):
                    return False
            conn.execute(update(conversations).where(conversations.c.id == cid)
                         .values(**fields))
        return True

    def delete_conversation(self, cid: str) -> list[str]:
        """Remove everything about a conversation; returns the upload files to delete."""
        with self.transaction() as conn:
            # The conversation first, then its jobs' rows, in the order a job's run takes
            # them (record_job_output): two transactions never wait for each other's lock.
            self._lock_conversation(conn, cid)
            uploads = [r["upload"] for r in self._rows(
                select(jobs.c.upload).where(jobs.c.conversation_id == cid,
                                            jobs.c.upload.is_not(None)))]
            for table in (messages, members, jobs):
                self._run(delete(table).where(table.c.conversation_id == cid))
            self._run(delete(conversations).where(conversations.c.id == cid))
        return uploads

    # ------------------------------------------------------------------ jobs

    def add_job(self, cid: str, kind: str, options: dict, upload: str | None,
                content_type: str | None) -> str:
        jid = ids.job_id()
        now = time.time()
        with self.transaction() as conn:
            self._lock_conversation(conn, cid)
            seq = conn.scalar(select(func.coalesce(func.max(jobs.c.seq), 0) + 1)
                              .where(jobs.c.conversation_id == cid))
            conn.execute(jobs.insert().values(
                id=jid, conversation_id=cid, seq=seq, kind=kind, status=api.SCHEDULED,
                options=json.dumps(options), upload=upload, content_type=content_type,
                created_at=now, updated_at=now))
            job_signal.announce(conn)  # workers in other processes look at once
        return jid

    def job(self, jid: str) -> dict | None:
        return self._one(select(jobs).where(jobs.c.id == jid))

    def job_statuses(self, jids) -> dict[str, str]:
        """Each of these jobs' status, in one query (held job polls, job_watch.py); a job
        that does not exist is left out."""
        return {r["id"]: r["status"] for r in self._rows(
            select(jobs.c.id, jobs.c.status).where(jobs.c.id.in_(list(jids))))}

    def jobs(self, cid: str) -> list[dict]:
        return self._rows(select(jobs).where(jobs.c.conversation_id == cid).order_by(jobs.c.seq))

    def set_job_status(self, jid: str, status: str, error: str | None = None) -> None:
        self._run(update(jobs).where(jobs.c.id == jid)
                  .values(status=status, error=error, updated_at=time.time()))

    def attach_upload(self, jid: str, path: str) -> None:
        self._run(update(jobs).where(jobs.c.id == jid).values(upload=path))

    def active_job_count(self) -> int:
        return self._one(select(func.count().label("n")).select_from(jobs)
                         .where(jobs.c.status.in_(ACTIVE)))["n"]

    def lock_admission(self) -> None:
        """Held until this transaction ends: the 429 cap's count and the new job are one step
        for the whole deployment (PostgreSQL: an advisory lock every API process takes;
        SQLite's BEGIN IMMEDIATE already lets one writer in at a time)."""
        if self.dialect == "postgresql":
            with self.transaction() as conn:
                conn.execute(select(func.pg_advisory_xact_lock(ADMISSION_KEY)))

    # ------------------------------------------------------------------ members

    def add_member(self, cid: str, name: str, email: str | None = None,
                   job_id: str | None = None, lease: Lease | None = None) -> dict:
        """A new member; ``job_id`` marks one that only this job's output refers to, added
        only while ``lease`` (the job's run) holds the job (``LeaseLost`` otherwise)."""
        mid = ids.member_id()
        with self.transaction() as conn:
            self._lock_conversation(conn, cid)
            if lease is not None:
                hold(conn, lease)
            pos = conn.scalar(select(func.count()).select_from(members)
                              .where(members.c.conversation_id == cid))
            conn.execute(members.insert().values(id=mid, conversation_id=cid, position=pos,
                                                 name=name, email=email, job_id=job_id))
        return {"id": mid, "name": name, "email": email}

    def members(self, cid: str) -> list[dict]:
        return self._rows(_MEMBER.where(members.c.conversation_id == cid)
                          .order_by(members.c.position))

    def member(self, cid: str, mid: str) -> dict | None:
        return self._one(_MEMBER.where(members.c.conversation_id == cid, members.c.id == mid))

    def update_member(self, cid: str, mid: str, name: str | None, email: str | None) -> None:
        """Rename a member; one that takes another member's email is merged into it."""
        with self.transaction() as conn:
            self._lock_conversation(conn, cid)
            twin = self._one(select(members.c.id).where(
                members.c.conversation_id == cid, members.c.email == email,
                members.c.id != mid).order_by(members.c.position).limit(1)) if email else None
            if twin:
                self._run(update(messages).where(messages.c.member_id == mid)
                          .values(member_id=twin["id"]))
                self._run(delete(members).where(members.c.id == mid))
                mid = twin["id"]
            changes = {k: v for k, v in (("name", name), ("email", email)) if v is not None}
            if changes:
                self._run(update(members).where(members.c.id == mid).values(**changes))

    # ------------------------------------------------------------------ messages

    def _add_messages(self, conn: Connection, cid: str, jid: str, rows: list[dict]) -> None:
        base = conn.scalar(select(func.count()).select_from(messages)
                           .where(messages.c.conversation_id == cid))
        if rows:
            conn.execute(messages.insert(), [
                {"id": m["id"], "conversation_id": cid, "job_id": jid, "position": base + i,
                 "text": m["text"], "member_id": m.get("member_id"), "start": m["start"],
                 "end": m["end"], "words": json.dumps(m.get("words") or []),
                 "channel": m.get("channel")} for i, m in enumerate(rows)])

    def record_job_output(self, cid: str, jid: str, rows: list[dict],
                          duration: float, origin: str | None = None,
                          lease: Lease | None = None) -> bool:
        """A job's messages and audio length, stored together; False if the conversation
        (and so the job) was deleted meanwhile. ``origin`` (ISO-8601) makes the job's stated
        start the conversation's start (a Text API job that begins the conversation).
        ``lease``: only while this run holds the job (``LeaseLost`` otherwise)."""
        with self.transaction() as conn:
            self._lock_conversation(conn, cid)
            if lease is not None:
                if not hold(conn, lease):
                    return False
            elif conn.scalar(select(jobs.c.id).where(jobs.c.id == jid)) is None:
                return False
            self._add_messages(conn, cid, jid, rows)
            conn.execute(update(jobs).where(jobs.c.id == jid)
                         .values(duration=duration, origin=origin))
            return True

    def remove_job_output(self, jid: str, lease: Lease | None = None) -> None:
        """A job's messages, its own members and its length gone (``lease``: only while
        that run holds the job, so a run that lost it cannot undo the next run's output)."""
        with self.transaction() as conn:
            if lease is not None and not hold(conn, lease):
                return
            self._run(delete(messages).where(messages.c.job_id == jid))
            self._run(delete(members).where(members.c.job_id == jid))
            self._run(update(jobs).where(jobs.c.id == jid).values(duration=None, origin=None))

    def messages(self, cid: str) -> list[dict]:
        rows = self._rows(select(messages).where(messages.c.conversation_id == cid)
                          .order_by(messages.c.position))
        for row in rows:
            row["words"] = json.loads(row["words"])
        return rows


def token_key(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()
