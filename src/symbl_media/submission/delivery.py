"""How does one run deliver a submission? Piece by piece, each exactly once: cut (in this
thread) while a second thread sends each piece as soon as it exists, asks the service what
arrived when a reply was lost, and waits for each job before the next piece is appended.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import replace

from symbl_media.client.calls import Submission
from symbl_media.errors import ApiError, Interrupted, JobFailed, SymblMediaError, Unreachable
from symbl_media.redaction import redact
from symbl_media.submission import producing, reconcile
from symbl_media.submission.events import EventKind
from symbl_media.submission.ledger import Ledger
from symbl_media.submission.records import PieceRecord, Record
from symbl_media.submission.refusals import refusal
from symbl_media.submission.request import Request

MAX_SENDS = 3  # per piece and run, when the service says a body never arrived
# How long to keep looking for a piece an earlier run left "sending" before sending it again.
# That run's body may be whole in the network (socket buffers, a proxy that buffers bodies, a
# busy server) and acted on seconds after the run died: looking once, at once, would miss it
# and send the piece twice.
SETTLE_SECONDS = 5.0


class Run:
    """One run of one submission."""

    def __init__(self, owner, record: Record, request: Request) -> None:
        # owner: the Submitter, for its client, store, on_event, poll and cancel (not imported:
        # the submitter imports this module)
        self.owner = owner
        self.client = owner.client
        self.ledger = Ledger(owner.store, record)
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
        try:
            return self._go()
        finally:
            self.ledger.close()  # see ledger.py: a thread left behind must not write

    def _go(self) -> Record:
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
            name = source.path.name if source.path else redact(source.url)
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
            return retimed(payload, datetime.fromisoformat(zero))
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
        self._send_all_in_thread(produce=lambda: producing.cut(
            self.request, self.ledger, self.work, self.emit, self.stopping))

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
        before = named = None
        if cid is None:
            before = ()  # a new conversation: everything in it will be ours
            if self.client.tells_receipts():
                # What is already under this name cannot be what this piece creates.
                named = tuple(str(c.get("id")) for c in self.client.conversations()
                              if c.get("name") == record.name)
        elif self.client.tells_receipts():
            found = self.client.receipts(cid)
            before = tuple(str(r.get("jobId")) for r in found) if found is not None else None
        piece = self.ledger.piece(index, state="sending", attempts=record.pieces[index].attempts
                                  + 1, sent_at=time.time(), before=before, named=named)
        self.emit(EventKind.UPLOAD, {"index": index, "piece": piece, "conversation_id": cid,
                             "sent": 0, "total": piece.bytes})
        if self.stopping():
            # The run stopped (its cutting failed, or Ctrl-C) while this piece was being
            # marked: no upload starts that this run could no longer record. The piece stays
            # "sending", so the next run asks the service before sending it.
            raise Interrupted("stopped before sending")
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
            raise refusal(exc, self.record, _what(self.record, index, piece)) from None
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
            self.emit(EventKind.UPLOAD, {"index": index, "piece": piece, "sent": sent, "total": total})

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
                self.emit(EventKind.NOTICE, {"text": f"piece {index + 1} may still be arriving from "
                                             f"the run that stopped; looking again for up to "
                                             f"{settle:g} s before sending it"})
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        if found is None:
            self.emit(EventKind.RECONCILED, {"index": index, "arrived": False})
            return self.ledger.piece(index, state="pending")
        self.emit(EventKind.RECONCILED, {"index": index, "arrived": True, "job_id": found.job_id})
        return self._accepted(index, found)

    def _arrived(self, index: int) -> Submission | None:
        return reconcile.arrived(self.client, self.owner.store, self.record, index, self.kind)

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
