"""The batch journal: what every batch did, written as it happens, so nothing is lost or saved twice.

Design note
-----------
*Why SQLite in WAL mode.* The journal must survive the app being killed at any instant and still answer
"which POs are done, which files are on disk with which hash" for resume and for the results sheet. SQLite
gives atomic, durable transactions in one file in the data dir with nothing to install; WAL lets the window
read the history from its own thread (its own connection) while the controller writes, without either
waiting on the other.

*Why ``synchronous=NORMAL`` is enough.* In WAL mode a commit is written to the WAL before ``COMMIT``
returns; NORMAL only skips the fsync at each commit (it still fsyncs at checkpoints). So a killed or
crashed *process* loses nothing it committed; only an OS crash or power cut can roll back the last few
commits, and never corrupts the file. Resume then redoes those few POs, and files already on disk are
recognised by their hash, so the cost is a re-check, never a double save. FULL would fsync per file saved
for a guarantee the laptop's power button makes moot.

*What one row means.* ``batches``: one run of one input (its resolved path, content sha256 and options).
``pos``: one PO of that batch and its current state (status, latest attempt, outcome, folders).
``attempts``: one start of one PO on a worker and how that start ended (finished, requeued, cut off).
``files``: one file that is on disk: where it is now, its size, sha256, source and URL.

*What a crash can lose.* Every method is one transaction committed before it returns, and the caller
calls it as each event happens. A crash therefore loses at most what happened after the last call: the
PO in flight keeps the files already recorded (and its work folder), and is found ``PROCESSING``;
:meth:`Journal.reopen_batch` puts it back to ``PENDING`` for the resumed run.

POs are keyed by their digits (:attr:`PoNumber.digits`); methods accept a ``PoNumber`` or those digits.
Statuses are :class:`PoStatus` values.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NewType

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.manifest import ManifestRow, write_manifest
from po_downloader.engine.system.hashing import sha256_file

log = logging.getLogger(__name__)

BatchId = NewType("BatchId", int)
Clock = Callable[[], datetime]
Migration = Callable[[sqlite3.Connection], None]

#: How long a writer waits for another connection's transaction (the GUI reading, another instance).
BUSY_TIMEOUT_S = 10.0
#: Statuses that leave a PO for the batch to do again (see :attr:`PoStatus.is_final`).
OPEN_STATUSES = tuple(s.value for s in PoStatus if not s.is_final)


class JournalError(Exception):
    """The journal cannot be used as asked (unknown batch or PO, newer schema, not a database)."""


# --- what the journal returns ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchRecord:
    """One batch as the history view and resume see it."""

    id: BatchId
    input_path: str
    input_sha256: str
    options: Mapping[str, Any]
    started_at: datetime
    ended_at: datetime | None
    """``None`` while running, or when the process died before finishing it."""
    stopped: bool
    counts: Mapping[str, int]
    """POs per status value."""
    files: int
    bytes: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open_pos(self) -> int:
        """POs the batch has still to do (pending, in flight, waiting for sign-in)."""
        return sum(n for status, n in self.counts.items() if status in OPEN_STATUSES)

    @property
    def unfinished(self) -> bool:
        """Worth resuming: it never ended (a crash), or it ended with POs still to do (stop, sign-in)."""
        return self.ended_at is None or self.open_pos > 0


@dataclass(frozen=True, slots=True)
class PoState:
    """One PO of a batch: its latest state and outcome (the results sheet's row can be rebuilt from it)."""

    po: str
    display: str
    position: int
    status: PoStatus
    attempt: int
    """The attempt number of the latest start (0: never started)."""
    worker: int | None
    supplier: str
    message: str
    folder: str
    """The final folder (``<PO>_<STATUS>``) once the PO finished with one."""
    work_folder: str
    """The ``<PO>__WORK`` folder its files are in while it is unfinished (empty when none)."""
    found: int
    downloaded: int
    url: str
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def is_open(self) -> bool:
        return not self.status.is_final


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One file on disk, saved for a PO of a batch."""

    po: str
    name: str
    path: str
    """Where the file is now: moved along when its work folder became the final folder."""
    size: int
    sha256: str
    source: str
    url: str
    attempt: int
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One start of one PO on a worker and how it ended (``outcome`` empty while it runs)."""

    po: str
    attempt: int
    worker: int
    started_at: datetime
    ended_at: datetime | None
    outcome: str
    message: str


# --- hashing -------------------------------------------------------------------------------------------


def hash_input(path: Path | str) -> str:
    """The key resume matches an input on, with its path: its bytes, so an edited sheet is a new batch."""
    return sha256_file(path)


def verify_file(record: FileRecord) -> bool:
    """True when the recorded file is on disk with its recorded size and sha256 (resume keeps it)."""
    try:
        if os.stat(record.path).st_size != record.size:
            return False
        return sha256_file(record.path) == record.sha256
    except OSError:
        return False


# --- schema --------------------------------------------------------------------------------------------

_SCHEMA_V1 = (
    """CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        input_path TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        options TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        stopped INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX batches_by_input ON batches (input_path, input_sha256, id)",
    """CREATE TABLE pos (
        batch_id INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        po TEXT NOT NULL,
        display TEXT NOT NULL,
        position INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        worker INTEGER,
        supplier TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        folder TEXT NOT NULL DEFAULT '',
        work_folder TEXT NOT NULL DEFAULT '',
        found INTEGER NOT NULL DEFAULT 0,
        downloaded INTEGER NOT NULL DEFAULT 0,
        url TEXT NOT NULL DEFAULT '',
        started_at TEXT,
        finished_at TEXT,
        PRIMARY KEY (batch_id, po)
    ) WITHOUT ROWID""",
    """CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL,
        po TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        worker INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        FOREIGN KEY (batch_id, po) REFERENCES pos (batch_id, po) ON DELETE CASCADE
    )""",
    "CREATE INDEX attempts_by_po ON attempts (batch_id, po, id)",
    """CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL,
        po TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        attempt INTEGER NOT NULL,
        saved_at TEXT NOT NULL,
        UNIQUE (batch_id, po, path),
        FOREIGN KEY (batch_id, po) REFERENCES pos (batch_id, po) ON DELETE CASCADE
    )""",
)


def _create_v1(con: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V1:
        con.execute(statement)


#: ``MIGRATIONS[n]`` takes the schema from version ``n`` to ``n + 1``. A new version appends a step here
#: (never edits an old one); each open runs the missing steps in one transaction.
MIGRATIONS: tuple[Migration, ...] = (_create_v1,)


def schema_version(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def _migrate(con: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    """Bring the schema to ``len(migrations)``; IMMEDIATE so two instances opening at once migrate once."""
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        if con.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
            con.execute("INSERT INTO schema_version (version) VALUES (0)")
        version = schema_version(con)
        if version > len(migrations):
            raise JournalError(
                f"the journal was written by a newer po-downloader (schema {version}, this version "
                f"knows {len(migrations)}); update the app or clear the journal"
            )
        for step in range(version, len(migrations)):
            migrations[step](con)
            con.execute("UPDATE schema_version SET version = ?", (step + 1,))
            log.info("journal schema %d → %d", step, step + 1)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _wal_mode(con: sqlite3.Connection, *, clock: Callable[[], float] = time.monotonic) -> str:
    """Switch to WAL and return the mode now in force.

    While another process is creating the same new journal, SQLite answers "database is locked" at once
    here (the busy timeout is not applied to this switch): two instances started together (the same
    sheet twice, two CLIs on one root) would lose their journal. So the switch is retried, as long as the
    busy timeout the other statements get.
    """
    deadline = clock() + BUSY_TIMEOUT_S
    while True:
        try:
            return str(con.execute("PRAGMA journal_mode=WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or clock() > deadline:
                raise
            time.sleep(0.02)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly one method.
        # check_same_thread=False only so close() can close every thread's connection at the end.
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        mode = _wal_mode(con)
        if str(mode).lower() != "wal":
            con.close()
            raise JournalError(f"the journal {path} cannot use WAL mode (got {mode!r})")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as exc:
        raise JournalError(f"cannot open the journal {path}: {exc}") from exc
    return con


# --- the journal ---------------------------------------------------------------------------------------


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _key(po: PoNumber | str) -> str:
    return po.digits if isinstance(po, PoNumber) else str(po)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Journal:
    """The journal file: typed methods, each one committed transaction. Safe to share between threads.

    Each thread gets its own connection (WAL: readers never block the writer nor see half a write);
    writers take SQLite's write lock with ``BEGIN IMMEDIATE`` and wait up to :data:`BUSY_TIMEOUT_S`.
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
            _migrate(journal._con(), MIGRATIONS)
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
                con = _connect(self.path)
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

    @staticmethod
    def _require_batch(con: sqlite3.Connection, batch: BatchId) -> None:
        if con.execute("SELECT 1 FROM batches WHERE id = ?", (batch,)).fetchone() is None:
            raise JournalError(f"no batch {batch} in the journal")

    @staticmethod
    def _require_po(con: sqlite3.Connection, batch: BatchId, po: str) -> tuple[str, int]:
        """The PO's work folder and latest attempt; :class:`JournalError` if it is not in the batch."""
        row = con.execute(
            "SELECT work_folder, attempt FROM pos WHERE batch_id = ? AND po = ?", (batch, po)
        ).fetchone()
        if row is None:
            raise JournalError(f"PO {po} is not in batch {batch}")
        return str(row[0]), int(row[1])

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
                    (batch, _key(po), po.display if isinstance(po, PoNumber) else str(po), i, "PENDING")
                    for i, po in enumerate(pos)
                ),
            )
        log.info("journal: batch %d for %s (%d POs)", batch, resolved, len(pos))
        return batch

    def find_unfinished(self, input_path: Path | str, input_sha256: str) -> BatchRecord | None:
        """The latest batch of this input (same path, same bytes) if it is unfinished, else ``None``.

        Only the latest counts: a finished fresh run supersedes an older interrupted one.
        """
        resolved = str(Path(input_path).resolve())
        with self._read() as con:
            row = con.execute(
                "SELECT id FROM batches WHERE input_path = ? AND input_sha256 = ? ORDER BY id DESC LIMIT 1",
                (resolved, input_sha256),
            ).fetchone()
            if row is None:
                return None
            record = self._records(con, [int(row[0])])[0]
        return record if record.unfinished else None

    def latest_for_input(self, input_path: Path | str) -> BatchRecord | None:
        """The latest batch of this input path, whatever its bytes were (to say why one did not resume)."""
        resolved = str(Path(input_path).resolve())
        with self._read() as con:
            row = con.execute(
                "SELECT id FROM batches WHERE input_path = ? ORDER BY id DESC LIMIT 1", (resolved,)
            ).fetchone()
            return None if row is None else self._records(con, [int(row[0])])[0]

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
                ((batch, _key(po)) for po in redo),
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
                (batch, _key(po), po.display if isinstance(po, PoNumber) else str(po), i)
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

    def history(self, limit: int = 20) -> list[BatchRecord]:
        """The latest ``limit`` batches, newest first."""
        with self._read() as con:
            ids = [
                int(r[0])
                for r in con.execute("SELECT id FROM batches ORDER BY id DESC LIMIT ?", (max(0, limit),))
            ]
            return self._records(con, ids)

    def batch(self, batch: BatchId) -> BatchRecord:
        with self._read() as con:
            self._require_batch(con, batch)
            return self._records(con, [batch])[0]

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

    def _records(self, con: sqlite3.Connection, ids: Sequence[int]) -> list[BatchRecord]:
        records = []
        for batch_id in ids:
            row = con.execute(
                "SELECT id, input_path, input_sha256, options, started_at, ended_at, stopped "
                "FROM batches WHERE id = ?",
                (batch_id,),
            ).fetchone()
            counts = dict(
                con.execute(
                    "SELECT status, COUNT(*) FROM pos WHERE batch_id = ? GROUP BY status", (batch_id,)
                ).fetchall()
            )
            files, size = con.execute(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE batch_id = ?", (batch_id,)
            ).fetchone()
            started = _time(row[4])
            assert started is not None
            records.append(
                BatchRecord(
                    id=BatchId(row[0]),
                    input_path=row[1],
                    input_sha256=row[2],
                    options=json.loads(row[3]),
                    started_at=started,
                    ended_at=_time(row[5]),
                    stopped=bool(row[6]),
                    counts=counts,
                    files=int(files),
                    bytes=int(size),
                )
            )
        return records

    # --- POs -----------------------------------------------------------------------------------------

    def po_started(self, batch: BatchId, po: PoNumber | str, attempt: int, worker: int) -> None:
        key = _key(po)
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
        key = _key(po)
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

    def po_finished(
        self,
        batch: BatchId,
        po: PoNumber | str,
        status: PoStatus,
        message: str = "",
        supplier: str = "",
        folder: str = "",
        found: int = 0,
        downloaded: int = 0,
        url: str = "",
    ) -> None:
        """The attempt's outcome. With a ``folder``, the work folder was renamed to it: its files moved too.

        ``SIGN_IN_REQUIRED`` is recorded but leaves the PO open; ``PENDING``/``PROCESSING`` are no outcome.
        """
        status = PoStatus(status)
        if status in (PoStatus.PENDING, PoStatus.PROCESSING):
            raise ValueError(f"{status.value} is not an outcome")
        key = _key(po)
        stamp = self._stamp()
        with self._write() as con:
            work_folder, _ = self._require_po(con, batch, key)
            if folder and work_folder and Path(work_folder) != Path(folder):
                self._relocate(con, batch, key, Path(work_folder), Path(folder))
                work_folder = ""
            con.execute(
                "UPDATE pos SET status = ?, message = ?, supplier = ?, folder = ?, work_folder = ?, "
                "found = ?, downloaded = ?, url = ?, finished_at = ? WHERE batch_id = ? AND po = ?",
                (status.value, message, supplier, folder, work_folder, found, downloaded, url, stamp)
                + (batch, key),
            )
            self._end_attempt(con, batch, key, status.value, message)

    def po_requeued(self, batch: BatchId, po: PoNumber | str, reason: str) -> None:
        """The attempt will be retried (worker died, retryable failure, sign-in): ``PENDING`` again."""
        key = _key(po)
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

    def po_states(self, batch: BatchId) -> list[PoState]:
        """Every PO of the batch in input order."""
        with self._read() as con:
            self._require_batch(con, batch)
            rows = con.execute(
                "SELECT po, display, position, status, attempt, worker, supplier, message, folder, "
                "work_folder, found, downloaded, url, started_at, finished_at "
                "FROM pos WHERE batch_id = ? ORDER BY position",
                (batch,),
            ).fetchall()
        return [
            PoState(
                po=r[0],
                display=r[1],
                position=r[2],
                status=PoStatus(r[3]),
                attempt=r[4],
                worker=r[5],
                supplier=r[6],
                message=r[7],
                folder=r[8],
                work_folder=r[9],
                found=r[10],
                downloaded=r[11],
                url=r[12],
                started_at=_time(r[13]),
                finished_at=_time(r[14]),
            )
            for r in rows
        ]

    def latest_outcomes(self, input_path: Path | str) -> dict[str, tuple[PoState, list[FileRecord]]]:
        """Each PO's latest final outcome among the batches of this input path (any bytes), with the files
        that batch recorded for it: what the results file said before a new batch of the sheet."""
        resolved = str(Path(input_path).resolve())
        with self._read() as con:
            ids = [
                int(r[0])
                for r in con.execute(
                    "SELECT id FROM batches WHERE input_path = ? ORDER BY id DESC", (resolved,)
                )
            ]
        out: dict[str, tuple[PoState, list[FileRecord]]] = {}
        for batch_id in ids:
            for state in self.po_states(BatchId(batch_id)):
                if state.po not in out and not state.is_open:
                    out[state.po] = (state, self.files_of(BatchId(batch_id), state.po))
        return out

    def attempts_of(self, batch: BatchId, po: PoNumber | str) -> list[AttemptRecord]:
        """Every start of the PO, oldest first: the audit of retries and requeues."""
        key = _key(po)
        with self._read() as con:
            self._require_po(con, batch, key)
            rows = con.execute(
                "SELECT po, attempt, worker, started_at, ended_at, outcome, message FROM attempts "
                "WHERE batch_id = ? AND po = ? ORDER BY id",
                (batch, key),
            ).fetchall()
        return [
            AttemptRecord(r[0], r[1], r[2], datetime.fromisoformat(r[3]), _time(r[4]), r[5], r[6])
            for r in rows
        ]

    def files_of(self, batch: BatchId, po: PoNumber | str) -> list[FileRecord]:
        """The PO's files in the order they were saved."""
        key = _key(po)
        with self._read() as con:
            self._require_po(con, batch, key)
            rows = con.execute(
                "SELECT po, name, path, size, sha256, source, url, attempt, saved_at FROM files "
                "WHERE batch_id = ? AND po = ? ORDER BY id",
                (batch, key),
            ).fetchall()
        return [_file(r) for r in rows]

    def latest_folders(self, pos: Sequence[PoNumber | str]) -> dict[str, tuple[str, list[FileRecord]]]:
        """For each PO, the folder the latest batch that gave it one left (its work folder if unfinished,
        else its final folder) and that batch's files of it. POs never given a folder are absent.

        Working a PO again (resume, a re-run) starts from there, in any batch: folders are per root, not
        per batch."""
        wanted = {_key(po) for po in pos}
        latest: dict[str, tuple[int, str]] = {}
        out: dict[str, tuple[str, list[FileRecord]]] = {}
        with self._read() as con:
            # One pass over every batch's POs (no index by PO alone): cheap next to a batch's work.
            for key, batch_id, folder, work in con.execute(
                "SELECT po, batch_id, folder, work_folder FROM pos "
                "WHERE folder != '' OR work_folder != '' ORDER BY batch_id"
            ):
                if key in wanted:
                    latest[key] = (int(batch_id), str(work or folder))
            for key, (batch_id, folder) in latest.items():
                files = con.execute(
                    "SELECT po, name, path, size, sha256, source, url, attempt, saved_at FROM files "
                    "WHERE batch_id = ? AND po = ? ORDER BY id",
                    (batch_id, key),
                ).fetchall()
                out[key] = (folder, [_file(r) for r in files])
        return out

    # --- manifest ------------------------------------------------------------------------------------

    def export_manifest(self, batch: BatchId, path: Path) -> int:
        """Write the manifest CSV of the batch's sheet to ``path`` (see :mod:`.manifest`); returns the rows.

        It lists every file the batch's POs have on disk, from every batch of the same input: a retry,
        a re-run with ``--all`` or a run that never got going must not drop the files an earlier batch
        saved. A path recorded by several batches is listed once, as the latest recorded it; a recorded
        file no longer on disk with its size (deleted, moved, renamed with its folder) is left out.
        """
        with self._read() as con:
            self._require_batch(con, batch)
            (input_path,) = con.execute("SELECT input_path FROM batches WHERE id = ?", (batch,)).fetchone()
            order = {
                str(po): (int(position), str(display))
                for po, position, display in con.execute(
                    "SELECT po, position, display FROM pos WHERE batch_id = ?", (batch,)
                )
            }
            rows = con.execute(
                "SELECT f.po, f.name, f.path, f.size, f.sha256, f.url, f.saved_at, f.batch_id, f.id "
                "FROM files f JOIN batches b ON b.id = f.batch_id "
                "WHERE b.input_path = ? AND b.id <= ? ORDER BY f.batch_id, f.id",
                (input_path, batch),
            ).fetchall()
        latest: dict[str, Sequence[Any]] = {}
        for r in rows:
            if r[0] in order:
                latest.pop(r[2], None)  # the latest record of a path wins, in its saving order
                latest[r[2]] = r
        listed = sorted(
            (r for r in latest.values() if on_disk(r[2], r[3])),
            key=lambda r: (order[r[0]][0], r[7], r[8]),
        )
        return write_manifest(
            (
                ManifestRow(
                    po=order[r[0]][1],
                    file=r[1],
                    size=r[3],
                    sha256=r[4],
                    url=r[5],
                    saved_at=datetime.fromisoformat(r[6]),
                    folder=str(Path(r[2]).parent),
                )
                for r in listed
            ),
            path,
        )


def on_disk(path: str, size: int) -> bool:
    """The recorded file is there with its recorded size (a cheap check: the manifest is written at the
    end of every batch and resume looks at every kept PO, and hashing every file of a big sheet again
    would make both slow)."""
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def _file(r: Sequence[Any]) -> FileRecord:
    return FileRecord(
        po=r[0],
        name=r[1],
        path=r[2],
        size=r[3],
        sha256=r[4],
        source=r[5],
        url=r[6],
        attempt=r[7],
        saved_at=datetime.fromisoformat(r[8]),
    )
