"""What does someone watching the terminal see while work goes on?

One progress display for every command: on a terminal one line on stderr, rewritten in place
(extracting, cutting, downloading, uploading, a job's status); elsewhere (CI logs) only the
milestone lines. It takes the submission's events, ``display(kind, data)``, and, for
``prepare``, the pipeline's ``on_progress(stage, done, total)`` through ``progress``.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import ClassVar, Self

import click

from symbl_media.contract import endpoints as api
from symbl_media.durations import hours_minutes_seconds
from symbl_media.submission.events import EventKind


class Display:
    """Progress on a terminal (one rewritten line); milestone lines elsewhere (CI logs).

    ``delay``: seconds before any progress is drawn, so short work shows none. ``on_finished``
    shows an input's summary (the ``finished`` event); ``quiet`` (``--json``) keeps only the
    ``symbl-media:`` lines."""

    LABELS: ClassVar[dict[str, str]] = {"extract": "extracting", "pauses": "finding pauses", "cut": "cutting",
              "download": "downloading"}

    def __init__(self, *, label: str = "", quiet: bool = False, delay: float = 0.0,
                 on_finished=None) -> None:
        self.tty = sys.stderr.isatty()
        self.label = label
        self.quiet = quiet
        self.started = time.monotonic()
        self.delay = delay
        self.on_finished = on_finished
        self.last = 0.0
        self.shown = False
        self.lock = threading.Lock()

    def for_input(self, label: str) -> Display:
        child = Display(label=label, quiet=self.quiet, on_finished=self.on_finished)
        child.tty = self.tty and False  # several inputs at once: milestone lines only
        child.lock = self.lock
        return child

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.clear()

    def progress(self, stage: str, done: float, total: float | None) -> None:
        """The pipeline's ``on_progress`` (``prepare``): a stage's progress in seconds."""
        self(EventKind.PROGRESS, {"stage": stage, "done": done, "total": total})

    def __call__(self, kind: str, data: dict) -> None:
        with self.lock:
            self._show(kind, data)

    def _show(self, kind: str, data: dict) -> None:
        prefix = f"{self.label}: " if self.label else ""
        if kind == EventKind.NOTICE:
            self.line(f"symbl-media: {prefix}{data['text']}")
        elif kind == EventKind.WARNING:
            self.line(f"symbl-media: {data['text']}")
        elif kind == EventKind.ERROR:
            self.line(f"symbl-media: error: {data['text']}")
        elif kind == EventKind.CLEAR:
            self.clear()
        elif kind == EventKind.FINISHED:
            if self.on_finished is not None:
                self.on_finished(data)
        elif kind == EventKind.PROGRESS and self.tty:
            total, done = data["total"], data["done"]
            bytes_ = data.get("unit") == "bytes"
            fmt = (lambda n: f"{n / 1e6:.0f} MB") if bytes_ else hours_minutes_seconds
            label = self.LABELS.get(data["stage"], data["stage"])
            self.bar(label, done, total, fmt)
        elif kind == EventKind.UPLOAD and self.tty and data.get("total"):
            self.bar(f"uploading {data['index'] + 1}", data["sent"], data["total"],
                     lambda n: f"{n / 1e6:.1f} MB")
        elif kind == EventKind.SENT:
            self.line(f"{prefix}piece {data['index'] + 1} sent: conversation "
                      f"{data['conversation_id']}, job {data['job_id']}")
        elif kind == EventKind.RECONCILED:
            arrived = ("had arrived after all (not sent again)" if data["arrived"]
                       else "had not arrived; sending it")
            self.line(f"symbl-media: {prefix}the reply for piece {data['index'] + 1} was lost; "
                      f"it {arrived}")
        elif kind == EventKind.JOB:
            if self.tty:
                self.bar(f"piece {data['index'] + 1}: {data['status']}", 0, None, None)
            elif data["status"] in api.ENDED:
                self.line(f"{prefix}piece {data['index'] + 1}: job {data['status']}")
        elif kind == EventKind.COLLECTING and self.tty:
            self.bar(data["what"], 0, None, None)

    def bar(self, label: str, done: float, total: float | None, fmt) -> None:
        """``fmt`` writes an amount; None: the label is all there is (a status)."""
        now = time.monotonic()
        if self.quiet or now - self.last < 0.2 or now - self.started < self.delay:
            return
        self.last = now
        if total:
            share = min(1.0, done / total)
            line = f"{label:<18} [{'#' * int(share * 30):<30}] {share:4.0%}  {fmt(done)} / " \
                   f"{fmt(total)}"
        elif fmt is not None:  # how far, when how far to go is not known
            line = f"{label:<18} {fmt(done)}"
        else:
            line = label
        click.echo("\r\033[K" + line[:100], nl=False, err=True)
        self.shown = True

    def line(self, text: str) -> None:
        if self.quiet and not text.startswith("symbl-media:"):
            return
        self.clear()
        click.echo(text, err=True)

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)
            self.shown = False
            self.last = 0.0
