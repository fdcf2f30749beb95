"""What do the commands that talk to Symbl share? One-line usage errors, ids checked before
anything starts, the inputs expanded, and an input's summary printed once it is finished."""

from __future__ import annotations

import json
from pathlib import Path

import click

from symbl_media.errors import SymblMediaError


class OneLineErrors(click.Command):
    """A command whose usage errors (a bad option value, an unknown option, a missing
    argument) are one line, ``symbl-media: error: ...`` with exit 2, like every other
    failure, instead of click's usage block."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None


def _one_line(exc: click.UsageError) -> SymblMediaError:
    from symbl_media.errors import InvalidArgument

    if type(exc).__name__ == "NoArgsIsHelpError":  # click shows the help: keep that
        raise exc
    return InvalidArgument(" ".join(exc.format_message().split()))


def checked_id(kind: str):
    """A click callback for an id argument: checked as the client checks every id that goes
    into a URL path (``client.calls.check_id``), before anything starts (exit 2); spaces around
    it (a paste) are dropped."""

    def check(ctx, param, value):
        from symbl_media.client.calls import check_id
        from symbl_media.errors import InvalidArgument

        try:
            return check_id(value.strip(), kind)
        except InvalidArgument as exc:
            raise click.BadParameter(str(exc), param_hint=param.metavar) from None

    return check


def expand_inputs(inputs: tuple[str, ...]) -> list[str]:
    """Each argument through the input sources (plugins first, then the built-in url, stdin,
    folder, glob and file): folders and globs become their files. Everything is checked to
    exist before anything is sent."""
    from symbl_media.submission.batch import source_for

    out: list[str] = []
    for item in inputs:
        source = source_for(item)
        out.extend(source.expand(item) if source.expand else [item])
    if out.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    context = click.get_current_context(silent=True)
    if "-" in out and context is not None and context.meta.get("symbl_media.secret_from_stdin"):
        raise click.UsageError("standard input is the app secret (--app-secret-file -); it "
                               "cannot be an input too")
    return out


def label(item: str) -> str:
    """What an input's lines are prefixed with: its file name (of a URL: without the query)."""
    from symbl_media.inputs.urls import is_url

    if is_url(item):
        from symbl_media.redaction import redact

        return redact(item).rstrip("/").rsplit("/", 1)[-1]
    return Path(item).name


def summary_sinks(written: list[str], failed: list[dict]) -> None:
    for where in written:
        click.echo(f"  wrote        {where}")
    for failure in failed:
        click.echo(f"  not written  {failure['sink']} (see the error above)")


def summary_printer(as_json: bool):
    """The ``finished`` event shown: the ids of a submission not waited for, else the
    insights' summary and the sinks written (neither with --json or a sink on stdout)."""
    from symbl_media.cli.report import describe_insights

    def show(data: dict) -> None:
        record, insights, result = data["record"], data["insights"], data["result"]
        if as_json:
            return
        if insights is None:
            click.echo(f"conversation {record.conversation_id}  job "
                       f"{record.pieces[-1].job_id}  (submission {record.key}; not waiting)")
        elif not data["to_stdout"]:
            click.echo(describe_insights(insights, pieces=len(record.pieces), key=record.key))
            summary_sinks(result["sinks"], result["sinkErrors"])

    return show


def print_results(results: list[dict], *, ensure_ascii: bool = False) -> None:
    """--json: one input's result, or the list of them."""
    click.echo(json.dumps(results[0] if len(results) == 1 else results, indent=2,
                          ensure_ascii=ensure_ascii))
