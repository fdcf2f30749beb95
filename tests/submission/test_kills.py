"""Issue 7, kills: a submission stopped dead at any moment is finished by resume, each piece once.

``kill -9`` (or the OOM killer) can stop the CLI between any two instructions: while it starts,
probes, extracts or cuts, half-way through an upload, while it waits for a job, while it
collects the insights, or just before it exits. Each kill point below is a SIGKILL to the CLI
process only (its ffmpeg children are not signalled, as with ``kill -9 PID``) at a seeded random
moment of a measured fault-free run, followed by ``symbl-media resume`` or the same command
again until the submission is done. Every point must end with: exit 0, the record done, the
sandbox holding each piece exactly once, in order, in one conversation (and no other
conversation of that name), no ffmpeg of the killed run still running, nothing in TMPDIR and no
work or staging folder.

Ctrl-C (SIGINT to the process group, as a terminal sends it) is checked at its awkward places:
while the recording is being prepared, and while a piece's upload is under way (its body half
out, or all out with the reply not yet back).

Speed: the recording is three one-minute blocks that are silent but for a short tone at the
start of each (the cuts fall in the silences; the sandbox's speech engine skips non-speech in
a fraction of a second, where one spoken sentence costs it about a second per piece); the kill
points run several at a time against one sandbox that allows that many jobs at once; and the
CLIs share a bytecode cache (see ``box``). What is left is mostly process start-up: about a
third of a second of Python imports per CLI, and a tenth of a second per ffmpeg or ffprobe.

Kill times: a seed fixes the share of a fault-free run at which its kill falls (seed i of n at
a random moment of the i-th n-th), read on the clock of fault-free runs measured first and
stretched to the pace of the run being killed (``Timeline``: other work on the machine, and the
points themselves, change how fast a run goes). Reproducing points: ``KILL_SEEDS=7003,7017
.venv/bin/python -m pytest tests/submission/test_kills.py -k kill_at -s`` runs only those seeds.
The table (printed with -s, and in the message of any failure) gives, for every point, its
seed, the kill time, the record's stage and pieces at the kill, what the sandbox had received,
what the CLI was running, and the follow-up runs it took.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.testing import running_sandbox

from .conftest import Cli

AUDIO = "/v1/process/audio"
SEEDS = tuple(range(7001, 7033))  # 32 seeded random kill points over the whole run
MIN_KILLED = 30  # of them, at least this many must land while the CLI runs
# Moments the random points rarely hit (each lasts a few milliseconds), by what the record says.
ANCHORS = (("first piece going out", lambda r: _states(r)[:1] == ">"),
           ("collecting insights", lambda r: r["stage"] == "collecting"),
           ("done, before exit", lambda r: r["stage"] == "done"))
TRIES = 3  # a point whose run ended before its kill is tried again, at most this often
WORKERS = 4  # points in flight at once, each with its own state, cache and TMPDIR
BASELINE_RUNS = 2  # fault-free runs side by side, timed milestone by milestone (Timeline)
BLOCK_SECONDS = 61.0  # --chunk-minutes 1 cuts 3 x 61 s in three pieces (a piece is >= 60 s)
PIECES = 3
MILESTONES = ("start", "record", *(f"{k} {event}" for k in range(1, PIECES + 1)
                                   for event in ("out", "done")), "collecting", "done", "exit")


# ----------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """This module's sandbox (in place of conftest's): enough concurrent jobs that the points
    running side by side, and the jobs their killed runs left going, never meet a 429.
    (The CLIs it starts share a bytecode cache: tests/conftest.py, pytest_configure.)"""
    with running_sandbox(tmp_path_factory.mktemp("sandbox"), max_concurrent_jobs=64) as running:
        yield running


def _blocks(count: int, channels: int = 1) -> np.ndarray:
    """``count`` blocks of BLOCK_SECONDS at 16 kHz: a 0.4 s tone, then silence."""
    rate = 16000
    block = np.zeros((int(BLOCK_SECONDS * rate), channels), dtype=np.float32)
    t = np.arange(int(0.4 * rate)) / rate
    block[:len(t)] = 0.3 * np.sin(2 * np.pi * 440 * t)[:, None]
    return np.tile(block, (count, 1))


@pytest.fixture(scope="module")
def quiet_recording(tmp_path_factory) -> Path:
    """A 16 kHz mono AIFF of 3 x 61 s. Not a WAV, so the CLI really extracts (ffmpeg writes a
    WAV into the work folder) before it finds the pauses and cuts three pieces in the silences;
    not FLAC, whose threaded decoding costs ffmpeg a third more CPU here."""
    path = tmp_path_factory.mktemp("quiet") / "three quiet minutes.aiff"
    sf.write(str(path), _blocks(3), 16000, subtype="PCM_16", format="AIFF")
    return path


def make_cli(box, home: Path) -> Cli:
    """A Cli like the ``run`` fixture's: the sandbox, and private state, cache, data, TMPDIR."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_")}
    for sub in ("state", "cache", "data", "tmp"):
        (home / sub).mkdir(parents=True)
    env.update(SYMBL_API_URL=box.url, SYMBL_APP_ID=DEFAULT_APP_ID,
               SYMBL_APP_SECRET=DEFAULT_APP_SECRET, XDG_STATE_HOME=str(home / "state"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
               TMPDIR=str(home / "tmp"))
    return Cli(env, home)


def start(cli: Cli, *args) -> subprocess.Popen:
    """The CLI in a process group of its own, its output to files in its home."""
    with (cli.home / "run.out").open("a") as out, (cli.home / "run.err").open("a") as err:
        return subprocess.Popen([sys.executable, "-m", "symbl_media", *map(str, args)],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=cli.env,
                                preexec_fn=_terminal_like)  # noqa: PLW1509 - takes no lock


def _terminal_like() -> None:
    """Its own process group (a signal to the group reaches the CLI and its ffmpeg, as a
    terminal's Ctrl-C does), and SIGINT at its default even if pytest runs in the background."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def until(predicate, *, timeout: float = 60, interval: float = 0.002, what: str = "it"):
    """Poll ``predicate`` until true (a few milliseconds are all some moments last)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)  # whatever of that run is left, if anything
    except ProcessLookupError:
        pass


# ----------------------------------------------------------------------------- looking

def records(cli: Cli) -> list[dict]:
    out = []
    for path in cli.submissions.glob("*.json"):
        try:
            out.append(json.loads(path.read_text()))
        except (ValueError, OSError):
            pass  # being replaced right now
    return out


class Watch:
    """The record of a run's one submission, read again only when its file was replaced (so
    polling it every 2 ms costs a stat, not a JSON parse)."""

    def __init__(self, cli: Cli) -> None:
        self.folder = cli.submissions
        self.seen: tuple | None = None
        self.record: dict | None = None

    def __call__(self) -> dict | None:
        try:
            with os.scandir(self.folder) as entries:
                found = [e for e in entries if e.name.endswith(".json")]
            if found:
                info = found[0].stat()
                if (info.st_ino, info.st_mtime_ns) != self.seen:
                    self.record = json.loads(Path(found[0].path).read_text())
                    self.seen = (info.st_ino, info.st_mtime_ns)
        except (OSError, ValueError):
            pass  # not made yet, or being replaced
        return self.record


def _states(record: dict | None) -> str:
    """A piece per character: . pending, > sending, ~ sent (job running), + completed, x failed."""
    marks = {"pending": ".", "sending": ">", "sent": "~", "completed": "+", "failed": "x"}
    return "".join(marks.get(p["state"], "?") for p in (record or {}).get("pieces", []))


def phase(record: dict | None) -> str:
    """Where a run was, as its record tells: the stage, refined by the pieces' states."""
    if record is None:
        return "starting (no record yet)"
    states, stage = _states(record), record["stage"]
    if stage in ("collecting", "done"):
        return stage
    if ">" in states:
        return f"uploading piece {states.index('>') + 1}"
    if "~" in states:
        return f"job wait, piece {states.index('~') + 1}"
    if stage == "preparing" and not states:
        return "preparing (probe/extract/pauses)"
    if stage == "preparing":
        return "cutting"
    return "between pieces"


def group_alive(pgid: int) -> list[str]:
    """Processes of a process group still running (a zombie is dead): 'pid:name' each."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        head, _, rest = stat.rpartition(")")
        fields = rest.split()  # state, ppid, pgrp, ...
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            alive.append(f"{entry}:{head.partition('(')[2]}")
    return alive


def stray_files(cli: Cli, key: str | None) -> list[str]:
    """What a finished submission must not leave: temporary files, work or staging folders."""
    left = [f"TMPDIR/{p.name}" for p in cli.temp_left()]
    allowed = {f"{key}.json", f"{key}.lock"}
    if cli.submissions.is_dir():
        left += [f"submissions/{p.name}" for p in cli.submissions.iterdir()
                 if p.name not in allowed]
    return left


def conversations(client) -> list[dict]:
    return client.get("/v1/conversations?limit=1000").json()["conversations"]


def check_done(cli: Cli, client, name: str, pieces: int) -> list[str]:
    """Every promise of a finished submission; the broken ones (none: all kept)."""
    found = records(cli)
    if len(found) != 1:
        return [f"{len(found)} records"]
    record = found[0]
    problems = []
    if record["stage"] != "done":
        problems.append(f"stage {record['stage']}")
    if len(record["pieces"]) != pieces or _states(record) != "+" * pieces:
        problems.append(f"pieces {_states(record)!r}")
    cid = record["conversation_id"]
    got = client.get(f"/sandbox/conversations/{cid}/uploads").json().get("uploads", [])
    if [r.get("sha256") for r in got] != [p["sha256"] for p in record["pieces"]]:
        problems.append(f"received {len(got)} bodies, not the {len(record['pieces'])} pieces "
                        f"once each in order")
    if [r["status"] for r in got] != ["completed"] * len(got):
        problems.append(f"jobs {[r['status'] for r in got]}")
    if [r["jobId"] for r in got] != [p["job_id"] for p in record["pieces"]]:
        problems.append("job ids differ from the record's")
    named = [c["id"] for c in conversations(client) if c.get("name") == name]
    if named != [cid]:
        problems.append(f"conversations named {name!r}: {named} (the record says {cid})")
    left = stray_files(cli, record["key"])
    if left:
        problems.append(f"left behind: {left}")
    return problems


def delivered(client, name: str) -> int:
    """Bodies the sandbox holds for a submission, in whatever conversation of its name (the
    first piece's may be one the record never heard of: its reply died with the process)."""
    return sum(len(client.get(f"/sandbox/conversations/{c['id']}/uploads").json()["uploads"])
               for c in conversations(client) if c.get("name") == name)


# ----------------------------------------------------------------------------- one kill point

@dataclass
class Point:
    label: str  # the seed, or the anchor's name
    style: str  # "resume" or "again" (the same command)
    share: float | None = None  # when to kill, as a share of a run; None: an anchor
    at: float | None = None  # that moment on the baseline's clock (s)
    anchor: object = None
    killed_at: float | None = None  # when SIGKILL went out (None: the run had ended first)
    stage: str = "-"
    phase: str = ""
    states: str = ""
    received: int = 0  # bodies the sandbox held just after the kill
    children: str = ""  # what the CLI was running (ffmpeg, ffprobe) when it was killed
    tries: int = 0  # a run that ended before its kill time is tried again (see _run_point)
    runs: list[str] = field(default_factory=list)  # the follow-up runs and their exit codes
    problems: list[str] = field(default_factory=list)

    @property
    def random(self) -> bool:
        return self.anchor is None

    def row(self) -> str:
        at = "" if self.share is None else f"{self.share:.0%}" + "*" * (self.tries - 1)
        killed = "ended" if self.killed_at is None else f"{self.killed_at:.2f}"
        return (f"{self.label:<22} {self.style:<6} {at:>6} {killed:>5}  {self.stage:<10} "
                f"{self.phase:<32} {self.states:<5} {self.received:>3} {self.children:<7} "
                f"{' '.join(self.runs):<20} {'; '.join(self.problems) or 'ok'}")


HEADER = (f"{'point (seed/anchor)':<22} {'style':<6} {'share':>6} {'kill':>5}  {'stage':<10} "
          f"{'phase at the kill':<32} {'state':<5} {'rcv':>3} {'running':<7} "
          f"{'follow-up runs':<20} result")


def milestone(record: dict | None, pieces: int) -> int:
    """How far a run has got, as its record tells: 0 started, 1 record written, then for each
    piece k (from 0) 2+2k going out and 3+2k done, then 2+2n collecting, 3+2n done (and 4+2n,
    which no record says: the process has exited). In this order in every fault-free run."""
    if record is None:
        return 0
    reached = 1
    for k, mark in enumerate(_states(record)[:pieces]):
        if mark != ".":
            reached = max(reached, 2 + 2 * k)
        if mark == "+":
            reached = max(reached, 3 + 2 * k)
    if record["stage"] == "collecting":
        reached = max(reached, 2 + 2 * pieces)
    if record["stage"] == "done":
        reached = 3 + 2 * pieces
    return reached


@dataclass
class Timeline:
    """When a fault-free run reached each milestone (seconds from its start; the last one is
    its exit), averaged over the baseline runs. A kill point's seeded share of the run falls
    between two milestones; the live run is killed that far between the same two, scaled by
    how fast it reached the first of them: so the points spread over the whole run as the
    baseline did, however the machine's load (other work, the points themselves) slows it."""

    times: list[float]

    def plan(self, share: float) -> tuple[int, float, float]:
        """(milestone to wait for, seconds after it on the baseline's clock, baseline time)."""
        at = share * self.times[-1]
        index = max(i for i, t in enumerate(self.times) if t <= at)
        return index, at - self.times[index], at

    def rate(self, index: int, seconds: float) -> float:
        """How much slower than the baseline a live run reached ``index`` (at ``seconds``)."""
        if index == 0 or self.times[index] <= 0:
            return 1.0
        return min(4.0, max(0.5, seconds / self.times[index]))


def run_point(point: Point, timeline: Timeline, box, recording: Path, home: Path,
              pieces: int) -> Point:
    try:
        _run_point(point, timeline, box, recording, home, pieces)
    except Exception as exc:  # noqa: BLE001 - reported in the table with the rest, not lost
        point.problems.append(f"{type(exc).__name__}: {exc}")
    return point


def _run_point(point: Point, timeline: Timeline, box, recording: Path, home: Path,
               pieces: int) -> None:
    """One kill point: kill, then carry on until done, then check everything.

    A run that ended before its kill (its last moments went faster than the baseline's) was
    a fault-free run, which is checked like any, and the point is tried again at the same
    share of that run's own clock: the baseline's pace is an average, and a run whose end came
    sooner (a job seen finished at once) says best how soon the next one's will.
    """
    while True:
        point.tries += 1
        name = f"kill {point.label}" + (f" try {point.tries}" if point.tries > 1 else "")
        cli = make_cli(box, home / f"try{point.tries}")
        client = box.client()
        command = ("submit", recording, "--chunk-minutes", "1", "--name", name)
        ran = _kill(point, cli, command, timeline, pieces)
        if point.killed_at is not None or point.tries == TRIES:
            break
        point.problems += check_done(cli, client, name, pieces)
        timeline = ran
    found = records(cli)
    record = found[0] if found else None
    point.stage = record["stage"] if record else "-"
    point.phase, point.states = phase(record), _states(record)
    point.received = delivered(client, name)
    for _ in range(4):
        if records(cli) and all(r["stage"] == "done" for r in records(cli)):
            break
        if point.style == "resume" and records(cli):
            done = cli("resume", timeout=180)
            point.runs.append(f"resume:{done.code}")
        else:  # the same command (all a run killed before it wrote its record leaves to do)
            done = cli(*command, timeout=180)
            point.runs.append(f"again:{done.code}")
        if done.code != 0:
            point.problems.append(f"exit {done.code}: {done.err.strip()[-300:]}")
            return
    point.problems += check_done(cli, client, name, pieces)


def _kill(point: Point, cli: Cli, command: tuple, timeline: Timeline,
          pieces: int) -> Timeline:
    """Start the command and SIGKILL it at the point's moment. Returns the run's own clock
    (when it reached each milestone), which is whole when the run ended before its kill."""
    watch = Watch(cli)
    proc = start(cli, *command)
    began = time.monotonic()
    times: list[float | None] = [0.0] + [None] * (4 + 2 * pieces)

    def reached() -> int:
        """The milestone the run is at, noting when it got to each on the way."""
        at, now = milestone(watch(), pieces), time.monotonic() - began
        times[1:at + 1] = [t if t is not None else now for t in times[1:at + 1]]
        return at

    try:
        if point.random:
            index, after, point.at = timeline.plan(point.share)
            while proc.poll() is None and reached() < index:
                time.sleep(0.01)
            got = time.monotonic() - began
            kill_at = began + got + after * timeline.rate(index, got)
            while proc.poll() is None and time.monotonic() < kill_at:
                reached()
                time.sleep(min(0.01, max(0.0, kill_at - time.monotonic())))
        else:
            while proc.poll() is None and not ((r := watch()) and point.anchor(r)):
                time.sleep(0.002)
        if proc.poll() is None:
            children = [p.partition(":")[2] for p in group_alive(proc.pid)
                        if not p.startswith(f"{proc.pid}:")]
            os.kill(proc.pid, signal.SIGKILL)  # the CLI only, as `kill -9 PID` does
            point.killed_at = time.monotonic() - began
            point.children = ",".join(children)
        proc.wait(timeout=180)
        # Its ffmpeg must not outlive it (to write on into the work folder a resume refills).
        deadline = time.monotonic() + 2
        while (alive := group_alive(proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.02)
        if alive:
            point.problems.append(f"still running after the kill: {alive}")
    finally:
        _kill_group(proc.pid)
    reached()
    end = time.monotonic() - began
    return Timeline([t if t is not None else end for t in times])


def plan_points() -> list[Point]:
    """Seeded kill times over the whole run: point i of n falls at a random moment of the i-th
    n-th of a run's length (stratified, so no stretch is skipped by chance)."""
    chosen = os.environ.get("KILL_SEEDS")
    seeds = {int(s) for s in chosen.split(",")} if chosen else set(SEEDS)
    shares = {seed: (i + random.Random(seed).random()) / len(SEEDS)
              for i, seed in enumerate(SEEDS)}
    points = [Point(str(seed), ("resume", "again")[seed % 2], share=shares[seed])
              for seed in SEEDS if seed in seeds]
    if not chosen:
        points += [Point(f"@{label}", ("resume", "again")[n % 2], anchor=test)
                   for n, (label, test) in enumerate(ANCHORS)]
    return points


def _cpu() -> str:
    own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
    return (f"test process (sandbox) {own.ru_utime:.0f}+{own.ru_stime:.0f} s, CLIs and their "
            f"ffmpeg {kids.ru_utime:.0f}+{kids.ru_stime:.0f} s (user+sys)")


def _baseline(box, recording: Path, home: Path, name: str) -> list[float]:
    """A fault-free run, checked, and when it reached each milestone (the last: its exit)."""
    cli = make_cli(box, home)
    watch = Watch(cli)
    proc = start(cli, "submit", recording, "--chunk-minutes", "1", "--name", name)
    began = time.monotonic()
    times: list[float | None] = [0.0] + [None] * (4 + 2 * PIECES)
    try:
        while proc.poll() is None:
            reached, now = milestone(watch(), PIECES), time.monotonic() - began
            times[1:reached + 1] = [t if t is not None else now for t in times[1:reached + 1]]
            time.sleep(0.005)
    finally:
        _kill_group(proc.pid)
    assert proc.returncode == 0, (cli.home / "run.err").read_text()
    end = time.monotonic() - began
    assert check_done(cli, box.client(), name, PIECES) == []
    return [t if t is not None else end for t in times]


# ----------------------------------------------------------------------------- the tests

def test_kill_at_any_point_then_resume_delivers_each_piece_once(box, quiet_recording,
                                                                tmp_path, capsys):
    began = time.monotonic()
    # Fault-free runs first, side by side: when they reach each milestone is the clock the
    # kill times are read on (see Timeline).
    with ThreadPoolExecutor(BASELINE_RUNS) as pool:
        base = list(pool.map(lambda n: _baseline(box, quiet_recording, tmp_path / f"base{n}",
                                                 f"baseline {n}"), range(BASELINE_RUNS)))
    timeline = Timeline([statistics.mean(times) for times in zip(*base)])
    points = plan_points()

    def point(n: int) -> Point:
        if n < WORKERS:  # the first ones start a little apart, as the rest will be
            time.sleep(n * timeline.times[-1] / WORKERS / 2)
        return run_point(points[n], timeline, box, quiet_recording, tmp_path / f"point{n}",
                         PIECES)

    with ThreadPoolExecutor(WORKERS) as pool:
        done = list(pool.map(point, range(len(points))))
    killed = [p for p in done if p.killed_at is not None]
    phases: dict[str, int] = {}
    for p in killed:
        phases[p.phase] = phases.get(p.phase, 0) + 1
    runs = sorted({len(p.runs) for p in done})
    table = "\n".join([
        (f"fault-free runs ({BASELINE_RUNS} at once, {PIECES} pieces): "
         f"{', '.join(f'{times[-1]:.2f}' for times in base)} s; their milestones (s): "
         + ", ".join(f"{label} {t:.2f}" for label, t in zip(MILESTONES, timeline.times))),
        (f"{len(killed)} of {len(done)} points killed a running CLI "
         f"({sum(p.random for p in killed)} of {sum(p.random for p in done)} random ones); "
         f"{time.monotonic() - began:.1f} s in all; CPU: {_cpu()}"),
        "phase at the kill: " + ", ".join(f"{k} {v}" for k, v in sorted(phases.items())),
        f"an ffmpeg or ffprobe was running at {sum(bool(p.children) for p in killed)} kills",
        "follow-up runs needed: " + ", ".join(
            f"{n} for {sum(len(p.runs) == n for p in done)} points" for n in runs),
        HEADER, *(p.row() for p in done)])
    with capsys.disabled():
        print("\n" + table)
    assert not [p for p in done if p.problems], table
    if not os.environ.get("KILL_SEEDS"):
        assert sum(p.random for p in killed) >= MIN_KILLED, table


def test_a_killed_run_takes_its_ffmpeg_with_it(box, tmp_path):
    """kill -9 during extraction: the ffmpeg writing into the work folder dies too, at once.
    (Left alone it ran on to the end of its extraction, writing into the folder that the next
    run cleans and cuts into again: media/ffmpeg.py gives it PR_SET_PDEATHSIG.)"""
    rate, seconds = 48000, 300
    long_wav = tmp_path / "five minutes stereo.wav"
    t = np.arange(rate * 30, dtype=np.float32) / rate
    block = (0.2 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    with sf.SoundFile(str(long_wav), "w", rate, 2, subtype="PCM_16") as out:
        for _ in range(seconds // 30):
            out.write(np.stack([block, block[::-1]], axis=1))
    cli = make_cli(box, tmp_path / "home")
    proc = start(cli, "submit", long_wav, "--chunk-minutes", "1", "--name", "ffmpeg kill")
    try:
        whole = until(lambda: cli.submissions.is_dir()
                      and next(cli.submissions.glob("*/.cutting/whole.wav"), None),
                      what="the extraction to start")
        assert [p for p in group_alive(proc.pid) if p.endswith(":ffmpeg")]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        until(lambda: group_alive(proc.pid) == [], timeout=2, what="ffmpeg to die with it")
        # It died with the CLI: the extraction (16 kHz mono, 2 bytes a sample) was cut short.
        size = whole.stat().st_size if whole.exists() else 0
        assert size < 16000 * 2 * seconds / 2, size
    finally:
        _kill_group(proc.pid)


def _error_line(err: str) -> str:
    """The one line a stopped run says about it (after any progress lines), no traceback."""
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    ours = [line for line in lines if line.startswith("symbl-media:")]
    assert len(ours) == 1 and lines[-1] == ours[0], err
    return ours[0]


def _resumes_to_exactly_once(cli: Cli, box, ops, name: str, key: str) -> None:
    listed = cli("resume", "--list")
    assert key in listed.out, listed.out
    assert next(line for line in listed.out.splitlines() if key in line).split()[3] != "done"
    done = cli("resume")
    assert done.code == 0, done.err
    [record] = records(cli)
    assert check_done(cli, box.client(), name, len(record["pieces"])) == []
    assert len(ops.receipts(record["conversation_id"])) == len(record["pieces"]) >= 2


def test_ctrl_c_while_preparing_leaves_a_resumable_record_and_nothing_else(box, ops,
                                                                          quiet_recording,
                                                                          tmp_path):
    cli = make_cli(box, tmp_path / "home")
    name = "ctrl-c preparing"
    proc = start(cli, "submit", quiet_recording, "--chunk-minutes", "1", "--name", name)
    try:
        # The extraction has begun writing into the staging folder: Ctrl-C now.
        until(lambda: cli.submissions.is_dir()
              and next(cli.submissions.glob("*/.cutting/whole.wav"), None),
              what="the extraction to start")
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        _kill_group(proc.pid)
    err = (cli.home / "run.err").read_text()
    assert err.strip().splitlines() == [_error_line(err)]
    assert "resume" in err
    [record] = records(cli)
    assert record["stage"] == "preparing" and set(_states(record)) <= {"."}, record  # none sent
    assert cli.temp_left() == []
    assert not list(cli.submissions.glob("*/.cutting")), "the staging folder was left"
    assert group_alive(proc.pid) == []
    _resumes_to_exactly_once(cli, box, ops, name, record["key"])


def test_ctrl_c_on_an_again_run_then_its_advice_gives_one_conversation(box, ops,
                                                                       quiet_recording,
                                                                       tmp_path):
    """``--again`` makes a new submission each time: after Ctrl-C the same command would make
    yet another conversation, so the advice must name the way that carries this one on."""
    cli = make_cli(box, tmp_path / "home")
    name = "ctrl-c again"
    command = ("submit", quiet_recording, "--chunk-minutes", "1", "--name", name, "--again")
    proc = start(cli, *command)
    try:
        until(lambda: any(r.get("conversation_id") for r in records(cli)),
              what="the first piece to be sent")
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        _kill_group(proc.pid)
    line = _error_line((cli.home / "run.err").read_text())
    [record] = records(cli)
    assert record["stage"] != "done"
    # Follow the advice as a user would: the same command again where it offers that, else
    # the command it names; then a later `resume` as well, which must find nothing to send.
    if "or the same command again" in line:
        follow = command
    else:
        named = re.search(r"`symbl-media (resume[^`]*)`", line)
        assert named, line
        follow = tuple(named.group(1).split())
    done = cli(*follow)
    assert done.code == 0, done.err
    later = cli("resume")
    assert later.code == 0, later.err
    assert check_done(cli, box.client(), name, PIECES) == []


@pytest.fixture(scope="module")
def stereo_recording(tmp_path_factory) -> Path:
    """4 x 61 s in stereo: with --separate-channels --chunk-minutes 2, two pieces, the second
    about 150 s (9.7 MB of 2-channel WAV: more than loopback's buffers take in)."""
    path = tmp_path_factory.mktemp("stereo") / "four quiet minutes stereo.flac"
    sf.write(str(path), _blocks(4, channels=2), 16000, subtype="PCM_16", format="FLAC")
    return path


def _loopback_buffers() -> int:
    """How many bytes a sender can hand over on loopback to a peer that reads nothing."""
    with socket.create_server(("127.0.0.1", 0)) as server, \
            socket.create_connection(server.getsockname()) as sender:
        peer, _ = server.accept()
        with peer:
            sender.setblocking(False)
            total, block = 0, b"\0" * 65536
            while True:
                try:
                    total += sender.send(block)
                except BlockingIOError:
                    time.sleep(0.05)
                    try:
                        total += sender.send(block)
                    except BlockingIOError:
                        return total


@pytest.mark.parametrize("where", ["body half out", "body out, reply awaited"])
def test_ctrl_c_during_an_upload_then_resume_sends_that_piece_once(box, ops, quiet_recording,
                                                                   stereo_recording, tmp_path,
                                                                   where):
    """The second piece's PUT is held for 3 s before the sandbox reads its body (the `slow`
    fault), and Ctrl-C comes while it is held: with a piece bigger than loopback's buffers the
    CLI is still writing the body; with a smaller one all of it is out and the reply awaited,
    and the held request goes on to create the job after the CLI is gone: resume must find it
    (not send the piece again), which it does by looking for a few seconds (SETTLE_SECONDS)."""
    cli = make_cli(box, tmp_path / "home")
    name = f"ctrl-c {where}"
    if where == "body half out":
        command = ("submit", stereo_recording, "--separate-channels", "--chunk-minutes", "2",
                   "--name", name)
    else:
        command = ("submit", quiet_recording, "--chunk-minutes", "1", "--name", name)
    ops.faults(slow={"count": 1, "seconds": 3, "path": AUDIO, "method": "PUT"})
    proc = start(cli, *command)
    try:
        record = until(lambda: next((r for r in records(cli) if _states(r)[1:2] == ">"), None),
                       what="the second piece to be going out")
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        _kill_group(proc.pid)
    body, room = record["pieces"][1]["bytes"], _loopback_buffers()
    assert (body > 1.5 * room) if where == "body half out" else (body < room / 1.5), (body, room)
    assert "resume" in _error_line((cli.home / "run.err").read_text())
    [record] = records(cli)
    # It stopped without waiting for the held reply: piece 2's fate is unknown to the record.
    assert _states(record)[:2] == "+>", record
    assert cli.temp_left() == []
    assert not list(cli.submissions.glob("*/.cutting"))
    _resumes_to_exactly_once(cli, box, ops, name, record["key"])
