"""What a right-click or a double-click on a table row does: open its folder or its PO, copy its URL,
retry it, show its files (the details pane).

Its own class so the menu can be built and checked without showing it (:meth:`RowActions.menu_for`), and
so the window only connects the table's two signals here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QPoint, Signal
from PySide6.QtWidgets import QMenu, QTableView

from po_downloader.engine.models import PoNumber
from po_downloader.ui.desktop import copy_text, open_path, open_url
from po_downloader.ui.po_details import PoDetails, saved_files
from po_downloader.ui.task_model import TaskRow, TaskTableModel
from po_downloader.ui.task_proxy import TaskFilterProxy


class RowActions(QObject):
    """Signals: ``retry_requested(list[PoNumber] pos)``: the rows the user asked to run again."""

    retry_requested = Signal(list)

    def __init__(
        self,
        table: QTableView,
        proxy: TaskFilterProxy,
        model: TaskTableModel,
        *,
        po_url: Callable[[PoNumber], str],
        can_retry: Callable[[], bool],
        journal_file: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``po_url`` gives a PO's page (the portal address can change); ``can_retry`` says whether a
        retry may start now (no batch running, one prepared); ``journal_file`` holds the files the details
        pane lists (none: the pane is not offered)."""
        super().__init__(parent)
        self.table = table
        self.proxy = proxy
        self.model = model
        self.po_url = po_url
        self.can_retry = can_retry
        self.journal_file = journal_file
        self.details: PoDetails | None = None

    def _selected_rows(self) -> list[TaskRow]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.row(r) for r in sorted(rows)]

    def menu_for(self, index: QModelIndex) -> QMenu | None:
        """The context menu for a click on ``index`` (a proxy index), acting on the selection, if any."""
        if not index.isValid():
            return None
        rows = self._selected_rows() or [self.model.row(self.proxy.mapToSource(index).row())]
        row = rows[0]
        folder = row.outcome.folder
        menu = QMenu(self.table)
        if self.journal_file is not None:
            menu.addAction(self.tr("Details…")).triggered.connect(lambda: self.show_details(row))
        open_folder = menu.addAction(self.tr("Open folder"))
        open_folder.setEnabled(bool(folder) and Path(folder).exists())
        open_folder.triggered.connect(lambda: open_path(Path(folder)))
        url = row.outcome.url or self.po_url(row.po)
        menu.addAction(self.tr("Open in browser")).triggered.connect(lambda: open_url(url))
        menu.addAction(self.tr("Copy URL")).triggered.connect(lambda: copy_text(url))
        retry = menu.addAction(self.tr("Retry"))
        retry.setEnabled(self.can_retry())
        retry.triggered.connect(lambda: self.retry_requested.emit([r.po for r in rows]))
        return menu

    def show_details(self, row: TaskRow) -> PoDetails | None:
        """The PO's details pane (one at a time: opening another PO's replaces it)."""
        if self.journal_file is None:
            return None
        if self.details is not None:
            self.details.close()
            self.details.deleteLater()
        self.details = PoDetails(row, saved_files(self.journal_file, row.po), self.table)
        self.details.show()
        return self.details

    def context_menu(self, pos: QPoint) -> None:
        menu = self.menu_for(self.table.indexAt(pos))
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row(self.proxy.mapToSource(index).row())
        folder = row.outcome.folder
        if folder and Path(folder).exists():
            open_path(Path(folder))
        else:
            open_url(row.outcome.url or self.po_url(row.po))
