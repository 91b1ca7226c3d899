"""Which column holds the PO numbers, asked once per header layout: the dialog and the window's part of it.

A sheet whose PO column is not recognised (or has no valid PO) opens this dialog with its header and first
rows; so does "Choose the PO column…" for a sheet that opened on the wrong column. The choice (and,
optionally, the supplier and other columns for folder templates) is remembered per header layout in the
settings folder (``engine/input/column_memory``) and the sheet is read again, so the plan, resume and the
results sheet all follow that column. The spreadsheet is never written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_downloader.engine.input.column_choice import ColumnMapping
from po_downloader.engine.input.column_memory import ColumnMemory
from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.input.po import is_blank, looks_like_po
from po_downloader.engine.input.sheet import SheetError
from po_downloader.engine.input.table import Table
from po_downloader.engine.system.paths import AppDirs
from po_downloader.ui.sheet_loader import read_and_plan

log = logging.getLogger(__name__)

#: How many rows the dialog shows (and counts POs in) under the header.
PREVIEW_ROWS = 20


class ColumnDialog(QDialog):
    """The header and first rows of a sheet, and which column means what; :meth:`mapping` is the answer."""

    def __init__(
        self,
        name: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        current: ColumnMapping | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("column_dialog")
        self.columns = tuple(columns)
        self.rows = tuple(tuple(r) for r in rows[:PREVIEW_ROWS])
        self.setWindowTitle(self.tr("Which column holds the PO numbers?"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Choose the column of “{name}” that holds the PO numbers. The choice is remembered for "
                "sheets with these same columns; the sheet itself is not changed."
            ).format(name=name)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.preview = _preview(self.columns, self.rows)
        layout.addWidget(self.preview, 1)

        form = QFormLayout()
        self.po_box = QComboBox()
        self.po_box.addItems(list(self.columns))
        self.supplier_box = QComboBox()
        self.supplier_box.addItem(self.tr("(none)"))
        self.supplier_box.addItems(list(self.columns))
        self.found = QLabel()
        form.addRow(self.tr("PO numbers:"), self.po_box)
        form.addRow("", self.found)
        form.addRow(self.tr("Supplier (optional):"), self.supplier_box)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Other columns for folder templates (optional):")))
        self.values_list = QListWidget()
        for column in self.columns:
            item = QListWidgetItem(column)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.values_list.addItem(item)
        self.values_list.setMaximumHeight(110)
        layout.addWidget(self.values_list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.po_box.currentIndexChanged.connect(self._po_moved)
        self._select(current)
        self.resize(760, 520)

    def _select(self, current: ColumnMapping | None) -> None:
        if current is not None and current.po in self.columns:
            self.po_box.setCurrentIndex(self.columns.index(current.po))
        else:
            self.po_box.setCurrentIndex(max(range(len(self.columns)), key=self.po_count, default=0))
        if current is not None and current.supplier in self.columns:
            self.supplier_box.setCurrentIndex(self.columns.index(current.supplier) + 1)
        for i, column in enumerate(self.columns):
            if current is not None and column in current.values:
                self.values_list.item(i).setCheckState(Qt.CheckState.Checked)
        self._po_moved(self.po_box.currentIndex())

    def po_count(self, index: int) -> int:
        """How many of the shown rows hold a PO number in column ``index``."""
        return sum(1 for row in self.rows if index < len(row) and looks_like_po(row[index]))

    def _po_moved(self, index: int) -> None:
        count = self.po_count(index)
        self.found.setText(
            self.tr("%n of the first rows shown hold a PO number in this column", "", count)
            if self.rows
            else ""
        )
        self.preview.selectColumn(index)

    def mapping(self) -> ColumnMapping:
        supplier = self.supplier_box.currentIndex() - 1
        values = tuple(
            self.columns[i]
            for i in range(self.values_list.count())
            if self.values_list.item(i).checkState() == Qt.CheckState.Checked
        )
        return ColumnMapping(
            self.columns[self.po_box.currentIndex()],
            self.columns[supplier] if supplier >= 0 else None,
            values,
        )


def _preview(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectColumns)
    for r, row in enumerate(rows):
        for c, value in enumerate(row[: len(columns)]):
            table.setItem(r, c, QTableWidgetItem(_cell(value)))
    return table


def _cell(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ColumnChoice(QObject):
    """The window's column choices: the reader that applies them, the dialog that asks, the action.

    Signal ``chosen(Path)``: a choice was remembered for that sheet, which is to be read again.
    """

    chosen = Signal(Path)

    def __init__(self, dirs: AppDirs, parent: QWidget) -> None:
        super().__init__(parent)
        self.memory = ColumnMemory(dirs.config)
        self.action = QAction(self.tr("Choose the PO column…"), self)
        self.action.setEnabled(False)
        self.action.triggered.connect(self.choose_another)
        self.dialog: ColumnDialog | None = None
        self._sheet: tuple[Path, BatchPlan] | None = None
        self._allowed = True

    def read_and_plan(self, path: Path) -> BatchPlan:
        """The sheet's plan with the column remembered for its header layout, if any (runs off the GUI
        thread: the memory is safe to read there)."""
        return read_and_plan(path, remembered=self.memory.lookup)

    def use_sheet(self, path: Path | None, plan: BatchPlan | None) -> None:
        """The sheet on screen, which "Choose the PO column…" re-maps (None: no sheet)."""
        self._sheet = (path, plan) if path is not None and plan is not None else None
        self.enable(self._allowed)

    def enable(self, allowed: bool) -> None:
        """The action works on the sheet on screen, and not while a batch runs (``allowed``)."""
        self._allowed = allowed
        self.action.setEnabled(allowed and self._sheet is not None)

    def offer(self, path: Path, error: BaseException) -> bool:
        """Ask which column holds the POs when ``error`` says the sheet has none that works (no PO column
        recognised, or none of the chosen one's values is a PO); True when the dialog opened."""
        table = getattr(error, "table", None) if isinstance(error, SheetError) else None
        if not isinstance(table, Table) or not table.rows:
            return False
        self.ask(path, table.columns, table.rows, None)
        return True

    def choose_another(self) -> None:
        if self._sheet is None:
            return
        path, plan = self._sheet
        sheet = plan.sheet
        current = sheet.mapping or ColumnMapping(sheet.po_column)
        self.ask(path, sheet.columns, sheet.rows, current)

    def ask(
        self,
        path: Path,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        current: ColumnMapping | None,
    ) -> None:
        """Open the dialog (window-modal, not a nested event loop: the sheet reader's coroutine may be
        the caller); on OK remember the mapping for this layout and ask for the sheet to be read again."""
        if self.dialog is not None:
            self.dialog.close()
        parent = self.parent()
        dialog = ColumnDialog(
            path.name, columns, rows, current, parent if isinstance(parent, QWidget) else None
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._accepted(path, tuple(columns), dialog.mapping()))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _accepted(self, path: Path, columns: tuple[str, ...], mapping: ColumnMapping) -> None:
        log.info("PO column for %s: %r (remembered for its header layout)", path.name, mapping.po)
        self.memory.remember(columns, mapping)
        self.chosen.emit(path)

    def _closed(self, dialog: ColumnDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
