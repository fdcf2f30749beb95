"""A server starting on a data folder that other machines share removes what stopped
processes left half-written, and nothing a live process (here or elsewhere) is writing."""

from __future__ import annotations

import os
import socket
import subprocess
import time

from symbl_media.server import leftovers, processes
from symbl_media.testing import running_sandbox


def test_only_what_stopped_processes_left_is_swept(tmp_path):
    uploads = tmp_path / "data" / "uploads"
    uploads.mkdir(parents=True)
    host = socket.gethostname()
    here = processes.place()
    dead = subprocess.Popen(["true"])
    dead.wait()
    alive = subprocess.Popen(["sleep", "30"])
    old = time.time() - leftovers.STALE_SECONDS - 60
    names = {
        f".receiving-{dead.pid}.{here}@{host}@abc": "gone",  # a stopped server of this machine
        f".fetching-{dead.pid}.{here}@{host}@job.bin": "gone",
        f".receiving-{alive.pid}.{here}@{host}@def": "kept",  # a live one of this machine
        f".receiving-{dead.pid}.{here}@elsewhere@ghi": "kept",  # another machine's, being written
        f".fetching-{dead.pid}.{here}@elsewhere@job2.bin": "old",  # another machine's, untouched
        # Another container on this host (same host name, its own PID namespace): its pid
        # names no process here, and what it writes is kept.
        f".receiving-{dead.pid}.0badcafe@{host}@jkl": "kept",
        f".receiving-{dead.pid}@{host}@mno": "kept",  # an earlier version's name: by age only
        f".receiving-{dead.pid}@{host}@pqr.bin": "old",
        "job3.part": "old",  # an older version's download
        "fresh.part": "kept",
        "done.bin": "kept",
    }
    try:
        for name, fate in names.items():
            (uploads / name).write_bytes(b"x")
            if fate == "old":
                os.utime(uploads / name, (old, old))
        with running_sandbox(tmp_path / "data"):
            pass
        assert sorted(p.name for p in uploads.iterdir()) == sorted(
            n for n, fate in names.items() if fate == "kept")
    finally:
        alive.kill()
        alive.wait()


def test_an_upload_and_a_fetch_are_named_with_their_process(tmp_path):
    assert leftovers.tag() == f"{os.getpid()}.{processes.place()}@{socket.gethostname()}@"
    mine = tmp_path / f".receiving-{leftovers.tag()}x"
    mine.write_bytes(b"x")
    assert leftovers.stale(mine)  # our own pid in a file found at start: an earlier process


def test_where_the_place_cannot_be_read_nothing_is_judged(monkeypatch, tmp_path):
    """No /proc (another OS, a locked-down container): names carry the bare pid, and no
    process is judged gone, neither ours nor others'."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    here = processes.place()
    host = socket.gethostname()
    assert processes.gone(host, f"{dead.pid}.{here}")  # with the place: judged
    monkeypatch.setattr(processes, "BOOT_ID", tmp_path / "no-such-file")
    processes.place.cache_clear()
    try:
        assert processes.place() is None
        assert processes.name() == str(os.getpid())
        assert not processes.gone(host, f"{dead.pid}.{here}")
        assert not processes.gone(host, str(dead.pid))
    finally:
        processes.place.cache_clear()


def test_a_server_that_runs_jobs_keeps_the_job_scratch_of_live_servers_sharing_the_folder(
        tmp_path):
    """work/ is where servers that run jobs decode: at start one removes the scratch of its
    own dead processes and an earlier version's, not a live server's (here or in another
    container on this host), and another's only after a day without change."""
    work = tmp_path / "data" / "work"
    work.mkdir(parents=True)
    host = socket.gethostname()
    here = processes.place()
    dead = subprocess.Popen(["true"])
    dead.wait()
    alive = subprocess.Popen(["sleep", "30"])
    day = time.time() - leftovers.STALE_WORK_SECONDS - 60
    names = {
        f"job-aaaaaaaa-{dead.pid}.{here}@{host}@x1": "gone",  # a dead server of this place
        f"job-bbbbbbbb-{alive.pid}.{here}@{host}@x2": "kept",  # a live one
        f"job-cccccccc-{dead.pid}.0badcafe@{host}@x3": "kept",  # another container's
        f"job-dddddddd-{dead.pid}.0badcafe@{host}@x4": "old",  # another's, a day untouched
        "job-eeeeeeee-x5": "gone",  # an earlier version's (no process in its name)
    }
    try:
        for name, fate in names.items():
            (work / name).mkdir()
            (work / name / "audio.wav").write_bytes(b"x")
            if fate == "old":
                for p in (work / name / "audio.wav", work / name):
                    os.utime(p, (day, day))
        with running_sandbox(tmp_path / "data"):
            pass
        assert sorted(p.name for p in work.iterdir()) == sorted(
            n for n, fate in names.items() if fate == "kept")
    finally:
        alive.kill()
        alive.wait()
