"""``symbl-media insights CONVERSATION_ID``: what did a conversation yield, and where to?"""

from __future__ import annotations

import json
from dataclasses import replace

import click

from symbl_media.cli.commands.common import OneLineErrors, checked_id, summary_sinks
from symbl_media.cli.options import connection_options, output_flags
from symbl_media.submission.events import EventKind


@click.command(cls=OneLineErrors)
@click.argument("conversation_id", metavar="CONVERSATION_ID",
                callback=checked_id("conversation"))
@output_flags
@click.option("--wait", "wait", is_flag=True, help="If a job of the conversation is still "
              "running, wait for it (default: exit 19 without writing anything).")
@connection_options
def insights(conversation_id, sinks, as_json, wait, **conn):
    """Fetch a conversation's insights: summary, and sinks such as json:out.json."""
    from symbl_media.cli.display import Display
    from symbl_media.cli.report import describe_insights
    from symbl_media.client.service import connect
    from symbl_media.insights.collect import collect
    from symbl_media.submission.finish import check_sinks, raise_for_sinks, write_sinks
    from symbl_media.submission.resume import check_finished

    specs = check_sinks(sinks, as_json=as_json)
    display = Display(quiet=as_json)
    # The embedded sandbox runs its queued jobs only if they are to be waited for.
    with connect(run_jobs=wait, **conn) as service:
        if service.notice:
            display(EventKind.WARNING, {"text": service.notice})
        check_finished(service, conversation_id, wait=wait, emit=display)
        found = collect(service.client, conversation_id, summary=True, trackers=True)
        # Made here from a transcript with times: they count from the transcript's time
        # zero (this machine's submission records say so; they are only read).
        from symbl_media.inputs.transcripts import time_zero
        from symbl_media.submission.records import Store

        found = replace(found, origin=time_zero(Store().all(), conversation_id,
                                                found.conversation, service.name))
    found = replace(found, notes=tuple(n for n in found.notes
                                       if not n.startswith("no summary")))
    name = str(found.conversation.get("name") or conversation_id)
    written, failed = write_sinks(specs, found, name, display)
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
    elif not any(s.to_stdout for s in specs):
        click.echo(describe_insights(found))
        summary_sinks(written, failed)
    raise_for_sinks([{"sinkErrors": failed}])


command = insights
