"""Which column holds the POs, asked in the window: shown for an unrecognised sheet, remembered the second
time, and "Choose the PO column…" for a sheet that opened on the wrong one (ui/column_dialog.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from po_downloader.engine.input.column_choice import ColumnMapping
from po_downloader.engine.input.column_memory import ColumnMemory
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.column_dialog import ColumnDialog
from po_downloader.ui.main_window import MainWindow
from tests.helpers.window import load_sheet

#: No column is recognised: "Documento" holds POs on some rows only.
UNMAPPED = "Documento;Fornecedor;Centro\nPO15262984;Acme;CC-1\nver e-mail;Beta;CC-2\nPM15492200;Gama;\nnada;X;Y\nnão;X;Y\n"
#: Recognised by its header, but the user's POs are in "PO Coupa".
TWO_COLUMNS = "PO_NUMBER;PO Coupa\nPO11111111;PO22222222\nPO11111112;PO22222223\n"


@pytest.fixture
def window(qtbot, app_home: Path):
    w = MainWindow(app_dirs())
    qtbot.addWidget(w)
    w.show()
    yield w
    w.log_panel.detach()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _answer(qtbot, window: MainWindow, po: str, supplier: str | None = None) -> ColumnDialog:
    """Wait for the dialog, pick ``po`` (and ``supplier``) and press OK; the sheet is then read again."""
    qtbot.waitUntil(lambda: window.columns.dialog is not None and window.columns.dialog.isVisible())
    dialog = window.columns.dialog
    assert dialog is not None
    dialog.po_box.setCurrentText(po)
    if supplier is not None:
        dialog.supplier_box.setCurrentText(supplier)
    with qtbot.waitSignal(window.sheet_loaded, timeout=30_000) as blocker:
        dialog.accept()
    assert blocker.args == [True]
    return dialog


def _pos(window: MainWindow) -> list[str]:
    plan = window.launcher.plan
    assert plan is not None
    return [po.digits for po in plan.pos]


def test_the_dialog_shows_the_header_and_first_rows_and_guesses_the_po_column(qtbot) -> None:
    columns = ("Fornecedor", "Documento", "Centro")
    rows = [("Acme", "PO15262984", "CC-1"), ("Beta", "nada", ""), ("Gama", 15492200.0, "CC-2")]
    dialog = ColumnDialog("in.csv", columns, rows)
    qtbot.addWidget(dialog)
    header = [dialog.preview.horizontalHeaderItem(i).text() for i in range(dialog.preview.columnCount())]
    assert header == list(columns)
    assert dialog.preview.rowCount() == 3
    assert dialog.preview.item(2, 1).text() == "15492200"
    assert dialog.po_box.currentText() == "Documento"  # most PO-like values among the rows shown
    assert dialog.found.text() == "2 of the first rows shown hold a PO number in this column"
    dialog.po_box.setCurrentText("Fornecedor")
    assert dialog.found.text() == "0 of the first rows shown hold a PO number in this column"
    dialog.po_box.setCurrentText("Documento")
    dialog.supplier_box.setCurrentText("Fornecedor")
    dialog.values_list.item(2).setCheckState(Qt.CheckState.Checked)
    assert dialog.mapping() == ColumnMapping("Documento", "Fornecedor", ("Centro",))
    again = ColumnDialog("in.csv", columns, rows, ColumnMapping("Centro", "Fornecedor", ("Documento",)))
    qtbot.addWidget(again)
    assert again.mapping() == ColumnMapping("Centro", "Fornecedor", ("Documento",))


def test_an_unrecognised_sheet_asks_once_and_the_same_headers_open_mapped_next_time(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    first = _write(tmp_path, "march.csv", UNMAPPED)
    before = first.read_bytes()
    assert not load_sheet(qtbot, window, first)
    assert "march.csv" in window.drop_zone.summary_text()  # the error stays until a column is chosen
    dialog = _answer(qtbot, window, "Documento", supplier="Fornecedor")
    assert dialog.rows[0] == ("PO15262984", "Acme", "CC-1")
    assert _pos(window) == ["15262984", "15492200"]
    assert window.model.rowCount() == 2
    assert window.launcher.plan is not None
    assert window.launcher.plan.sheet.mapping == ColumnMapping("Documento", "Fornecedor")
    assert "Documento" in window.drop_zone.summary_text()
    assert window.start_button.isEnabled()
    assert first.read_bytes() == before  # the spreadsheet is never written

    # Another export of the same report (same headers, other rows): no question, the same column.
    second = _write(tmp_path, "april.csv", UNMAPPED.replace("PO15262984", "PO15262985"))
    assert load_sheet(qtbot, window, second)
    assert window.columns.dialog is None
    assert _pos(window) == ["15262985", "15492200"]
    # ... and so does a window opened later (the choice is on disk).
    assert ColumnMemory(app_dirs().config).lookup(("Documento", "Fornecedor", "Centro")) == ColumnMapping(
        "Documento", "Fornecedor"
    )


def test_choose_another_column_from_the_window(window: MainWindow, qtbot, tmp_path: Path) -> None:
    path = _write(tmp_path, "pos.csv", TWO_COLUMNS)
    assert load_sheet(qtbot, window, path)
    assert _pos(window) == ["11111111", "11111112"]
    assert window.columns.action in window.toolbar.actions()
    assert window.columns.action.isEnabled()

    window.columns.action.trigger()
    qtbot.waitUntil(lambda: window.columns.dialog is not None)
    assert window.columns.dialog is not None
    assert window.columns.dialog.po_box.currentText() == "PO_NUMBER"  # the column in use
    _answer(qtbot, window, "PO Coupa")
    assert _pos(window) == ["22222222", "22222223"]
    assert [window.model.index(r, 0).data() for r in range(2)] == ["PO22222222", "PO22222223"]

    assert load_sheet(qtbot, window, path)  # opened again: the choice holds over recognition
    assert _pos(window) == ["22222222", "22222223"]


def test_a_chosen_column_without_one_valid_po_asks_again(window: MainWindow, qtbot, tmp_path: Path) -> None:
    path = _write(tmp_path, "pos.csv", TWO_COLUMNS.replace("PO Coupa", "Nota").replace("PO2222", "obs "))
    assert load_sheet(qtbot, window, path)
    window.columns.action.trigger()
    qtbot.waitUntil(lambda: window.columns.dialog is not None)
    dialog = window.columns.dialog
    assert dialog is not None
    dialog.po_box.setCurrentText("Nota")
    with qtbot.waitSignal(window.sheet_loaded, timeout=30_000) as blocker:
        dialog.accept()
    assert blocker.args == [False]  # no valid PO in "Nota": said, and the question comes back
    qtbot.waitUntil(lambda: window.columns.dialog is not None and window.columns.dialog is not dialog)
    _answer(qtbot, window, "PO_NUMBER")
    assert _pos(window) == ["11111111", "11111112"]


def test_cancelling_the_question_leaves_the_sheet_refused(window: MainWindow, qtbot, tmp_path: Path) -> None:
    assert not load_sheet(qtbot, window, _write(tmp_path, "march.csv", UNMAPPED))
    qtbot.waitUntil(lambda: window.columns.dialog is not None)
    assert window.columns.dialog is not None
    window.columns.dialog.reject()
    qtbot.waitUntil(lambda: window.columns.dialog is None)
    assert not window.start_button.isEnabled()
    assert not window.columns.action.isEnabled()
    assert ColumnMemory(app_dirs().config).choices().by_layout == {}
