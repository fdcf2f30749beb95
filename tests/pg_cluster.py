"""A throwaway PostgreSQL cluster for the tests, from the distribution's own binaries.

The binaries are found with ``pg_config --bindir`` or under /usr/lib/postgresql/*/bin
(Debian does not put them on PATH). ``initdb`` refuses to run as root, and CI runs as root:
then the cluster belongs to an unprivileged system user (``nobody``), in a temporary folder
that user owns, and every server command runs through ``runuser``. The server listens on
127.0.0.1 on a free port and on a unix socket in that folder; a password (scram-sha-256) is
required, so the tests go through the same password paths as a deployment. Each pytest-xdist
worker starts its own cluster (the fixture is session-scoped, and a session is per worker),
and each test gets its own database (``new_database``).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "symbl"
UNPRIVILEGED = "nobody"


def find_bindir() -> Path | None:
    """Where initdb, pg_ctl and postgres are, or None when PostgreSQL is not installed."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        # Debian's pg_config (libpq-dev) may name /usr/bin, where only the clients are.
        if done.returncode == 0 and (Path(done.stdout.strip()) / "initdb").exists():
            return Path(done.stdout.strip())
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if
                   Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OWNER_FILE = "pytest.pid"  # which test process made a cluster (read by sweep_orphans)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_orphans(bindir: Path) -> list[Path]:
    """Stop and remove clusters whose test process is gone.

    A test run that is SIGKILLed (a CI timeout, a developer's kill -9) never reaches the
    fixture's teardown, and PostgreSQL does not die with its parent: without this, every
    such run leaves a server and its folder behind. Returns the folders removed."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob("symbl-pg-*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours to judge (or still being made)
        if _alive(owner):
            continue
        data = folder / "data"
        if (data / "postmaster.pid").exists():
            argv = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            if os.geteuid() == 0:
                argv = ["runuser", "-u", UNPRIVILEGED, "--", *argv]
            subprocess.run(argv, capture_output=True, timeout=60, cwd="/")
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


class Cluster:
    """``start()``, ``stop()`` (fast, as a crash would), ``start()`` again, ``remove()``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.password = secrets.token_urlsafe(18)
        self.folder = Path(tempfile.mkdtemp(prefix="symbl-pg-"))
        (self.folder / OWNER_FILE).write_text(str(os.getpid()))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as_other = os.geteuid() == 0
        if self._as_other:
            account = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.folder.chmod(0o700)
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._as_other:
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                  "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")
        pwfile.unlink()

    def _run(self, tool: str, *args: str) -> str:
        argv = [str(self.bindir / tool), *args]
        if self._as_other:
            argv = ["runuser", "-u", UNPRIVILEGED, "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd="/")
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr[-2000:]}"
                               f"\n{tail}")
        return done.stdout

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -h 127.0.0.1 -c fsync=off "
                   f"-c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres", *, password: bool = False) -> str:
        secret = f":{self.password}" if password else ""
        return f"postgresql://{SUPERUSER}{secret}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its name."""
        import psycopg

        name = "t_" + secrets.token_hex(6)
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             password=self.password, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name
