"""Where is the record while a run changes it? In memory and on disk at once, behind one lock
that the preparing and the sending thread share (its condition wakes the sender when a piece
is cut)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from symbl_media.submission.records import PieceRecord, Record, Store


class Ledger:
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
