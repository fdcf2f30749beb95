"""The plugin manager: built-ins, entry points, broken plugins, switches, documented hooks,
and the example plugin from docs/ installed and run."""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symbl_media.plugins import hookspecs
from symbl_media.plugins import manager as plugins
from symbl_media.insights.collect import Insights
from symbl_media.plugins.types import Sink, SinkCall
from symbl_media.submission.events import forward
from symbl_media.insights.sinks import SinkProblem, SinkSpec
from symbl_media.testing import plugin_registered

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugins.md"


def hooks() -> list[str]:
    return [name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(fn, "symbl_media_spec")]


def test_every_hook_has_a_docstring_and_a_section_in_the_docs():
    text = DOCS.read_text()
    assert len(hooks()) >= 9
    for name in hooks():
        assert getattr(hookspecs, name).__doc__, name
        assert re.search(rf"^### {name}\(", text, re.M), f"docs/plugins.md lacks {name}"


def test_the_built_in_sinks_are_registered_like_a_plugins():
    listed = {p["name"]: p for p in plugins.describe()}
    builtin = listed["symbl_media.insights.file_sinks"]
    assert builtin["builtin"] and "json" in builtin["sinks"]
    assert "register_sinks" in builtin["hooks"]


class _Clash:
    @staticmethod
    @hookspecs.hookimpl
    def register_sinks(register):
        register(Sink("json", lambda insights, call: "nowhere"))


def test_two_plugins_registering_one_sink_name_are_both_named():
    with plugin_registered(_Clash(), name="clashing"):
        with pytest.raises(plugins.PluginError, match="both .*clashing"):
            plugins.sinks()


def test_a_plugin_sink_is_found_by_sink_specs():
    got = []

    class Mine:
        @staticmethod
        @hookspecs.hookimpl
        def register_sinks(register):
            register(Sink("mine", lambda insights, call: got.append(call) or "here"))

    with plugin_registered(Mine(), name="mine"):
        spec = SinkSpec.parse("mine:#team,link=https://x/y")
        from symbl_media.insights import sinks

        insights = Insights("1", {}, (), (), (), (), (), (), ())
        assert sinks.write(spec, insights, "call.mkv") == "here"
    assert got == [SinkCall("#team", {"link": "https://x/y"}, "call.mkv")]
    with pytest.raises(SinkProblem, match="unknown sink 'mine'"):
        SinkSpec.parse("mine")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The example plugin from docs/, installed with pip into a private folder, plus a
    broken one (its module is missing) declared the way an installed distribution would."""
    target = tmp_path_factory.mktemp("site")
    # A copy: building in place would leave build/ and *.egg-info in the repository.
    source = tmp_path_factory.mktemp("src") / "example-plugin"
    shutil.copytree(ROOT / "docs" / "example-plugin", source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    base = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
            str(target)]
    done = subprocess.run([*base, "--no-build-isolation", str(source)], capture_output=True,
                          text=True)
    if done.returncode != 0:  # older setuptools without `wheel`: build with isolation
        done = subprocess.run([*base, str(source)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    broken = target / "symbl_media_broken-0.1.dist-info"
    broken.mkdir()
    (broken / "METADATA").write_text("Metadata-Version: 2.1\nName: symbl-media-broken\n"
                                     "Version: 0.1\n")
    (broken / "entry_points.txt").write_text("[symbl_media]\nbroken = no_such_module_here\n")
    return target


def cli(site: Path, *args, **env_extra):
    env = {**os.environ, "PYTHONPATH": str(site), **env_extra}
    return subprocess.run([sys.executable, "-m", "symbl_media", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_the_example_plugin_installs_lists_and_runs(installed, tmp_path):
    listed = cli(installed, "plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    found = {p["name"]: p for p in json.loads(listed.stdout)["plugins"]}
    assert found["wordcount"]["version"] == "0.1.0"
    assert found["wordcount"]["sinks"] == ["wordcount"]
    assert {"register_commands", "register_sinks", "job_status_changed"} <= set(
        found["wordcount"]["hooks"])
    assert cli(installed, "words", "one two three").stdout.strip() == "3"


def test_a_broken_plugin_warns_once_and_strict_makes_it_fatal(installed):
    done = cli(installed, "plugins")
    assert done.returncode == 0
    warning = [line for line in done.stderr.splitlines() if "broken" in line]
    assert len(warning) == 1 and "SYMBL_MEDIA_DISABLE_PLUGINS=broken" in warning[0]
    assert "pip uninstall symbl-media-broken" in warning[0]
    strict = cli(installed, "--strict-plugins", "plugins")
    assert strict.returncode == 18 and "Traceback" not in strict.stderr
    quiet = cli(installed, "plugins", SYMBL_MEDIA_DISABLE_PLUGINS="broken")
    assert "broken" not in quiet.stderr


def test_load_only_and_trace_switches(installed):
    only = cli(installed, "plugins", "--json", SYMBL_MEDIA_LOAD_PLUGINS="")
    assert json.loads(only.stdout)["plugins"] == []
    assert "broken" not in only.stderr
    traced = cli(installed, "plugins", SYMBL_MEDIA_TRACE_PLUGINS="1",
                 SYMBL_MEDIA_LOAD_PLUGINS="wordcount")
    assert "register_commands" in traced.stderr


def test_the_pytest_fixtures_for_plugin_authors(symbl_sandbox, register_plugin):
    class Mine:
        @staticmethod
        @hookspecs.hookimpl
        def register_sinks(register):
            register(Sink("fixture-sink", lambda insights, call: "ok"))

    register_plugin(Mine(), name="fixture-plugin")
    assert "fixture-sink" in plugins.sinks()
    reply = symbl_sandbox.client().post("/v1/process/text", json={
        "messages": [{"payload": {"content": "Hello from a plugin test."}}]})
    assert reply.status_code == 201


def test_the_fixture_plugin_is_gone_after_its_test():
    assert "fixture-sink" not in plugins.sinks()


def test_a_plugin_engine_replaces_the_sandboxs_transcriber(register_plugin, tmp_path, samples):
    """The engines are looked up through the same manager: a plugin's transcriber, named in
    the sandbox's configuration, hears the uploaded audio instead of the built-in one."""
    from symbl_media.plugins.types import Engine
    from symbl_media.server.model import Segment, Transcript
    from symbl_media.testing import running_sandbox

    heard = []

    class Fixed:
        def transcribe(self, wav, *, language="en-US", vocabulary=()):
            import soundfile

            heard.append(soundfile.info(str(wav)).duration)
            return Transcript((Segment("Plugin engines work.", 1.0, 2.5),), heard[-1],
                              "fixed test engine")

    class EnginePlugin:
        @staticmethod
        @hookspecs.hookimpl
        def register_engines(register):
            register(Engine("transcriber", "fixed", Fixed, "a test engine"))

    register_plugin(EnginePlugin(), name="engine-plugin")
    assert "transcriber:fixed" in plugins.engines()
    with running_sandbox(tmp_path / "box", transcriber="fixed") as box:
        api = box.client()
        reply = api.post("/v1/process/audio", data=(samples / "mono-16k.wav").read_bytes(),
                         headers={"Content-Type": "audio/wav"})
        assert reply.status_code == 201, reply.text
        ids = reply.json()
        assert api.wait(ids["jobId"]) == "completed"
        messages = api.get(f"/v1/conversations/{ids['conversationId']}/messages").json()
    assert [m["text"] for m in messages["messages"]] == ["Plugin engines work."]
    assert heard and abs(heard[0] - 15.0) < 0.1
    with pytest.raises(plugins.PluginError, match="no transcriber engine called 'missing'"):
        plugins.engine("transcriber", "missing")


def test_event_hooks_follow_a_submission(register_plugin, symbl_sandbox, tmp_path, samples,
                                         monkeypatch):
    from symbl_media.client.calls import SymblClient
    from symbl_media.client.settings import resolve
    from symbl_media.submission.records import Store
    from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET
    from symbl_media.submission.submitter import Request, Source, Submitter

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seen = []

    class Monitor:
        @hookspecs.hookimpl
        def piece_prepared(self, submission, piece):
            seen.append(("prepared", piece.file))

        @hookspecs.hookimpl
        def piece_uploaded(self, submission, piece, job_id):
            seen.append(("uploaded", job_id))

        @hookspecs.hookimpl
        def job_status_changed(self, submission, job_id, status):
            seen.append(("job", status))

        @hookspecs.hookimpl
        def insights_ready(self, submission, insights):
            seen.append(("insights", len(insights.messages)))

    register_plugin(Monitor(), name="monitor")
    client = SymblClient(resolve(symbl_sandbox.url, DEFAULT_APP_ID, DEFAULT_APP_SECRET))
    submitter = Submitter(client, "test", Store(tmp_path / "subs"),
                          on_event=forward(lambda kind, data: None))
    outcome = submitter.submit(Request(Source("file", path=samples / "mono-16k.wav")))
    record, insights = submitter.finish(outcome.record)
    kinds = [k for k, _ in seen]
    assert kinds[:2] == ["prepared", "uploaded"] and kinds[-1] == "insights"
    assert ("job", "completed") in seen and seen[1][1] == record.pieces[0].job_id
    assert seen[-1][1] == len(insights.messages) > 0
