"""SQLite behind the sandbox: conversations, jobs, members, messages, insights, tokens.

One connection in WAL mode (opened by ``database.connect``) behind a lock: the sandbox's writes
are small and few (a job finishing writes its messages once), so a single writer keeps things
simple and safe.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from symbl_media.contract import endpoints as api
from symbl_media.server import ids
from symbl_media.server.database import connect

ACTIVE = api.RUNNING


def started(conversation: dict) -> datetime:
    """When a conversation starts: the stated start of the Text API job that began it, or else
    when it was created. Message times are offsets from it."""
    if conversation.get("origin"):
        return datetime.fromisoformat(conversation["origin"])
    return datetime.fromtimestamp(conversation["created_at"], UTC)


class Store:
    def __init__(self, path: Path) -> None:
        self._db = connect(Path(path))
        self._lock = threading.RLock()
        self._hash_plain_credentials()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _rows(self, sql: str, args: Iterable = ()) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self._db.execute(sql, tuple(args)).fetchall()]

    def _one(self, sql: str, args: Iterable = ()) -> dict | None:
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    def _run(self, sql: str, args: Iterable = ()) -> int:
        with self._lock:
            return self._db.execute(sql, tuple(args)).rowcount

    def transaction(self):
        """``with store.transaction():`` groups writes; the lock keeps other threads out."""
        return _Transaction(self)

    # ------------------------------------------------------------------ meta and tokens

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._run("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def delete_meta(self, key: str) -> None:
        self._run("DELETE FROM meta WHERE key = ?", (key,))

    # Tokens are kept as their SHA-256 (``token_key``), never as themselves: the tokens
    # table proves a token was issued and says until when, and cannot hand one out.

    def add_token(self, token: str, expires_at: float) -> None:
        self._run("INSERT OR REPLACE INTO tokens (token, expires_at) VALUES (?, ?)",
                  (token_key(token), expires_at))
        self._run("DELETE FROM tokens WHERE expires_at < ?", (time.time() - 86400,))

    def token_expiry(self, token: str) -> float | None:
        row = self._one("SELECT expires_at FROM tokens WHERE token = ?", (token_key(token),))
        return row["expires_at"] if row else None

    def _hash_plain_credentials(self) -> None:
        """Data folders of earlier versions kept tokens (and the app secret, see auth.py) in
        plain text: hash them in place, once, and let the old text be overwritten."""
        plain = self._rows("SELECT token FROM tokens WHERE token NOT LIKE 'sha256:%'")
        if not plain:
            return
        with self.transaction():
            for row in plain:  # still valid for as long as they were
                self._run("UPDATE OR REPLACE tokens SET token = ? WHERE token = ?",
                          (token_key(row["token"]), row["token"]))
        self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (and empty it)."""
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def expire_tokens(self, at: float) -> None:
        self._run("UPDATE tokens SET expires_at = MIN(expires_at, ?)", (at,))

    # ------------------------------------------------------------------ conversations

    def create_conversation(self, name: str | None) -> str:
        cid = ids.conversation_id()
        self._run("INSERT INTO conversations (id, name, created_at) VALUES (?, ?, ?)",
                  (cid, name or cid, time.time()))
        return cid

    # A conversation lasts as long as the audio of its jobs that got that far: derived, so a
    # job that fails or is run again after a crash can never be counted twice. Its start
    # ("origin", ISO-8601) is the stated start of the Text API job that began it, if one did
    # (NULL: it started when it was created).
    _CONVERSATION = ("SELECT c.*, (SELECT COALESCE(SUM(j.duration), 0) FROM jobs j "
                     "WHERE j.conversation_id = c.id) AS duration, (SELECT j.origin FROM jobs j "
                     "WHERE j.conversation_id = c.id AND j.origin IS NOT NULL ORDER BY j.seq "
                     "LIMIT 1) AS origin FROM conversations c")

    def conversation(self, cid: str) -> dict | None:
        return self._one(f"{self._CONVERSATION} WHERE c.id = ?", (cid,))

    def conversations(self, limit: int, offset: int, descending: bool) -> list[dict]:
        order = "DESC" if descending else "ASC"
        return self._rows(f"{self._CONVERSATION} ORDER BY c.created_at {order}, c.id "
                          f"LIMIT ? OFFSET ?", (limit, offset))

    def update_conversation(self, cid: str, **fields) -> None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        self._run(f"UPDATE conversations SET {sets} WHERE id = ?", (*fields.values(), cid))

    def delete_conversation(self, cid: str) -> list[str]:
        """Remove everything about a conversation; returns the upload files to delete."""
        with self.transaction():
            uploads = [r["upload"] for r in self._rows(
                "SELECT upload FROM jobs WHERE conversation_id = ? AND upload IS NOT NULL",
                (cid,))]
            for table in ("messages", "members", "jobs"):
                self._run(f"DELETE FROM {table} WHERE conversation_id = ?", (cid,))
            self._run("DELETE FROM conversations WHERE id = ?", (cid,))
        return uploads

    # ------------------------------------------------------------------ jobs

    def add_job(self, cid: str, kind: str, options: dict, upload: str | None,
                content_type: str | None) -> str:
        jid = ids.job_id()
        now = time.time()
        with self.transaction():
            seq = self._one("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM jobs "
                            "WHERE conversation_id = ?", (cid,))["n"]
            self._run("INSERT INTO jobs (id, conversation_id, seq, kind, status, options, "
                      "upload, content_type, created_at, updated_at) "
                      "VALUES (?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?)",
                      (jid, cid, seq, kind, json.dumps(options), upload, content_type, now,
                       now))
        return jid

    def job(self, jid: str) -> dict | None:
        return self._one("SELECT * FROM jobs WHERE id = ?", (jid,))

    def jobs(self, cid: str) -> list[dict]:
        return self._rows("SELECT * FROM jobs WHERE conversation_id = ? ORDER BY seq", (cid,))

    def set_job_status(self, jid: str, status: str, error: str | None = None) -> None:
        self._run("UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?",
                  (status, error, time.time(), jid))

    def attach_upload(self, jid: str, path: str) -> None:
        self._run("UPDATE jobs SET upload = ? WHERE id = ?", (path, jid))

    def active_job_count(self) -> int:
        return self._one("SELECT COUNT(*) AS n FROM jobs WHERE status IN (?, ?)", ACTIVE)["n"]

    def runnable_jobs(self) -> list[dict]:
        """Per conversation, its first unfinished job, if nothing of it is running yet."""
        return self._rows(
            "SELECT j.* FROM jobs j WHERE j.status = 'scheduled' AND j.seq = ("
            " SELECT MIN(seq) FROM jobs k WHERE k.conversation_id = j.conversation_id"
            " AND k.status IN ('scheduled', 'in_progress')) ORDER BY j.created_at")

    def requeue_interrupted(self) -> list[str]:
        """Jobs a stopped server left in progress are run again from the start."""
        rows = self._rows("SELECT id FROM jobs WHERE status = 'in_progress'")
        for row in rows:
            self.remove_job_output(row["id"])
            self.set_job_status(row["id"], api.SCHEDULED)
        return [r["id"] for r in rows]

    # ------------------------------------------------------------------ members

    def add_member(self, cid: str, name: str, email: str | None = None,
                   job_id: str | None = None) -> dict:
        """A new member; ``job_id`` marks one that only this job's output refers to."""
        mid = ids.member_id()
        with self.transaction():
            pos = self._one("SELECT COUNT(*) AS n FROM members WHERE conversation_id = ?",
                            (cid,))["n"]
            self._run("INSERT INTO members (id, conversation_id, position, name, email, job_id) "
                      "VALUES (?, ?, ?, ?, ?, ?)", (mid, cid, pos, name, email, job_id))
        return {"id": mid, "name": name, "email": email}

    def members(self, cid: str) -> list[dict]:
        return self._rows("SELECT id, name, email, user_id FROM members "
                          "WHERE conversation_id = ? ORDER BY position", (cid,))

    def member(self, cid: str, mid: str) -> dict | None:
        return self._one("SELECT id, name, email, user_id FROM members "
                         "WHERE conversation_id = ? AND id = ?", (cid, mid))

    def update_member(self, cid: str, mid: str, name: str | None, email: str | None) -> None:
        """Rename a member; one that takes another member's email is merged into it."""
        with self.transaction():
            twin = self._one("SELECT id FROM members WHERE conversation_id = ? AND email = ? "
                             "AND id != ? ORDER BY position LIMIT 1", (cid, email, mid)) \
                if email else None
            if twin:
                self._run("UPDATE messages SET member_id = ? WHERE member_id = ?",
                          (twin["id"], mid))
                self._run("DELETE FROM members WHERE id = ?", (mid,))
                mid = twin["id"]
            self._run("UPDATE members SET name = COALESCE(?, name), email = COALESCE(?, email) "
                      "WHERE id = ?", (name, email, mid))

    # ------------------------------------------------------------------ messages

    def _add_messages(self, cid: str, jid: str, messages: list[dict]) -> None:
        base = self._one("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?",
                         (cid,))["n"]
        for i, m in enumerate(messages):
            self._run("INSERT INTO messages (id, conversation_id, job_id, position, text, "
                      "member_id, start, end, words, channel) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (m["id"], cid, jid, base + i, m["text"], m.get("member_id"),
                       m["start"], m["end"], json.dumps(m.get("words") or []),
                       m.get("channel")))

    def record_job_output(self, cid: str, jid: str, messages: list[dict],
                          duration: float, origin: str | None = None) -> bool:
        """A job's messages and audio length, stored together; False if the conversation
        (and so the job) was deleted meanwhile. ``origin`` (ISO-8601) makes the job's stated
        start the conversation's start (a Text API job that begins the conversation)."""
        with self.transaction():
            if self._one("SELECT 1 AS x FROM jobs WHERE id = ?", (jid,)) is None:
                return False
            self._add_messages(cid, jid, messages)
            self._run("UPDATE jobs SET duration = ?, origin = ? WHERE id = ?",
                      (duration, origin, jid))
            return True

    def remove_job_output(self, jid: str) -> None:
        with self.transaction():
            self._run("DELETE FROM messages WHERE job_id = ?", (jid,))
            self._run("DELETE FROM members WHERE job_id = ?", (jid,))
            self._run("UPDATE jobs SET duration = NULL, origin = NULL WHERE id = ?", (jid,))

    def messages(self, cid: str) -> list[dict]:
        rows = self._rows("SELECT * FROM messages WHERE conversation_id = ? "
                          "ORDER BY position", (cid,))
        for row in rows:
            row["words"] = json.loads(row["words"])
        return rows


def token_key(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


class _Transaction:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self):
        self.store._lock.acquire()
        self.store._db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind, exc, tb):
        try:
            self.store._db.execute("ROLLBACK" if kind else "COMMIT")
        finally:
            self.store._lock.release()
