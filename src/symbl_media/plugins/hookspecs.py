"""The hooks a symbl-media plugin can implement. Each is documented in docs/plugins.md.

Registration hooks take a ``register`` callback (the host checks names and clashes in one
place); event hooks are told what happened and return nothing.
"""

from __future__ import annotations

from pluggy import HookimplMarker, HookspecMarker

hookspec = HookspecMarker("symbl_media")
hookimpl = HookimplMarker("symbl_media")


@hookspec
def register_sinks(register):
    """Register insight sinks: ``register(Sink(name, write, description))``."""


@hookspec
def register_sources(register):
    """Register input sources: ``register(Source(name, matches, fetch, description))``."""


@hookspec
def register_preprocessors(register):
    """Register audio pre-processors for ``--pre``: ``register(Preprocessor(name, filter,
    description, options, measure=None, changes_length=False))``; ``filter(params)`` returns
    an ffmpeg audio filter chain folded into ``prepare``'s one ffmpeg pass."""


@hookspec
def register_commands(cli):
    """Add commands to the ``symbl-media`` click group."""


@hookspec
def register_engines(register):
    """Provide sandbox engines: ``register(Engine(kind, name, factory, description))``."""


@hookspec
def piece_prepared(submission, piece):
    """A piece of a recording was cut and recorded (``PieceRecord``)."""


@hookspec
def piece_uploaded(submission, piece, job_id):
    """The service accepted a piece; ``job_id`` is its job."""


@hookspec
def job_status_changed(submission, job_id, status):
    """A job moved to ``status`` (scheduled, in_progress, completed, failed)."""


@hookspec
def insights_ready(submission, insights):
    """A conversation's insights were collected (``Insights``), before the sinks run."""
