"""The test harness's PostgreSQL: a cluster left behind by a killed test run is cleaned up by
the next one (PostgreSQL outlives its parent, so teardown alone is not enough)."""

from __future__ import annotations

import subprocess

import pytest

from pg_cluster import OWNER_FILE, Cluster, find_bindir, sweep_orphans


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _running(pid: int) -> bool:
    """A process that exists and is not a zombie (its parent, after pg_ctl's daemonising,
    may be a PID 1 that does not reap)."""
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_cluster_whose_test_process_died_is_stopped_and_removed():
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (scripts/setup installs it)")
    orphan = Cluster(bindir)
    try:
        orphan.start()
        postmaster = int((orphan.data / "postmaster.pid").read_text().split()[0])
        (orphan.folder / OWNER_FILE).write_text(str(_dead_pid()))  # as after a SIGKILL

        removed = sweep_orphans(bindir)

        assert orphan.folder in removed
        assert not orphan.folder.exists()
        assert not _running(postmaster)
    finally:
        orphan.remove()


def test_a_live_test_process_keeps_its_cluster(postgres):
    assert postgres.folder not in sweep_orphans(postgres.bindir)
    assert (postgres.data / "postmaster.pid").exists()
