"""One submission, exactly once: prepare → send the first piece → append the rest → wait.

The manifest (``records.py``) is written before and after every step, so a run that is
killed, loses its connection or meets a failed job can be continued by running the same
command again (or ``resume``): pieces already received are never sent again and none is
skipped. When a piece's fate is unknown (the body went out, the reply never came back) the
service is asked what it received before anything is resent.

Cutting and sending overlap: the calling thread prepares pieces while a second thread sends
each one as soon as it exists (and the previous job has completed). Extraction and the search
for pauses come first, over the whole recording, so the overlap is with the cutting only (the
first upload starts before the last piece is cut; docs/benchmarks.md has the figures).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from symbl_media.media import pipeline
from symbl_media.client.calls import Submission, SymblClient
from symbl_media.contract.options import ApiOptions
from symbl_media.insights.collect import Insights, collect
from symbl_media.errors import (ApiError, AuthError, DeliveryUnknown, Interrupted, JobFailed,
                                LanguageRefused, NoAudio, NotMedia, PlanError, Rejected,
                                SymblMediaError, Unreachable)
from symbl_media.submission.events import Emit, EventKind
from symbl_media.submission.records import PieceRecord, Record, Store, submission_key
from symbl_media.media.plan import PrepareOptions
from symbl_media.plugins import manager as plugins
from symbl_media.media.prepared import api_parameters

# on_event(kind, data): the kinds and their data are listed in submission/events.py.
Events = Emit

MAX_SENDS = 3  # per piece and run, when the service says a body never arrived
# How long to keep looking for a piece an earlier run left "sending" before sending it again.
# That run's body may be whole in the network (socket buffers, a proxy that buffers bodies, a
# busy server) and acted on seconds after the run died: looking once, at once, would miss it
# and send the piece twice.
SETTLE_SECONDS = 5.0


# A refusal with one of these statuses is about the request itself (its parameters, its body):
# sending the same again is refused again, so the submission is recorded as rejected.
PERMANENT_STATUSES = (400, 413, 415, 422)
# Our own findings about the input that no later run can change (its identity is in the key).
PERMANENT_INPUT_ERRORS = (NotMedia, NoAudio, PlanError)


class ServiceRejected(Rejected, ApiError):
    """The service refused a submission for good (400, 413, 415): exit 20, and still an
    ApiError with the status and the service's message for Python callers."""

    def __init__(self, status: int, message: str, *, what: str, key: str) -> None:
        ApiError.__init__(self, status, message)
        self.args = (f"{what}: the service refused it for good (HTTP {status}: "
                     f"{self.message}); sending it again cannot help, so `symbl-media resume` "
                     f"leaves it (`symbl-media resume --forget {key}` drops its record)",)


class ServiceLanguageRefused(LanguageRefused, ApiError):
    """The service does not support the submission's language: exit 21."""

    def __init__(self, status: int, message: str, *, what: str, language: str) -> None:
        ApiError.__init__(self, status, message)
        self.args = (f"{what}: the service does not support language {language} (HTTP "
                     f"{status}: {self.message})",)


def _refusal(exc: ApiError, record: "Record", what: str) -> ApiError:
    """A permanent refusal as Rejected (or LanguageRefused); any other ApiError as it is."""
    if isinstance(exc, AuthError) or exc.status not in PERMANENT_STATUSES:
        return exc
    language = record.options.get("languageCode")
    if language and "language" in exc.message.lower():
        return ServiceLanguageRefused(exc.status, exc.message, what=what, language=language)
    return ServiceRejected(exc.status, exc.message, what=what, key=record.key)


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


class Submitter:
    def __init__(self, client: SymblClient, service: str, store: Store | None = None,
                 on_event: Events | None = None, poll: float = 0.5,
                 cancel: threading.Event | None = None) -> None:
        self.client = client
        self.service = service
        self.store = store or Store()
        self.on_event = on_event or (lambda kind, data: None)
        self.poll = poll
        self.cancel = cancel or threading.Event()

    # ------------------------------------------------------------------ entry points

    def key(self, request: Request) -> str:
        options = {"api": request.api.to_json(request.media),
                   "prepare": _prepare_json(request.prepare),
                   "append_to": request.conversation_id}
        key = submission_key(self.service, request.source.identity(), request.media, options)
        if request.again:
            key = hashlib.sha256(f"{key}{time.time_ns()}".encode()).hexdigest()[:20]
        return key

    def submit(self, request: Request) -> Outcome:
        key = self.key(request)
        with self.store.lock(key):
            record = self.store.load(key)
            if record is not None and record.done:
                return Outcome(record, resumed=False, already_done=True)
            resumed = record is not None
            if record is None:
                name = request.api.name or _default_name(request.source)
                # Always named (Symbl's default name is the id): the name is also how a first
                # piece whose reply was lost is found again.
                options = {**request.api.to_json(request.media), "name": name}
                if request.conversation_id:
                    options.pop("name")  # appending must not rename the conversation
                now = time.time()
                record = Record(key=key, source=_source_json(request.source),
                                service=self.service, media=request.media, options=options,
                                name=name,
                                created=now, conversation_id=request.conversation_id,
                                extra={**request.remember,
                                       "prepare": _prepare_json(request.prepare),
                                       **_time_zero(request, now)})
                record = self.store.save(record)
            record = self._go(record, request)
            return Outcome(record, resumed=resumed, already_done=False)

    def resume(self, record: Record, request: Request, *, assume: str | None = None
               ) -> Outcome:
        """Continue ``record``; ``assume`` "sent" or "lost" settles a piece of unknown fate."""
        with self.store.lock(record.key):
            record = self.store.load(record.key) or record
            if record.done:
                return Outcome(record, resumed=True, already_done=True)
            if assume:
                record = _settle(self.store, record, assume)
            return Outcome(self._go(record, request), resumed=True, already_done=False)

    def _go(self, record: Record, request: Request) -> Record:
        """One run; a failure no later run can change marks the record rejected, so a bare
        ``resume`` leaves it (the same ``submit`` tries it again, and says the same)."""
        try:
            return _Run(self, record, request).go()
        except (*PERMANENT_INPUT_ERRORS, Rejected) as exc:
            latest = self.store.load(record.key) or record
            self.store.forget_work(record.key)  # its pieces can serve no later run
            self.store.save(replace(latest, stage="rejected",
                                    note=" ".join(str(exc).split())[:300],
                                    extra={**latest.extra, "rejected": exc.exit_code}))
            raise

    def finish(self, record: Record, *, collect_insights: bool = True
               ) -> tuple[Record, Insights | None]:
        """After the last job: make speakers consistent across appends, fetch the insights
        (unless the caller fetches only what it wants), mark the submission done and drop
        its pieces."""
        with self.store.lock(record.key):
            record = self.store.load(record.key) or record
            notes = list(record.extra.get("notes", []))
            pieces = [p for p in record.pieces if p.state == "completed"]
            if (record.options.get("enableSpeakerDiarization") and len(pieces) > 1
                    and "speakers" not in record.extra):
                self.on_event(EventKind.COLLECTING, {"what": "matching speakers across pieces"})
                notes.append(self._match_speakers(record))
                record = self.store.save(replace(record, extra={**record.extra,
                                                                "speakers": notes[-1]}))
            insights = None
            if collect_insights:
                self.on_event(EventKind.COLLECTING, {"what": "insights"})
                insights = collect(self.client, record.conversation_id,
                                   summary=bool(record.options.get("enableSummary")),
                                   trackers=bool(record.options.get("trackers")
                                                 or record.options.get("enableAllTrackers")))
                insights = replace(insights, notes=(*notes, *insights.notes))
                self.on_event(EventKind.INSIGHTS, {"insights": insights,
                                                   "submission": record.key})
            # The pieces go before the record says done: a run killed in between leaves an
            # unfinished record (the next run only collects again), not a done one whose work
            # folder no later run would remove.
            self.store.forget_work(record.key)
            record = self.store.save(replace(record, stage="done", note=None,
                                             extra={**record.extra, "notes": notes}))
            return record, insights

    def _match_speakers(self, record: Record) -> str:
        """One line for the summary saying what became of the per-append speaker labels."""
        work = self.store.work(record.key)
        files = [(work / p.file, p.offset, p.duration) for p in record.pieces]
        if not all(path.is_file() for path, _, _ in files):
            return ("speakers are labelled afresh in each of the "
                    f"{len(files)} pieces (their audio is gone, so they were not matched)")
        try:
            from symbl_media.insights import speakers
        except ImportError as exc:
            return f"speakers are labelled afresh in each piece (matching unavailable: {exc})"
        messages = self.client.insight(record.conversation_id, "messages")
        match = speakers.match_speakers(files, messages)
        speakers.apply(lambda path, body: self.client.transport.call(
            "PUT", path, json=body, what="merging speakers"), record.conversation_id, match)
        return match.describe()


def _settle(store: Store, record: Record, assume: str) -> Record:
    for piece in record.pieces:
        if piece.state == "sending" and assume == "sent" and record.conversation_id is None:
            raise SymblMediaError(
                f"submission {record.key}: the conversation the first piece would have made is "
                f"unknown, so the rest cannot be appended to it; use --assume-lost (and delete "
                f"that conversation if it does exist), or submit again with --again")
        if piece.state == "sending":
            state = "completed" if assume == "sent" else "pending"
            return store.save(record.with_piece(replace(piece, state=state)))
    raise SymblMediaError(f"submission {record.key} has no piece of unknown fate to settle")


def _prepare_json(options: PrepareOptions) -> dict:
    data = {k: getattr(options, k) for k in options.__dataclass_fields__}
    if options.preprocess:
        data["preprocess"] = [[name, dict(params)] for name, params in options.preprocess]
    else:
        # Left out when empty, so submissions recorded before pre-processors existed keep
        # their keys (the key hashes these options) and carry on when run again.
        del data["preprocess"]
    return data


def _time_zero(request: Request, now: float) -> dict:
    """What a text submission's record keeps of its time zero: the moment it is first made for
    a transcript of offsets (so a resume, and a later ``insights``, use the very same), None
    for one without times or with dates of its own. Not part of the key."""
    from symbl_media.inputs.transcripts import TIME_ZERO, submission_time_zero

    if request.media != "text":
        return {}
    zero = submission_time_zero(now) if request.source.offsets else None
    return {TIME_ZERO: zero.strftime("%Y-%m-%dT%H:%M:%SZ") if zero else None}


def _source_json(source: Source) -> dict:
    return source.identity()


def _default_name(source: Source) -> str:
    from symbl_media.inputs.urls import is_url

    if source.kind == "url" or (source.url and is_url(source.url)):  # sent, or downloaded
        # Never the query (a signature) or a user:password, even when the path is empty.
        from symbl_media.redaction import redact

        shown = redact(source.url)
        return shown.rstrip("/").rsplit("/", 1)[-1] or shown
    return source.path.name


class _Ledger:
    """The record in memory and on disk, changed by two threads under one lock."""

    def __init__(self, store: Store, record: Record) -> None:
        self.store = store
        self.record = record
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)

    def update(self, change: Callable[[Record], Record]) -> Record:
        with self.lock:
            self.record = self.store.save(change(self.record))
            self.changed.notify_all()
            return self.record

    def piece(self, index: int, **fields) -> PieceRecord:
        def change(record: Record) -> Record:
            return record.with_piece(replace(record.pieces[index], **fields))

        return self.update(change).pieces[index]


class _Run:
    """One run of one submission."""

    def __init__(self, owner: Submitter, record: Record, request: Request) -> None:
        self.owner = owner
        self.client = owner.client
        self.ledger = _Ledger(owner.store, record)
        self.request = request
        self.work = owner.store.work(record.key)
        self.failure: BaseException | None = None
        self.stop = threading.Event()  # this run only; owner.cancel stops every run

    @property
    def record(self) -> Record:
        return self.ledger.record

    def emit(self, kind: str, data: dict) -> None:
        self.owner.on_event(kind, {**data, "submission": self.record.key})

    @property
    def kind(self) -> str:
        """What the service calls this submission's jobs: audio, video, text, audio_url, ..."""
        if self.record.media == "text":
            return "text"
        return f"{self.record.media}_url" if self.request.source.kind == "url" else \
            self.record.media

    def go(self) -> Record:
        record = self.record
        if record.media == "text" or self.request.source.kind == "url":
            self._single_payload()
        else:
            self._pieces()
        record = self.record
        delivered = [p.state == "completed" for p in record.pieces]
        if not self.request.wait and record.pieces and record.pieces[-1].state == "sent":
            delivered[-1] = True  # --no-wait: the last job runs on without us
        if not (record.prepared and record.pieces and all(delivered)):
            # Only a cancelled run gets here; the record stays resumable.
            raise Interrupted(f"stopped before every piece was delivered; `symbl-media "
                              f"resume {record.key}` carries on")
        stage = "collecting" if self.request.wait else "submitted"
        self.ledger.update(lambda r: replace(r, stage=stage, note=None))
        return self.record

    # ------------------------------------------------------------------ text and URLs

    def _single_payload(self) -> None:
        """Text and URL submissions are one request each: a one-piece record."""
        source = self.request.source
        body = self._text_body() if source.kind == "text" else {"url": source.url}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if self.stopping():
            raise Interrupted("stopped before sending")
        if not self.record.pieces:
            name = source.path.name if source.path else _redact(source.url)
            self.ledger.update(lambda r: r.with_piece(PieceRecord(
                0, name, "application/json", 0.0, 0.0, 0, digest)))
        self.ledger.update(lambda r: replace(r, prepared=True, stage="sending"))
        self._deliver(0)

    def _text_body(self) -> dict:
        """The Text API body: a transcript of offsets timed from the record's time zero."""
        from datetime import datetime

        from symbl_media.inputs.transcripts import TIME_ZERO, retimed

        payload = self.request.source.payload
        zero = self.record.extra.get(TIME_ZERO)
        if zero:
            return retimed(payload, datetime.fromisoformat(zero.replace("Z", "+00:00")))
        return payload

    # ------------------------------------------------------------------ recordings

    def _pieces(self) -> None:
        record = self.record
        missing = [p for p in record.pieces if p.state not in ("completed",)
                   and not (self.work / p.file).is_file()]
        if record.prepared and not missing:
            self.ledger.update(lambda r: replace(r, stage="sending"))
            self._send_all_in_thread(produce=None)
            return
        self._send_all_in_thread(produce=self._produce)

    def _produce(self) -> None:
        """Cut the recording into the work folder, handing each piece over as it is written."""
        request = self.request
        plan = pipeline.inspect(request.source.path, request.prepare,
                                language=request.api.language, speakers=request.api.channels,
                                preprocessors=plugins.preprocessors())
        prepare = _pin_stream(request.prepare, plan)
        if plan.stream.warning:
            self.emit(EventKind.NOTICE, {"text": f"warning: {plan.stream.warning}"})
        derived = api_parameters(plan)
        self.emit(EventKind.PLAN, {"plan": plan, "key": self.record.key})

        def options(record: Record) -> Record:
            merged = {**derived, **record.options}  # the user's choices win over the plan's
            # The resolved options (the stream --language picked) are what a resume re-cuts.
            return replace(record, options=merged,
                           extra={**record.extra, "prepare": _prepare_json(prepare),
                                  "sample_rate": plan.target.sample_rate})

        self.ledger.update(options)
        # Cut into a staging folder: a piece an earlier run recorded (and the sender may be
        # reading) is replaced only while it is still pending, under the ledger's lock.
        staging = self.work / ".cutting"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            for made in pipeline.produce(plan, staging, self._on_prepare_progress):
                if self.stopping():
                    return
                self.ledger.update(lambda r: _record_piece(r, made, staging, self.work))
                self.emit(EventKind.PIECE, {"piece": made})
            self.ledger.update(lambda r: replace(r, prepared=True, stage="sending"))
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _on_prepare_progress(self, stage: str, done: float, total: float | None) -> None:
        self.emit(EventKind.PROGRESS, {"stage": stage, "done": done, "total": total})

    def stopping(self) -> bool:
        return self.owner.cancel.is_set() or self.stop.is_set()

    def _send_all_in_thread(self, produce) -> None:
        """Send pieces in a thread while this one prepares them; re-raise its failure here."""
        sender = threading.Thread(target=self._sender, name="symbl-media-sender", daemon=True)
        self.ledger.update(lambda r: replace(r, stage="sending" if r.prepared else "preparing"))
        sender.start()
        try:
            if produce is not None:
                produce()
            while sender.is_alive():
                sender.join(0.2)  # short joins keep Ctrl-C responsive
                if self.owner.cancel.is_set():
                    raise Interrupted(f"cancelled; `symbl-media resume {self.record.key}` "
                                      f"carries on")
        except BaseException:
            self.stop.set()
            with self.ledger.lock:
                self.ledger.changed.notify_all()
            raise
        finally:
            with self.ledger.lock:
                self.ledger.changed.notify_all()
        if self.failure is not None:
            raise self.failure

    def _sender(self) -> None:
        try:
            index = 0
            while True:
                with self.ledger.lock:
                    while (index >= len(self.ledger.record.pieces)
                           and not self.ledger.record.prepared
                           and not self.stopping()):
                        self.ledger.changed.wait(0.5)
                    record = self.ledger.record
                if self.stopping():
                    raise Interrupted("stopped")
                if index >= len(record.pieces):
                    if record.prepared:
                        return
                    continue
                self._deliver(index)
                index += 1
        except BaseException as exc:  # handed to the preparing thread, which re-raises it
            self.failure = exc
            self.stop.set()  # and the cutting stops at the next piece
            with self.ledger.lock:
                self.ledger.changed.notify_all()

    # ------------------------------------------------------------------ one piece

    def _deliver(self, index: int) -> None:
        """Bring piece ``index`` to ``completed``: send it once, or find it arrived, then wait."""
        sends = 0
        while True:
            piece = self.record.pieces[index]
            if piece.state == "completed":
                return
            if piece.state == "sending":  # left so by an earlier run: it may still arrive
                piece = self._reconcile(index, settle=SETTLE_SECONDS)
            if piece.state in ("pending", "failed"):
                if sends >= MAX_SENDS:
                    raise Unreachable(f"piece {index + 1} ({piece.file}) did not reach the "
                                      f"service after {sends} tries; run the same command "
                                      f"again later to carry on")
                sends += 1
                piece = self._send(index)
            if piece.state == "sent":
                self._wait(index)
                return

    def _send(self, index: int) -> PieceRecord:
        record = self.record
        # Piece 0 of a new submission is POSTed; everything else (and `append`) is a PUT.
        cid = record.conversation_id
        before = None
        if cid is None:
            before = ()  # a new conversation: everything in it will be ours
        elif self.client.tells_receipts():
            found = self.client.receipts(cid)
            before = tuple(str(r.get("jobId")) for r in found) if found is not None else None
        piece = self.ledger.piece(index, state="sending", attempts=record.pieces[index].attempts
                                  + 1, sent_at=time.time(), before=before)
        self.emit(EventKind.UPLOAD, {"index": index, "piece": piece, "conversation_id": cid,
                                     "sent": 0, "total": piece.bytes})
        try:
            submission = self._post(index, piece, cid)
        except Unreachable as exc:
            if not exc.maybe_sent:
                return self.ledger.piece(index, state="pending")
            return self._reconcile(index)  # look before sending again
        except ApiError as exc:
            # A refusal (4xx) means nothing was created: the piece waits to be sent again
            # (by the same command: a permanent refusal is recorded as rejected).
            self.ledger.piece(index, state="pending")
            raise _refusal(exc, self.record, _what(self.record, index, piece)) from None
        except SymblMediaError:
            self.ledger.piece(index, state="pending")
            raise
        return self._accepted(index, submission)

    def _post(self, index: int, piece: PieceRecord, cid: str | None) -> Submission:
        record = self.record
        source = self.request.source
        if record.media == "text":
            return self.client.submit_text({**self._text_body(), **record.options},
                                           conversation_id=cid)
        if source.kind == "url":
            return self.client.submit_url(source.url, media=record.media,
                                          options=record.options, conversation_id=cid)

        def progress(sent: int, total: int) -> None:
            self.emit(EventKind.UPLOAD, {"index": index, "piece": piece, "sent": sent,
                                         "total": total})

        return self.client.submit_file(self.work / piece.file, media=record.media,
                                       options=record.options, content_type=piece.content_type,
                                       conversation_id=cid, on_bytes=progress)

    def _accepted(self, index: int, submission: Submission) -> PieceRecord:
        if self.record.conversation_id is None:
            self.ledger.update(lambda r: replace(r, conversation_id=submission.conversation_id))
        piece = self.ledger.piece(index, state="sent", job_id=submission.job_id)
        self.emit(EventKind.SENT, {"index": index, "piece": piece,
                           "conversation_id": submission.conversation_id,
                           "job_id": submission.job_id})
        return piece

    def _reconcile(self, index: int, settle: float = 0.0) -> PieceRecord:
        """A piece's body may have arrived: ask the service what it received, for up to
        ``settle`` seconds more while it shows nothing (a cancelled run stops looking and
        leaves the piece's fate unknown, as it found it)."""
        deadline = time.monotonic() + settle
        told = False
        while (found := self._arrived(index)) is None and time.monotonic() < deadline:
            if self.stopping():
                raise Interrupted("stopped while looking for a piece that may have arrived")
            if not told:
                told = True
                self.emit(EventKind.NOTICE, {"text": f"piece {index + 1} may still be arriving "
                                             f"from the run that stopped; looking again for "
                                             f"up to {settle:g} s before sending it"})
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        if found is None:
            self.emit(EventKind.RECONCILED, {"index": index, "arrived": False})
            return self.ledger.piece(index, state="pending")
        self.emit(EventKind.RECONCILED, {"index": index, "arrived": True, "job_id": found.job_id})
        return self._accepted(index, found)

    def _arrived(self, index: int) -> Submission | None:
        """The job piece ``index`` became, if the service received it; raises DeliveryUnknown
        when the service cannot say."""
        record = self.record
        piece = record.pieces[index]
        claimed = {p.job_id for p in record.pieces if p.job_id}
        cid = record.conversation_id
        if cid is None:
            cid = self._find_conversation(piece)
            if cid is False:
                self._unknown(index, piece)
            if cid is None:
                return None
        receipts = self.client.receipts(cid)
        if receipts is None or piece.before is None:
            self._unknown(index, piece)
        # Only what arrived after this piece was sent, and not a job this record already has;
        # a failed job's body is as good as lost (resending it is what resume would do).
        for receipt in receipts:
            if (receipt.get("jobId") not in claimed and receipt.get("jobId") not in piece.before
                    and receipt.get("status") != "failed"
                    and _same_body(receipt, piece, self.kind)):
                return Submission(cid, receipt["jobId"])
        return None

    def _find_conversation(self, piece: PieceRecord):
        """The conversation a lost first piece created, if any: None (none), False (cannot
        tell), or its id. Matched by name, then by the received body's hash."""
        if not self.client.tells_receipts():
            return False  # a missing name in a (lagging, paged) list proves nothing
        claimed = {r.conversation_id for r in self.owner.store.all() if r.conversation_id}
        candidates = [c for c in self.client.conversations()
                      if c.get("name") == self.record.name and c.get("id") not in claimed]
        for conversation in candidates:
            receipts = self.client.receipts(str(conversation["id"]))
            if receipts is None:
                return False
            if receipts and receipts[0].get("status") != "failed" \
                    and _same_body(receipts[0], piece, self.kind):
                return str(conversation["id"])
        return None

    def _unknown(self, index: int, piece: PieceRecord) -> PieceRecord:
        total = len(self.record.pieces)
        raise DeliveryUnknown(
            f"piece {index + 1} of {total} ({piece.file}) may have reached the service before "
            f"the connection dropped, and the service cannot say whether it did; check the "
            f"conversation, then `symbl-media resume {self.record.key} --assume-sent` (it "
            f"arrived) or `--assume-lost` (send it again)")

    def _wait(self, index: int) -> None:
        piece = self.record.pieces[index]
        if not self.request.wait and index == len(self.record.pieces) - 1 \
                and self.record.prepared:
            return  # --no-wait: the last job runs on without us

        def status(value: str) -> None:
            self.emit(EventKind.JOB, {"index": index, "job_id": piece.job_id, "status": value})

        final = self.client.wait(piece.job_id, on_status=status, poll=self.owner.poll,
                                 stop=self.stopping)
        if final == "completed":
            self.ledger.piece(index, state="completed")
            return
        self.ledger.piece(index, state="failed")
        self.ledger.update(lambda r: replace(r, note=f"job {piece.job_id} failed"))
        raise JobFailed(f"piece {index + 1} of {len(self.record.pieces)} ({piece.file}): the "
                        f"service ended job {piece.job_id} as failed; `symbl-media resume "
                        f"{self.record.key}` sends that piece again")


def _what(record: Record, index: int, piece: PieceRecord) -> str:
    """How an error names the piece: the submission's name, and the piece when there are
    several."""
    if len(record.pieces) > 1 or not record.prepared:
        return f"{record.name}: piece {index + 1} ({piece.file})"
    return record.name


def _same_body(receipt: dict, piece: PieceRecord, kind: str) -> bool:
    """Is this receipt our piece? Files are matched by hash; a text or URL submission has no
    body hash we can know, so it is matched by kind (one submission is in flight at a time)."""
    if receipt.get("kind") not in (None, kind):
        return False
    if kind in ("audio", "video"):
        return receipt.get("sha256") == piece.sha256 and (
            receipt.get("bytes") in (None, piece.bytes))
    return True


def _record_piece(record: Record, made, staging: Path, work: Path) -> Record:
    """Add a freshly cut piece, or check it against the one an earlier run recorded.

    Called under the ledger's lock, so the file and its record change together: a pending
    piece takes the new file; one already sent (or being sent) keeps the file and hash that
    went out, and the new cut must agree with it.
    """
    index = int(made.file.rsplit("-", 1)[-1].split(".")[0]) - 1
    fresh = PieceRecord(index, made.file, made.content_type, made.offset, made.duration,
                        made.bytes, made.sha256)
    if index < len(record.pieces) and record.pieces[index].state != "pending":
        earlier = record.pieces[index]
        if abs(earlier.offset - fresh.offset) > 0.05 or abs(earlier.duration -
                                                             fresh.duration) > 0.05:
            raise SymblMediaError(
                f"{made.file} came out different from the piece an earlier run sent "
                f"({earlier.offset:.2f}+{earlier.duration:.2f} s, now {fresh.offset:.2f}+"
                f"{fresh.duration:.2f} s); submit with --again to start a new conversation")
        if (work / made.file).is_file():
            (staging / made.file).unlink()
            return record
        # Its file is gone (a failed piece to resend): the new cut stands in for it.
        fresh = replace(earlier, file=made.file, bytes=made.bytes, sha256=made.sha256) \
            if earlier.state == "failed" else earlier
    os.replace(staging / made.file, work / made.file)
    return record.with_piece(fresh)


def _pin_stream(options: PrepareOptions, plan) -> PrepareOptions:
    """The options with the audio stream the plan chose (by the language, or the default
    one's tag): what a resume, which has no language to go by, re-cuts."""
    if options.audio_stream is not None or options.language or len(plan.info.audio) < 2:
        return options
    return replace(options, audio_stream=plan.stream.stream.audio_index)


def _redact(url: str) -> str:
    from symbl_media.redaction import redact

    return redact(url)
