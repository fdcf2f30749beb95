"""The fault matrix's parts: every fault kind at every position of a three-piece submission.

Positions: the first piece (POST), a middle append (the first PUT), the last append (the
second PUT) and the insight fetch (the first GET of a conversation list). Each cell runs the
library's ``Submitter`` (the same code ``submit`` runs) against the module's sandbox with one
fault armed, and must either complete, or stop with a one-line error and a record that
``resume`` then completes. Either way the conversation ends with each piece received exactly
once, in order, and the same content as the fault-free run: nothing duplicated, nothing lost.

Cells run in process (no interpreter start per cell) on a recording made for speed: three
one-minute blocks, each one short sentence and then quiet, which the speech engine skips.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from unittest import mock

import pytest

from symbl_media.client.calls import SymblClient
from symbl_media.contract.options import ApiOptions
from symbl_media.client.settings import resolve
from symbl_media.client.transport import Transport
from symbl_media.errors import SymblMediaError
from symbl_media.submission.records import Store
from symbl_media.media.parts import MIN_PART_ENV
from symbl_media.media.plan import PrepareOptions
from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.server.faults import KINDS
from symbl_media.submission.submitter import Request, Source, Submitter

SENTENCES = ("Please send the budget report to finance by Friday.",
             "Can we ship the release on Monday morning?",
             "Bob will write the release notes for support.")

READ_TIMEOUT = 3.0  # the cells' reply timeout; slow_reply waits longer than this
POSITIONS = {
    "first piece": {"path": "/v1/process/audio", "method": "POST"},
    "middle append": {"path": "/v1/process/audio/", "method": "PUT"},
    "last append": {"path": "/v1/process/audio/", "method": "PUT", "skip": 1},
    "insight fetch": {"path": "/v1/conversations/", "method": "GET"},
}
# Faults the sandbox injects into requests, as armed at a position.
REQUEST_FAULTS = {
    "429 burst": ("status429", {"count": 3}),
    "500": ("status500", {"count": 1}),
    "connection refused": ("refuse", {"count": 1, "seconds": 1.5}),
    "dropped before the body": ("drop_before_body", {"count": 1}),
    "dropped after the body": ("drop_after_body", {"count": 1}),
    "reply slower than the timeout": ("slow_reply", {"count": 1, "seconds": READ_TIMEOUT + 2}),
    "token expired": ("expire_tokens", {"count": 1}),
}
# Positions of the other kinds: which job fails, and after how many cut pieces the disk
# fills or ffmpeg is killed (None: when the insights are being fetched).
JOB_POSITIONS = {"first piece": 0, "middle append": 1, "last append": 2}
PREPARE_POSITIONS = {"first piece": 0, "middle append": 1, "last append": 2,
                     "insight fetch": None}

# Two test modules share the cells, so that a parallel run can give them to two workers.
SENDING_CELLS = [(kind, where) for kind in REQUEST_FAULTS for where in POSITIONS
                 if where != "insight fetch"]
OTHER_CELLS = ([(kind, "insight fetch") for kind in REQUEST_FAULTS]
               + [("job failed", where) for where in JOB_POSITIONS]
               + [("webhook unreachable", "every piece")]
               + [("temp disk full", where) for where in PREPARE_POSITIONS]
               + [("ffmpeg killed", "first piece")])


@pytest.fixture(scope="module")
def quick_recording(tmp_path_factory) -> Path:
    """Three blocks of 62 s, a sentence then quiet: --chunk-minutes 1 makes three pieces.
    A stereo 44.1 kHz FLAC, so that preparing it runs ffmpeg as most inputs do: ordinary
    stereo (the right side 6 dB down), averaged, the mix the pass starts on while the channels
    are measured; dual mono would throw that first decode away, and the part killed with it."""
    if not shutil.which("espeak-ng"):
        pytest.skip("needs espeak-ng")
    folder = tmp_path_factory.mktemp("quick")
    blocks = []
    for i, text in enumerate(SENTENCES):
        spoken = folder / f"s{i}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(spoken), text],
                       check=True, capture_output=True)
        block = folder / f"b{i}.wav"
        _ffmpeg("-i", spoken, "-ar", "16000", "-ac", "1", "-af", "adelay=500,apad=whole_dur=62",
                "-t", "62", "-c:a", "pcm_s16le", block)
        blocks.append(block)
    listing = folder / "blocks.txt"
    listing.write_text("".join(f"file '{b}'\n" for b in blocks))
    out = folder / "three.flac"
    _ffmpeg("-f", "concat", "-safe", "0", "-i", listing, "-ar", "44100", "-af",
            "pan=stereo|c0=c0|c1=0.5*c0", "-c:a", "flac", out)
    return out


def _ffmpeg(*args) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *map(str, args)], check=True)


@dataclass
class Cell:
    """One run of the matrix: its own store, token cache and conversation name."""

    box: object
    recording: Path
    folder: Path
    name: str
    webhook: str | None = None
    decoders: int | None = None

    def client(self) -> SymblClient:
        settings = resolve(self.box.url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
        return SymblClient(settings, Transport(settings, token_folder=self.folder / "tokens",
                                               read_timeout=READ_TIMEOUT, backoff=0.2))

    def request(self) -> Request:
        return Request(Source("file", path=self.recording),
                       prepare=PrepareOptions(chunk_minutes=1, decoders=self.decoders),
                       api=ApiOptions(name=self.name, webhook=self.webhook))

    def submitter(self, store: Store, on_event=None) -> Submitter:
        return Submitter(self.client(), "matrix", store, on_event=on_event, poll=0.1)


def run_cell(cell: Cell, store: Store, on_event=None, between=None, delivered=None):
    """Submit and finish (or only finish ``delivered``, a record whose pieces all arrived);
    on a stop, check the error and the record, then resume.

    Returns (record, the error that stopped the first run or None)."""
    request = cell.request()
    try:
        submitter = cell.submitter(store, on_event)
        if delivered is None:
            delivered = submitter.submit(request).record
        record, _ = submitter.finish(delivered)
        return record, None
    except SymblMediaError as exc:
        stopped = exc
    message = str(stopped)
    assert message.strip() and "\n" not in message, f"not one line: {message!r}"
    assert "Traceback" not in message
    (record,) = store.all()
    assert record.stage != "done", "stopped but marked done"
    if between is not None:
        between()
    submitter = cell.submitter(store)
    outcome = submitter.resume(record, request)
    record, _ = submitter.finish(outcome.record)
    return record, stopped


def content(box, cid: str) -> dict:
    """What a user reads from a conversation, without ids and clock times."""
    client = box.client()

    def texts(kind: str, key: str) -> list:
        return [item["text"] for item in client.get(f"/v1/conversations/{cid}/{kind}"
                                                    ).json()[key]]

    start = _instant(client.get(f"/v1/conversations/{cid}").json()["startTime"])
    messages = client.get(f"/v1/conversations/{cid}/messages").json()["messages"]
    return {"messages": [(m["text"], _Near(_instant(m["startTime"]) - start),
                          _Near(_instant(m["endTime"]) - start)) for m in messages],
            "topics": sorted(texts("topics", "topics")),
            "questions": texts("questions", "questions"),
            "action items": texts("action-items", "actionItems"),
            "follow-ups": texts("follow-ups", "followUps")}


class _Near(float):
    """A time offset; equal to another within 20 ms (times travel as ISO milliseconds)."""

    def __eq__(self, other) -> bool:
        return abs(self - other) <= 0.02

    __hash__ = float.__hash__

    def __repr__(self) -> str:
        return f"{float(self):.3f}"


def _instant(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def clear(ops) -> None:
    """No fault armed, once the sandbox listens again (after a "refuse")."""
    deadline = time.monotonic() + 30
    while True:
        try:
            ops.faults(**{kind: {"count": 0} for kind in KINDS})
            return
        except OSError:  # requests' ConnectionError is one
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def delivered(box, quick_recording, tmp_path_factory):
    """One submission whose pieces all arrived, not yet finished: the insight-fetch cells
    each finish a copy of its record (the fetch is the only step left)."""
    folder = tmp_path_factory.mktemp("delivered")
    cell = Cell(box, quick_recording, folder, "matrix insight fetch")
    record = cell.submitter(Store(folder / "submissions")).submit(cell.request()).record
    assert record.stage == "collecting" and all(p.state == "completed" for p in record.pieces)
    return record


@pytest.fixture(scope="module")
def baseline(box, quick_recording, tmp_path_factory):
    """The fault-free run every cell is compared with."""
    folder = tmp_path_factory.mktemp("baseline")
    cell = Cell(box, quick_recording, folder, "matrix baseline")
    started = time.monotonic()
    record, stopped = run_cell(cell, Store(folder / "submissions"))
    assert stopped is None and record.stage == "done" and len(record.pieces) == 3
    return {"record": record, "content": content(box, record.conversation_id),
            "seconds": time.monotonic() - started}


def check_delivered(ops, baseline, record, name: str) -> None:
    assert record.stage == "done"
    assert [p.sha256 for p in record.pieces] == [p.sha256 for p in baseline["record"].pieces]
    # A job the service failed is not a delivery: its piece is sent again, as resume should.
    receipts = [r for r in ops.receipts(record.conversation_id) if r["status"] != "failed"]
    assert [r["sha256"] for r in receipts] == [p.sha256 for p in record.pieces], \
        "a piece is missing, duplicated or out of order"
    assert all(r["status"] == "completed" for r in receipts)
    named = [c for c in ops.conversations() if c.get("name") == name]
    assert len(named) == 1, f"{len(named)} conversations named {name!r}"
    assert content(ops.box, record.conversation_id) == baseline["content"]


def check_cell(kind, where, box, ops, quick_recording, baseline, tmp_path, delivered=None):
    """Run one cell and check it (``delivered``: finish that record instead of submitting)."""
    clear(ops)
    name = delivered.name if delivered else f"matrix {kind} @ {where}"
    cell = Cell(box, quick_recording, tmp_path, name)
    store = Store(tmp_path / "submissions")
    between = on_event = None
    mount = None
    if kind in REQUEST_FAULTS:
        fault, spec = REQUEST_FAULTS[kind]
        ops.faults(**{fault: {**spec, **POSITIONS[where]}})
    elif kind == "job failed":
        ops.faults(fail_job={"count": 1, "skip": JOB_POSITIONS[where]})
    elif kind == "webhook unreachable":
        cell.webhook = f"http://127.0.0.1:{_closed_port()}/hook"
    elif kind == "temp disk full":
        mount = _small_disk(tmp_path / "disk")
        store = Store(mount / "submissions")
        if delivered is not None:
            store.save(delivered)
        filler = mount / "filler"
        on_event = _after_pieces(PREPARE_POSITIONS[where], lambda: _fill(mount, filler))
        between = filler.unlink  # the user frees some space
    killer = None
    parts = contextlib.nullcontext()
    if kind == "ffmpeg killed":
        # One of the decoders of the first extraction: the recording is decoded in two parts
        # (62 s a part at least), and the part writing its own file is killed.
        parts = mock.patch.dict(os.environ, {MIN_PART_ENV: "62"})
        cell.decoders = 2
        killer = _FfmpegKiller(str(quick_recording), marker=".parts/part-1")
        killer.arm()
        between = killer.stop
    if delivered is not None and mount is None:
        store.save(delivered)
    try:
        with parts:
            record, stopped = run_cell(cell, store, on_event, between, delivered)
    finally:
        if killer is not None:
            killer.stop()
        clear(ops)
        if mount is not None:
            subprocess.run(["umount", "-l", str(mount)], check=False)
    if killer is not None and not killer.killed:
        # The machine was too busy to catch an ffmpeg run alive: nothing was tested.
        pytest.skip("every ffmpeg run ended before it could be killed")
    check_delivered(ops, baseline, record, name)
    # (A full disk at the insight fetch may pass unnoticed: the pieces are deleted first.)
    if kind in ("job failed", "ffmpeg killed") or (kind == "temp disk full"
                                                   and where != "insight fetch"):
        assert stopped is not None, f"{kind} was not noticed"
        assert stopped.exit_code in {"job failed": (17,), "temp disk full": (7, 8),
                                     "ffmpeg killed": (7,)}[kind], stopped
    print(f"\n{kind} @ {where}: {'stopped, resumed: ' + str(stopped) if stopped else 'completed'}")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _after_pieces(count: int | None, action):
    """An event hook that runs ``action`` once ``count`` pieces have been cut (None: when
    the insights are being collected)."""
    state = {"pieces": 0, "done": False}

    def on_event(kind: str, data: dict) -> None:
        if kind == "piece":
            state["pieces"] += 1
        due = (kind == "collecting" and data.get("what") == "insights") if count is None \
            else (kind == "plan" and count == 0) or (kind == "piece" and state["pieces"] == count)
        if due and not state["done"]:
            state["done"] = True
            action()

    return on_event


def _small_disk(where: Path) -> Path:
    """A 48 MB tmpfs, so "disk full" is a real ENOSPC from the kernel."""
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(where)],
                          check=False, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()})")
    return where


def _fill(mount: Path, filler: Path) -> None:
    """Take every free byte (big blocks, then smaller ones for the last few)."""
    with filler.open("wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while fh.write(b"\0" * size) == size:
                    pass


class _FfmpegKiller:
    """SIGKILLs the next ffmpeg run on ``source`` whose arguments hold ``marker``, once armed
    (as the OOM killer might). The sandbox decodes uploads with ffmpeg in this same process:
    those are left alone."""

    def __init__(self, source: str, marker: str = "") -> None:
        self.source, self.marker = source, marker
        self.armed = threading.Event()
        self.stopped = threading.Event()
        self.killed: list[int] = []
        threading.Thread(target=self._watch, daemon=True).start()

    def arm(self) -> None:
        self.armed.set()

    def stop(self) -> None:
        self.stopped.set()

    def _watch(self) -> None:
        self.armed.wait()
        while not self.stopped.is_set() and not self.killed:
            for pid in _children(os.getpid()):
                with contextlib.suppress(OSError):
                    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                    if Path(f"/proc/{pid}/comm").read_text().strip() == "ffmpeg" \
                            and self.source in argv and self.marker in argv:
                        os.kill(pid, signal.SIGKILL)
                        self.killed.append(pid)
                        break
            time.sleep(0.005)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found
