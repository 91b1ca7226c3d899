"""The journal's sink: engine events become journal rows as they happen, and a broken journal never stops a batch."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_recorder import JournalRecorder
from po_downloader.engine.output.journal_records import JournalError
from tests.helpers.journal_setup import attempt_rows

A, B = PoNumber("10000001"), PoNumber("10000002")


def summary(stopped: bool = False) -> ev.BatchSummary:
    return ev.BatchSummary({A.digits: PoStatus.COMPLETED, B.digits: PoStatus.PENDING}, 1.0, 3, stopped)


@pytest.fixture
def journal(tmp_path: Path):
    j = Journal.open(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def saved(tmp_path: Path, po: PoNumber, name: str, data: bytes, **kw) -> ev.FileSaved:
    folder = tmp_path / "root" / "ACME" / f"{po.display}__WORK"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return ev.FileSaved(1, po, name, str(folder / name), len(data), **kw)


def test_a_batch_is_written_as_it_happens_and_ends_with_its_manifest(
    tmp_path: Path, journal: Journal
) -> None:
    batch = journal.start_batch(tmp_path / "pos.csv", "0" * 64, {"workers": 2}, [A, B])
    manifest = tmp_path / "pos_manifest.csv"
    rec = JournalRecorder(journal, batch, manifest=manifest)

    rec(ev.PoStarted(1, A, 1, "https://coupa.example/order_headers/10000001"))
    assert (
        journal.po_states(batch)[0].outcome.status is PoStatus.PROCESSING
    )  # written at once, not at the end
    rec(ev.PoRetrying(1, A, 2, 0.5, "HTTP 500"))
    rec(ev.PoStarted(2, A, 2, "https://coupa.example/order_headers/10000001"))
    # one file hashed by its worker, one without a hash (the sink hashes it)
    rec(
        saved(
            tmp_path, A, "a.pdf", b"%PDF-1", sha256=hashlib.sha256(b"%PDF-1").hexdigest(), url="https://x/a"
        )
    )
    rec(saved(tmp_path, A, "b.txt", b"hello"))
    final = tmp_path / "root" / "ACME" / "PO10000001_COMPLETED"
    (tmp_path / "root" / "ACME" / "PO10000001__WORK").rename(final)
    rec(
        ev.PoFinished(2, A, PoOutcome(PoStatus.COMPLETED, "ACME", str(final), found=2, downloaded=2, size=11))
    )
    rec(ev.PoStarted(1, B, 1, "u"))
    rec(ev.PoRequeued(1, B, PoStatus.SIGN_IN_REQUIRED, "Coupa asked to sign in again"))
    rec(ev.BatchFinished(0, summary(stopped=True)))

    with pytest.raises(JournalError, match="closed"):  # the batch's last event takes the connections with it
        journal.po_states(batch)
    journal = Journal.open(tmp_path / "journal.sqlite3")
    states = {s.po: s for s in journal.po_states(batch)}
    assert states[A.digits].outcome.status is PoStatus.COMPLETED and states[A.digits].attempt == 2
    assert states[B.digits].outcome.status is PoStatus.PENDING
    assert [a.outcome for a in attempt_rows(journal.path, batch, A)] == ["requeued", "COMPLETED"]
    files = journal.files_of(batch, A)
    assert [Path(f.path).parent for f in files] == [final, final]  # followed the rename
    assert files[1].sha256 == hashlib.sha256(b"hello").hexdigest()
    assert journal.batch(batch).stopped and journal.batch(batch).ended_at is not None
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["PO"], r["File"], r["Size (bytes)"]) for r in rows] == [
        ("PO10000001", "a.pdf", "6"),
        ("PO10000001", "b.txt", "5"),
    ]
    assert rec.manifest_rows == 2
    journal.close()


def test_pos_left_over_for_a_sign_in_are_sign_in_required_and_open_as_on_the_results_sheet(
    tmp_path: Path, journal: Journal
) -> None:
    """The session expired: the PO that met it and the POs never reached are ``SIGN_IN_REQUIRED`` (the
    controller's ``PoLeftOver``), not ``PENDING``; they stay open, so the batch is unfinished."""
    C = PoNumber("10000003")
    batch = journal.start_batch(tmp_path / "pos.csv", "0" * 64, {}, [A, B, C])
    rec = JournalRecorder(journal, batch)
    rec(ev.PoStarted(1, A, 1, "u"))
    rec(ev.PoFinished(1, A, PoOutcome(PoStatus.COMPLETED, "ACME", str(tmp_path / "PO10000001_COMPLETED"))))
    rec(ev.PoStarted(2, B, 1, "u"))
    rec(ev.PoRequeued(2, B, PoStatus.SIGN_IN_REQUIRED, "Coupa asked to sign in again"))
    why = "not processed: Coupa needs you to sign in again"
    rec(ev.PoLeftOver(0, B, PoStatus.SIGN_IN_REQUIRED, why))
    rec(ev.PoLeftOver(0, C, PoStatus.SIGN_IN_REQUIRED, why))
    rec(ev.BatchFinished(0, ev.BatchSummary({}, 1.0, 0, False, sign_in_required=True)))

    journal = Journal.open(tmp_path / "journal.sqlite3")
    states = {s.po: s for s in journal.po_states(batch)}
    assert [states[p.digits].outcome.status for p in (A, B, C)] == [
        PoStatus.COMPLETED,
        PoStatus.SIGN_IN_REQUIRED,
        PoStatus.SIGN_IN_REQUIRED,
    ]
    assert states[C.digits].outcome.message == why and states[C.digits].is_open
    assert journal.batch(batch).unfinished
    journal.close()


def test_pos_left_over_by_a_stop_stay_pending(tmp_path: Path, journal: Journal) -> None:
    batch = journal.start_batch(tmp_path / "pos.csv", "0" * 64, {}, [A])
    rec = JournalRecorder(journal, batch)
    rec(ev.PoLeftOver(0, A, PoStatus.PENDING, "not processed: the batch was stopped"))
    rec(ev.BatchFinished(0, summary(stopped=True)))
    journal = Journal.open(tmp_path / "journal.sqlite3")
    assert journal.po_states(batch)[0].outcome.status is PoStatus.PENDING
    journal.close()


@pytest.mark.expect_log("po_downloader.engine.output.journal_recorder", r"could not be written")
def test_a_journal_that_fails_is_reported_once_and_the_batch_goes_on(
    tmp_path: Path, journal: Journal
) -> None:
    batch = journal.start_batch(tmp_path / "pos.csv", "0" * 64, {}, [A])
    warnings: list[Exception] = []
    rec = JournalRecorder(journal, batch, on_warning=warnings.append)
    rec(ev.PoStarted(1, PoNumber("99999999"), 1, "u"))  # not in the batch: the journal refuses it
    rec(ev.PoStarted(1, A, 1, "u"))  # left alone from now on, silently
    rec(ev.BatchFinished(0, summary()))
    assert len(warnings) == 1 and rec.broken
    assert journal.po_states(batch)[0].outcome.status is PoStatus.PENDING
