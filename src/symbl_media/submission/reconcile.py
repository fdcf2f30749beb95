"""Did a piece arrive? When a body went out and its reply never came back, the service is
asked what it received (its receipts: the job, the body's kind and hash) before anything is
sent again; when it cannot say, the run stops with ``DeliveryUnknown`` rather than guess."""

from __future__ import annotations

from typing import NoReturn

from symbl_media.client.calls import Submission, SymblClient
from symbl_media.errors import DeliveryUnknown
from symbl_media.submission.records import PieceRecord, Record, Store


def arrived(client: SymblClient, store: Store, record: Record, index: int, kind: str
            ) -> Submission | None:
    """The job piece ``index`` became, if the service received it; raises DeliveryUnknown
    when the service cannot say."""
    piece = record.pieces[index]
    claimed = {p.job_id for p in record.pieces if p.job_id}
    cid = record.conversation_id
    if cid is None:
        cid = find_conversation(client, store, record, piece, kind)
        if cid is False:
            unknown(record, index, piece)
        if cid is None:
            return None
    receipts = client.receipts(cid)
    if receipts is None or piece.before is None:
        unknown(record, index, piece)
    # Only what arrived after this piece was sent, and not a job this record already has;
    # a failed job's body is as good as lost (resending it is what resume would do).
    for receipt in receipts:
        if (receipt.get("jobId") not in claimed and receipt.get("jobId") not in piece.before
                and receipt.get("status") != "failed"
                and same_body(receipt, piece, kind)):
            return Submission(cid, receipt["jobId"])
    return None


def find_conversation(client: SymblClient, store: Store, record: Record, piece: PieceRecord,
                      kind: str):
    """The conversation a lost first piece created, if any: None (none), False (cannot
    tell), or its id. Matched by name, then by the received body's hash."""
    if not client.tells_receipts():
        return False  # a missing name in a (lagging, paged) list proves nothing
    claimed = {r.conversation_id for r in store.all() if r.conversation_id}
    # Also not one that was there before the piece went out: an earlier submission of the
    # same recording under the same name (another store, or one --again left) has the very
    # same first body, and taking it for ours would leave the rest unsent.
    claimed |= set(piece.named or ())
    candidates = [c for c in client.conversations()
                  if c.get("name") == record.name and str(c.get("id")) not in claimed]
    for conversation in candidates:
        receipts = client.receipts(str(conversation["id"]))
        if receipts is None:
            return False
        if receipts and receipts[0].get("status") != "failed" \
                and same_body(receipts[0], piece, kind):
            return str(conversation["id"])
    return None


def unknown(record: Record, index: int, piece: PieceRecord) -> NoReturn:
    total = len(record.pieces)
    raise DeliveryUnknown(
        f"piece {index + 1} of {total} ({piece.file}) may have reached the service before "
        f"the connection dropped, and the service cannot say whether it did; check the "
        f"conversation, then `symbl-media resume {record.key} --assume-sent` (it "
        f"arrived) or `--assume-lost` (send it again)")


def same_body(receipt: dict, piece: PieceRecord, kind: str) -> bool:
    """Is this receipt our piece? Files are matched by hash; a text or URL submission has no
    body hash we can know, so it is matched by kind (one submission is in flight at a time)."""
    if receipt.get("kind") not in (None, kind):
        return False
    if kind in ("audio", "video"):
        return receipt.get("sha256") == piece.sha256 and (
            receipt.get("bytes") in (None, piece.bytes))
    return True
