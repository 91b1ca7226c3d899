"""Reads and plans a dropped sheet on the pool, so a 10 000-row Excel file never freezes the window.

The window used to read the sheet in its drop handler; every sheet read now happens off the GUI thread
(this class for a chosen sheet, :class:`~po_downloader.ui.batch_launcher.BatchLauncher` for preparing).
Only the latest request counts: a sheet chosen while another is still being read replaces it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.ui.background import BackgroundTasks

log = logging.getLogger(__name__)


def read_and_plan(path: Path) -> BatchPlan:
    """The real reader: the sheet's POs, duplicates and invalid rows (slow for big Excel files)."""
    return plan_batch(read_sheet(path))


class SheetLoader(QObject):
    """Signals: ``loaded(Path, BatchPlan)``; ``failed(Path, BaseException)``: a ``SheetError`` says
    what is wrong with the sheet (anything else is unexpected; the pool has logged its traceback)."""

    loaded = Signal(Path, object)
    failed = Signal(Path, object)

    def __init__(
        self,
        tasks: BackgroundTasks,
        *,
        reader: Callable[[Path], BatchPlan] = read_and_plan,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.reader = reader
        self._latest = 0
        self._pending: Path | None = None

    @property
    def busy(self) -> bool:
        """A sheet is being read: starting now would use the one on screen, not the one chosen."""
        return self._pending is not None

    def load(self, path: Path) -> None:
        self._latest += 1
        ticket, reader = self._latest, self.reader
        self._pending = path
        self.tasks.run(
            lambda: reader(path),
            lambda plan: self._done(ticket, path, plan),
            lambda exc: self._failed(ticket, path, exc),
        )

    def _current(self, ticket: int) -> bool:
        if ticket != self._latest:
            return False  # another sheet was chosen meanwhile; its answer is the one to show
        self._pending = None
        return True

    def _done(self, ticket: int, path: Path, plan: BatchPlan) -> None:
        if self._current(ticket):
            self.loaded.emit(path, plan)

    def _failed(self, ticket: int, path: Path, exc: BaseException) -> None:
        if self._current(ticket):
            self.failed.emit(path, exc)
