"""The batch journal: what every batch did, written as it happens, so nothing is lost or saved twice.

The journal is one SQLite file (:mod:`.journal_schema` says why SQLite in WAL mode and what a row means).
:class:`Journal` owns its connections and writes it; what it answers (history, a batch's POs and files,
the manifest) is :mod:`.journal_queries`, inherited by :class:`Journal` so callers ask one object.

*What a crash can lose.* Every method is one transaction committed before it returns, and the caller
calls it as each event happens. A crash therefore loses at most what happened after the last call: the
PO in flight keeps the files already recorded (and its work folder), and is found ``PROCESSING``;
:meth:`Journal.reopen_batch` puts it back to ``PENDING`` for the resumed run.

Statuses are :class:`PoStatus` values; POs are keyed by their digits (:func:`.journal_records.po_key`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output import journal_schema
from po_downloader.engine.output.journal_queries import JournalQueries
from po_downloader.engine.output.journal_records import (
    BatchId,
    BatchRecord,
    JournalError,
    facts_text,
    po_key,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Journal(JournalQueries):
    """The journal file: typed methods, each one committed transaction. Safe to share between threads.

    Each thread gets its own connection (WAL: readers never block the writer nor see half a write);
    writers take SQLite's write lock with ``BEGIN IMMEDIATE`` and wait up to
    :data:`.journal_schema.BUSY_TIMEOUT_S`.
    """

    def __init__(self, path: Path, *, now: Clock = _utcnow) -> None:
        """Use :meth:`open`."""
        self.path = Path(path)
        self._now = now
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, path: Path, *, now: Clock = _utcnow) -> Journal:
        """Open (creating or migrating) the journal at ``path``; :class:`JournalError` if it cannot be used."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        journal = cls(path, now=now)
        try:
            journal_schema.migrate(journal._con(), journal_schema.MIGRATIONS)
        except sqlite3.DatabaseError as exc:
            journal.close()
            raise JournalError(f"cannot use the journal {path}: {exc}") from exc
        except BaseException:
            journal.close()
            raise
        return journal

    def close(self) -> None:
        """Close every thread's connection; call it once no other thread uses the journal."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for con in connections:
            con.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ------------------------------------------------------------------------------------

    def _con(self) -> sqlite3.Connection:
        if self._closed:
            raise JournalError("the journal is closed")
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            with self._lock:
                if self._closed:
                    raise JournalError("the journal is closed")
                con = journal_schema.connect(self.path)
                self._connections.append(con)
            self._local.con = con
        return con

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction. A failure anywhere, COMMIT included (a full disk), rolls it back whole, so the
        thread's connection is never left inside a transaction that would refuse every later write."""
        con = self._con()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One snapshot for every query inside, so a reader never mixes two states of a batch."""
        con = self._con()
        con.execute("BEGIN")
        try:
            yield con
        finally:
            con.execute("COMMIT")

    def _stamp(self) -> str:
        return self._now().isoformat()

    # --- batches -------------------------------------------------------------------------------------

    def start_batch(
        self,
        input_path: Path | str,
        input_sha256: str,
        options: Mapping[str, object],
        pos: Sequence[PoNumber | str],
    ) -> BatchId:
        """Record a new batch and its POs (all ``PENDING``, in input order; duplicates kept once)."""
        resolved = str(Path(input_path).resolve())
        options_json = json.dumps(dict(options), sort_keys=True, default=str)
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO batches (input_path, input_sha256, options, started_at) VALUES (?, ?, ?, ?)",
                (resolved, input_sha256, options_json, self._stamp()),
            )
            batch = BatchId(int(cur.lastrowid or 0))
            con.executemany(
                "INSERT OR IGNORE INTO pos (batch_id, po, display, position, status) VALUES (?, ?, ?, ?, ?)",
                (
                    (batch, po_key(po), po.display if isinstance(po, PoNumber) else str(po), i, "PENDING")
                    for i, po in enumerate(pos)
                ),
            )
        log.info("journal: batch %d for %s (%d POs)", batch, resolved, len(pos))
        return batch

    def reopen_batch(
        self,
        batch: BatchId,
        pos: Sequence[PoNumber | str] = (),
        redo: Sequence[PoNumber | str] = (),
    ) -> BatchRecord:
        """Carry on ``batch`` (a resume, or a retry of some of its POs): running again, and POs a crash or
        a stop cut off back to ``PENDING``.

        ``pos``: the sheet's whole plan now, in input order. A PO of it the batch does not hold joins as
        ``PENDING`` (a batch an older version started for a retry's few POs, or a run that skipped the
        sheet's completed rows, then resumed with ``--all``): every PO the run may work is in the batch,
        so recording it never fails, and the batch stays the one record of the sheet.
        ``redo``: POs worked again now (Retry failed / Retry rows): ``PENDING`` until their new outcome,
        so a retry cut short is offered for resume with exactly what it had left to do.
        """
        with self._write() as con:
            self._require_batch(con, batch)
            con.execute("UPDATE batches SET ended_at = NULL, stopped = 0 WHERE id = ?", (batch,))
            self._cut_off(con, batch, "interrupted")
            if pos:
                self._join(con, batch, pos)
            con.executemany(
                "UPDATE pos SET status = 'PENDING', message = 'to be retried' WHERE batch_id = ? AND po = ?",
                ((batch, po_key(po)) for po in redo),
            )
            record = self._records(con, [batch])[0]
        log.info("journal: batch %d reopened (%d POs still to do)", batch, record.open_pos)
        return record

    @staticmethod
    def _join(con: sqlite3.Connection, batch: BatchId, pos: Sequence[PoNumber | str]) -> None:
        """Make ``pos`` the batch's POs in this order, adding the missing ones as ``PENDING``; POs the
        batch has beyond them keep their record, after them."""
        offset = len(pos)
        con.execute("UPDATE pos SET position = position + ? WHERE batch_id = ?", (offset, batch))
        con.executemany(
            "INSERT INTO pos (batch_id, po, display, position, status) VALUES (?, ?, ?, ?, 'PENDING') "
            "ON CONFLICT (batch_id, po) DO UPDATE SET position = excluded.position",
            (
                (batch, po_key(po), po.display if isinstance(po, PoNumber) else str(po), i)
                for i, po in enumerate(pos)
            ),
        )

    def finish_batch(self, batch: BatchId, stopped: bool) -> None:
        """The batch ended (``stopped``: by the user); a PO still in flight was cut off, so it is pending."""
        with self._write() as con:
            self._require_batch(con, batch)
            con.execute(
                "UPDATE batches SET ended_at = ?, stopped = ? WHERE id = ?",
                (self._stamp(), int(stopped), batch),
            )
            self._cut_off(con, batch, "stopped" if stopped else "batch ended")

    def discard_batch(self, batch: BatchId) -> None:
        """Forget a batch that never ran (refused before any worker started): nothing to resume or list."""
        with self._write() as con:
            self._require_batch(con, batch)
            con.execute("DELETE FROM batches WHERE id = ?", (batch,))

    def _cut_off(self, con: sqlite3.Connection, batch: BatchId, why: str) -> None:
        con.execute(
            "UPDATE attempts SET ended_at = ?, outcome = ? WHERE batch_id = ? AND ended_at IS NULL",
            (self._stamp(), why, batch),
        )
        con.execute(
            "UPDATE pos SET status = 'PENDING', message = ? WHERE batch_id = ? AND status = 'PROCESSING'",
            (why, batch),
        )

    def clear_history(self, keep_unfinished: bool = True, keep_last: int = 0) -> int:
        """Delete past batches with their POs and files (never the files on disk); returns how many.

        ``keep_unfinished`` keeps what resume may still need; ``keep_last`` keeps the newest N anyway.
        """
        with self._write() as con:
            ids = [int(r[0]) for r in con.execute("SELECT id FROM batches ORDER BY id DESC")]
            doomed = ids[max(0, keep_last) :]
            if keep_unfinished:
                doomed = [r.id for r in self._records(con, doomed) if not r.unfinished]
            con.executemany("DELETE FROM batches WHERE id = ?", ((i,) for i in doomed))
        log.info("journal: cleared %d batch(es)", len(doomed))
        return len(doomed)

    # --- POs -----------------------------------------------------------------------------------------

    def po_started(self, batch: BatchId, po: PoNumber | str, attempt: int, worker: int) -> None:
        key = po_key(po)
        stamp = self._stamp()
        with self._write() as con:
            self._require_po(con, batch, key)
            con.execute(
                "UPDATE attempts SET ended_at = ?, outcome = 'superseded' "
                "WHERE batch_id = ? AND po = ? AND ended_at IS NULL",
                (stamp, batch, key),
            )
            con.execute(
                "INSERT INTO attempts (batch_id, po, attempt, worker, started_at) VALUES (?, ?, ?, ?, ?)",
                (batch, key, attempt, worker, stamp),
            )
            con.execute(
                "UPDATE pos SET status = 'PROCESSING', attempt = ?, worker = ?, started_at = ?, message = '' "
                "WHERE batch_id = ? AND po = ?",
                (attempt, worker, stamp, batch, key),
            )

    def file_saved(
        self,
        batch: BatchId,
        po: PoNumber | str,
        name: str,
        path: Path | str,
        size: int,
        sha256: str,
        source: str = "PO",
        url: str = "",
    ) -> None:
        """One file is on disk. Its folder becomes the PO's work folder; the same path is recorded once."""
        key = po_key(po)
        path = Path(path)
        with self._write() as con:
            _, attempt = self._require_po(con, batch, key)
            con.execute(
                "INSERT INTO files (batch_id, po, name, path, size, sha256, source, url, attempt, saved_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (batch_id, po, path) DO UPDATE SET name = excluded.name, size = excluded.size, "
                "sha256 = excluded.sha256, source = excluded.source, url = excluded.url, "
                "attempt = excluded.attempt, saved_at = excluded.saved_at",
                (batch, key, name, str(path), size, sha256, source, url, attempt, self._stamp()),
            )
            con.execute(
                "UPDATE pos SET work_folder = ? WHERE batch_id = ? AND po = ?",
                (str(path.parent), batch, key),
            )

    def po_finished(self, batch: BatchId, po: PoNumber | str, outcome: PoOutcome) -> None:
        """The attempt's outcome. With a ``folder``, the work folder was renamed to it: its files moved too.

        ``SIGN_IN_REQUIRED`` is recorded but leaves the PO open; ``PENDING``/``PROCESSING`` are no outcome.
        """
        status, folder = outcome.status, outcome.folder
        if status in (PoStatus.PENDING, PoStatus.PROCESSING):
            raise ValueError(f"{status.value} is not an outcome")
        key = po_key(po)
        stamp = self._stamp()
        with self._write() as con:
            work_folder, _ = self._require_po(con, batch, key)
            if folder and work_folder and Path(work_folder) != Path(folder):
                self._relocate(con, batch, key, Path(work_folder), Path(folder))
                work_folder = ""
            con.execute(
                "UPDATE pos SET status = ?, message = ?, supplier = ?, folder = ?, work_folder = ?, "
                "found = ?, downloaded = ?, url = ?, route = ?, facts = ?, finished_at = ? "
                "WHERE batch_id = ? AND po = ?",
                (status.value, outcome.message, outcome.supplier, folder, work_folder)
                + (outcome.found, outcome.downloaded, outcome.url, outcome.route, facts_text(outcome.facts))
                + (stamp, batch, key),
            )
            self._end_attempt(con, batch, key, status.value, outcome.message)

    def po_requeued(self, batch: BatchId, po: PoNumber | str, reason: str) -> None:
        """The attempt will be retried (worker died, retryable failure, sign-in): ``PENDING`` again."""
        key = po_key(po)
        with self._write() as con:
            self._require_po(con, batch, key)
            con.execute(
                "UPDATE pos SET status = 'PENDING', message = ? WHERE batch_id = ? AND po = ?",
                (reason, batch, key),
            )
            self._end_attempt(con, batch, key, "requeued", reason)

    def _end_attempt(self, con: sqlite3.Connection, batch: BatchId, po: str, outcome: str, msg: str) -> None:
        con.execute(
            "UPDATE attempts SET ended_at = ?, outcome = ?, message = ? "
            "WHERE batch_id = ? AND po = ? AND ended_at IS NULL",
            (self._stamp(), outcome, msg, batch, po),
        )

    @staticmethod
    def _relocate(con: sqlite3.Connection, batch: BatchId, po: str, old: Path, new: Path) -> None:
        rows = con.execute("SELECT id, path FROM files WHERE batch_id = ? AND po = ?", (batch, po)).fetchall()
        for file_id, path in rows:
            if Path(path).parent == old:
                target = str(new / Path(path).name)
                # A record already at the target is an earlier save of this PO's file that is gone (a PO
                # resume works again because its files were deleted): the file now moved there replaces it.
                con.execute(
                    "DELETE FROM files WHERE batch_id = ? AND po = ? AND path = ? AND id != ?",
                    (batch, po, target, file_id),
                )
                con.execute("UPDATE files SET path = ? WHERE id = ?", (target, file_id))
