"""The table of POs: how it looks and sorts, apart from the window that places it.

Fixed starting widths rather than measured ones: measuring contents costs seconds on a 10 000-row sheet.
The Folder column shows the path below the download root, cut in the middle: every absolute path starts
the same, so cut at the right every row read alike; the PO's own folder is at the end (the tooltip keeps
the whole path).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

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


def below_root(folder: str, root: PurePath | None) -> str:
    """``folder`` relative to ``root`` when it lies below it; otherwise as it is (another root, a resumed
    batch's old one): a path is never shortened into one that points elsewhere."""
    if not folder or root is None:
        return folder
    try:
        relative = PurePath(folder).relative_to(root)
    except ValueError:
        return folder
    return str(relative) if relative.parts else folder


class FolderDelegate(QStyledItemDelegate):
    """Draws a folder below the download root (``root()`` is asked each time: the settings can change)."""

    def __init__(self, root: Callable[[], Path | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = root

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = below_root(option.text, self.root())
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class TaskTable(QTableView):
    """Whole rows selected, sortable (the sheet's order until the user sorts), a context menu for rows."""

    def __init__(
        self,
        model: QAbstractItemModel,
        parent: QWidget | None = None,
        *,
        root: Callable[[], Path | None] = lambda: None,
    ) -> None:
        """``root`` gives the download root the Folder column is shown below (none: whole paths)."""
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
        self.folder_delegate = FolderDelegate(root, self)
        self.setItemDelegateForColumn(TaskTableModel.FOLDER, self.folder_delegate)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
