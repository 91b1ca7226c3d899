"""The CLI's side of resume and of a locked results file: flags, and the lines that say what happened."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from po_downloader.cli.main import build_parser
from po_downloader.cli.messages import error_message
from po_downloader.cli.run import report, results_line, resume_note
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output import recorder as recorder_module
from po_downloader.engine.output import results as results_module
from po_downloader.engine.output.journal_records import BatchId, BatchRecord
from po_downloader.engine.run.batch import make_controller, prepare
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings
from tests.helpers.fake_worker import FakeWorker

WHEN = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


def test_resume_and_fresh_are_flags_of_run_and_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    parse = build_parser().parse_args
    assert parse(["run", "x.csv"]).resume is None
    assert parse(["run", "x.csv", "--resume"]).resume is True
    assert parse(["run", "x.csv", "--fresh"]).resume is False
    with pytest.raises(SystemExit):
        parse(["run", "x.csv", "--resume", "--fresh"])
    assert "not allowed with argument" in capsys.readouterr().err


def batch(**kw: object) -> SimpleNamespace:
    plan = SimpleNamespace(pos=tuple(PoNumber(str(10000001 + i)) for i in range(24)))
    return SimpleNamespace(**{"plan": plan, "resumed": None, "not_resumed": None, "kept": {}, **kw})


def record() -> BatchRecord:
    return BatchRecord(BatchId(1), "/x.csv", "h", {}, WHEN, None, False, {"PENDING": 7}, 0, 0)


def test_a_resumed_run_says_so_with_what_is_done_and_how_to_start_over() -> None:
    kept = {str(10000001 + i): PoStatus.COMPLETED for i in range(17)}
    note = resume_note(batch(resumed=record(), kept=kept))  # type: ignore[arg-type]
    assert note is not None
    assert note.startswith(f"resuming the batch of {WHEN.astimezone():%Y-%m-%d %H:%M}: 17 of 24 POs done")
    assert note.endswith("--fresh to start over")


def test_a_changed_sheet_says_why_it_did_not_resume_and_a_plain_run_says_nothing() -> None:
    note = resume_note(batch(not_resumed=record()))  # type: ignore[arg-type]
    assert note is not None and "the sheet has changed since" in note
    assert resume_note(batch()) is None  # type: ignore[arg-type]


def sheet(path: Path, saved_to: Path | None, dirty: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        results=SimpleNamespace(path=path, saved_to=saved_to, dirty=dirty, left_alone=False)
    )


def test_the_results_line_names_where_the_results_really_are(tmp_path: Path) -> None:
    path = tmp_path / "pos_results.csv"
    fallback = tmp_path / "pos_results (unsaved 2026-12-02 1530).csv"
    assert results_line(sheet(path, path)) == f"results: {path}"  # type: ignore[arg-type]
    moved = results_line(sheet(path, fallback, dirty=True))  # type: ignore[arg-type]
    assert moved.startswith(f"results: {fallback}") and "was locked" in moved
    for lost in (sheet(path, None, dirty=True), sheet(path, path, dirty=True)):
        line = results_line(lost)  # type: ignore[arg-type]
        assert line.startswith("results: NOT SAVED") and str(path) in line


def test_the_new_kinds_are_worded_for_the_terminal(tmp_path: Path) -> None:
    elsewhere = PoDownloaderError(
        ErrorKind.RESULTS_SAVED_ELSEWHERE,
        "x",
        path=tmp_path / "a.csv",
        fallback=tmp_path / "b.csv",
        detail="d",
    )
    assert str(tmp_path / "b.csv") in error_message(elsewhere)
    nothing = PoDownloaderError(ErrorKind.NOTHING_TO_RESUME, "x", path="pos.csv")
    assert "no unfinished batch of 'pos.csv'" in error_message(nothing)
    changed = PoDownloaderError(
        ErrorKind.RESUME_INPUT_CHANGED, "x", path="pos.csv", started="2026-12-02 15:30"
    )
    assert "--fresh" in error_message(changed)


@pytest.mark.expect_log("po_downloader.engine.output.recorder", r"stayed locked")
@pytest.mark.timeout(60)
def test_a_results_file_locked_to_the_end_is_saved_beside_it_and_the_cli_says_where(
    tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A whole batch (scripted workers) while Excel holds the results file: the CLI's results line names
    the fallback file, which holds every PO's outcome, and the locked file keeps what it had."""
    source = tmp_path / "pos.csv"
    source.write_text("PO_NUMBER\nPO10000001\nPO10000002\n", encoding="utf-8")
    locked = tmp_path / "pos_results.csv"
    locked.write_text("yesterday's results\n", encoding="utf-8")
    (tmp_path / "profile").mkdir()
    settings = Settings(
        base_url="https://acme.coupahost.com",
        download_root=str(tmp_path / "root"),
        browser="chromium",
        profile_dir=str(tmp_path / "profile"),
    )
    real_replace = os.replace

    def excel_holds_it(src: str, dst: str) -> None:
        if Path(dst) == locked:
            raise PermissionError(13, "The process cannot access the file", dst)
        real_replace(src, dst)

    monkeypatch.setattr(results_module.os, "replace", excel_holds_it)
    monkeypatch.setattr(recorder_module, "FINAL_RETRY_DELAY_S", 0.01)
    dirs = app_dirs()
    batch = prepare(source, settings, dirs)
    options = BatchOptions(workers=1, max_attempts=1, governor=False)
    warnings: list[Exception] = []
    controller = make_controller(
        batch, dirs, options, lambda e: None, on_warning=warnings.append, worker_target=FakeWorker()
    )
    summary = controller.run()
    capsys.readouterr()
    report(summary, batch, tmp_path / "log.txt")
    out = capsys.readouterr().out
    (fallback,) = [p for p in tmp_path.iterdir() if "unsaved" in p.name]
    assert fallback.name.startswith("pos_results (unsaved ") and fallback.suffix == ".csv"
    assert f"results: {fallback}" in out and f"results: {locked}\n" not in out
    assert locked.read_text(encoding="utf-8") == "yesterday's results\n"
    with fallback.open(encoding="utf-8-sig", newline="") as fh:
        assert [r["STATUS"] for r in csv.DictReader(fh)] == ["COMPLETED"] * 2
    assert [type(w).__name__ for w in warnings] == ["ResultsLockedError", "PoDownloaderError"]  # once each
