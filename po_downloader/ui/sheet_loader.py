"""Reads and plans a dropped sheet off the GUI thread, so a 10 000-row Excel file never freezes the window.

Every sheet read happens on a thread (this class for a chosen sheet,
:class:`~po_downloader.ui.batch_launcher.BatchLauncher` for preparing). Only the latest request counts:
a sheet chosen while another is still being read cancels it, and a cancelled read reports nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.sheet import Remembered, read_sheet
from po_downloader.ui import jobs
from po_downloader.ui.task_model import TableRows, table_rows

log = logging.getLogger(__name__)


def read_and_plan(path: Path, remembered: Remembered | None = None) -> BatchPlan:
    """The real reader: the sheet's POs, duplicates and invalid rows (slow for big Excel files);
    ``remembered``: the user's column choices per header layout (``ui/column_dialog``)."""
    return plan_batch(read_sheet(path, remembered=remembered))


class SheetLoader(QObject):
    """Signals: ``loaded(Path, BatchPlan)`` (its table rows, built on the same thread: :meth:`rows_for`);
    ``failed(Path, Exception)``: a ``SheetError`` says what is wrong with the sheet (anything else is
    unexpected; its traceback is logged)."""

    loaded = Signal(Path, object)
    failed = Signal(Path, object)

    def __init__(
        self,
        *,
        reader: Callable[[Path], BatchPlan] = read_and_plan,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.reader = reader
        self._task: asyncio.Task[None] | None = None
        self._rows: tuple[BatchPlan, TableRows] | None = None

    @property
    def busy(self) -> bool:
        """A sheet is being read: starting now would use the one on screen, not the one chosen."""
        return self._task is not None

    def load(self, path: Path) -> None:
        self.cancel()
        self._task = jobs.start(self._read(path), name=f"reading {path.name}")

    def cancel(self) -> None:
        """The sheet being read no longer counts (another was chosen, or the window closes)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def rows_for(self, plan: BatchPlan) -> TableRows:
        """The table's rows for ``plan``: those built with it on the reading thread, else built now."""
        if self._rows is not None and self._rows[0] is plan:
            rows, self._rows = self._rows[1], None
            return rows
        return table_rows(plan.pos)

    async def _read(self, path: Path) -> None:
        reader = self.reader

        def read() -> tuple[BatchPlan, TableRows]:
            plan = reader(path)
            return plan, table_rows(plan.pos)

        try:
            plan, rows = await jobs.in_thread(read)
        except Exception as exc:
            self._task = None
            self.failed.emit(path, exc)
        else:
            self._task = None
            self._rows = (plan, rows)
            self.loaded.emit(path, plan)
