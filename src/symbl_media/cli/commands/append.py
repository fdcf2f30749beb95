"""``symbl-media append CONVERSATION_ID INPUT``: what to add to which conversation?"""

from __future__ import annotations

from pathlib import Path

import click

from symbl_media.cli.commands.common import OneLineErrors, checked_id, expand_inputs
from symbl_media.cli.commands.submit import run
from symbl_media.cli.options import api_flags, api_options, connection_options, media_flags, output_flags, split_options


@click.command(cls=OneLineErrors)
@click.argument("conversation_id", metavar="CONVERSATION_ID",
                callback=checked_id("conversation"))
@click.argument("input_", metavar="INPUT")
@api_flags
@media_flags
@output_flags
@click.option("--no-wait", is_flag=True, help="Return once sent.")
@connection_options
def append(conversation_id, input_, sinks, as_json, no_wait, **opts):
    """Add INPUT to an existing conversation (its audio, video or text)."""
    if not conversation_id.strip():
        raise click.BadParameter("is empty", param_hint="CONVERSATION_ID")
    media_opts, conn, rest = split_options(opts)
    options = api_options(**rest, separate_channels=media_opts["separate_channels"])
    items = expand_inputs((input_,))
    if len(items) != 1 or Path(input_).is_dir():
        raise click.BadParameter("append takes one file, URL or transcript, not a folder",
                                 param_hint="INPUT")
    run(items, media_opts=media_opts, api_options=options, conn=conn, sinks=sinks,
        wait=not no_wait, again=False, max_jobs=1, as_json=as_json,
        conversation_id=conversation_id.strip())


command = append
