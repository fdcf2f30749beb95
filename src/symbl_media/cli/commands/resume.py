"""``symbl-media resume [SUBMISSION]``: which submissions to carry on, list or forget?"""

from __future__ import annotations

import json
import time

import click

from symbl_media.cli.commands.common import OneLineErrors, print_results, summary_printer
from symbl_media.cli.options import connection_options


@click.command(cls=OneLineErrors)
@click.argument("submission", required=False, metavar="[SUBMISSION]")
@click.option("--list", "list_", is_flag=True, help="List submissions and their state.")
@click.option("--assume-sent", "assume", flag_value="sent",
              help="A piece of unknown fate did arrive: do not send it again.")
@click.option("--assume-lost", "assume", flag_value="lost",
              help="A piece of unknown fate did not arrive: send it again.")
@click.option("--forget", is_flag=True, help="Drop SUBMISSION's record (and its pieces), "
              "e.g. one refused for good; the service keeps what it received.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@connection_options
def resume(submission, list_, assume, forget, as_json, **conn):
    """Carry on unfinished submissions (all of them, or SUBMISSION: a key or a
    conversation id), exactly where they stopped."""
    from symbl_media.submission import resume as resuming
    from symbl_media.submission.records import Store

    store = Store()
    if list_:
        records = store.all()
        if as_json:
            click.echo(json.dumps([_record_json(r) for r in records], indent=2))
        else:
            for r in records:
                click.echo(_record_line(r))
            if not records:
                click.echo("no submissions")
        return
    if assume and not submission:
        raise click.UsageError("--assume-sent/--assume-lost need a SUBMISSION")
    if forget:
        if not submission or assume:
            raise click.UsageError("--forget takes one SUBMISSION, and no --assume-*")
        _forget(store, store.find(submission), as_json)
        return
    if submission:
        records = [store.find(submission)]
        resuming.refuse_rejected(records[0])
    else:  # rejected ones are left: sending them again cannot help
        records = [r for r in store.all() if r.unfinished]
    if not records:
        click.echo("nothing to resume", err=True)
        return
    _resume(records, store, conn, assume, as_json)


command = resume


def _resume(records, store, conn, assume, as_json) -> None:
    from symbl_media.cli.display import Display
    from symbl_media.errors import SymblMediaError
    from symbl_media.submission.finish import raise_for_sinks
    from symbl_media.submission.resume import resume as carry_on

    display = Display(quiet=as_json, on_finished=summary_printer(as_json))
    results, failures = carry_on(records, store, conn, assume, display)
    if as_json:
        print_results(results, ensure_ascii=True)
    if failures:
        error = SymblMediaError(f"{len(failures)} of {len(records)} submissions could not be "
                                f"finished (see above)")
        error.exit_code = failures[0].exit_code
        raise error
    raise_for_sinks(results)


def _forget(store, record, as_json: bool) -> None:
    from symbl_media.submission.resume import forget

    forget(store, record)
    if as_json:
        click.echo(json.dumps({"submission": record.key, "forgotten": True,
                               "conversationId": record.conversation_id}))
    else:
        kept = (f"; conversation {record.conversation_id} stays with the service"
                if record.conversation_id else "")
        click.echo(f"forgot submission {record.key} ({record.name}){kept}")


def _record_json(record) -> dict:
    return {"submission": record.key, "name": record.name, "stage": record.stage,
            "conversationId": record.conversation_id, "service": record.service,
            "pieces": [{"file": p.file, "state": p.state, "jobId": p.job_id}
                       for p in record.pieces], "note": record.note}


def _record_line(record) -> str:
    done = sum(p.state == "completed" for p in record.pieces)
    total = f"{len(record.pieces)}" + ("" if record.prepared else "+")
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.created))
    line = (f"{record.key}  {when}  {record.stage:<10} {done}/{total} pieces  "
            f"{record.conversation_id or '-':<20} {record.name}")
    return line + (f"  ({record.note})" if record.note else "")
