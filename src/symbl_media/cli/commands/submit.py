"""``symbl-media submit INPUT...``: what do its flags say to send, and how did it go?"""

from __future__ import annotations

import click

from symbl_media.cli.commands.common import OneLineErrors, expand_inputs, label, print_results, summary_printer
from symbl_media.cli.options import api_flags, api_options, connection_options, media_flags, output_flags, split_options


@click.command(cls=OneLineErrors)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@api_flags
@media_flags
@output_flags
@click.option("--no-wait", is_flag=True, help="Send, print the ids and return without "
              "waiting for the last job.")
@click.option("--again", is_flag=True, help="Make a new conversation even if this input "
              "was submitted before with the same options.")
@click.option("--max-jobs", default=2, show_default=True, type=click.IntRange(1, 50),
              help="Inputs in flight at once (a trial account allows 2 jobs).")
@connection_options
def submit(inputs, sinks, as_json, no_wait, again, max_jobs, **opts):
    """Send recordings, URLs or transcripts to Symbl and collect the insights.

    Each INPUT (a file, a folder of them, an http(s) URL, or a .txt/.srt/.vtt/.json
    transcript) becomes one conversation. Long recordings are cut in silence and
    appended piece by piece. Running the same command again after a failure or Ctrl-C
    carries on where it stopped; nothing is sent twice.
    """
    media_opts, conn, rest = split_options(opts)
    options = api_options(**rest, separate_channels=media_opts["separate_channels"])
    run(expand_inputs(inputs), media_opts=media_opts, api_options=options, conn=conn,
        sinks=sinks, wait=not no_wait, again=again, max_jobs=max_jobs, as_json=as_json)


command = submit


def run(items: list[str], *, media_opts, api_options, conn, sinks, wait, again, max_jobs,
        as_json, conversation_id=None) -> None:
    """submit's and append's common part: the inputs through ``submission.batch``, then the
    JSON, and the exit code of the first failure."""
    from symbl_media.cli.display import Display
    from symbl_media.errors import SymblMediaError
    from symbl_media.submission.batch import run_inputs
    from symbl_media.submission.finish import check_sinks, raise_for_sinks

    specs = check_sinks(sinks, inputs=len(items), as_json=as_json)
    display = Display(quiet=as_json, on_finished=summary_printer(as_json))
    results, failures = run_inputs(
        items, media_opts=media_opts, api_options=api_options, conn=conn, specs=specs,
        wait=wait, again=again, max_jobs=max_jobs, emit=display,
        emit_for=lambda item: display.for_input(label(item)), conversation_id=conversation_id)
    if as_json:
        print_results(results)
    if failures:
        first = failures[0][1]
        error = SymblMediaError(f"{len(failures)} of {len(items)} inputs failed (see above)")
        error.exit_code = first.exit_code
        raise error
    raise_for_sinks(results)
