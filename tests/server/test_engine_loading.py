"""Engines load as whatever runs jobs starts, in the background (``--load-engines start``,
the default), or on the first job (``first-job``); a load that fails fails the first job the
same way either way, and a worker told to stop while it loads stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from symbl_media.errors import EngineError
from symbl_media.server.engines import models
from symbl_media.server.engines.settings import EngineSettings
from symbl_media.testing import running_sandbox

START = EngineSettings(load_engines="start")
FIRST_JOB = EngineSettings(load_engines="first-job")


def _until(predicate, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _job(api, path) -> str:
    reply = api.post("/v1/process/audio", data=path.read_bytes(),
                     headers={"Content-Type": "audio/wav"})
    assert reply.status_code == 201, reply.text
    assert api.wait(reply.json()["jobId"], timeout=180) in ("completed", "failed")
    return reply.json()["jobId"]


def test_the_model_loads_as_the_server_starts_unless_told_first_job(tmp_path, samples):
    with running_sandbox(tmp_path / "start", engines=START) as eager, \
            running_sandbox(tmp_path / "lazy", engines=FIRST_JOB) as lazy, \
            running_sandbox(tmp_path / "api", engines=START, run_jobs=False) as api_only:
        # No job yet: the one told to load at start has its model; the one told first-job
        # and an API process that runs no jobs (serve --no-jobs, --workers N) have not.
        assert _until(lambda: eager.app.engines.transcriber.loaded)
        assert not lazy.app.engines.transcriber.loaded
        assert not api_only.app.engines.transcriber.loaded
        for sandbox in (eager, lazy):
            api = sandbox.client()
            jid = _job(api, samples / "mono-16k.wav")
            assert sandbox.app.store.job(jid)["status"] == "completed"
        assert lazy.app.engines.transcriber.loaded


def _cut_model(tmp_path):
    """tiny.en's files with model.bin cut short: it passes the checks at start (an unknown
    folder is judged by its files) and fails to load."""
    source = models.load_model_dir(None)
    folder = tmp_path / "cut-model"
    folder.mkdir()
    for name in models.REQUIRED:
        if name == "model.bin":
            (folder / name).write_bytes((source / name).read_bytes()[:3_000_000])
        else:
            os.symlink(source / name, folder / name)
    return folder


def test_a_model_that_does_not_load_fails_the_first_job_as_it_did(tmp_path, samples):
    folder = _cut_model(tmp_path)
    errors = {}
    for when in ("start", "first-job"):
        settings = EngineSettings(whisper_model=folder, load_engines=when)
        with running_sandbox(tmp_path / when, engines=settings) as sandbox:
            if when == "start":  # the load at start has failed before the first job
                sandbox.app.engines.loading.join(120)
                assert not sandbox.app.engines.loading.is_alive()
                assert not sandbox.app.engines.transcriber.loaded
            api = sandbox.client()
            first = _job(api, samples / "mono-16k.wav")
            again = _job(api, samples / "mono-16k.wav")  # the server keeps serving
            rows = [sandbox.app.store.job(j) for j in (first, again)]
            assert [r["status"] for r in rows] == ["failed", "failed"]
            assert rows[0]["error"] == rows[1]["error"]
            assert api.get("/").status_code == 200
            errors[when] = rows[0]["error"]
    assert errors["start"] == errors["first-job"]
    assert "invalid payload size" in errors["start"]


def test_the_setting_is_a_flag_and_a_variable(tmp_path):
    assert EngineSettings.from_environment({}).load_at_start
    assert not EngineSettings.from_environment(
        {"SYMBL_MEDIA_LOAD_ENGINES": "first-job"}).load_at_start
    assert EngineSettings.from_environment(
        {"SYMBL_MEDIA_LOAD_ENGINES": "first-job"}, load_engines="start").load_at_start
    with pytest.raises(EngineError, match="SYMBL_MEDIA_LOAD_ENGINES='later': give start or "
                                          "first-job"):
        EngineSettings.from_environment({"SYMBL_MEDIA_LOAD_ENGINES": "later"})
    env = {**os.environ, "SYMBL_MEDIA_LOAD_ENGINES": "later"}
    bad = subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--data",
                          str(tmp_path / "d"), "--port", "0"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert bad.returncode == EngineError.exit_code, bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    flag = subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "worker", "--data",
                           str(tmp_path / "d"), "--load-engines", "later"],
                          capture_output=True, text=True, timeout=120)
    assert flag.returncode == 2 and "'later' is not one of 'start', 'first-job'" in flag.stderr


def test_a_worker_told_to_stop_while_its_engines_load_stops(tmp_path):
    """SIGTERM as soon as the worker takes jobs, which is as its load begins: it exits 0
    (the main thread is never the one loading), with no traceback."""
    data = tmp_path / "data"
    (data / "uploads").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SYMBL_SANDBOX_", "SYMBL_MEDIA_LOAD"))}
    proc = subprocess.Popen([sys.executable, "-m", "symbl_media", "sandbox", "worker", "--data",
                             str(data)], stderr=subprocess.PIPE, text=True, env=env)
    try:
        while "taking jobs from" not in (line := proc.stderr.readline()):
            assert line, "the worker ended before taking jobs"
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, rest
    assert "Traceback" not in rest and "Fatal" not in rest


def test_the_embedded_server_loads_its_model_when_a_recording_is_on_its_way(tmp_path,
                                                                           monkeypatch):
    """Inside `submit` and the Python API, "start" means: once a recording (or a URL) is
    about to be prepared and sent, so the model loads while the client works and a text
    submission never loads it; "first-job" keeps loading on the first job."""
    from symbl_media.client.service import connect

    for variable in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable))
    for variable in ("SYMBL_APP_ID", "SYMBL_APP_SECRET", "SYMBL_API_URL",
                     "SYMBL_MEDIA_LOAD_ENGINES"):
        monkeypatch.delenv(variable, raising=False)
    with connect() as service:
        engines = service.warm.__self__  # the embedded server's engines
        assert engines.loading is None and not engines.transcriber.loaded
        service.recording_coming()
        assert _until(lambda: engines.transcriber.loaded)
    monkeypatch.setenv("SYMBL_MEDIA_LOAD_ENGINES", "first-job")
    with connect() as service:
        assert service.warm is None
        service.recording_coming()  # nothing to do
    monkeypatch.delenv("SYMBL_MEDIA_LOAD_ENGINES")
    with connect(run_jobs=False) as service:  # runs no job (status, --no-wait): loads nothing
        assert service.warm is None
