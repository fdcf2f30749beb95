"""The command line: parse, call, print. The only module that prints for people."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import click

from symbl_media import __version__
from symbl_media.cli.submission import secret_options
from symbl_media.errors import Interrupted, SymblMediaError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="symbl-media")
@click.option("--strict-plugins", is_flag=True, help="Stop when a plugin fails to load "
              "(default: warn and skip it).")
def cli(strict_plugins: bool) -> None:
    """Get any recording through Symbl.ai's Async API.

    probe shows what a file holds and what will be done with it; prepare makes the mono
    WAV/MP3 (or MP4) pieces the API accepts.
    """


def media_options(fn):
    """Options that steer the plan; shared by probe and prepare."""
    options = [
        click.option("--audio-stream", type=click.IntRange(min=0), metavar="N",
                     help="Use audio stream N (0 = first), as numbered by probe."),
        click.option("--language", metavar="TAG",
                     help="Use the audio stream tagged with this language: a tag (spa) or "
                          "an API code (es-ES)."),
        click.option("--separate-channels", is_flag=True,
                     help="Keep the channels apart for per-channel recognition."),
        click.option("--channel", "channels", multiple=True, metavar="N=NAME[:EMAIL]",
                     help="Who speaks on channel N (with --separate-channels); repeatable."),
        click.option("--format", "fmt", type=click.Choice(["wav", "mp3"]),
                     help="Encode to this format (default: pass mono WAV/MP3 through, "
                          "else WAV)."),
        click.option("--as-video", is_flag=True,
                     help="Prepare an MP4 for the Video API instead of audio."),
        click.option("--chunk-minutes", type=click.FloatRange(1, 240), metavar="N",
                     help="Cut into pieces of about N minutes, in silence (default: only "
                          "past the 4-hour limit)."),
        click.option("--pre", multiple=True, metavar="NAME[:key=value,...]",
                     help="Pre-process the audio in the same ffmpeg pass, in the order "
                          "given: loudnorm, highpass, denoise, trim (docs/media.md); "
                          "repeatable."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _speakers(channels, separate_channels) -> tuple:
    """``--channel N=NAME[:EMAIL]`` as for submit: the syntax is checked here (exit 2), the
    channel number against the file when it is planned (exit 6)."""
    from symbl_media.contract import options as api

    try:
        speakers = tuple(api.parse_channel(c) for c in channels)
        if speakers and not separate_channels:
            raise api.OptionProblem("--channel", "only means something with "
                                    "--separate-channels")
        if len({s.channel for s in speakers}) != len(speakers):
            raise api.OptionProblem("--channel", "a channel is named twice")
    except api.OptionProblem as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    return speakers


def _preprocessors() -> dict:
    """The registered pre-processors (built-in and plugins'), handed to media/ by name."""
    from symbl_media.plugins import manager

    return manager.preprocessors()


def _options(audio_stream, language, separate_channels, fmt, as_video, chunk_minutes,
             pre=(), channels=()):
    from symbl_media.media import preprocess
    from symbl_media.media.plan import PrepareOptions

    if audio_stream is not None and language:
        raise click.UsageError("give --audio-stream or --language, not both")
    if language is not None and not language.strip():
        raise click.BadParameter("is empty", param_hint="--language")
    specs = preprocess.normalize(pre)
    preprocess.resolve(specs, _preprocessors(), as_video=as_video)  # unknown names, bad options: exit 2, now
    return PrepareOptions(audio_stream=audio_stream, language=language,
                          separate_channels=separate_channels, format=fmt,
                          as_video=as_video, chunk_minutes=chunk_minutes, preprocess=specs)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@media_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def probe(file: Path, as_json: bool, **opts) -> None:
    """Show what FILE holds and what the pipeline will do with it."""
    from symbl_media.media import pipeline
    from symbl_media.media.prepared import plan_to_json

    speakers = _speakers(opts["channels"], opts["separate_channels"])
    plan = pipeline.inspect(file, _options(**opts), speakers=speakers,
                            preprocessors=_preprocessors())
    if as_json:
        _print_json({"media": plan.info.to_json(), "plan": plan_to_json(plan)})
        return
    from symbl_media.cli.report import describe_media, describe_plan

    click.echo(describe_media(plan))
    click.echo(describe_plan(plan))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", type=click.Path(path_type=Path),
              metavar="DIR", help="Folder for the pieces and manifest.json (required unless "
                                  "--dry-run).")
@media_options
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def prepare(file: Path, out: Path | None, dry_run: bool, as_json: bool, **opts) -> None:
    """Turn FILE into pieces the Async API accepts, with DIR/manifest.json."""
    from symbl_media.media import pipeline
    from symbl_media.cli.report import describe_plan, describe_prepared

    if out is None and not dry_run:
        raise click.UsageError("Missing option '--out' / '-o' (a dry run, --dry-run, needs "
                               "none).")
    speakers = _speakers(opts["channels"], opts["separate_channels"])
    options = _options(**opts)
    if dry_run:
        plan = pipeline.inspect(file, options, speakers=speakers,
                                preprocessors=_preprocessors())
        _warn(plan)
        if as_json:
            from symbl_media.media.prepared import plan_to_json

            _print_json({"dry_run": True, "plan": plan_to_json(plan)})
        else:
            click.echo(describe_plan(plan))
            click.echo("dry run: nothing written")
        return
    with _ProgressLine() as progress:
        result = pipeline.prepare(file, out, options, on_progress=progress, speakers=speakers,
                                  preprocessors=_preprocessors())
    _warn(result.plan)
    if as_json:
        _print_json(result.to_json())
    else:
        click.echo(describe_prepared(result))


def _warn(plan) -> None:
    """A doubtful choice in the plan (the stream taken when no tag matches the language), on
    stderr: the plan printed on stdout may be going to a file or a pipe."""
    if plan.stream.warning:
        click.echo(f"symbl-media: warning: {plan.info.path}: {plan.stream.warning}", err=True)


@cli.group()
def sandbox() -> None:
    """The offline Symbl-compatible server (see docs/sandbox.md)."""


def _default_data_dir() -> Path:
    from symbl_media.paths import user_dir

    return user_dir("XDG_DATA_HOME", "sandbox")


@sandbox.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (other hosts can reach it only if you say so).")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535),
              help="Port; 0 picks a free one.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Where conversations, jobs and uploads are kept "
                   "[default: ~/.local/share/symbl-media/sandbox].")
@click.option("--app-id", envvar="SYMBL_SANDBOX_APP_ID", metavar="ID",
              help="App id clients must present (env SYMBL_SANDBOX_APP_ID).")
@secret_options()[0]
@secret_options()[1]
@click.option("--max-jobs", default=2, show_default=True, type=click.IntRange(1, 1000),
              help="Concurrent jobs before 429, like a trial account.")
@click.option("--max-body-mb", default=8192, show_default=True, type=click.IntRange(1),
              help="Largest upload accepted (413 above it).")
@click.option("--faults", metavar="JSON", help="Faults to inject, e.g. "
              "'{\"status500\": {\"count\": 2, \"path\": \"/v1/job\"}}' (docs/sandbox.md).")
@click.option("--transcriber", metavar="NAME", help="Transcription engine from a plugin "
              "[default: whisper].")
@click.option("--diarizer", metavar="NAME", help="Diarization engine [default: voice-encoder].")
@click.option("--insights", "insights_engine", metavar="NAME",
              help="Insights engine [default: heuristics].")
def serve(host, port, data_dir, app_id, app_secret, max_jobs, max_body_mb, faults,
          transcriber, diarizer, insights_engine) -> None:
    """Run the sandbox in the foreground, one log line per request."""
    from symbl_media.server.app import Sandbox
    from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET, SandboxConfig

    app_secret = app_secret or os.environ.get("SYMBL_SANDBOX_APP_SECRET") or None
    if bool(app_id) != bool(app_secret):
        raise click.UsageError("give both an app id and a secret (--app-id and --app-secret-file, "
                               "or SYMBL_SANDBOX_APP_ID and SYMBL_SANDBOX_APP_SECRET), or neither")
    try:
        fault_spec = json.loads(faults) if faults else {}
    except ValueError:
        raise click.BadParameter("must be a JSON object", param_hint="--faults") from None
    from symbl_media.plugins import manager as plugins

    known = plugins.engines()
    for kind, name, flag in (("transcriber", transcriber, "--transcriber"),
                             ("diarizer", diarizer, "--diarizer"),
                             ("insights", insights_engine, "--insights")):
        if name and f"{kind}:{name}" not in known:
            names = ", ".join(sorted(k.split(":", 1)[1] for k in known if k.startswith(kind)))
            raise click.BadParameter(f"no {kind} engine called {name!r} (known: {names})",
                                     param_hint=flag)
    config = SandboxConfig(data_dir=data_dir or _default_data_dir(), host=host, port=port,
                           transcriber=transcriber, diarizer=diarizer,
                           insights=insights_engine,
                           app_id=app_id, app_secret=app_secret, max_concurrent_jobs=max_jobs,
                           max_body_bytes=max_body_mb * 1024 * 1024, faults=fault_spec)
    try:
        app = Sandbox(config)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None

    def ready(running) -> None:
        click.echo(f"sandbox: listening on {running.url} (data: {config.data_dir})", err=True)
        if running.auth.uses_default_pair:
            click.echo(f"sandbox: credentials: appId={DEFAULT_APP_ID} "
                       f"appSecret={DEFAULT_APP_SECRET} (the documented local default pair)",
                       err=True)
        else:
            click.echo(f"sandbox: credentials: appId={running.auth.app_id} (secret as "
                       f"configured)", err=True)

    app.serve_forever(on_ready=ready)


def _print_json(data: dict) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


class _ProgressLine:
    """A one-line progress display on stderr, shown only on a terminal and for long work."""

    LABELS = {"extract": "extracting", "pauses": "finding pauses", "cut": "cutting"}

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __enter__(self):
        return self

    def __call__(self, stage: str, done: float, total: float | None) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < 1.0 or now - self.last < 0.2:
            return
        self.last = now
        label = self.LABELS.get(stage, stage)
        if total:
            share = min(1.0, done / total)
            bar = "#" * int(share * 30)
            line = f"{label:<15} [{bar:<30}] {share:4.0%}  {hours_minutes_seconds(done)} / {hours_minutes_seconds(total)}"
        else:
            line = f"{label:<15} {hours_minutes_seconds(done)}"
        click.echo("\r" + line, nl=False, err=True)
        self.shown = True

    def __exit__(self, *exc) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)


from symbl_media.cli import submission as cli_submit  # noqa: E402  (the commands that talk to Symbl)
from symbl_media.durations import hours_minutes_seconds

cli_submit.register(cli)


@cli.command(name="plugins")
@click.option("--all", "all_", is_flag=True, help="Include the built-in plugins.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_command(all_: bool, as_json: bool) -> None:
    """List installed plugins, the hooks each implements and the sinks they provide."""
    from symbl_media.plugins import manager as plugins

    found = [p for p in plugins.describe() if all_ or not p["builtin"]]
    if as_json:
        _print_json({"plugins": found, "problems": plugins.problems()})
        return
    if not found:
        click.echo("no plugins installed (--all shows the built-in ones)")
    for plugin in found:
        version = f" {plugin['version']}" if plugin["version"] else ""
        kind = " (built in)" if plugin["builtin"] else ""
        click.echo(f"{plugin['name']}{version}{kind}")
        click.echo(f"  hooks: {', '.join(plugin['hooks']) or '-'}")
        for key, label in (("sources", "sources"), ("preprocessors", "pre-processors"),
                           ("sinks", "sinks"), ("engines", "engines")):
            if plugin.get(key):
                click.echo(f"  {label}: {', '.join(plugin[key])}")


def _load_plugins(argv: list[str]) -> None:
    """Load plugins before parsing, so their commands exist; warn about broken ones."""
    from symbl_media.plugins import manager as plugins

    strict = "--strict-plugins" in argv[:argv.index("--")] if "--" in argv else \
        "--strict-plugins" in argv
    plugins.manager(strict=strict).hook.register_commands(cli=cli)
    for problem in plugins.problems():
        click.echo(f"symbl-media: warning: {problem}", err=True)


def main() -> None:
    """Entry point: every failure becomes one line on stderr and a documented exit code."""
    # SIGTERM (CI runners, `timeout`, service managers) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        _load_plugins(sys.argv[1:])
        cli.main(prog_name="symbl-media", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _fail(Interrupted("interrupted; nothing half-written was left behind"))
    except SymblMediaError as exc:
        _fail(exc)
    except BrokenPipeError:
        # stdout closed early (| head); not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, with the details behind a switch
        from symbl_media.redaction import scrub

        if os.environ.get("SYMBL_MEDIA_DEBUG"):
            import traceback

            # Not re-raised: the traceback quotes exception texts, which may hold a token.
            sys.stderr.write(scrub("".join(traceback.format_exception(exc))))
            sys.exit(1)
        click.echo(scrub(f"symbl-media: internal error: {type(exc).__name__}: {exc} "
                         "(set SYMBL_MEDIA_DEBUG=1 for a traceback)"), err=True)
        sys.exit(1)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _fail(exc: SymblMediaError) -> None:
    from symbl_media.redaction import scrub

    message = scrub(" ".join(str(exc).split()))  # one line, and no secret a server echoed
    click.echo(f"symbl-media: error: {message}", err=True)
    sys.exit(exc.exit_code)
