"""The details pane: every file a PO saved, with its size, SHA-256, route and source (without its query),
read from the journal; "Open file" and "Open folder" hand the right paths to the desktop."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal_records import FileRecord
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.po_details import PoDetails, saved_files
from po_downloader.ui.task_model import TaskRow
from tests.helpers.window import run_to_end, window_on

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    paths: list[Path] = []

    def fake_open(url: QUrl) -> bool:
        paths.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return paths


def _cells(pane: PoDetails, row: int) -> list[str]:
    return [pane.table.item(row, c).text() for c in range(pane.table.columnCount())]


def test_the_pane_lists_each_file_of_a_finished_batch_from_the_journal(
    qtbot, tmp_path: Path, app_home: Path, opened: list[Path]
) -> None:
    window = window_on(qtbot, tmp_path, {"10000002": ["ok:3"]})
    run_to_end(qtbot, window, window.start_button.click)
    row = window.model.row(1)
    assert row.outcome.status is PoStatus.COMPLETED and row.po.digits == "10000002"
    menu = window.row_actions.menu_for(window.proxy.index(1, 0))
    assert menu is not None and "Details…" in [a.text() for a in menu.actions()]
    pane = window.row_actions.show_details(row)
    assert pane is not None and pane.isVisible()
    qtbot.addWidget(pane)
    on_disk = sorted(p for p in Path(row.outcome.folder).iterdir() if p.is_file())
    assert pane.table.rowCount() == len(on_disk) == 3
    shown = sorted(_cells(pane, i) for i in range(3))
    for cells, path in zip(shown, on_disk, strict=True):
        name, size, sha, route, source = cells
        assert name == path.name
        assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
        assert size and route == row.outcome.route
        assert source == f"fake://10000002/{path.name}"
    assert str(len(on_disk)) in pane.heading.text() and row.outcome.folder in pane.heading.text()
    pane.table.selectRow(2)
    pane.open_file.click()
    pane.open_folder.click()
    assert opened == [Path(pane.files[2].path), Path(row.outcome.folder)]
    assert Path(pane.files[2].path).name == pane.table.item(2, PoDetails.NAME).text()


def test_a_po_without_files_shows_none_and_opens_nothing(qtbot, app_home: Path, opened: list[Path]) -> None:
    row = TaskRow(normalise_po("PO10000009"))
    assert saved_files(app_dirs().journal_file, row.po) == []
    pane = PoDetails(row, [])
    qtbot.addWidget(pane)
    assert pane.table.rowCount() == 0 and "No file" in pane.heading.text()
    assert not pane.open_file.isEnabled() and not pane.open_folder.isEnabled()
    pane.open_file.click()
    assert opened == []


def test_the_source_is_shown_without_its_query(qtbot, tmp_path: Path) -> None:
    saved = tmp_path / "PO10000001_COMPLETED" / "Invoice.pdf"
    saved.parent.mkdir()
    saved.write_bytes(b"%PDF")
    record = FileRecord(
        po="10000001",
        name="Invoice.pdf",
        path=str(saved),
        size=4,
        sha256=hashlib.sha256(b"%PDF").hexdigest(),
        source="PO",
        url="https://acme.coupahost.com/attachment_file/7?token=SECRET&expires=1",
        attempt=1,
        saved_at=datetime(2026, 12, 7, tzinfo=UTC),
    )
    outcome = PoOutcome(PoStatus.COMPLETED, folder=str(saved.parent), route="http", names=("Invoice.pdf",))
    pane = PoDetails(TaskRow(normalise_po("PO10000001"), outcome), [record])
    qtbot.addWidget(pane)
    assert _cells(pane, 0) == [
        "Invoice.pdf",
        "4 B",
        record.sha256,
        "http",
        "https://acme.coupahost.com/attachment_file/7",
    ]
    assert "SECRET" not in pane.table.item(0, PoDetails.SOURCE).toolTip()
    assert pane.open_file.isEnabled() and pane.open_folder.isEnabled()


def test_the_pane_in_portuguese(qtbot, portuguese) -> None:
    pane = PoDetails(TaskRow(normalise_po("PO10000001")), [])
    qtbot.addWidget(pane)
    headers = [pane.table.horizontalHeaderItem(c).text() for c in range(pane.table.columnCount())]
    assert headers == ["Nome", "Tamanho", "SHA-256", "Rota", "Origem"]
    assert (pane.open_file.text(), pane.open_folder.text()) == ("Abrir arquivo", "Abrir pasta")
