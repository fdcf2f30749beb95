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

This module answers "which submission is this, and where does it stand?": the key, the
record's lock, submit / resume / finish. One run's delivery is ``delivery.py`` (cutting in
``producing.py``, a lost reply in ``reconcile.py``); the values a caller builds are in
``request.py``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import replace

from symbl_media.client.calls import SymblClient
from symbl_media.errors import Rejected, SymblMediaError
from symbl_media.insights.collect import Insights, collect
from symbl_media.submission.delivery import Run
from symbl_media.submission.events import EventKind
from symbl_media.submission.records import Record, Store, submission_key
from symbl_media.submission.refusals import PERMANENT_INPUT_ERRORS
from symbl_media.submission.request import Events, Outcome, Request, Source, prepare_json


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
                   "prepare": prepare_json(request.prepare),
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
                                       "prepare": prepare_json(request.prepare),
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
            return Run(self, record, request).go()
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
                self.on_event(EventKind.INSIGHTS, {"insights": insights, "submission": record.key})
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
    from symbl_media.inputs.urls import conversation_name, is_url

    if source.kind == "url" or (source.url and is_url(source.url)):  # sent, or downloaded
        # Never the query (a signature) or a user:password, even when the path is empty.
        return conversation_name(source.url)
    return source.path.name
