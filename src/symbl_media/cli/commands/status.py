"""``symbl-media status JOB_ID``: where is a job?"""

from __future__ import annotations

import json

import click

from symbl_media.cli.commands.common import OneLineErrors, checked_id
from symbl_media.cli.options import connection_options
from symbl_media.contract import endpoints as api


@click.command(cls=OneLineErrors)
@click.argument("job_id", metavar="JOB_ID", callback=checked_id("job"))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@connection_options
def status(job_id, as_json, **conn):
    """Show a job's status: scheduled, in_progress, completed or failed."""
    from symbl_media.client.service import connect

    # The embedded sandbox is opened only to look: it would start queued jobs and abandon
    # them when this command ends a moment later.
    with connect(run_jobs=False, **conn) as service:
        value = service.client.job_status(job_id)
        idle = service.embedded and value in api.RUNNING
    note = ("the embedded sandbox runs jobs only while a symbl-media command that waits "
            "for them is running, and none is: `symbl-media resume` runs this job to the "
            "end and collects the insights") if idle else None
    if as_json:
        click.echo(json.dumps({"jobId": job_id, "status": value,
                               **({"note": note} if note else {})}))
    else:
        click.echo(value)
    if note:
        click.echo(f"symbl-media: {note}", err=True)


command = status
