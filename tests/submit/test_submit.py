"""submit and resume end to end, with the sandbox's faults: every piece arrives exactly once."""

from __future__ import annotations

import json
import signal

import pytest

from .conftest import wait_for

AUDIO = "/v1/process/audio"


def manifest(run) -> dict:
    records = [json.loads(p.read_text()) for p in run.submissions.glob("*.json")]
    assert len(records) == 1, records
    return records[0]


def assert_exactly_once(ops, record: dict) -> list[dict]:
    """The conversation's completed jobs are the manifest's pieces, in order, each once."""
    got = ops.receipts(record["conversation_id"])
    completed = [r for r in got if r["status"] == "completed"]
    assert [r["sha256"] for r in completed] == [p["sha256"] for p in record["pieces"]]
    assert [r["jobId"] for r in completed] == [p["job_id"] for p in record["pieces"]]
    assert all(p["state"] == "completed" for p in record["pieces"])
    return got


def test_three_pieces_arrive_in_order_as_one_conversation(run, ops, recording, tmp_path):
    out = tmp_path / "insights.json"
    done = run("submit", recording, "--chunk-minutes", "1", "--sink", f"json:{out}")
    assert done.code == 0, done.err
    record = manifest(run)
    assert record["stage"] == "done" and len(record["pieces"]) == 3
    assert_exactly_once(ops, record)
    # Offsets run across the whole recording, not restarting in each piece.
    messages = ops.messages(record["conversation_id"])
    offsets = [m["timeOffset"] for m in messages]
    assert offsets == sorted(offsets)
    assert offsets[-1] > record["pieces"][2]["offset"] > 100
    saved = json.loads(out.read_text())
    assert saved["conversationId"] == record["conversation_id"]
    assert len(saved["messages"]) == len(messages)
    assert f"conversation {record['conversation_id']}" in done.out
    assert "in 3 pieces" in done.out
    # The pieces are gone once done; nothing was left in the temp folder.
    assert not (run.submissions / record["key"]).exists()
    assert run.temp_left() == []


def test_the_same_command_again_sends_nothing(run, ops, recording):
    assert run("submit", recording, "--chunk-minutes", "1").code == 0
    before = len(ops.conversations())
    again = run("submit", recording, "--chunk-minutes", "1", "--json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["alreadyDone"] is True
    assert len(ops.conversations()) == before
    assert "already submitted" in again.err


@pytest.mark.parametrize("fault", [
    # One run rides out all three: a 429 burst on the first piece, 500s answering appends
    # (not acted on; looked up, found missing, sent again) and 500s on the job polls.
    {"status429": {"count": 3, "path": AUDIO, "method": "POST"},
     "status500": {"count": 2, "path": AUDIO, "method": "PUT"}},
    {"status500": {"count": 2, "path": "/v1/job/"}},
    {"drop_after_body": {"count": 1, "path": AUDIO, "method": "PUT"}},
    {"drop_after_body": {"count": 1, "path": AUDIO, "method": "POST"}},
], ids=["429-burst-first+500-append", "500-job-poll", "drop-after-append-body",
        "drop-after-first-body"])
def test_a_fault_is_ridden_out_without_duplicates(run, ops, recording, fault):
    before = len(ops.conversations())
    ops.faults(**fault)
    done = run("submit", recording, "--chunk-minutes", "1")
    assert done.code == 0, done.err
    record = manifest(run)
    got = assert_exactly_once(ops, record)
    assert len(got) == 3  # nothing was received twice
    assert len(ops.conversations()) == before + 1
    if "drop_after_body" in fault:
        assert "had arrived" in done.err


def test_an_expired_token_is_replaced_mid_run(run, ops, recording):
    proc = run.start("submit", recording, "--chunk-minutes", "1")
    wait_for(lambda: any(r.get("conversation_id") for r in _records(run)), what="piece 1")
    ops.faults(expire_tokens=True)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert_exactly_once(ops, manifest(run))


def test_a_failed_job_stops_resumably_and_resume_sends_that_piece_again(run, ops, recording):
    ops.faults(fail_job={"count": 1})
    done = run("submit", recording, "--chunk-minutes", "1")
    assert done.code == 17, done.err
    assert done.err.count("\n") <= 3 and "Traceback" not in done.err
    assert "resume" in done.err
    record = manifest(run)
    assert record["pieces"][0]["state"] == "failed" and record["stage"] != "done"
    listed = run("resume", "--list")
    assert record["key"] in listed.out
    resumed = run("resume")
    assert resumed.code == 0, resumed.err
    record = manifest(run)
    got = ops.receipts(record["conversation_id"])
    assert [r["status"] for r in got] == ["failed", "completed", "completed", "completed"]
    assert_exactly_once(ops, record)


def test_a_run_killed_between_appends_resumes_with_each_piece_once(run, ops, recording):
    proc = run.start("submit", recording, "--chunk-minutes", "1")
    wait_for(lambda: any(len([p for p in r["pieces"] if p["state"] == "completed"]) >= 1
                         for r in _records(run)), what="piece 1 completed")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    record = manifest(run)
    assert record["stage"] != "done"
    done = run("resume")
    assert done.code == 0, done.err
    got = assert_exactly_once(ops, manifest(run))
    assert len(got) == 3


def test_ctrl_c_stops_cleanly_and_the_same_command_carries_on(run, ops, recording):
    proc = run.start("submit", recording, "--chunk-minutes", "1")
    wait_for(lambda: any(r.get("conversation_id") for r in _records(run)), what="piece 1")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "symbl-media resume" in err
    assert run.temp_left() == []
    done = run("submit", recording, "--chunk-minutes", "1")
    assert done.code == 0, done.err
    assert len(assert_exactly_once(ops, manifest(run))) == 3


def test_no_wait_prints_the_ids_and_resume_finishes(run, ops, recording):
    done = run("submit", recording, "--chunk-minutes", "1", "--no-wait", "--json")
    assert done.code == 0, done.err
    result = json.loads(done.out)
    assert result["status"] == "submitted" and len(result["jobIds"]) == 3
    finished = run("resume", "--json")
    assert finished.code == 0, finished.err
    assert json.loads(finished.out)["status"] == "completed"
    assert_exactly_once(ops, manifest(run))


def _records(run) -> list[dict]:
    out = []
    for path in run.submissions.glob("*.json"):
        try:
            out.append(json.loads(path.read_text()))
        except ValueError:
            pass  # being replaced right now
    return out


def test_diarized_speakers_are_matched_across_appends(run, ops, recording):
    done = run("submit", recording, "--chunk-minutes", "1", "--diarize", "2", "--json")
    assert done.code == 0, done.err
    result = json.loads(done.out)
    assert any("matched to 2 speakers" in note for note in result["notes"]), result["notes"]
    members = ops.box.client().get(
        f"/v1/conversations/{result['conversationId']}/members").json()["members"]
    assert len(members) == 2
    assert sorted(result["speakers"]) == ["Speaker 1", "Speaker 2"]
