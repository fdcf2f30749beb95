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
from symbl_media.errors import Interrupted, SymblMediaError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="symbl-media")
def cli() -> None:
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
                     help="Use the audio stream tagged with this language (e.g. eng)."),
        click.option("--separate-channels", is_flag=True,
                     help="Keep the channels apart for per-channel recognition."),
        click.option("--format", "fmt", type=click.Choice(["wav", "mp3"]),
                     help="Encode to this format (default: pass mono WAV/MP3 through, "
                          "else WAV)."),
        click.option("--as-video", is_flag=True,
                     help="Prepare an MP4 for the Video API instead of audio."),
        click.option("--chunk-minutes", type=click.FloatRange(1, 240), metavar="N",
                     help="Cut into pieces of about N minutes, in silence (default: only "
                          "past the 4-hour limit)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _options(audio_stream, language, separate_channels, fmt, as_video, chunk_minutes):
    from symbl_media.media.plan import PrepareOptions

    if audio_stream is not None and language:
        raise click.UsageError("give --audio-stream or --language, not both")
    return PrepareOptions(audio_stream=audio_stream, language=language,
                          separate_channels=separate_channels, format=fmt,
                          as_video=as_video, chunk_minutes=chunk_minutes)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@media_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def probe(file: Path, as_json: bool, **opts) -> None:
    """Show what FILE holds and what the pipeline will do with it."""
    from symbl_media import pipeline
    from symbl_media.prepared import plan_to_json

    plan = pipeline.inspect(file, _options(**opts))
    if as_json:
        _print_json({"media": plan.info.to_json(), "plan": plan_to_json(plan)})
        return
    from symbl_media.report import describe_media, describe_plan

    click.echo(describe_media(plan))
    click.echo(describe_plan(plan))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", type=click.Path(path_type=Path), required=True,
              metavar="DIR", help="Folder for the pieces and manifest.json.")
@media_options
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def prepare(file: Path, out: Path, dry_run: bool, as_json: bool, **opts) -> None:
    """Turn FILE into pieces the Async API accepts, with DIR/manifest.json."""
    from symbl_media import pipeline
    from symbl_media.report import describe_plan, describe_prepared

    options = _options(**opts)
    if dry_run:
        plan = pipeline.inspect(file, options)
        if as_json:
            from symbl_media.prepared import plan_to_json

            _print_json({"dry_run": True, "plan": plan_to_json(plan)})
        else:
            click.echo(describe_plan(plan))
            click.echo("dry run: nothing written")
        return
    with _ProgressLine() as progress:
        result = pipeline.prepare(file, out, options, on_progress=progress)
    if as_json:
        _print_json(result.to_json())
    else:
        click.echo(describe_prepared(result))


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
            line = f"{label:<15} [{bar:<30}] {share:4.0%}  {_clock(done)} / {_clock(total)}"
        else:
            line = f"{label:<15} {_clock(done)}"
        click.echo("\r" + line, nl=False, err=True)
        self.shown = True

    def __exit__(self, *exc) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def main() -> None:
    """Entry point: every failure becomes one line on stderr and a documented exit code."""
    # SIGTERM (CI runners, `timeout`, service managers) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
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
        if os.environ.get("SYMBL_MEDIA_DEBUG"):
            raise
        click.echo(f"symbl-media: internal error: {type(exc).__name__}: {exc} "
                   "(set SYMBL_MEDIA_DEBUG=1 for a traceback)", err=True)
        sys.exit(1)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _fail(exc: SymblMediaError) -> None:
    message = " ".join(str(exc).split())  # one line, whatever the message held
    click.echo(f"symbl-media: error: {message}", err=True)
    sys.exit(exc.exit_code)
