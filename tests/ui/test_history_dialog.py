"""The batch history window over a real journal file: what it lists, the manifest it opens, what it clears."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId
from po_downloader.engine.output.manifest import manifest_path_for
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui import history_dialog
from po_downloader.ui.history_dialog import HistoryDialog
from po_downloader.ui.main_window import MainWindow


def _finished_batch(journal: Journal, tmp_path: Path) -> BatchId:
    """``done.csv``: PO1 completed with two files (3 000 bytes in all), PO2 failed."""
    batch = journal.start_batch(tmp_path / "done.csv", "aa", {}, ["1", "2"])
    folder = tmp_path / "out" / "ACME" / "PO1_COMPLETED"
    folder.mkdir(parents=True)
    journal.po_started(batch, "1", 1, 1)
    for name, size in (("a.pdf", 1000), ("b.pdf", 2000)):
        (folder / name).write_bytes(b"x" * size)
        journal.file_saved(
            batch, "1", name, folder / name, size, "f" * 64, url=f"https://coupa.example/{name}"
        )
    journal.po_finished(
        batch, "1", PoOutcome(PoStatus.COMPLETED, supplier="ACME", folder=str(folder), found=2, downloaded=2)
    )
    journal.po_started(batch, "2", 1, 2)
    journal.po_finished(batch, "2", PoOutcome(PoStatus.FAILED, message="HTTP 500"))
    journal.finish_batch(batch, stopped=False)
    return batch


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    """A finished batch, then a batch that never ended (the process died with PO4 still pending)."""
    path = tmp_path / "data" / "journal.sqlite3"
    with Journal.open(path) as journal:
        _finished_batch(journal, tmp_path)
        crashed = journal.start_batch(tmp_path / "crashed.xlsx", "bb", {}, ["3", "4"])
        journal.po_started(crashed, "3", 1, 1)
        journal.po_finished(crashed, "3", PoOutcome(PoStatus.NO_ATTACHMENTS))
    return path


class Opened:
    def __init__(self, result: bool = True) -> None:
        self.paths: list[Path] = []
        self.result = result

    def __call__(self, path: Path) -> bool:
        self.paths.append(path)
        return self.result


def _dialog(qtbot, journal_file: Path, **kw) -> HistoryDialog:
    dialog = HistoryDialog(journal_file, **kw)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    return dialog


def _rows(dialog: HistoryDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_it_lists_the_batches_newest_first_with_counts_files_and_size(qtbot, journal_file: Path) -> None:
    dialog = _dialog(qtbot, journal_file)
    (crashed, done) = _rows(dialog)
    assert crashed[0] == "crashed.xlsx"
    assert crashed[2] == "unfinished (never ended)"
    assert crashed[3].startswith("2:") and "1 No attachments" in crashed[3] and "1 Waiting" in crashed[3]
    assert crashed[4:] == ["0", "0 B"]
    assert done[0] == "done.csv"
    assert done[2] and "unfinished" not in done[2]
    assert done[3] == "2: 1 Failed, 1 Completed"
    assert done[4:] == ["2", "2.9 KB"]
    assert dialog.table.item(1, 0).toolTip() == str((journal_file.parent.parent / "done.csv").resolve())
    assert dialog.open_button.isEnabled() and dialog.clear_button.isEnabled()


def test_the_journal_is_read_off_the_gui_thread(qtbot, journal_file: Path, monkeypatch) -> None:
    on_main: list[bool] = []
    real = history_dialog.read_history

    def spy(path: Path, limit: int = history_dialog.HISTORY_LIMIT):
        on_main.append(threading.current_thread() is threading.main_thread())
        return real(path, limit)

    monkeypatch.setattr(history_dialog, "read_history", spy)
    dialog = _dialog(qtbot, journal_file)
    assert on_main == [False]
    assert dialog.table.rowCount() == 2


def test_without_a_journal_it_says_so_and_creates_nothing(qtbot, tmp_path: Path) -> None:
    missing = tmp_path / "data" / "journal.sqlite3"
    dialog = _dialog(qtbot, missing)
    assert dialog.table.rowCount() == 0
    assert "No batch yet" in dialog.status.text()
    assert not dialog.open_button.isEnabled() and not dialog.clear_button.isEnabled()
    assert not missing.exists() and not missing.parent.exists()


def test_open_manifest_writes_a_missing_manifest_from_the_journal_then_opens_it(
    qtbot, journal_file: Path, tmp_path: Path
) -> None:
    opened = Opened()
    dialog = _dialog(qtbot, journal_file, opener=opened)
    dialog.table.selectRow(1)
    dialog.open_button.click()
    manifest = manifest_path_for(tmp_path / "done.csv")
    qtbot.waitUntil(lambda: opened.paths == [manifest], timeout=10_000)
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["PO"], r["File"], r["Size (bytes)"]) for r in rows] == [
        ("1", "a.pdf", "1000"),
        ("1", "b.pdf", "2000"),
    ]
    assert str(manifest) in dialog.status.text()


def test_open_manifest_keeps_a_manifest_that_is_there(qtbot, journal_file: Path, tmp_path: Path) -> None:
    manifest = manifest_path_for(tmp_path / "done.csv")
    manifest.write_text("the batch's own manifest\n", encoding="utf-8")
    opened = Opened(result=False)
    dialog = _dialog(qtbot, journal_file, opener=opened)
    dialog.table.selectRow(1)
    dialog.open_button.click()
    qtbot.waitUntil(lambda: opened.paths == [manifest], timeout=10_000)
    assert manifest.read_text(encoding="utf-8") == "the batch's own manifest\n"
    assert "no program could open it" in dialog.status.text() and str(manifest) in dialog.status.text()


def test_a_manifest_that_cannot_be_written_is_reported(qtbot, tmp_path: Path) -> None:
    """The input's folder is gone and a file took its name: nothing to open, and the dialog says why."""
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        journal.start_batch(tmp_path / "moved" / "pos.csv", "cc", {}, ["1"])
    (tmp_path / "moved").write_text("a file where the input's folder was")
    opened = Opened()
    dialog = _dialog(qtbot, path, opener=opened)
    dialog.open_button.click()
    qtbot.waitUntil(lambda: "could not be written" in dialog.status.text(), timeout=10_000)
    assert opened.paths == []


def test_clear_history_asks_first_and_keeps_unfinished_batches(qtbot, journal_file: Path) -> None:
    questions: list[str] = []
    answer = [False]

    def confirm(parent, question: str) -> bool:
        questions.append(question)
        return answer[0]

    dialog = _dialog(qtbot, journal_file, confirm=confirm)
    dialog.clear_button.click()
    assert len(questions) == 1 and "Unfinished batches stay" in questions[0]
    assert dialog.table.rowCount() == 2  # said no: nothing forgotten
    with Journal.open(journal_file) as journal:
        assert len(journal.history()) == 2

    answer[0] = True
    dialog.clear_button.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.table.rowCount() == 1, timeout=10_000)
    assert _rows(dialog)[0][0] == "crashed.xlsx"
    assert dialog.status.text() == "Finished batches forgotten: 1."
    with Journal.open(journal_file) as journal:
        assert [b.input_path.endswith("crashed.xlsx") for b in journal.history()] == [True]


def test_the_window_opens_the_history(qtbot, app_home: Path, tmp_path: Path) -> None:
    dirs = app_dirs()
    with Journal.open(dirs.journal_file) as journal:
        _finished_batch(journal, tmp_path)
    window = MainWindow(dirs)
    qtbot.addWidget(window)
    window.toolbar.history.trigger()
    dialog = window.findChild(HistoryDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.table.item(0, 0).text() == "done.csv"
    dialog.close()
    window.log_panel.detach()


def test_a_journal_that_is_not_a_database_is_reported_not_crashed_on(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"this is not SQLite" * 100)
    dialog = _dialog(qtbot, path)
    assert dialog.table.rowCount() == 0
    assert dialog.status.text().startswith("The history could not be read:")
    assert not dialog.open_button.isEnabled() and not dialog.clear_button.isEnabled()
