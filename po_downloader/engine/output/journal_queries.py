"""What the journal answers: the history of batches, one batch's POs and files, the latest outcome and
folder of each PO across batches, and the batch's manifest.

:class:`JournalQueries` is the read half of :class:`~.journal.Journal`, which inherits it: callers ask the
one journal object, and the writes (:mod:`.journal`) read back through the same lookups. Every query runs
inside one snapshot (``_read``, the journal's), so a reader never mixes two states of a batch.
"""

from __future__ import annotations

import json
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal_records import (
    BatchId,
    BatchRecord,
    FileRecord,
    JournalError,
    PoState,
    facts_from,
    on_disk,
    po_key,
)
from po_downloader.engine.output.manifest import ManifestRow, write_manifest


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


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


class JournalQueries(ABC):
    """The journal's reads; :class:`~.journal.Journal` gives them their connection."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        """One snapshot for every query inside (see :meth:`.Journal._read`)."""

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

    def po_states(self, batch: BatchId) -> list[PoState]:
        """Every PO of the batch in input order."""
        with self._read() as con:
            self._require_batch(con, batch)
            rows = con.execute(
                "SELECT po, display, position, status, attempt, worker, supplier, message, folder, "
                "work_folder, found, downloaded, url, started_at, finished_at, route, facts "
                "FROM pos WHERE batch_id = ? ORDER BY position",
                (batch,),
            ).fetchall()
        return [
            PoState(
                po=r[0],
                display=r[1],
                position=r[2],
                outcome=PoOutcome(
                    PoStatus(r[3]),
                    supplier=r[6],
                    folder=r[8],
                    found=r[10],
                    downloaded=r[11],
                    message=r[7],
                    url=r[12],
                    route=r[15],
                    facts=facts_from(r[16]),
                ),
                attempt=r[4],
                worker=r[5],
                work_folder=r[9],
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

    def files_of(self, batch: BatchId, po: PoNumber | str) -> list[FileRecord]:
        """The PO's files in the order they were saved."""
        key = po_key(po)
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
        wanted = {po_key(po) for po in pos}
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
