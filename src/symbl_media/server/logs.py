"""The server's log: one line per request and one per job state change, as readable text (the
default) or JSON lines (``serve --log-format json``), never with a secret in it.

The standard library's ``logging`` carries the records; the two formatters here are all that
is ours (a JSON line is ``json.dumps`` of a few fixed fields, which does not need a library).
Each record's fields are given as ``extra={"fields": {...}}`` and written by either formatter.
Secrets are kept out twice: the lines are written from fields that hold none (a path without
its query, a database named without its user or password), and every text that goes out is
passed through ``redaction.scrub`` (the app secret, tokens and passwords registered with
``keep_out``) and has any URL in it cut to scheme, host and path (a webhook URL's token or
signature lives in its query or user part).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime

from symbl_media.redaction import redact, scrub

SERVER = "symbl_media.server"
REQUESTS = logging.getLogger(f"{SERVER}.requests")
JOBS = logging.getLogger(f"{SERVER}.jobs")
FORMATS = ("text", "json")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+")


def clean(text: str) -> str:
    """``text`` with registered secrets masked and every URL without user, query, fragment."""
    return _URL.sub(lambda m: redact(m.group()), scrub(text))


class TextFormatter(logging.Formatter):
    """Today's readable lines: the message alone, warnings and errors saying so."""

    def format(self, record: logging.LogRecord) -> str:
        text = clean(record.getMessage())
        if record.levelno >= logging.WARNING and not hasattr(record, "fields"):
            text = f"{record.levelname.lower()}: {text}"
        if record.exc_info:  # a bug's traceback, in the log only (never to a client)
            text += "\n" + clean(self.formatException(record.exc_info))
        return text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO-8601), level, logger, event, message, and the
    record's fields (``request``: method, path, status, bytes, ms, ...; ``job``: job_id,
    conversation_id, state, seconds, error)."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None) or {}
        line = {"time": datetime.fromtimestamp(record.created, UTC)
                .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "level": record.levelname.lower(), "logger": record.name,
                "event": getattr(record, "event", "log"),
                "message": clean(record.getMessage())}
        for key, value in fields.items():
            line[key] = clean(value) if isinstance(value, str) else value
        if record.exc_info:
            line["traceback"] = clean(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str, stream=None) -> logging.Handler:
    """Send the server's records (``symbl_media.server`` and below, INFO and up) to ``stream``
    (stderr) in ``log_format``; a handler set before by this function is replaced."""
    if log_format not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.symbl_media_ops = True  # type: ignore[attr-defined]
    logger = logging.getLogger(SERVER)
    for old in [h for h in logger.handlers if getattr(h, "symbl_media_ops", False)]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    # uvicorn's errors (an exception that escaped the application, requests cut off when the
    # grace time ran out) in the same format; its warnings, one per garbage request, are not
    # (the request's own line says it was refused).
    errors = logging.StreamHandler(stream or sys.stderr)
    errors.setFormatter(handler.formatter)
    errors.setLevel(logging.ERROR)
    errors.symbl_media_ops = True  # type: ignore[attr-defined]
    uvicorn = logging.getLogger("uvicorn.error")
    for old in [h for h in uvicorn.handlers if getattr(h, "symbl_media_ops", False)]:
        uvicorn.removeHandler(old)
    uvicorn.addHandler(errors)
    return handler


def request(*, client: str, method: str, path: str, status: int | str, sent: int,
            received: int, seconds: float, request_id: str) -> None:
    """The one line of a request (``path``: without its query, which can hold a webhook URL)."""
    REQUESTS.info('%s "%s %s" %s %dB %.3fs id=%s', client, method, path, status, sent, seconds,
                  request_id, extra={"event": "request", "fields": {
                      "method": method, "path": path, "status": status, "bytes": sent,
                      "received": received, "ms": round(seconds * 1000, 1),
                      "request_id": request_id, "client": client}})


def job(row: dict, state: str, error: str | None = None) -> None:
    """The line of a job state change; ``row`` is the job's row (its id and conversation, and
    for an ended run ``started_at``, when this run took it: its seconds are counted from it,
    as the metrics' job seconds are)."""
    started = row.get("started_at")
    seconds = round(max(0.0, time.time() - started), 3) \
        if started is not None and state in ("completed", "failed") else None
    text = f"job {row['id']} of conversation {row['conversation_id']}: {state}"
    if seconds is not None:
        text += f" after {seconds:.3f}s"
    if error:
        text += f": {error}"
    JOBS.log(logging.WARNING if state == "failed" else logging.INFO, "%s", text,
             extra={"event": "job", "fields": {
                 "job_id": row["id"], "conversation_id": row["conversation_id"],
                 "state": state, "seconds": seconds, "error": error}})
