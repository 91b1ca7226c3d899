"""ResultsRecorder: engine events become rows of a real results sheet on disk."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from po_downloader.engine.events import (
    BatchFinished,
    BatchSummary,
    Heartbeat,
    PoFinished,
    PoLeftOver,
    PoRequeued,
)
from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.recorder import WRITE_INTERVAL_S, ResultsRecorder
from po_downloader.engine.output.results import ResultsLockedError, ResultsSheet

WHEN = datetime(2024, 5, 6, 7, 8, 9)
INPUT = "PO_NUMBER,Note\nPO100001,first\nPO100002,second\npo 100001,again\nnot a po,x\n"


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sheet(tmp_path: Path, clock: Clock) -> ResultsSheet:
    source = tmp_path / "pos.csv"
    source.write_text(INPUT, encoding="utf-8")
    plan = plan_batch(read_sheet(source))
    return ResultsSheet(plan, tmp_path / "pos_results.csv", clock=clock, now=lambda: WHEN)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def finished(po: str, status: PoStatus, **kw: object) -> PoFinished:
    return PoFinished(1, normalise_po(po), status, **kw)  # type: ignore[arg-type]


END = BatchFinished(0, BatchSummary({}, 1.0, 0))


def test_finished_po_updates_every_row_and_is_written(sheet: ResultsSheet) -> None:
    rec = ResultsRecorder(sheet)
    rec(
        finished(
            "PO100001",
            PoStatus.COMPLETED,
            supplier="Acme Ltda",
            found=2,
            downloaded=2,
            names=("a.pdf", "b.msg"),
            folder="/d/Acme Ltda/PO100001_COMPLETED",
            url="https://acme.coupahost.com/order_headers/100001",
        )
    )
    written = rows(sheet.path)
    assert [r["Note"] for r in written] == ["first", "second", "again", "x"]
    for r in (written[0], written[2]):  # both rows of the duplicated PO
        assert r["STATUS"] == "COMPLETED"
        assert r["SUPPLIER"] == "Acme Ltda"
        assert r["ATTACHMENTS_FOUND"] == "2" and r["ATTACHMENTS_DOWNLOADED"] == "2"
        assert r["AttachmentName"] == "a.pdf; b.msg"
        assert r["DOWNLOAD_FOLDER"] == "/d/Acme Ltda/PO100001_COMPLETED"
        assert r["COUPA_URL"] == "https://acme.coupahost.com/order_headers/100001"
        assert r["LAST_PROCESSED"] == "2024-05-06 07:08:09"
    assert written[1]["STATUS"] == "PENDING"
    assert written[3]["STATUS"] == "INVALID"


def test_writes_are_spaced_and_the_last_one_comes_with_batch_finished(
    sheet: ResultsSheet, clock: Clock
) -> None:
    rec = ResultsRecorder(sheet)
    rec(finished("PO100001", PoStatus.COMPLETED))
    clock.now += 1.0
    rec(finished("PO100002", PoStatus.FAILED, message="portal error: 500"))
    assert rows(sheet.path)[1]["STATUS"] == "PENDING"  # too soon for another write
    assert sheet.dirty
    rec(END)
    written = rows(sheet.path)
    assert written[1]["STATUS"] == "FAILED"
    assert written[1]["ERROR_MESSAGE"] == "portal error: 500"
    assert not sheet.dirty


def test_periodic_write_after_the_interval(sheet: ResultsSheet, clock: Clock) -> None:
    rec = ResultsRecorder(sheet)
    rec(finished("PO100001", PoStatus.COMPLETED))
    clock.now += WRITE_INTERVAL_S + 0.1
    rec(finished("PO100002", PoStatus.NO_ATTACHMENTS))
    assert rows(sheet.path)[1]["STATUS"] == "NO_ATTACHMENTS"


@pytest.mark.expect_log(
    "po_downloader.engine.output.recorder", r"event for a PO not in this batch: PO99999999"
)
def test_other_events_and_unknown_pos_change_nothing(sheet: ResultsSheet) -> None:
    rec = ResultsRecorder(sheet)
    rec(Heartbeat(1))
    rec(PoFinished(1, PoNumber("99999999"), PoStatus.COMPLETED))
    assert not sheet.path.exists()
    rec(END)
    assert [r["STATUS"] for r in rows(sheet.path)] == ["PENDING", "PENDING", "PENDING", "INVALID"]


def test_locked_results_file_is_reported_once_not_raised(
    sheet: ResultsSheet, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[Exception] = []
    rec = ResultsRecorder(sheet, on_warning=warnings.append)
    real_write = ResultsSheet.write

    def locked(self: ResultsSheet) -> None:
        self._last_attempt = clock()
        raise ResultsLockedError(self.path, "Permission denied")

    monkeypatch.setattr(ResultsSheet, "write", locked)
    rec(finished("PO100001", PoStatus.COMPLETED))
    clock.now += WRITE_INTERVAL_S + 1
    rec(finished("PO100002", PoStatus.FAILED))
    rec(END)
    assert len(warnings) == 1
    assert "open in another program" in str(warnings[0]) and "pos_results.csv" in str(warnings[0])
    assert rec.last_error == str(warnings[0])
    assert isinstance(warnings[0], ResultsLockedError)  # the front end words it

    # Excel closed: the next write succeeds and clears the error; a new lock is reported again.
    monkeypatch.setattr(ResultsSheet, "write", real_write)
    rec(END)
    assert rec.last_error == ""
    assert [r["STATUS"] for r in rows(sheet.path)][:2] == ["COMPLETED", "FAILED"]
    monkeypatch.setattr(ResultsSheet, "write", locked)
    rec(finished("PO100002", PoStatus.COMPLETED))
    rec(END)
    assert len(warnings) == 2


@pytest.mark.expect_log(
    "po_downloader.engine.output.recorder",
    r"cannot write the results file .*pos_results\.csv.*open in another program",
)
def test_default_warning_goes_to_the_log(
    sheet: ResultsSheet, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def locked(self: ResultsSheet) -> None:
        raise ResultsLockedError(self.path)

    monkeypatch.setattr(ResultsSheet, "write", locked)
    rec = ResultsRecorder(sheet)
    with caplog.at_level("WARNING", logger="po_downloader.engine.output.recorder"):
        rec(END)
    assert any("open in another program" in r.getMessage() for r in caplog.records)


def test_requeued_and_left_over_pos_are_written_with_why(sheet: ResultsSheet) -> None:
    rec = ResultsRecorder(sheet)
    rec(PoRequeued(2, normalise_po("PO100001"), PoStatus.SIGN_IN_REQUIRED, "Coupa asked to sign in again"))
    rec(PoLeftOver(0, normalise_po("PO100002"), PoStatus.PENDING, "not processed: the batch was stopped"))
    rec(END)
    written = rows(sheet.path)
    assert (written[0]["STATUS"], written[0]["ERROR_MESSAGE"]) == (
        "SIGN_IN_REQUIRED",
        "Coupa asked to sign in again",
    )
    assert (written[1]["STATUS"], written[1]["ERROR_MESSAGE"]) == (
        "PENDING",
        "not processed: the batch was stopped",
    )
