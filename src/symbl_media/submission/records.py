"""Durable submission state: what was prepared, sent, and finished, written before each step.

One JSON file per submission under the user's state folder
(``$XDG_STATE_HOME/symbl-media/submissions``), written atomically (temporary file, fsync,
rename), next to a private folder holding that submission's prepared pieces until it is done.
A piece moves through

    pending → sending → sent (job id known) → completed
                 │                      └────→ failed (resume sends it again)
                 └─ a run that stops here does not know whether the body arrived:
                    resume asks the service before sending anything again.

The key is a hash of the service, the source's identity (path, size, mtime) and the options,
so running the same ``submit`` again finds the same record and carries on.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from symbl_media.errors import AmbiguousSubmission, Busy, ManifestCorrupt, OutputError, RecordNotFound, SymblMediaError
from symbl_media.media.prepared import write_json_atomic
from symbl_media.paths import user_dir

FORMAT = "symbl-media/submission"
LOCK_GRACE_SECONDS = 1.0  # see Store.lock

PIECE_STATES = ("pending", "sending", "sent", "completed", "failed")


def state_dir() -> Path:
    return user_dir("XDG_STATE_HOME", "submissions")


@dataclass(frozen=True)
class PieceRecord:
    index: int
    file: str
    content_type: str | None
    offset: float
    duration: float
    bytes: int
    sha256: str
    state: str = "pending"
    job_id: str | None = None
    attempts: int = 0
    sent_at: float | None = None
    # Job ids the conversation had received before this piece was sent: reconciliation
    # looks only at what arrived after them. None when the service cannot list them.
    before: tuple[str, ...] | None = None
    # A first piece only: the conversations already under the submission's name when it was
    # sent. None of them is the one it created, though an earlier submission of the same
    # recording under the same name has the same first body (reconcile.find_conversation).
    named: tuple[str, ...] | None = None

    def to_json(self) -> dict:
        return {"index": self.index, "file": self.file, "content_type": self.content_type,
                "offset": round(self.offset, 6), "duration": round(self.duration, 6),
                "bytes": self.bytes, "sha256": self.sha256, "state": self.state,
                "job_id": self.job_id, "attempts": self.attempts, "sent_at": self.sent_at,
                "before": list(self.before) if self.before is not None else None,
                "named": list(self.named) if self.named is not None else None}

    @classmethod
    def from_json(cls, data: dict) -> PieceRecord:
        fields = {k: data.get(k) for k in ("index", "file", "content_type", "offset",
                                            "duration", "bytes", "sha256", "state", "job_id",
                                            "attempts", "sent_at")}
        before, named = data.get("before"), data.get("named")
        return cls(**fields, before=tuple(before) if isinstance(before, list) else None,
                   named=tuple(named) if isinstance(named, list) else None)


@dataclass(frozen=True)
class Record:
    key: str
    source: dict  # {"kind": "file"|"url"|"text", "path"|"url", "bytes", "mtime_ns"}
    service: str  # "embedded" or the base URL
    media: str  # "audio", "video" or "text"
    options: dict  # Async API options as sent
    name: str
    created: float
    conversation_id: str | None = None
    prepared: bool = False  # every piece is known (cutting finished)
    pieces: tuple[PieceRecord, ...] = ()
    stage: str = "preparing"  # preparing, sending, collecting, done
    note: str | None = None  # the last problem, for `resume --list`
    extra: dict = field(default_factory=dict)  # sinks, diarization outcome, ...

    def to_json(self) -> dict:
        source = self.source
        if self.done and source.get("kind") == "url" and source.get("url"):
            # Resume needs the whole URL only while the submission is unfinished; a finished
            # record keeps it without what may be a signature, a token or a password.
            from symbl_media.redaction import redact

            source = {**source, "url": redact(source["url"])}
        return {"format": FORMAT, "version": 1, "key": self.key, "source": source,
                "service": self.service, "media": self.media, "options": self.options,
                "name": self.name, "created": self.created, "updated": time.time(),
                "conversation_id": self.conversation_id, "prepared": self.prepared,
                "stage": self.stage, "note": self.note, "extra": self.extra,
                "pieces": [p.to_json() for p in self.pieces]}

    @classmethod
    def from_json(cls, data: dict) -> Record:
        return cls(key=data["key"], source=data["source"], service=data["service"],
                   media=data["media"], options=data.get("options") or {}, name=data["name"],
                   created=data["created"], conversation_id=data.get("conversation_id"),
                   prepared=bool(data.get("prepared")), stage=data.get("stage", "preparing"),
                   note=data.get("note"), extra=data.get("extra") or {},
                   pieces=tuple(PieceRecord.from_json(p) for p in data.get("pieces") or []))

    @property
    def done(self) -> bool:
        return self.stage == "done"

    @property
    def rejected(self) -> bool:
        """Refused for good (our own input checks, or the service's 400/413/415 or language
        refusal): a bare ``resume`` leaves it; ``resume --forget`` drops it."""
        return self.stage == "rejected"

    @property
    def unfinished(self) -> bool:
        return not (self.done or self.rejected)

    def describe(self) -> str:
        """Key, input, stage and date in a few words (an ambiguous reference lists these)."""
        from symbl_media.redaction import redact

        source = self.source
        shown = source.get("path") or (redact(source["url"]) if source.get("url") else
                                       self.name)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.created))
        return f"{self.key} ({shown}, {self.stage}, {when})"

    def piece(self, index: int) -> PieceRecord:
        return self.pieces[index]

    def with_piece(self, piece: PieceRecord) -> Record:
        pieces = list(self.pieces)
        if piece.index < len(pieces):
            pieces[piece.index] = piece
        elif piece.index == len(pieces):
            pieces.append(piece)
        else:
            raise ValueError(f"piece {piece.index} recorded before piece {len(pieces)}")
        return replace(self, pieces=tuple(pieces))


def submission_key(service: str, source: dict, media: str, options: dict) -> str:
    identity = json.dumps({"service": service, "source": source, "media": media,
                           "options": options}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:20]


class Store:
    """The submissions folder: records, their work folders and their locks."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or state_dir()
        self.touched: list[str] = []  # keys locked through this Store, in order (Ctrl-C advice)

    def _ensure(self) -> None:
        # Private: an unfinished URL submission's record holds the URL as given (a presigned
        # query included), and the work folders hold the recordings.
        from symbl_media.paths import private_folder

        if not private_folder(self.folder):
            raise SymblMediaError(f"{self.folder}: not a folder of this user's; symbl-media "
                                  f"keeps its submission records there")

    def ensure(self) -> Path:
        """The folder, made (or tightened to) 0700: call before putting anything in it."""
        self._ensure()
        return self.folder

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def work(self, key: str) -> Path:
        """The folder holding this submission's prepared pieces until it is done."""
        self._ensure()
        folder = self.folder / key
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def load(self, key: str) -> Record | None:
        path = self.path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ManifestCorrupt(f"{path}: cannot be read ({exc}); move it away to start "
                                  f"this submission afresh") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ManifestCorrupt(f"{path}: not a symbl-media submission record")
        try:
            return Record.from_json(data)
        except (KeyError, TypeError) as exc:
            raise ManifestCorrupt(f"{path}: incomplete record ({exc})") from None

    def save(self, record: Record) -> Record:
        try:
            self._ensure()
            # Atomic: a failed write (a full disk) leaves the previous record as it was.
            write_json_atomic(self.path(record.key), record.to_json())
        except OSError as exc:
            raise OutputError(f"{self.path(record.key)}: cannot record the submission "
                              f"({exc.strerror or exc}); make room and run the same command "
                              f"again to carry on") from None
        return record

    def find(self, ref: str) -> Record:
        """A record by its key, a prefix of one, or the conversation id it produced.

        A prefix that several keys start with is ambiguous (exit 2, the candidates listed).
        A conversation id that several records share (a submission and its appends) picks the
        one that is unfinished when exactly one is, and is ambiguous otherwise.
        """
        records = self.all()
        for record in records:
            if record.key == ref:
                return record
        by_key = [r for r in records if ref and r.key.startswith(ref)]
        by_cid = [r for r in records if r.conversation_id == ref and r not in by_key]
        found = by_key + by_cid
        if not found:
            raise RecordNotFound(f"no submission {ref!r} in {self.folder} (`symbl-media "
                                 f"resume --list` lists them)")
        if len(found) == 1:
            return found[0]
        if not by_key:
            unfinished = [r for r in by_cid if r.unfinished]
            if len(unfinished) == 1:
                return unfinished[0]
        shown = "; ".join(r.describe() for r in found[:5])
        more = f"; and {len(found) - 5} more" if len(found) > 5 else ""
        what = ("conversation" if not by_key else "submission")
        raise AmbiguousSubmission(f"{what} {ref!r} matches {len(found)} submissions: {shown}"
                                  f"{more}; give the key (or more of it)")

    def all(self) -> list[Record]:
        if not self.folder.is_dir():
            return []
        out = []
        for path in sorted(self.folder.glob("*.json")):
            with contextlib.suppress(SymblMediaError):
                record = self.load(path.stem)
                if record:
                    out.append(record)
        return sorted(out, key=lambda r: r.created)

    def forget(self, key: str) -> None:
        """Drop a submission: its record, its work folder and its lock (``resume --forget``).
        What the service received stays there."""
        self.forget_work(key)
        self.path(key).unlink(missing_ok=True)
        (self.folder / f"{key}.lock").unlink(missing_ok=True)

    def forget_work(self, key: str) -> None:
        shutil.rmtree(self.folder / key, ignore_errors=True)
        # A run killed while saving this record left its temporary file (write_json_atomic's
        # ".<key>.json.*.tmp"); only this submission, under its lock, writes those.
        for stale in self.folder.glob(f".{key}.json.*.tmp"):
            stale.unlink(missing_ok=True)

    @contextlib.contextmanager
    def lock(self, key: str):
        """One process at a time per submission: a second run of the same submission stops
        with a clear error instead of sending the same piece alongside the first."""
        self._ensure()
        fd = os.open(self.folder / f"{key}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # A child that this very process is starting (an ffmpeg of the embedded sandbox's
            # jobs, say) holds a copy of every descriptor, the lock's included, between its
            # fork and its exec: a lock just released can look taken for a moment. Another
            # process really working on the submission holds it far longer than this grace.
            deadline = time.monotonic() + LOCK_GRACE_SECONDS
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Busy(f"submission {key} is being worked on by another "
                                   f"symbl-media process; try again when it ends") from None
                    time.sleep(0.05)
            self.touched.append(key)
            yield
        finally:
            os.close(fd)
