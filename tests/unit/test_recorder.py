"""ResultsRecorder: engine events become rows of a real results sheet on disk."""

from __future__ import annotations

import csv
import os
from datetime import datetime
from pathlib import Path

import pytest

from po_downloader.engine.errors import ErrorKind, PoDownloaderError
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
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output import results as results_module
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
    return PoFinished(1, normalise_po(po), PoOutcome(status, **kw))  # type: ignore[arg-type]


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
    rec(PoFinished(1, PoNumber("99999999"), PoOutcome(PoStatus.COMPLETED)))
    assert not sheet.path.exists()
    rec(END)
    assert [r["STATUS"] for r in rows(sheet.path)] == ["PENDING", "PENDING", "PENDING", "INVALID"]


@pytest.mark.expect_log("po_downloader.engine.output.recorder", r"stayed locked")
def test_locked_results_file_is_reported_once_not_raised(
    sheet: ResultsSheet, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything: list[Exception] = []
    rec = ResultsRecorder(sheet, on_warning=everything.append, sleep=lambda s: None)
    real_write = ResultsSheet.write

    def locked(self: ResultsSheet, target: Path | None = None) -> None:
        if target not in (None, self.path):  # only the file is locked: the fallback beside it is not
            return real_write(self, target)
        self._last_attempt = clock()
        raise ResultsLockedError(self.path, "Permission denied")

    monkeypatch.setattr(ResultsSheet, "write", locked)
    rec(finished("PO100001", PoStatus.COMPLETED))
    clock.now += WRITE_INTERVAL_S + 1
    rec(finished("PO100002", PoStatus.FAILED))
    rec(END)
    warnings = [w for w in everything if isinstance(w, ResultsLockedError)]
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
    assert len([w for w in everything if isinstance(w, ResultsLockedError)]) == 2


@pytest.mark.expect_log(
    "po_downloader.engine.output.recorder",
    r"cannot write the results file .*pos_results\.csv.*open in another program",
)
@pytest.mark.expect_log("po_downloader.engine.output.recorder", r"stayed locked")
def test_default_warning_goes_to_the_log(
    sheet: ResultsSheet, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_write = ResultsSheet.write

    def locked(self: ResultsSheet, target: Path | None = None) -> None:
        if target not in (None, self.path):  # the fallback beside it is not locked
            return real_write(self, target)
        raise ResultsLockedError(self.path)

    monkeypatch.setattr(ResultsSheet, "write", locked)
    rec = ResultsRecorder(sheet, sleep=lambda s: None)
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


def lock(monkeypatch: pytest.MonkeyPatch, path: Path, times: int | None = None) -> list[str]:
    """Make ``os.replace`` onto ``path`` fail as Windows does while Excel holds the file (``times``
    times, or for ever); returns the list of attempts made."""
    attempts: list[str] = []
    real = os.replace

    def replace(src: str, dst: str) -> None:
        if Path(dst) == path:
            attempts.append(dst)
            if times is None or len(attempts) <= times:
                raise PermissionError(13, "The process cannot access the file", dst)
        real(src, dst)

    monkeypatch.setattr(results_module.os, "replace", replace)
    return attempts


def test_a_file_locked_during_the_batch_is_written_at_a_later_update(
    sheet: ResultsSheet, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[Exception] = []
    rec = ResultsRecorder(sheet, on_warning=warnings.append)
    attempts = lock(monkeypatch, sheet.path, times=1)
    rec(finished("PO100001", PoStatus.COMPLETED))
    assert len(attempts) == 1 and not sheet.path.exists() and len(warnings) == 1
    clock.now += WRITE_INTERVAL_S + 1
    rec(finished("PO100002", PoStatus.FAILED))
    assert [r["STATUS"] for r in rows(sheet.path)][:2] == ["COMPLETED", "FAILED"]
    assert sheet.saved_to == sheet.path and rec.last_error == ""


def test_a_file_locked_at_the_end_is_tried_again_before_any_fallback(
    sheet: ResultsSheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[Exception] = []
    pauses: list[float] = []
    rec = ResultsRecorder(sheet, on_warning=warnings.append, sleep=pauses.append, retry_delay=0.5)
    sheet.update(normalise_po("PO100001"), PoOutcome(PoStatus.COMPLETED))
    attempts = lock(monkeypatch, sheet.path, times=2)
    rec(END)
    assert len(attempts) == 3 and pauses == [0.5, 0.5]
    assert rows(sheet.path)[0]["STATUS"] == "COMPLETED"
    assert sheet.saved_to == sheet.path and not sheet.dirty
    assert [p.name for p in sheet.path.parent.iterdir() if "unsaved" in p.name] == []


@pytest.mark.expect_log("po_downloader.engine.output.recorder", r"stayed locked")
def test_a_file_locked_to_the_end_goes_to_a_named_fallback_beside_it(
    sheet: ResultsSheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[Exception] = []
    rec = ResultsRecorder(sheet, on_warning=warnings.append, sleep=lambda s: None, now=lambda: WHEN)
    sheet.path.write_text("the previous results\n", encoding="utf-8")
    lock(monkeypatch, sheet.path)
    rec(finished("PO100001", PoStatus.COMPLETED))
    rec(END)
    fallback = sheet.path.with_name("pos_results (unsaved 2024-05-06 0708).csv")
    assert sheet.saved_to == fallback
    assert [r["STATUS"] for r in rows(fallback)][:2] == ["COMPLETED", "PENDING"]
    assert sheet.path.read_text(encoding="utf-8") == "the previous results\n"  # untouched, not blanked
    told = [
        w
        for w in warnings
        if isinstance(w, PoDownloaderError) and w.kind is ErrorKind.RESULTS_SAVED_ELSEWHERE
    ]
    assert len(told) == 1 and Path(told[0].details["fallback"]) == fallback
    assert Path(told[0].details["path"]) == sheet.path


@pytest.mark.expect_log("po_downloader.engine.output.recorder", r"could not be written to .* nor to")
def test_results_that_cannot_be_written_anywhere_say_so(
    sheet: ResultsSheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[Exception] = []
    rec = ResultsRecorder(sheet, on_warning=warnings.append, sleep=lambda s: None)

    def refused(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(results_module.os, "replace", refused)
    rec(finished("PO100001", PoStatus.COMPLETED))
    rec(END)
    assert sheet.saved_to is None and sheet.dirty
    assert any(isinstance(w, PoDownloaderError) and w.kind is ErrorKind.RESULTS_NOT_SAVED for w in warnings)
    assert [p.name for p in sheet.path.parent.iterdir() if "results" in p.name] == []


@pytest.mark.expect_log("po_downloader.engine.output.recorder", r"stayed locked")
def test_a_write_skipped_for_its_interval_does_not_make_the_same_lock_news_again(
    sheet: ResultsSheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[Exception] = []
    rec = ResultsRecorder(sheet, on_warning=warnings.append, sleep=lambda s: None)
    lock(monkeypatch, sheet.path)
    rec(finished("PO100001", PoStatus.COMPLETED))
    rec(finished("PO100002", PoStatus.COMPLETED))  # within the interval: no write, nothing learnt
    rec(END)
    assert [type(w).__name__ for w in warnings] == ["ResultsLockedError", "PoDownloaderError"]
