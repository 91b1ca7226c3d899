"""The table of POs: how it looks and sorts, apart from the window that places it.

Fixed starting widths rather than measured ones: measuring contents costs seconds on a 10 000-row sheet.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from po_downloader.ui.task_model import TaskTableModel

COLUMN_WIDTHS = {
    TaskTableModel.PO: 110,
    TaskTableModel.SUPPLIER: 190,
    TaskTableModel.STATUS: 150,
    TaskTableModel.FILES: 60,
    TaskTableModel.SIZE: 80,
    TaskTableModel.WORKER: 85,
    TaskTableModel.ATTEMPTS: 70,
    TaskTableModel.MESSAGE: 260,
}


class TaskTable(QTableView):
    """Whole rows selected, sortable (the sheet's order until the user sorts), a context menu for rows."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().setDefaultSectionSize(22)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
