"""The command line: parse, call, print. The group, probe, prepare, sandbox serve and plugins;
the commands that talk to Symbl are in ``cli/commands/``, registered here; every failure
becomes one line and its exit code (``main``)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import click

from symbl_media import __version__
from symbl_media.cli.options import plan_flags, plan_options, speakers
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


def _preprocessors() -> dict:
    """The registered pre-processors (built-in and plugins'), handed to media/ by name."""
    from symbl_media.plugins import manager

    return manager.preprocessors()


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@plan_flags
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def probe(file: Path, as_json: bool, **opts) -> None:
    """Show what FILE holds and what the pipeline will do with it."""
    from symbl_media.media import pipeline
    from symbl_media.media.prepared import plan_to_json

    plan = pipeline.inspect(file, plan_options(**opts),
                            speakers=speakers(opts["channels"], opts["separate_channels"]),
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
@plan_flags
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def prepare(file: Path, out: Path | None, dry_run: bool, as_json: bool, **opts) -> None:
    """Turn FILE into pieces the Async API accepts, with DIR/manifest.json."""
    from symbl_media.cli.report import describe_plan, describe_prepared
    from symbl_media.media import pipeline

    if out is None and not dry_run:
        raise click.UsageError("Missing option '--out' / '-o' (a dry run, --dry-run, needs "
                               "none).")
    channels = speakers(opts["channels"], opts["separate_channels"])
    options = plan_options(**opts)
    if dry_run:
        plan = pipeline.inspect(file, options, speakers=channels,
                                preprocessors=_preprocessors())
        _warn(plan)
        if as_json:
            from symbl_media.media.prepared import plan_to_json

            _print_json({"dry_run": True, "plan": plan_to_json(plan)})
        else:
            click.echo(describe_plan(plan))
            click.echo("dry run: nothing written")
        return
    from symbl_media.cli.display import Display

    # Progress only for long work: a second passes before any is drawn.
    with Display(delay=1.0) as display:
        result = pipeline.prepare(file, out, options, on_progress=display.progress,
                                  speakers=channels,
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


def _print_json(data: dict) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


from symbl_media.cli import commands  # (the commands that talk to Symbl)

commands.register(cli)


@cli.command(name="plugins")
@click.option("--all", "all_", is_flag=True, help="Include the built-in plugins.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_command(all_: bool, as_json: bool) -> None:
    """List installed plugins, the hooks each implements and the sinks they provide."""
    from symbl_media.plugins import manager as plugins
    from symbl_media.server.engines.chosen import register_builtin_engines

    register_builtin_engines()  # so the sandbox's engines are listed among the built-ins
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
