"""What can a submission report while it runs, and with which data?

Submissions report through one callable, ``emit(kind, data)`` (the submitter's ``on_event``):
``kind`` is an ``EventKind`` and ``data`` a dict. The CLI's display and the Python API's
``Conversation`` listen; ``forward`` lets plugins' event hooks hear the same events. Every
kind, with the keys its ``data`` holds (events from a submitter also carry ``submission``, the
submission key):

====================  ========================================================================
kind                  data
====================  ========================================================================
``notice``            ``text``: a line for people, about one input
``warning``           ``text``: a line for people, about the whole run
``error``             ``text``: why one input failed (the run goes on with the others)
``clear``             nothing: take the progress line away before something else is printed
``plan``              ``plan`` (the media ``Plan``), ``key``
``piece``             ``piece``: a ``PreparedPiece`` just cut
``progress``          ``stage`` (extract, pauses, cut, download), ``done``, ``total``, and
                      ``unit`` ("bytes" for a download; else seconds of media)
``upload``            ``index``, ``piece``, ``sent``, ``total`` (bytes); at the start also
                      ``conversation_id``
``sent``              ``index``, ``piece`` (a ``PieceRecord``), ``conversation_id``, ``job_id``
``reconciled``        ``index``, ``arrived`` (a lost reply's piece had arrived after all), and
                      ``job_id`` when it had
``job``               ``index``, ``job_id``, ``status`` (a contract job status)
``collecting``        ``what``: what is being fetched or worked out after the last job
``insights``          ``insights``: the conversation's ``Insights``, before the sinks run
``finished``          ``result`` (the summary dict), ``insights`` (or None), ``record``,
                      ``to_stdout`` (a sink writes to standard output)
====================  ========================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from symbl_media.plugins import manager as plugins


class EventKind(StrEnum):
    """The kinds of event; each is its own string (``EventKind.SENT == "sent"``), so
    listeners written against the plain strings keep working."""

    NOTICE = "notice"
    WARNING = "warning"
    ERROR = "error"
    CLEAR = "clear"
    PLAN = "plan"
    PIECE = "piece"
    PROGRESS = "progress"
    UPLOAD = "upload"
    SENT = "sent"
    RECONCILED = "reconciled"
    JOB = "job"
    COLLECTING = "collecting"
    INSIGHTS = "insights"
    FINISHED = "finished"


Emit = Callable[[str, dict], None]


def forward(on_event: Emit) -> Emit:
    """Wrap a submission's ``on_event`` so plugins' event hooks hear about it too."""
    def handler(kind: str, data: dict) -> None:
        on_event(kind, data)
        key = data.get("submission")
        if kind == EventKind.PIECE:
            plugins.hook().piece_prepared(submission=key, piece=data["piece"])
        elif kind == EventKind.SENT:
            plugins.hook().piece_uploaded(submission=key, piece=data["piece"],
                                          job_id=data["job_id"])
        elif kind == EventKind.JOB:
            plugins.hook().job_status_changed(submission=key, job_id=data["job_id"],
                                              status=data["status"])
        elif kind == EventKind.INSIGHTS:
            plugins.hook().insights_ready(submission=key, insights=data["insights"])

    return handler
