"""The journal file: WAL and its pragmas, the migrations (only the missing steps, all or nothing), and
instances that create it at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output import journal_schema
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import JournalError, hash_input
from tests.helpers.journal_setup import raw, start


def test_open_sets_wal_normal_sync_foreign_keys_and_schema_version(journal: Journal, path: Path) -> None:
    con = journal._con()
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert raw(path, "SELECT version FROM schema_version") == [(len(journal_schema.MIGRATIONS),)]
    # the mode is stored in the file: any later connection is in WAL too
    assert raw(path, "PRAGMA journal_mode") == [("wal",)]


def test_reopening_keeps_data_and_does_not_migrate_again(path: Path, sheet: Path) -> None:
    with Journal.open(path) as j:
        batch = start(j, sheet)
    with Journal.open(path) as j:
        assert [s.po for s in j.po_states(batch)] == ["100001", "100002", "100003"]
    assert raw(path, "SELECT COUNT(*) FROM schema_version") == [(1,)]


def test_migration_hook_runs_only_the_missing_steps(
    path: Path, sheet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(path) as j:
        batch = start(j, sheet)
    calls: list[int] = []
    current = len(journal_schema.MIGRATIONS)

    def v2(con: sqlite3.Connection) -> None:
        calls.append(1)
        con.execute("ALTER TABLE batches ADD COLUMN note TEXT NOT NULL DEFAULT 'migrated'")

    monkeypatch.setattr(journal_schema, "MIGRATIONS", (*journal_schema.MIGRATIONS, v2))
    with Journal.open(path) as j:
        assert j.batch(batch).input_sha256 == hash_input(sheet)
    with Journal.open(path):
        pass
    assert calls == [1]
    assert raw(path, "SELECT version FROM schema_version") == [(current + 1,)]
    assert raw(path, "SELECT note FROM batches") == [("migrated",)]


def test_a_failing_migration_changes_nothing(
    path: Path, sheet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(path) as j:
        start(j, sheet)
    current = len(journal_schema.MIGRATIONS)

    def broken(con: sqlite3.Connection) -> None:
        con.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("bad step")

    monkeypatch.setattr(journal_schema, "MIGRATIONS", (*journal_schema.MIGRATIONS, broken))
    with pytest.raises(RuntimeError, match="bad step"):
        Journal.open(path)
    assert raw(path, "SELECT version FROM schema_version") == [(current,)]
    assert raw(path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []


def test_a_journal_from_before_routes_keeps_its_outcomes_and_records_routes_from_now_on(
    path: Path, sheet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        m.setattr(journal_schema, "MIGRATIONS", journal_schema.MIGRATIONS[:1])
        with Journal.open(path) as j:
            batch = start(j, sheet)
    con = sqlite3.connect(path)  # an outcome as the version before routes wrote it
    con.execute("UPDATE pos SET status = 'NO_ATTACHMENTS', supplier = 'ACME' WHERE po = '100001'")
    con.commit()
    con.close()
    with Journal.open(path) as j:
        j.po_finished(batch, "100002", PoOutcome(PoStatus.COMPLETED, found=1, downloaded=1, route="browser"))
        states = {s.po: s.outcome for s in j.po_states(batch)}
    assert states["100001"] == PoOutcome(PoStatus.NO_ATTACHMENTS, "ACME")  # route "": recorded before
    assert states["100002"].route == "browser"


def test_a_newer_schema_is_refused(path: Path) -> None:
    Journal.open(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    with pytest.raises(JournalError, match="newer po-downloader"):
        Journal.open(path)


def test_a_file_that_is_not_a_database_is_a_journal_error(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(JournalError, match="cannot"):
        Journal.open(path)


def _open_together(path: str, barrier: Any, errors: Any) -> None:
    barrier.wait()
    try:
        Journal.open(Path(path)).close()
    except JournalError as exc:
        errors.put(str(exc))


def test_instances_creating_the_journal_at_the_same_moment_all_open_it(tmp_path: Path) -> None:
    """Two instances started together (the same sheet twice, two CLIs on one root) create the journal at
    once. SQLite answered "database is locked" at once to the WAL switch of all but one (measured: 16
    of 40 rounds of 4 processes), and those batches ran without a journal."""
    ctx = multiprocessing.get_context("spawn")
    errors = ctx.Queue()
    for round_ in range(8):
        barrier = ctx.Barrier(4)
        path = tmp_path / f"round{round_}" / "journal.sqlite3"
        path.parent.mkdir()
        procs = [ctx.Process(target=_open_together, args=(str(path), barrier, errors)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
            assert p.exitcode == 0
    assert errors.empty(), errors.get()
