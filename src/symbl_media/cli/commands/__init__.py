"""Which commands talk to Symbl? submit, append, status, insights and resume, one module each,
added to the ``symbl-media`` group by ``register``; and ``sandbox``, the server that answers
like Symbl."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    from symbl_media.cli.commands import append, insights, resume, sandbox, status, submit

    for module in (submit, append, status, insights, resume, sandbox):
        cli.add_command(module.command)
