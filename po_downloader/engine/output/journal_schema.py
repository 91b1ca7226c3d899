"""The journal file: its SQL schema, the migrations that bring an older file up to it, and how a
connection to it is opened (WAL, pragmas).

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
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from po_downloader.engine.output.journal_records import JournalError

log = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection], None]

#: How long a writer waits for another connection's transaction (the GUI reading, another instance).
BUSY_TIMEOUT_S = 10.0


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


def _add_route(con: sqlite3.Connection) -> None:
    """v2: the download route a PO's outcome took (``PoOutcome.route``); POs recorded before say none."""
    con.execute("ALTER TABLE pos ADD COLUMN route TEXT NOT NULL DEFAULT ''")


def _add_facts(con: sqlite3.Connection) -> None:
    """v3: what the PO's page showed about the order (``PoOutcome.facts``, a JSON object of the facts
    shown); POs recorded before, or by a batch that did not read facts, say none."""
    con.execute("ALTER TABLE pos ADD COLUMN facts TEXT NOT NULL DEFAULT ''")


#: ``MIGRATIONS[n]`` takes the schema from version ``n`` to ``n + 1``. A new version appends a step here
#: (never edits an old one); each open runs the missing steps in one transaction.
MIGRATIONS: tuple[Migration, ...] = (_create_v1, _add_route, _add_facts)


def schema_version(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(con: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
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


def connect(path: Path) -> sqlite3.Connection:
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
