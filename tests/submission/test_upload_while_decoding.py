"""The first upload starts while the rest of the recording is still being decoded, and a
decode that fails after piece 1 went out leaves a record that resumes exactly once.

What is checked here is the client's side: the record, and the bodies the sandbox received
(their hashes). The words are never read, so the module's sandbox is configured as a user
points one at an OpenAI-compatible speech service (``--transcriber openai``), here a loopback
stand-in that answers each burst of sound with a word. With the built-in Whisper the module
spent most of its eight minutes transcribing five minutes of speech per submission.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from server.openai_standin import StandIn

from symbl_media.client.calls import SymblClient
from symbl_media.client.settings import resolve
from symbl_media.client.transport import Transport
from symbl_media.contract.options import ApiOptions
from symbl_media.errors import ProcessingError
from symbl_media.media import pipeline
from symbl_media.media.plan import PrepareOptions
from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.server.engines.settings import EngineSettings, Secret
from symbl_media.submission.records import Store
from symbl_media.submission.submitter import Request, Source, Submitter
from symbl_media.testing import running_sandbox

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OPTIONS = PrepareOptions(chunk_minutes=5, decoders=1)


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """This module's sandbox (in place of conftest's): transcription by an OpenAI-compatible
    endpoint, the loopback stand-in (tests/server/openai_standin.py, which enforces the real
    service's wire format and limits); the same cap on running jobs as conftest's."""
    standin = StandIn().start()
    engines = EngineSettings(transcriber="openai", transcriber_url=standin.url,
                             transcriber_key=Secret(standin.key, "test"))
    try:
        with running_sandbox(tmp_path_factory.mktemp("sandbox"), max_concurrent_jobs=16,
                             engines=engines) as running:
            yield running
    finally:
        standin.stop()


@pytest.fixture(scope="module")
def twenty_minutes(tmp_path_factory) -> Path:
    """20 minutes, 44.1 kHz stereo FLAC: each minute 15 s of real speech (samples/meeting)
    then quiet, so the sandbox's transcriber has little to do."""
    folder = tmp_path_factory.mktemp("twenty")
    minute, out = folder / "minute.wav", folder / "twenty.flac"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(SAMPLES / "meeting.flac"),
                    "-af", "apad=whole_dur=60", "-c:a", "pcm_s16le", str(minute)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-stream_loop", "19", "-i",
                    str(minute), "-c:a", "flac", str(out)], check=True)
    return out


@pytest.fixture
def client(box, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = resolve(box.url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
    return SymblClient(settings, Transport(settings, backoff=0.01))


def decoders_of(source: Path) -> list[int]:
    """This process's ffmpeg children reading ``source`` (the sandbox's own ffmpeg runs, in
    this process too, read uploads, never the source)."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    mine = []
    for pid in found:
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if "ffmpeg" in argv and str(source) in argv and "whole.wav" in argv:
                mine.append(pid)
    return mine


class Crawl:
    """The processes ``find()`` returns run 5 ms in every 50 (SIGSTOP, SIGCONT, from a thread
    of this test) until ``stop()``, as a long recording decodes on a busy machine. Idle, this
    machine decodes the 20 minutes in about 0.2 s, and cutting piece 1 takes about as long:
    the decode could end first, and a test meant to catch it running skipped or failed."""

    def __init__(self, find) -> None:
        self._find = find
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            pids = self._find()
            if not pids:
                self._done.wait(0.002)
                continue
            _signal(pids, signal.SIGSTOP)
            self._done.wait(0.045)
            _signal(pids, signal.SIGCONT)  # always: what this stopped runs again
            time.sleep(0.005)

    def stop(self) -> None:
        """Back to full speed; returns once every process this stopped runs again."""
        self._done.set()
        self._thread.join()


def _signal(pids, sig) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, sig)


# A decode paused at piece 1 is let go after this long even if no upload started: a run
# that uploads only after the decode ends then fails its assertions instead of hanging.
PAUSE_LIMIT = 60.0


def let_go_later(paused: list[int]) -> threading.Timer:
    """SIGCONT to ``paused`` in PAUSE_LIMIT seconds (cancel it once an upload let them go);
    ``timer.finished`` after the test says whether it had to."""
    timer = threading.Timer(PAUSE_LIMIT, lambda: _signal([p for p in paused if p],
                                                         signal.SIGCONT))
    timer.daemon = True
    timer.start()
    return timer


@pytest.fixture
def crawl():
    """``crawl(find)`` starts a Crawl; every one started is stopped after the test."""
    started: list[Crawl] = []

    def start(find) -> Crawl:
        started.append(Crawl(find))
        return started[-1]

    yield start
    for each in started:
        each.stop()


def test_the_first_upload_starts_while_the_rest_is_decoding(client, ops, twenty_minutes,
                                                            tmp_path, crawl):
    """The decode is paused (SIGSTOP) as piece 1 is cut, and let go when an upload starts:
    the upload must start with the end of the recording still undecoded."""
    seen: dict[str, object] = {"paused": []}
    slow = crawl(lambda: decoders_of(twenty_minutes))

    def on_event(kind, data):
        # Paused as piece 1 is written, before the sender can know of it (an upload start
        # must find the decode paused, not the other way round).
        if kind == "progress" and data["stage"] == "cut" and not seen.get("cut"):
            seen["cut"] = 1
            slow.stop()
            for pid in decoders_of(twenty_minutes):
                os.kill(pid, signal.SIGSTOP)
                seen["paused"].append(pid)
            seen["limit"] = let_go_later(seen["paused"])
        if kind == "upload" and data.get("sent") == 0 and "index" not in seen:
            seen["index"] = data["index"]
            seen["extracted"] = seen.get("last_extract")
            seen["let go"] = "limit" in seen and not seen["limit"].finished.is_set()
            if "limit" in seen:
                seen["limit"].cancel()
            _signal(seen["paused"], signal.SIGCONT)  # gone already if the limit let them go
        if kind == "progress" and data["stage"] == "extract":
            seen["last_extract"] = data["done"]

    request = Request(Source("file", path=twenty_minutes), prepare=OPTIONS, wait=False)
    try:
        outcome = Submitter(client, "test", Store(tmp_path / "s"),
                            on_event=on_event).submit(request)
    finally:
        for pid in seen["paused"]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGCONT)
    if not seen["paused"]:
        pytest.skip("the decode had ended before piece 1 was cut: nothing was tested")
    assert seen["let go"], f"no upload started in the {PAUSE_LIMIT:g} s the decode was paused"
    assert seen["index"] == 0
    assert seen["extracted"] < 20 * 60 - 60  # minutes of the recording were still to come
    got = ops.receipts(outcome.record.conversation_id)
    assert [r["sha256"] for r in got] == [p.sha256 for p in outcome.record.pieces]
    assert len(got) == 4


def pause_decoders_at_first_cut(kind, data, recording, paused: list[int],
                                slow: Crawl) -> None:
    """At the first piece cut, end the crawl, SIGSTOP the recording's decoders and note their
    pids in ``paused`` ([0] when the decode had already ended: nothing to pause)."""
    if kind == "progress" and data["stage"] == "cut" and not paused:
        slow.stop()
        paused.extend(decoders_of(recording) or [0])
        for pid in paused:
            if pid:
                os.kill(pid, signal.SIGSTOP)
        let_go_later(paused)  # no hang if no upload ever starts to kill them


def kill_paused(paused: list[int]) -> None:
    """SIGKILL the paused decoders, as the OOM killer would."""
    for pid in paused:
        with contextlib.suppress(OSError):
            if pid:
                os.kill(pid, signal.SIGKILL)


def test_a_decode_killed_after_piece_1_went_out_resumes_exactly_once(
        client, ops, twenty_minutes, tmp_path, crawl):
    """Paused as piece 1 is written, killed (as the OOM killer would) when its upload starts."""
    store = Store(tmp_path / "submissions")
    paused: list[int] = []
    slow = crawl(lambda: decoders_of(twenty_minutes))

    def on_event(kind, data):
        pause_decoders_at_first_cut(kind, data, twenty_minutes, paused, slow)
        if kind == "upload" and data.get("index") == 0 and data.get("sent") == 0:
            kill_paused(paused)

    request = Request(Source("file", path=twenty_minutes), prepare=OPTIONS)
    try:
        Submitter(client, "test", store, on_event=on_event).submit(request)
    except ProcessingError as exc:
        stopped = exc
    else:
        stopped = None
    if paused == [0]:
        pytest.skip("the decode had ended before piece 1 was cut: nothing was tested")
    assert stopped is not None and stopped.exit_code == 7 and "killed" in str(stopped)
    (record,) = store.all()
    assert not record.prepared and record.stage != "done"
    # Only whole pieces were recorded: each one's file is there and is what was hashed.
    assert record.pieces and record.pieces[0].state in ("sending", "sent", "completed")
    work = store.work(record.key)
    for piece in record.pieces:
        if (work / piece.file).exists():
            assert hashlib.sha256((work / piece.file).read_bytes()).hexdigest() == piece.sha256
    assert not list(work.glob(".cutting/*"))
    submitter = Submitter(client, "test", store)
    outcome = submitter.resume(record, request)
    record, _ = submitter.finish(outcome.record)
    assert record.stage == "done"
    got = ops.receipts(record.conversation_id)
    # Each piece arrived once, and they are the pieces an uninterrupted cut makes.
    assert [r["sha256"] for r in got] == [p.sha256 for p in record.pieces]
    clean = pipeline.prepare(twenty_minutes, tmp_path / "clean", OPTIONS)
    assert [p.sha256 for p in clean.pieces] == [p.sha256 for p in record.pieces]


def test_a_sender_left_behind_by_a_stopped_run_does_not_overwrite_the_resumed_record(
        client, ops, twenty_minutes, tmp_path, crawl):
    """A run whose cutting fails returns without joining its sender thread (it may be in an
    upload), and releases the submission's lock. Here that thread is held (in its upload
    event, as a slow upload on a busy machine holds it) until the resume has delivered every
    piece, then let go before ``finish`` reads the record back. Its stale one-piece copy of
    the record must not be written over the resume's: that is how a full test run once ended
    with a "done" record listing 1 piece of the 4 the service received."""
    store = Store(tmp_path / "submissions")
    paused: list[int] = []
    release, left_behind = threading.Event(), []
    slow = crawl(lambda: decoders_of(twenty_minutes))

    def on_event(kind, data):
        pause_decoders_at_first_cut(kind, data, twenty_minutes, paused, slow)
        if (kind == "upload" and data.get("index") == 0 and data.get("sent") == 0
                and not left_behind and paused != [0]):  # held only when a decode was killed
            left_behind.append(threading.current_thread())
            kill_paused(paused)
            release.wait(300)  # the first run's sender, until the resume has delivered

    # A name of its own: the module's sandbox holds the previous test's conversation of the
    # same recording (same name, same first piece), which the resume's search for a lost
    # first piece would otherwise rightly take for this one's.
    request = Request(Source("file", path=twenty_minutes), prepare=OPTIONS,
                      api=ApiOptions(name="left-behind"))
    try:
        with pytest.raises(ProcessingError):
            Submitter(client, "test", store, on_event=on_event).submit(request)
            if paused == [0]:  # nothing was killed, so nothing raised
                pytest.skip("the decode had ended before piece 1 was cut: nothing was tested")
        if paused == [0]:
            pytest.skip("the decode had ended before piece 1 was cut: nothing was tested")
        (record,) = store.all()
        submitter = Submitter(client, "test", store)
        outcome = submitter.resume(record, request)
        assert len(outcome.record.pieces) == 4
    finally:
        release.set()
    left_behind[0].join(60)
    assert not left_behind[0].is_alive()
    assert len(store.all()[0].pieces) == 4  # the old thread wrote nothing over it
    record, _ = submitter.finish(outcome.record)
    assert record.stage == "done" and len(record.pieces) == 4
    got = ops.receipts(record.conversation_id)
    assert [r["sha256"] for r in got] == [p.sha256 for p in record.pieces]


@pytest.fixture(scope="module")
def twenty_minutes_aac(tmp_path_factory) -> Path:
    """20 minutes of AAC (each minute 15 s of real speech, then quiet): its one pass is split
    between a decoder and a converter when two decoders are allowed (media/split.py)."""
    folder = tmp_path_factory.mktemp("twenty-aac")
    minute, out = folder / "minute.m4a", folder / "twenty.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(SAMPLES / "meeting.flac"),
                    "-af", "apad=whole_dur=60", "-ar", "48000", "-c:a", "aac", str(minute)],
                   check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-stream_loop", "19", "-i",
                    str(minute), "-c", "copy", str(out)], check=True)
    return out


def split_of(source: Path) -> dict[str, int]:
    """This process's two ffmpeg of ``source``'s split pass: the decoder (reads the source,
    writes float to a pipe) and the converter (reads the pipe, writes whole.wav)."""
    found = {}
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            for pid in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                    if "ffmpeg" in argv and str(source) in argv and "-flush_packets" in argv:
                        found["decoder"] = int(pid)
                    elif "ffmpeg" in argv and "pipe:0" in argv and "whole.wav" in argv:
                        found["converter"] = int(pid)
    return found


@pytest.mark.parametrize("role", ["decoder", "converter"])
def test_a_split_decode_with_one_process_killed_after_piece_1_resumes_exactly_once(
        role, client, ops, twenty_minutes_aac, tmp_path, crawl):
    """The same as a killed single pass, for each of the split's two processes: both paused
    as piece 1 is written; when its upload starts, one is killed and the other let go."""
    options = PrepareOptions(chunk_minutes=5, decoders=2)
    store = Store(tmp_path / "submissions")
    paused: dict[str, int] = {}
    slow = crawl(lambda: list(split_of(twenty_minutes_aac).values()))

    def on_event(kind, data):
        if kind == "progress" and data["stage"] == "cut" and not paused:
            slow.stop()
            paused.update(split_of(twenty_minutes_aac) or {"none": 0})
            for pid in paused.values():
                if pid:
                    os.kill(pid, signal.SIGSTOP)
        if kind == "upload" and data.get("index") == 0 and data.get("sent") == 0:
            for which, pid in paused.items():
                with contextlib.suppress(OSError):
                    if pid:
                        os.kill(pid, signal.SIGKILL if which == role else signal.SIGCONT)

    request = Request(Source("file", path=twenty_minutes_aac), prepare=options,
                      api=ApiOptions(name=f"split {role} killed"))
    try:
        Submitter(client, "test", store, on_event=on_event).submit(request)
    except ProcessingError as exc:
        stopped = exc
    else:
        stopped = None
    if role not in paused:
        pytest.skip(f"the {role} had ended before piece 1 was cut: nothing was tested")
    assert stopped is not None and stopped.exit_code == 7 and "killed" in str(stopped)
    assert ("decoding audio" in str(stopped)) == (role == "decoder"), str(stopped)
    (record,) = store.all()
    assert record.pieces and not record.prepared and record.stage != "done"
    work = store.work(record.key)
    for piece in record.pieces:
        if (work / piece.file).exists():
            assert hashlib.sha256((work / piece.file).read_bytes()).hexdigest() == piece.sha256
    submitter = Submitter(client, "test", store)
    outcome = submitter.resume(record, request)
    record, _ = submitter.finish(outcome.record)
    assert record.stage == "done"
    got = ops.receipts(record.conversation_id)
    assert [r["sha256"] for r in got] == [p.sha256 for p in record.pieces]
    # The pieces of one uninterrupted single pass: the split changed no byte.
    clean = pipeline.prepare(twenty_minutes_aac, tmp_path / "clean",
                             PrepareOptions(chunk_minutes=5, decoders=1))
    assert [p.sha256 for p in clean.pieces] == [p.sha256 for p in record.pieces]


def test_a_lost_first_piece_is_not_taken_for_an_earlier_submission_of_the_same_recording(
        client, tmp_path):
    """The same recording under the same name, submitted earlier from another store: its first
    body is ours byte for byte. A resume whose first reply was lost once took that earlier
    conversation for its own, recorded one piece and never sent the rest (the full suite ran
    this module's tests on one sandbox in that order)."""
    from dataclasses import replace

    from symbl_media.submission.reconcile import find_conversation

    request = Request(Source("file", path=SAMPLES / "meeting.flac"), prepare=OPTIONS)
    earlier = Submitter(client, "test", Store(tmp_path / "earlier")).submit(request).record
    ours = Store(tmp_path / "ours")  # claims nothing
    first = earlier.pieces[0]
    lost = replace(earlier, key="ours", conversation_id=None,
                   pieces=(replace(first, state="sending", job_id=None, before=(),
                                   named=(earlier.conversation_id,)),))
    assert find_conversation(client, ours, lost, lost.pieces[0], "audio") is None
    # What the earlier records (without the names seen at sending) still get: the old answer.
    unknown = replace(lost, pieces=(replace(lost.pieces[0], named=None),))
    assert find_conversation(client, ours, unknown, unknown.pieces[0], "audio") \
        == earlier.conversation_id
