"""``sandbox worker`` stopped twice (Ctrl-C, then Ctrl-C again while a job is still given its
grace): it ends at once as interrupted (130), and still leaves no scratch folder behind and
its database closed, as the message says ("nothing half-written was left behind")."""

from __future__ import annotations

import signal
import subprocess
import time

from deployment import Deployment


def test_a_second_signal_while_a_job_finishes_leaves_no_scratch_folder(tmp_path, samples):
    long = tmp_path / "long.wav"  # 3 min of speech: still running when the signals come
    subprocess.run(["ffmpeg", "-v", "error", "-stream_loop", "11", "-i",
                    str(samples / "mono-16k.wav"), "-c", "copy", str(long)], check=True)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    deployment = Deployment(tmp_path / "data")
    try:
        deployment.api()
        deployment.env["TMPDIR"] = str(scratch)  # where the worker's scratch folder goes
        worker = deployment.worker("--parallel", "1")
        assert [p.name for p in scratch.iterdir() if p.name.startswith("symbl-worker-")]
        api = deployment.client()
        job = api.audio(long.read_bytes())
        while api.status(job["jobId"]) != "in_progress":
            time.sleep(0.02)
        worker.signal(signal.SIGINT)
        worker.until("stopping (running jobs get 30 s)")
        worker.signal(signal.SIGINT)
        assert worker.wait() == 130
        assert "Traceback" not in worker.output
        assert not [p for p in scratch.iterdir() if p.name.startswith("symbl-worker-")]
    finally:
        deployment.close()
