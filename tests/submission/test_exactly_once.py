"""Exactly-once corner cases found in review, driven through the library and the CLI."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from symbl_media.client.calls import SymblClient
from symbl_media.client.settings import resolve
from symbl_media.client.transport import Transport
from symbl_media.errors import Interrupted
from symbl_media.submission.records import Store
from symbl_media.media.plan import PrepareOptions
from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from symbl_media.submission.submitter import Request, Source, Submitter

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture
def client(box, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = resolve(box.url, DEFAULT_APP_ID, DEFAULT_APP_SECRET)
    return SymblClient(settings, Transport(settings, backoff=0.01))


def test_a_run_cancelled_mid_way_is_not_marked_done_and_resume_delivers_the_rest(
        client, ops, recording, tmp_path):
    store = Store(tmp_path / "submissions")
    cancel = threading.Event()

    def on_event(kind, data):
        if kind == "job" and data["index"] == 0 and data["status"] == "completed":
            cancel.set()

    request = Request(Source("file", path=recording), prepare=PrepareOptions(chunk_minutes=1))
    with pytest.raises((Interrupted, KeyboardInterrupt)):
        Submitter(client, "test", store, on_event=on_event, cancel=cancel).submit(request)
    (record,) = store.all()
    assert record.stage != "done"
    assert [p.state for p in record.pieces][:1] == ["completed"]
    submitter = Submitter(client, "test", store)
    outcome = submitter.resume(record, request)
    record, _ = submitter.finish(outcome.record)
    assert record.stage == "done" and len(record.pieces) == 3
    got = [r for r in ops.receipts(record.conversation_id)]
    assert [r["sha256"] for r in got] == [p.sha256 for p in record.pieces]


def test_a_lost_reply_on_append_adopts_the_new_job_not_an_earlier_one(run, ops, tmp_path):
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("Alice: Good morning, let us review the launch.\n")
    two.write_text("Bob: Please send the budget report by Friday.\n")
    first = run("submit", one, "--json")
    assert first.code == 0, first.err
    cid = json.loads(first.out)["conversationId"]
    ops.faults(drop_after_body={"count": 1, "path": f"/v1/process/text/{cid}",
                                "method": "PUT"})
    appended = run("append", cid, two, "--json")
    assert appended.code == 0, appended.err
    got = ops.receipts(cid)
    assert len(got) == 2  # the append arrived once; nothing was resent
    assert json.loads(appended.out)["jobIds"] == [got[1]["jobId"]]
    assert "had arrived" in appended.err


def test_assume_sent_is_refused_when_the_first_pieces_conversation_is_unknown(run):
    """Without receipts (the real Symbl), a lost first piece cannot be assumed sent: the
    rest would have no conversation to go to."""
    from symbl_media.submission.records import PieceRecord, Record

    store = Store(run.submissions)
    record = Record(key="k" * 20, source={"kind": "file", "path": str(SAMPLES / "mono.mp3")},
                    service=run.env["SYMBL_API_URL"], media="audio", options={}, name="x",
                    created=0.0, prepared=True,
                    pieces=(PieceRecord(0, "piece-001.mp3", "audio/mpeg", 0, 1, 1, "ab",
                                        state="sending"),))
    store.save(record)
    done = run("resume", "k" * 20, "--assume-sent")
    assert done.code == 1 and "--assume-lost" in done.err
    assert store.load("k" * 20).pieces[0].state == "sending"
