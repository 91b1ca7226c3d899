"""Shared setup of the journal's unit tests (``tests/unit/journal/``): a predictable clock, a
three-PO sheet, and shortcuts to start a batch, save a file and read the file's tables directly."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, hash_input, po_key

T0 = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


class Clock:
    """A journal clock that moves one second per reading, so every stamp is distinct and predictable."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


POS = [PoNumber("100001"), PoNumber("100002", "PM"), PoNumber("100003")]


def start(journal: Journal, sheet: Path, pos: list[PoNumber] | None = None) -> BatchId:
    return journal.start_batch(sheet, hash_input(sheet), {"workers": 2, "root": "/d"}, pos or POS)


def save(journal: Journal, batch: BatchId, po: str, folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_bytes(data)
    journal.file_saved(
        batch, po, name, target, len(data), hashlib.sha256(data).hexdigest(), "PO", f"https://x/{name}"
    )
    return target


def raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def finish_all(journal: Journal, batch: BatchId) -> None:
    for state in journal.po_states(batch):
        journal.po_started(batch, state.po, 1, 1)
        journal.po_finished(batch, state.po, PoOutcome(PoStatus.NO_ATTACHMENTS))
    journal.finish_batch(batch, stopped=False)


def write_sheet(folder: Path) -> Path:
    source = folder / "pos.csv"
    source.write_text("PO_NUMBER\nPO100001\nPO100002\nPO100003\n", encoding="utf-8")
    return source


@dataclass(frozen=True)
class Attempt:
    attempt: int
    worker: int
    ended_at: str | None
    outcome: str
    message: str


def attempt_rows(path: Path, batch: BatchId, po: PoNumber | str) -> list[Attempt]:
    """The PO's rows of the ``attempts`` table, oldest first: the audit of retries and requeues the
    journal writes. Nothing in the app reads it back, so the tests read the table itself."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT attempt, worker, ended_at, outcome, message FROM attempts "
            "WHERE batch_id = ? AND po = ? ORDER BY id",
            (batch, po_key(po)),
        ).fetchall()
    finally:
        con.close()
    return [Attempt(*row) for row in rows]
