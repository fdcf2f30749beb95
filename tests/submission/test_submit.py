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


# ----------------------------------------------------------------------------- refused for good

SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "samples"


def _one_line(done) -> str:
    assert "Traceback" not in done.err, done.err
    lines = done.err.strip().splitlines()
    assert lines and lines[-1].startswith("symbl-media: error: "), done.err
    return lines[-1]


def _listed(run) -> dict[str, str]:
    """``resume --list``: key -> its stage column."""
    listed = run("resume", "--list")
    assert listed.code == 0, listed.err
    return {line.split()[0]: line.split()[3] for line in listed.out.splitlines()
            if line != "no submissions"}


def test_a_language_the_service_refuses_is_its_own_outcome_and_never_retried(run, ops):
    before = len(ops.conversations())
    done = run("submit", SAMPLES / "mono-16k.wav", "--language", "es-ES")
    assert done.code == 21, done.err
    line = _one_line(done)
    assert "es-ES" in line and "resume" not in line, line
    assert len(ops.conversations()) == before  # refused when it arrived, not a failed job
    [record] = [json.loads(p.read_text()) for p in run.submissions.glob("*.json")]
    assert record["stage"] == "rejected"
    assert _listed(run) == {record["key"]: "rejected"}
    bare = run("resume")
    assert bare.code == 0 and "nothing to resume" in bare.err, bare.err
    named = run("resume", record["key"])
    assert named.code == 21 and "--forget" in _one_line(named), named.err
    assert len(ops.conversations()) == before


@pytest.fixture(scope="module")
def small_box(tmp_path_factory):
    """A sandbox that takes bodies of at most 10 kB: anything bigger is a 413."""
    from symbl_media.testing import running_sandbox

    with running_sandbox(tmp_path_factory.mktemp("small"), max_body_bytes=10_000) as running:
        yield running


def test_input_or_a_request_refused_for_good_is_left_by_resume_and_can_be_forgotten(
        run, small_box, tmp_path):
    empty, text = tmp_path / "empty.wav", tmp_path / "notes.mp3"
    empty.write_bytes(b"")
    text.write_text("this is text, not audio")
    assert run("submit", empty).code == 4
    assert run("submit", text).code == 4
    small = type(run)({**run.env, "SYMBL_API_URL": small_box.url}, run.home)
    too_big = small("submit", SAMPLES / "mono-16k.wav")
    assert too_big.code == 20, too_big.err
    assert "HTTP 413" in _one_line(too_big) and "--forget" in too_big.err
    stages = _listed(run)
    assert sorted(stages.values()) == ["rejected"] * 3, stages
    # A bare resume retries none of them (it used to, exiting 4 every time).
    bare = small("resume")
    assert bare.code == 0 and "nothing to resume" in bare.err, bare.err
    for key in stages:
        named = small("resume", key)
        assert named.code == 20 and f"--forget {key}" in _one_line(named), named.err
    # The same command again tries again, and says the same.
    assert run("submit", empty).code == 4
    for key in stages:
        forgotten = run("resume", "--forget", key)
        assert forgotten.code == 0 and key in forgotten.out, forgotten.err
    assert _listed(run) == {}
    assert list(run.submissions.iterdir()) == []


def test_resume_names_one_submission_or_refuses_listing_the_candidates(run, ops, tmp_path):
    # 17 records: two of their keys start with the same hex digit.
    folder = tmp_path / "broken"
    folder.mkdir()
    for n in range(17):
        (folder / f"empty-{n:02d}.wav").write_bytes(b"")
    assert run("submit", folder).code == 4
    keys = sorted(_listed(run))
    assert len(keys) == 17
    digit = next(k[0] for k, after in zip(keys, keys[1:]) if k[0] == after[0])
    matching = [k for k in keys if k.startswith(digit)]
    for args in (("resume", digit), ("resume", digit, "--forget"),
                 ("resume", digit, "--assume-lost")):
        done = run(*args)
        assert done.code == 2, done.err
        line = _one_line(done)
        assert all(k in line for k in matching) and "empty-" in line, line
    assert sorted(_listed(run)) == keys  # nothing was forgotten
    missing = run("resume", "fedcba9876543210fedcba")
    assert missing.code == 23 and "no submission" in _one_line(missing), missing.err

    # A conversation and an append to it: two records with one conversation id. The one
    # unfinished is the one meant; once both are done, the id is ambiguous.
    first = run("submit", SAMPLES / "mono-16k.wav", "--json")
    assert first.code == 0, first.err
    cid = json.loads(first.out)["conversationId"]
    appended = run("append", cid, SAMPLES / "mono.mp3", "--no-wait", "--json")
    assert appended.code == 0, appended.err
    key = json.loads(appended.out)["submission"]
    resumed = run("resume", cid, "--json")
    assert resumed.code == 0, resumed.err
    assert json.loads(resumed.out)["submission"] == key
    assert json.loads((run.submissions / f"{key}.json").read_text())["stage"] == "done"
    again = run("resume", cid)
    assert again.code == 2, again.err
    line = _one_line(again)
    assert key in line and json.loads(first.out)["submission"] in line, line


def test_what_another_process_holds_is_busy(run, tmp_path):
    import fcntl
    import os
    import subprocess
    import sys

    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert run("submit", empty).code == 4
    [key] = _listed(run)
    with open(run.submissions / f"{key}.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for args in (("submit", empty), ("resume", "--forget", key)):
            done = run(*args)
            assert done.code == 22, done.err
            assert "another symbl-media process" in _one_line(done)
    folder = run.home / "data" / "symbl-media" / "sandbox"
    folder.mkdir(parents=True)
    env = {k: v for k, v in run.env.items() if not k.startswith("SYMBL_")}
    with open(folder / ".embedded.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = subprocess.run([sys.executable, "-m", "symbl_media", "status",
                               "0b6b58ce-5a3c-4c3a-8f2a-0d3f1a6c9e11"], capture_output=True,
                              text=True, env=env, timeout=60)
    assert done.returncode == 22, done.stderr
    assert "in use by another symbl-media process" in done.stderr
    assert os.listdir(run.home / "tmp") == []
