"""The journal's writes: batches and POs recorded as they happen, each one committed transaction that a
crash, a full disk or another thread cannot half-apply."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, JournalError
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.journal_setup import (
    POS,
    T0,
    attempt_rows,
    finish_all,
    raw,
    save,
    start,
)


def test_journal_lives_in_the_data_dir(tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    assert dirs.journal_file.parent == dirs.data
    with Journal.open(dirs.journal_file) as j:
        assert j.path.is_file()


def test_a_closed_journal_refuses_new_threads(path: Path) -> None:
    j = Journal.open(path)
    j.close()
    errors: list[BaseException] = []

    def use() -> None:
        try:
            j.history()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    assert len(errors) == 1
    assert isinstance(errors[0], JournalError)


def test_start_batch_records_input_options_and_pending_pos_once(journal: Journal, sheet: Path) -> None:
    batch = journal.start_batch(
        sheet.parent / "." / sheet.name, "abc", {"workers": 3, "root": Path("/d")}, [*POS, POS[0]]
    )
    record = journal.batch(batch)
    assert record.input_path == str(sheet.resolve())
    assert record.input_sha256 == "abc"
    assert record.options == {"workers": 3, "root": "/d"}
    assert record.started_at == T0 + timedelta(seconds=1)
    assert record.ended_at is None
    assert record.counts == {"PENDING": 3}
    assert (record.total, record.files, record.bytes) == (3, 0, 0)
    states = journal.po_states(batch)
    assert [(s.po, s.display, s.position, s.outcome.status) for s in states] == [
        ("100001", "PO100001", 0, PoStatus.PENDING),
        ("100002", "PM100002", 1, PoStatus.PENDING),
        ("100003", "PO100003", 2, PoStatus.PENDING),
    ]
    assert all(s.attempt == 0 and s.started_at is None and s.is_open for s in states)


def test_unknown_batch_or_po_is_an_error(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    with pytest.raises(JournalError, match="not in batch"):
        journal.po_started(batch, "PO100001", 1, 1)  # the display form is not the key
    with pytest.raises(JournalError, match="not in batch"):
        journal.file_saved(batch, "999", "a.pdf", "/x/a.pdf", 1, "00")
    with pytest.raises(JournalError, match="no batch"):
        journal.po_states(BatchId(batch + 1))
    with pytest.raises(JournalError, match="no batch"):
        journal.finish_batch(BatchId(batch + 1), stopped=False)


class FailingCommit:
    """A connection whose next COMMIT fails, as one does when the disk fills up."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.armed = True

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql == "COMMIT" and self.armed:
            self.armed = False
            raise sqlite3.OperationalError("database or disk is full")
        return self.con.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.con, name)


def test_a_failed_commit_is_rolled_back_and_the_journal_stays_usable(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    journal._local.con = FailingCommit(journal._con())
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        journal.po_started(batch, "100001", 1, 1)
    assert journal.po_states(batch)[0].outcome.status is PoStatus.PENDING  # nothing half-recorded
    journal.po_started(batch, "100001", 1, 1)
    assert journal.po_states(batch)[0].outcome.status is PoStatus.PROCESSING


def test_a_failed_write_leaves_the_journal_usable(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    with pytest.raises(JournalError):
        journal.po_finished(batch, "999", PoOutcome(PoStatus.FAILED))
    journal.po_finished(batch, "100001", PoOutcome(PoStatus.FAILED, message="boom"))
    assert journal.po_states(batch)[0].outcome.message == "boom"


def test_a_closed_journal_refuses_the_thread_that_used_it(path: Path) -> None:
    j = Journal.open(path)
    j.history()
    j.close()
    with pytest.raises(JournalError, match="closed"):
        j.history()


def test_po_started_marks_processing_and_records_the_attempt(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    journal.po_started(batch, POS[0], attempt=1, worker=2)
    state = journal.po_states(batch)[0]
    assert (state.outcome.status, state.attempt, state.worker) == (PoStatus.PROCESSING, 1, 2)
    assert state.started_at is not None
    [attempt] = attempt_rows(journal.path, batch, "100001")
    assert (attempt.attempt, attempt.worker, attempt.ended_at, attempt.outcome) == (1, 2, None, "")
    assert journal.batch(batch).counts == {"PENDING": 2, "PROCESSING": 1}


def test_file_saved_is_recorded_once_per_path_with_its_hash_and_source(
    journal: Journal, sheet: Path, tmp_path: Path
) -> None:
    batch = start(journal, sheet)
    journal.po_started(batch, "100001", 1, 1)
    work = tmp_path / "root" / "Acme" / "PO100001__WORK"
    first = save(journal, batch, "100001", work, "quote.pdf", b"v1")
    journal.file_saved(batch, "100001", "quote.pdf", first, 3, "feed", "requisition 7", "https://x/q2")
    save(journal, batch, "100001", work, "Orçamento.xlsx", b"xyz" * 10)
    files = journal.files_of(batch, "100001")
    assert [(f.name, f.path, f.size, f.sha256, f.source, f.url, f.attempt) for f in files] == [
        ("quote.pdf", str(first), 3, "feed", "requisition 7", "https://x/q2", 1),
        (
            "Orçamento.xlsx",
            str(work / "Orçamento.xlsx"),
            30,
            hashlib.sha256(b"xyz" * 10).hexdigest(),
            "PO",
            "https://x/Orçamento.xlsx",
            1,
        ),
    ]
    assert journal.po_states(batch)[0].work_folder == str(work)
    assert journal.files_of(batch, "100002") == []
    record = journal.batch(batch)
    assert (record.files, record.bytes) == (2, 33)


def test_po_finished_moves_the_files_with_the_renamed_work_folder(
    journal: Journal, sheet: Path, tmp_path: Path
) -> None:
    batch = start(journal, sheet)
    work = tmp_path / "Acme" / "PO100001__WORK"
    final = tmp_path / "Acme" / "PO100001_COMPLETED"
    elsewhere = tmp_path / "Other" / "PO100001_FAILED"
    journal.po_started(batch, "100001", 1, 1)
    save(journal, batch, "100001", elsewhere, "old.pdf", b"old")
    save(journal, batch, "100001", work, "a.pdf", b"aaa")
    save(journal, batch, "100001", work, "b.pdf", b"bbb")
    journal.po_finished(
        batch,
        "100001",
        PoOutcome(
            PoStatus.COMPLETED,
            message="",
            supplier="Acme",
            folder=str(final),
            found=2,
            downloaded=2,
            url="https://coupa/po/100001",
        ),
    )
    state = journal.po_states(batch)[0]
    assert (state.outcome.status, state.outcome.supplier, state.outcome.folder, state.work_folder) == (
        PoStatus.COMPLETED,
        "Acme",
        str(final),
        "",
    )
    assert (state.outcome.found, state.outcome.downloaded, state.outcome.url) == (
        2,
        2,
        "https://coupa/po/100001",
    )
    assert state.finished_at is not None and not state.is_open
    assert [f.path for f in journal.files_of(batch, "100001")] == [
        str(elsewhere / "old.pdf"),  # not in the work folder: not moved
        str(final / "a.pdf"),
        str(final / "b.pdf"),
    ]
    [attempt] = attempt_rows(journal.path, batch, "100001")
    assert attempt.outcome == "COMPLETED" and attempt.ended_at is not None


def test_sign_in_keeps_the_po_open_and_its_work_folder(journal: Journal, sheet: Path, tmp_path: Path) -> None:
    batch = start(journal, sheet)
    work = tmp_path / "Acme" / "PO100002__WORK"
    journal.po_started(batch, "100002", 1, 1)
    save(journal, batch, "100002", work, "a.pdf", b"aaa")
    journal.po_finished(batch, "100002", PoOutcome(PoStatus.SIGN_IN_REQUIRED, message="sign in again"))
    state = journal.po_states(batch)[1]
    assert state.outcome.status is PoStatus.SIGN_IN_REQUIRED and state.is_open
    assert state.work_folder == str(work)
    # the retry (same attempt number: sign-in refunds it) finds the file and finishes the PO
    journal.po_started(batch, "100002", 1, 3)
    save(journal, batch, "100002", work, "b.pdf", b"bbb")
    final = tmp_path / "Acme" / "PM100002_COMPLETED"
    journal.po_finished(
        batch, "100002", PoOutcome(PoStatus.COMPLETED, folder=str(final), found=2, downloaded=2)
    )
    assert [f.path for f in journal.files_of(batch, "100002")] == [str(final / "a.pdf"), str(final / "b.pdf")]
    assert [(a.attempt, a.worker, a.outcome) for a in attempt_rows(journal.path, batch, "100002")] == [
        (1, 1, "SIGN_IN_REQUIRED"),
        (1, 3, "COMPLETED"),
    ]


def test_pending_or_processing_is_no_outcome(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    for status in (PoStatus.PENDING, PoStatus.PROCESSING):
        with pytest.raises(ValueError, match="not an outcome"):
            journal.po_finished(batch, "100001", PoOutcome(status))


def test_po_requeued_is_pending_again_with_the_reason(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    journal.po_started(batch, "100003", 1, 1)
    journal.po_requeued(batch, "100003", "worker 1 died")
    state = journal.po_states(batch)[2]
    assert (state.outcome.status, state.outcome.message, state.attempt) == (
        PoStatus.PENDING,
        "worker 1 died",
        1,
    )
    journal.po_started(batch, "100003", 2, 2)
    assert [(a.attempt, a.outcome, a.message) for a in attempt_rows(journal.path, batch, "100003")] == [
        (1, "requeued", "worker 1 died"),
        (2, "", ""),
    ]


def test_a_second_start_without_an_outcome_closes_the_first(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    journal.po_started(batch, "100001", 1, 1)
    journal.po_started(batch, "100001", 2, 2)
    attempts = attempt_rows(journal.path, batch, "100001")
    assert [(a.attempt, a.outcome) for a in attempts] == [(1, "superseded"), (2, "")]
    assert attempts[0].ended_at is not None


def test_finish_batch_puts_cut_off_pos_back_to_pending(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    journal.po_started(batch, "100001", 1, 1)
    journal.po_finished(batch, "100001", PoOutcome(PoStatus.NO_ATTACHMENTS))
    journal.po_started(batch, "100002", 1, 2)
    journal.finish_batch(batch, stopped=True)
    record = journal.batch(batch)
    assert record.stopped and record.ended_at is not None
    assert record.counts == {"NO_ATTACHMENTS": 1, "PENDING": 2}
    assert record.open_pos == 2 and record.unfinished
    assert journal.po_states(batch)[1].outcome.message == "stopped"
    assert attempt_rows(journal.path, batch, "100002")[0].outcome == "stopped"


def test_reopen_batch_runs_again_with_in_flight_pos_pending(
    journal: Journal, sheet: Path, tmp_path: Path
) -> None:
    batch = start(journal, sheet)
    journal.po_started(batch, "100001", 1, 1)
    journal.po_finished(batch, "100001", PoOutcome(PoStatus.NO_ATTACHMENTS))
    journal.po_started(batch, "100002", 2, 1)
    kept = save(journal, batch, "100002", tmp_path / "PM100002__WORK", "a.pdf", b"a")
    # ... the process dies here; the next start finds and reopens the batch
    record = journal.reopen_batch(batch)
    assert record.ended_at is None and not record.stopped
    assert record.counts == {"NO_ATTACHMENTS": 1, "PENDING": 2}
    state = journal.po_states(batch)[1]
    assert (state.outcome.status, state.attempt, state.work_folder) == (PoStatus.PENDING, 2, str(kept.parent))
    assert attempt_rows(journal.path, batch, "100002")[0].outcome == "interrupted"
    assert [f.path for f in journal.files_of(batch, "100002")] == [str(kept)]


def test_reopen_batch_takes_in_the_sheets_whole_plan_and_the_pos_a_retry_works_again(
    journal: Journal, sheet: Path
) -> None:
    """A batch that holds only some of the sheet (an older retry's, or a run that skipped completed rows)
    carried on for the whole plan: every PO is in it, in input order, so recording any of them works."""
    batch = start(journal, sheet, [POS[1]])
    journal.po_started(batch, POS[1], 1, 1)
    journal.po_finished(batch, POS[1], PoOutcome(PoStatus.FAILED, message="gave up"))
    with pytest.raises(JournalError):
        journal.po_started(batch, POS[0], 1, 1)  # what a resume of the whole sheet met before
    record = journal.reopen_batch(batch, [po.digits for po in POS], redo=[POS[1]])
    assert record.counts == {"PENDING": 3}  # the retried PO is to do again, with the two it lacked
    assert [s.po for s in journal.po_states(batch)] == [po.digits for po in POS]
    assert journal.po_states(batch)[1].outcome.message == "to be retried"
    journal.po_started(batch, POS[0], 1, 1)  # no JournalError: the PO is the batch's now
    assert journal.po_states(batch)[0].outcome.status is PoStatus.PROCESSING


def test_a_po_worked_again_into_its_old_final_folder_replaces_the_gone_files_record(
    journal: Journal, sheet: Path, tmp_path: Path
) -> None:
    """Resume works a COMPLETED PO again when its files were deleted: the new file lands in the same final
    folder, at the path the old record names; one record of it remains (no UNIQUE error, journal kept)."""
    batch = start(journal, sheet)
    final = tmp_path / "PO100001_COMPLETED"
    journal.po_started(batch, "100001", 1, 1)
    save(journal, batch, "100001", tmp_path / "PO100001__WORK", "a.pdf", b"old")
    (tmp_path / "PO100001__WORK").rename(final)
    journal.po_finished(batch, "100001", PoOutcome(PoStatus.COMPLETED, folder=str(final)))
    (final / "a.pdf").unlink()
    final.rmdir()
    journal.reopen_batch(batch, redo=["100001"])
    journal.po_started(batch, "100001", 1, 1)
    save(journal, batch, "100001", tmp_path / "PO100001__WORK", "a.pdf", b"new")
    (tmp_path / "PO100001__WORK").rename(final)
    journal.po_finished(batch, "100001", PoOutcome(PoStatus.COMPLETED, folder=str(final)))
    (record,) = journal.files_of(batch, "100001")
    assert (record.path, record.size) == (str(final / "a.pdf"), 3)


def test_clear_history_keeps_unfinished_batches_and_the_newest(
    journal: Journal, sheet: Path, path: Path, tmp_path: Path
) -> None:
    done_old = start(journal, sheet)
    journal.po_started(done_old, "100001", 1, 1)
    on_disk = save(journal, done_old, "100001", tmp_path / "w", "a.pdf", b"a")
    finish_all(journal, done_old)
    crashed = start(journal, sheet)
    done_new = start(journal, sheet)
    finish_all(journal, done_new)

    assert journal.clear_history(keep_unfinished=True, keep_last=1) == 1
    assert [r.id for r in journal.history()] == [done_new, crashed]
    assert raw(path, f"SELECT COUNT(*) FROM files WHERE batch_id = {done_old}") == [(0,)]
    assert raw(path, f"SELECT COUNT(*) FROM attempts WHERE batch_id = {done_old}") == [(0,)]
    assert on_disk.read_bytes() == b"a"  # the journal forgets, the files stay

    assert journal.clear_history() == 1
    assert [r.id for r in journal.history()] == [crashed]
    assert journal.clear_history(keep_unfinished=False) == 1
    assert journal.history() == []
    assert raw(path, "SELECT COUNT(*) FROM pos") == [(0,)]


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from po_downloader.engine.output.journal import Journal
    journal = Journal.open(Path(sys.argv[1]))
    batch = journal.start_batch(sys.argv[2], "h", {}, [str(n) for n in range(100)])
    i = 0
    while True:  # until killed
        po = str(i % 100)
        journal.file_saved(batch, po, f"f{i}.pdf", f"/w/{po}/f{i}.pdf", i, f"{i:064x}")
        print(i, flush=True)  # after the commit returned
        i += 1
    """
)


HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO batches (input_path, input_sha256, options, started_at) VALUES ('x', 'y', '{}', '2026-01-01')")
    print("holding", flush=True)
    time.sleep(60)
    """
)


def spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_sigkill_mid_batch_loses_nothing_committed(path: Path, sheet: Path) -> None:
    child = spawn(WRITER, str(path), str(sheet))
    assert child.stdout is not None
    last = -1
    for line in child.stdout:
        last = int(line)
        if last >= 200:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.stderr is not None
    child.stderr.close()
    assert last >= 200, "the writer never got going"
    with Journal.open(path) as j:
        [record] = j.history()
        assert record.ended_at is None  # it never finished: resume would find it
        assert record.files >= last + 1
        found = j.find_unfinished(sheet, "h")
        assert found is not None and found.id == record.id
        assert raw(path, "PRAGMA integrity_check") == [("ok",)]
        # and the journal still takes writes
        j.finish_batch(record.id, stopped=True)
    with sqlite3.connect(path) as con:
        saved = con.execute("SELECT COUNT(*), MAX(size) FROM files").fetchone()
    assert saved[0] == saved[1] + 1  # every row up to the last one committed, none half-written


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_sigkill_inside_a_transaction_rolls_it_back_and_frees_the_lock(path: Path, sheet: Path) -> None:
    with Journal.open(path) as j:
        batch = start(j, sheet)
    child = spawn(HOLDER, str(path))
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().strip() == "holding", child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    child.stderr.close()
    with Journal.open(path) as j:
        assert [r.id for r in j.history()] == [batch]  # the uncommitted batch is gone
        j.po_started(batch, "100001", 1, 1)  # the write lock died with the process
        assert j.po_states(batch)[0].outcome.status is PoStatus.PROCESSING


def test_a_journal_abandoned_without_close_opens_with_everything(path: Path, sheet: Path) -> None:
    first = Journal.open(path)
    batch = start(first, sheet)
    first.po_started(batch, "100001", 1, 1)
    assert Path(f"{path}-wal").exists()  # the data is still only in the WAL
    try:
        with Journal.open(path) as second:
            assert second.po_states(batch)[0].outcome.status is PoStatus.PROCESSING
    finally:
        first.close()


def test_another_thread_reads_consistently_while_the_controller_writes(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet, [PoNumber(str(n)) for n in range(50)])
    total, step = 300, 50
    reads = threading.Condition()
    committed = [0]  # rows the writer has committed, published under ``reads``
    seen: list[tuple[int, int]] = []  # (rows committed when the read began, rows the read saw)
    failures: list[BaseException] = []
    connections: set[int] = set()
    done = threading.Event()

    def writer() -> None:
        try:
            connections.add(id(journal._con()))
            for i in range(1, total + 1):
                journal.file_saved(batch, str(i % 50), f"f{i}", f"/w/{i}", 1, "00")
                if i % step == 0:  # wait for a read that began after this commit
                    with reads:
                        committed[0] = i
                        reads.wait_for(lambda n=i: any(mark >= n for mark, _ in seen), timeout=30)
        except BaseException as exc:
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    while not done.is_set():
        with reads:
            mark = committed[0]
        record = journal.history(limit=1)[0]
        assert record.files == record.bytes  # one snapshot: the count and the sum agree
        assert record.files >= mark  # what was committed before the read is visible to it
        with reads:
            seen.append((mark, record.files))
            reads.notify_all()
    thread.join()
    connections.add(id(journal._con()))
    assert failures == []
    counts = [files for _, files in seen]
    assert counts == sorted(counts)  # never goes back
    assert {mark for mark, _ in seen} >= set(range(step, total, step))  # it did read between the writes
    assert journal.batch(batch).files == total
    assert len(connections) == 2  # one connection per thread


def test_a_held_write_lock_does_not_block_readers(journal: Journal, sheet: Path, path: Path) -> None:
    batch = start(journal, sheet)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE pos SET status = 'FAILED'")
        assert {s.outcome.status for s in journal.po_states(batch)} == {
            PoStatus.PENDING
        }  # committed state only
        assert journal.history()[0].counts == {"PENDING": 3}
        other.execute("COMMIT")
    finally:
        other.close()
    assert journal.history()[0].counts == {"FAILED": 3}


def test_two_writing_threads_wait_for_each_other_instead_of_failing(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    failures: list[BaseException] = []
    barrier = threading.Barrier(2)

    def write(po: str) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(150):
                journal.file_saved(batch, po, f"f{i}", f"/w/{po}/f{i}", 1, "00")
                journal.history(limit=1)  # a read between writes, as a busy GUI would
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(po,)) for po in ("100001", "100002")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert journal.batch(batch).files == 300
