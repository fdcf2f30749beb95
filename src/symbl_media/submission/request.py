"""What is a submission? The frozen values a caller builds (``Source``, ``Request``), what it
gets back (``Outcome``), the events it is told about, and the preparation options as the
record keeps them (and the submission key hashes them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from symbl_media.contract.options import ApiOptions
from symbl_media.media.plan import PrepareOptions
from symbl_media.submission.events import Emit
from symbl_media.submission.records import Record

Events = Emit  # the kinds and their data are listed in submission/events.py


@dataclass(frozen=True)
class Source:
    kind: str  # "file", "url" (sent as a URL for the service to fetch) or "text"
    path: Path | None = None
    url: str | None = None
    payload: dict | None = None  # the Text API body, for "text"
    # A transcript of offsets (.srt, .vtt): the payload's times count
    # from text_input.DEFAULT_START, and are sent from the submission's time zero instead.
    offsets: bool = False

    def identity(self) -> dict:
        """What makes two runs the same submission: the file's path, size and mtime."""
        if self.url:  # sent as a URL, or downloaded and prepared here ("fetched")
            return {"kind": "url", "url": self.url, "fetched": self.kind == "file"}
        stat = self.path.stat()
        return {"kind": self.kind, "path": os.fsdecode(self.path.absolute()),
                "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


@dataclass(frozen=True)
class Request:
    source: Source
    media: str = "audio"  # "audio", "video" or "text"
    prepare: PrepareOptions = PrepareOptions()
    api: ApiOptions = ApiOptions()
    wait: bool = True
    again: bool = False  # a new submission even if this one was made before
    conversation_id: str | None = None  # append to this conversation instead of a new one
    remember: dict = field(default_factory=dict)  # kept with the record (sinks), for resume


@dataclass(frozen=True)
class Outcome:
    record: Record
    resumed: bool  # carried on from an earlier run
    already_done: bool  # nothing was sent: an earlier run had finished it
    notes: tuple[str, ...] = field(default=())


def prepare_json(options: PrepareOptions) -> dict:
    # decoders is how fast, not what: the same bytes either way, so not part of the key.
    data = {k: getattr(options, k) for k in options.__dataclass_fields__ if k != "decoders"}
    if options.preprocess:
        data["preprocess"] = [[name, dict(params)] for name, params in options.preprocess]
    else:
        # Left out when empty, so submissions recorded before pre-processors existed keep
        # their keys (the key hashes these options) and carry on when run again.
        del data["preprocess"]
    return data
