"""Where is the record while a run changes it? In memory and on disk at once, behind one lock
that the preparing and the sending thread share (its condition wakes the sender when a piece
is cut).

The ledger is closed when its run ends. The run's sender thread is not joined when the cutting
fails or the run is cancelled (it may be in the middle of an upload, which cannot be cut
short), and the submission's file lock is released as the run returns: a later run (a
``resume`` in the same process, or another process) then owns the record on disk. A write from
the old thread's stale copy would overwrite that run's record (pieces it cut and sent
vanished from it), so once closed, a change is refused instead of written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from symbl_media.errors import Interrupted
from symbl_media.submission.records import PieceRecord, Record, Store


class Ledger:
    """The record in memory and on disk, changed by two threads under one lock."""

    def __init__(self, store: Store, record: Record) -> None:
        self.store = store
        self.record = record
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.closed = False

    def close(self) -> None:
        """The run is over: no thread of it writes the record again (a write under way
        finishes first, as it holds the lock)."""
        with self.lock:
            self.closed = True
            self.changed.notify_all()

    def update(self, change: Callable[[Record], Record]) -> Record:
        with self.lock:
            if self.closed:
                raise Interrupted(f"submission {self.record.key}: its run has ended; the "
                                  f"record is no longer this thread's to change")
            self.record = self.store.save(change(self.record))
            self.changed.notify_all()
            return self.record

    def piece(self, index: int, **fields) -> PieceRecord:
        def change(record: Record) -> Record:
            return record.with_piece(replace(record.pieces[index], **fields))

        return self.update(change).pieces[index]
