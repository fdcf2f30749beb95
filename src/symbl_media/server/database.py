"""Where the sandbox's store lives and how it is reached: SQLite in the data folder (the
default, private on disk, WAL) or PostgreSQL by URL, behind one SQLAlchemy engine (``open``).

The driver's errors for a database that does not answer become ``StoreUnavailable``, whose
message names the database without credentials; what the rows mean is ``store.py``, the
tables ``schema.py``, how an older database is brought up to date ``migrations.py``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_errors
from sqlalchemy.engine import URL, make_url

from symbl_media.errors import StoreError, StoreUnavailable
from symbl_media.redaction import keep_out, redact, scrub

SQLITE_FILE = "sandbox.sqlite3"  # in the data folder, when no --database is given
SCHEMES = ("postgresql", "postgres")
# Connecting to PostgreSQL waits at most this long: a database that is down answers the API
# with 503 quickly instead of holding every request.
CONNECT_TIMEOUT = 5


class Database:
    """One engine and what the store needs around it: ``begin()`` (a transaction, the
    driver's errors translated) and ``insert`` (the dialect's INSERT ... ON CONFLICT)."""

    def __init__(self, engine: Engine, described: str) -> None:
        self.engine = engine
        self.described = described
        self.dialect = engine.dialect.name
        # SQLite has one writer at a time: this process's threads queue here rather than
        # on SQLite's busy timeout. PostgreSQL takes row locks itself (store.py).
        self._serial = threading.RLock() if self.dialect == "sqlite" else contextlib.nullcontext()

    @contextlib.contextmanager
    def begin(self) -> Iterator[Connection]:
        with self._serial, self.reachable(), self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def reachable(self) -> Iterator[None]:
        """The driver's "cannot talk to the database" as ``StoreUnavailable``, one line."""
        try:
            yield
        except (sa_errors.OperationalError, sa_errors.InterfaceError,
                sa_errors.TimeoutError) as exc:
            raise StoreUnavailable(f"{self.described} is unavailable: {_reason(exc)}") from None

    def insert(self, table):
        """INSERT with ``on_conflict_do_update`` / ``on_conflict_do_nothing``: the same
        construct in both dialects, imported from the one in use."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    def checkpoint(self) -> None:
        """Fold SQLite's write-ahead log into the database file (and empty it), so text that
        was overwritten is gone from disk; PostgreSQL manages its own files."""
        if self.dialect == "sqlite":
            with self._serial, self.reachable():
                raw = self.engine.raw_connection()  # outside a transaction, as it must be
                try:
                    raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    raw.close()

    @contextlib.contextmanager
    def listening(self, channel: str) -> Iterator[Callable[[float], bool]]:
        """A PostgreSQL connection of its own (out of the pool: it stays in autocommit)
        LISTENing on ``channel``: yields ``wait(timeout)``, whether a notification came
        within ``timeout`` seconds. A database that does not answer: ``StoreUnavailable``."""
        import psycopg

        def driver(call, *args):
            try:
                return call(*args)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                raise StoreUnavailable(f"{self.described} is unavailable: "
                                       f"{scrub(str(exc).strip().splitlines()[0])}") from None

        with self.reachable():
            raw = self.engine.raw_connection()
        conn = raw.driver_connection
        raw.detach()  # never back into the pool: this one stays in autocommit
        try:
            driver(conn.rollback)  # the pool's ping may have begun a transaction
            conn.autocommit = True
            driver(conn.execute, f"LISTEN {channel}")  # a constant of ours, not input

            def wait(timeout: float) -> bool:
                return driver(lambda: any(True for _ in conn.notifies(timeout=timeout,
                                                                      stop_after=1)))

            yield wait
        finally:
            conn.close()

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: Path | str, password: str | None = None) -> Database:
    """The database ``target`` names: a path is a SQLite file (made private), a
    ``postgresql://`` URL a server. ``password`` (from a file or the environment) is added
    to a URL that has none; without it libpq looks in PGPASSWORD and PGPASSFILE."""
    if isinstance(target, Path):
        return _sqlite(target)
    return _postgresql(str(target), password)


def described(target: Path | str) -> str:
    """How messages name the database: the file, or the URL without user, password, query."""
    if isinstance(target, Path):
        return f"the database {target}"
    return f"the database {redact(str(target))}"


def postgresql_url(text: str) -> URL:
    """A PostgreSQL URL as SQLAlchemy's ``URL`` for the psycopg driver; anything else is a
    ``StoreError`` that does not repeat the text (it may hold a password)."""
    scheme = text.partition("://")[0].partition("+")[0].lower()
    if scheme not in SCHEMES:
        raise StoreError(f"{redact(text)}: not a database URL this server can use "
                         f"(postgresql://USER@HOST[:PORT]/NAME)")
    try:
        url = make_url(text)
    except (sa_errors.ArgumentError, ValueError):
        raise StoreError(f"{redact(text)}: not a valid database URL "
                         f"(postgresql://USER@HOST[:PORT]/NAME)") from None
    return url.set(drivername="postgresql+psycopg")


def _postgresql(text: str, password: str | None) -> Database:
    url = postgresql_url(text)
    keep_out(url.password)
    if password and not url.password:
        keep_out(password)
        url = url.set(password=password)
    # Up to 20 connections per process (PostgreSQL allows 100 by default): requests beyond
    # that wait for one (pool_timeout) rather than being refused.
    engine = create_engine(
        url, hide_parameters=True, pool_pre_ping=True, pool_size=5, max_overflow=15,
        pool_timeout=30, connect_args={"connect_timeout": CONNECT_TIMEOUT,
                                       "application_name": "symbl-media-sandbox"})
    return Database(engine, described(text))


def _sqlite(path: Path) -> Database:
    _private_database(path)
    engine = create_engine(f"sqlite+pysqlite:///{path}", hide_parameters=True,
                           connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # SQLAlchemy's own BEGIN (below) instead of the sqlite3 module's implicit one.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        # What is deleted or replaced (a plain token or secret of an older version) is
        # overwritten on disk, not left in a free page.
        dbapi_connection.execute("PRAGMA secure_delete=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # The write lock at the start: a transaction that reads and then writes never
        # meets another process's writer half-way (SQLITE_BUSY without waiting).
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return Database(engine, described(path))


def _private_database(path: Path) -> None:
    """The database holds every transcript: 0600 whatever the umask, created so before SQLite
    opens it and tightened if an older version left it readable. SQLite gives the -wal and
    -shm files it makes the database file's permissions; ones left from before are tightened.

    An existing file is never opened here: closing any descriptor of a file drops every POSIX
    lock this process holds on it, so a second store opened on a database a first one in this
    process holds (the test kit, a sandbox started twice) would cancel the first one's locks,
    and another process closing last would then delete the WAL the first still writes to:
    its writes lost to everyone else (SQLite's "How To Corrupt", 2.2)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)
    else:
        try:
            os.fchmod(fd, 0o600)  # a new file: no connection can hold a lock on it yet
        finally:
            os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        try:
            os.chmod(path.with_name(path.name + suffix), 0o600)
        except FileNotFoundError:
            pass


def _reason(exc: sa_errors.DBAPIError | sa_errors.SQLAlchemyError) -> str:
    """The driver's first line (libpq: "connection to server at ... failed: Connection
    refused"), with anything registered as secret masked; SQLAlchemy's own text, which
    would add the statement, is left out."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return scrub(lines[0] if lines else type(original).__name__)
