"""Sorting and filtering of the PO table, so the view can show "problems only" or one supplier's POs.

Sorting uses the model's raw role (numbers sort as numbers, statuses by urgency) and runs in C++; the
filter reads the :class:`TaskRow` straight from the source model instead of going through QVariants.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from po_downloader.engine.models import StatusGroup
from po_downloader.ui.task_model import TaskTableModel, shown_message


class TaskFilterProxy(QSortFilterProxyModel):
    """Filters rows by a free text (PO, supplier, message) and a status mode; sorts on ``RAW_ROLE``."""

    ALL = "all"
    PROBLEMS = "problems"
    ACTIVE = "active"
    DONE = "done"

    MODES: dict[str, StatusGroup | None] = {
        ALL: None,
        PROBLEMS: StatusGroup.PROBLEM,
        ACTIVE: StatusGroup.ACTIVE,
        DONE: StatusGroup.DONE,
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(TaskTableModel.RAW_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._text = ""
        self._mode = self.ALL
        self._group: StatusGroup | None = None

    @property
    def text(self) -> str:
        return self._text

    @property
    def mode(self) -> str:
        return self._mode

    def set_text(self, text: str) -> None:
        """Keep rows whose PO, supplier or message as shown contains ``text`` (any case; blank keeps all)."""
        needle = text.strip().casefold()
        if needle != self._text:
            self._change_filter(lambda: setattr(self, "_text", needle))

    def set_status_filter(self, mode: str) -> None:
        """Keep rows whose status belongs to ``mode`` (one of ALL, PROBLEMS, ACTIVE, DONE)."""
        if mode not in self.MODES:
            raise ValueError(f"unknown status filter {mode!r}")
        if mode != self._mode:

            def change() -> None:
                self._mode, self._group = mode, self.MODES[mode]

            self._change_filter(change)

    def _change_filter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9: only the rows filter is redone
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._text and self._group is None:
            return True
        model = self.sourceModel()
        if not isinstance(model, TaskTableModel):
            return True
        row = model.row(source_row)
        if self._group is not None and row.outcome.status.group is not self._group:
            return False
        if not self._text:
            return True
        text, o = self._text, row.outcome
        return (
            text in row.po.display.casefold()
            or text in o.supplier.casefold()
            or text in shown_message(o).casefold()
        )
