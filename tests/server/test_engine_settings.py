"""One settings object for every engine: flags over variables, keys never on argv or in
output, OPENAI_API_KEY only for OpenAI's own host, and bad settings refused before serving."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from symbl_media.errors import EngineError
from symbl_media.plugins import hookspecs
from symbl_media.plugins import manager as plugins
from symbl_media.plugins.types import Engine
from symbl_media.retries import RetryPolicy, retry_after_seconds
from symbl_media.server.engines.settings import EngineSettings, Secret
from symbl_media.testing import running_sandbox

KEY = "sk-test-0123456789abcdef"


def run(*args, env=None, timeout=60):
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SYMBL_MEDIA_", "OPENAI_", "SYMBL_SANDBOX_"))}
    return subprocess.run([sys.executable, "-m", "symbl_media", *args], capture_output=True,
                          text=True, timeout=timeout, env={**base, **(env or {})})


def test_flags_win_over_variables_and_variables_alone_are_enough():
    env = {"SYMBL_MEDIA_TRANSCRIBER": "openai", "SYMBL_MEDIA_TRANSCRIBER_URL":
           "http://127.0.0.1:9/v1/", "SYMBL_MEDIA_TRANSCRIBER_MODEL": "small",
           "SYMBL_MEDIA_LLM_MODEL": "qwen", "SYMBL_MEDIA_WHISPER_MODEL_DIR": "~/models/base"}
    alone = EngineSettings.from_environment(env)
    assert alone.transcriber == "openai"
    assert alone.transcriber_url == "http://127.0.0.1:9/v1"  # one spelling: no trailing /
    assert alone.whisper_model == Path("~/models/base").expanduser()
    assert alone.llm_model == "qwen" and alone.insights is None
    flagged = EngineSettings.from_environment(env, transcriber="whisper",
                                              transcriber_model="medium")
    assert (flagged.transcriber, flagged.transcriber_model) == ("whisper", "medium")
    assert flagged.llm_model == "qwen"


def test_openai_api_key_goes_to_openai_only():
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"}
    elsewhere = EngineSettings.from_environment(env)
    assert elsewhere.llm_url == "http://127.0.0.1:8000/v1"  # honoured when no URL is given
    assert elsewhere.llm_key is None and elsewhere.transcriber_key is None
    openai = EngineSettings.from_environment(env, llm_url="https://api.openai.com/v1")
    assert openai.llm_key == Secret(KEY, "$OPENAI_API_KEY")
    assert openai.transcriber_key is None  # the transcriber still points elsewhere
    own = EngineSettings.from_environment({**env, "SYMBL_MEDIA_LLM_KEY": "sk-own-key-987654"})
    assert own.llm_key.value == "sk-own-key-987654"
    assert own.endpoint("llm").key.source == "$SYMBL_MEDIA_LLM_KEY"


def test_keys_come_from_files_and_never_print(tmp_path):
    key_file = tmp_path / "llm.key"
    key_file.write_text(KEY + "\n")
    settings = EngineSettings.from_environment(
        {}, llm_url="http://127.0.0.1:1/v1", key_files={"llm_key": key_file})
    assert settings.llm_key.value == KEY
    assert KEY not in repr(settings) and KEY not in str(settings.endpoint("llm"))
    assert f"file {key_file}" in repr(settings)
    with pytest.raises(TypeError):
        EngineSettings.from_environment({}, llm_key=KEY)  # values are never a way in
    (tmp_path / "two.key").write_text("a-key-line\nanother-line\n")
    with pytest.raises(EngineError, match="one line"):
        EngineSettings.from_environment({}, key_files={"llm_key": tmp_path / "two.key"})
    with pytest.raises(EngineError, match="cannot read"):
        EngineSettings.from_environment({}, key_files={"llm_key": tmp_path / "missing"})


def test_a_url_is_checked_and_its_password_never_shown():
    with pytest.raises(EngineError, match="not an http"):
        EngineSettings.from_environment({"SYMBL_MEDIA_LLM_URL": "ftp://host/v1"})
    with pytest.raises(EngineError, match="carries a password") as caught:
        EngineSettings.from_environment({}, transcriber_url="http://me:pa55-word-x@host/v1")
    assert "pa55-word-x" not in str(caught.value)
    with pytest.raises(EngineError, match="--llm-url URL or set SYMBL_MEDIA_LLM_URL"):
        EngineSettings().endpoint("llm")


def test_serve_refuses_bad_engine_settings_with_one_line(tmp_path):
    missing = run("sandbox", "serve", "--port", "0", "--data", str(tmp_path / "d"),
                  "--whisper-model", str(tmp_path / "nowhere"))
    assert missing.returncode == 10
    assert missing.stderr.count("\n") == 1 and str(tmp_path / "nowhere") in missing.stderr
    assert "Traceback" not in missing.stderr
    unknown = run("sandbox", "serve", "--port", "0", "--insights", "nope")
    assert unknown.returncode == 2 and "no insights engine called 'nope'" in unknown.stderr
    on_argv = run("sandbox", "serve", "--port", "0", "--transcriber-key", KEY)
    assert on_argv.returncode == 2
    assert "SYMBL_MEDIA_TRANSCRIBER_KEY" in on_argv.stderr and KEY not in on_argv.stderr


def test_the_embedded_server_reads_the_same_variables(tmp_path, samples):
    """`submit` with no credentials runs the embedded server, engines as the environment says:
    a model folder that is not there stops it before anything is sent."""
    home = tmp_path / "home"
    result = run("submit", str(samples / "mono-16k.wav"),
                 env={"HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
                      "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg"),
                      "SYMBL_MEDIA_WHISPER_MODEL_DIR": str(tmp_path / "gone")})
    assert result.returncode == 10, result.stderr
    assert str(tmp_path / "gone") in result.stderr and "Traceback" not in result.stderr
    assert not list((home / "data").rglob("*.wav"))  # nothing uploaded


def test_engine_factories_receive_the_settings(register_plugin, tmp_path):
    got = []

    def factory(settings):
        got.append(settings)

        class Insights:
            name = "recording"

            @staticmethod
            def analyse(*args, **kwargs):
                raise AssertionError("not reached in this test")

        return Insights()

    def check(settings):
        if settings.llm_model != "tiny-chat":
            raise EngineError("the recording engine needs --llm-model tiny-chat")

    class Plugin:
        @staticmethod
        @hookspecs.hookimpl
        def register_engines(register):
            register(Engine("insights", "recording", factory, "test", check=check))

    register_plugin(Plugin(), name="settings-plugin")
    with pytest.raises(EngineError, match="needs --llm-model tiny-chat"):
        with running_sandbox(tmp_path / "a", engines=EngineSettings(insights="recording")):
            pass
    settings = EngineSettings(insights="recording", llm_model="tiny-chat")
    with running_sandbox(tmp_path / "b", engines=settings) as box:
        assert box.app.engines.insights.name == "recording"
        assert "insights recording" in box.app.engines.describe()
    assert got == [settings]
    assert "insights:recording" in plugins.engines()


def test_one_retry_policy_backs_off_and_honours_retry_after():
    policy = RetryPolicy(attempts=4, backoff=1.0, max_backoff=8.0)
    assert [policy.retries(s) for s in (429, 500, 503, 400, 401, 404)] == [
        True, True, True, False, False, False]
    assert policy.pause(1, uniform=lambda a, b: b) == 1.0
    assert policy.pause(5, uniform=lambda a, b: b) == 8.0  # capped
    assert policy.pause(1, "3") == 3.0  # the server's word, within the cap
    assert 4.0 <= policy.pause(4, "120") <= 8.0  # beyond the cap: our own backoff
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None
