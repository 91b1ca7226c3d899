"""The batch history: the journal's last batches, each one's manifest, and clearing what is done.

Every journal access runs on a thread, awaited by a coroutine of the dialog: the journal may be busy with
a running batch's writes, and the window must never wait on SQLite. Closing the dialog cancels them.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, BatchRecord, JournalError
from po_downloader.engine.output.manifest import manifest_path_for
from po_downloader.ui import jobs
from po_downloader.ui.desktop import open_path
from po_downloader.ui.i18n import local_datetime
from po_downloader.ui.status_style import STATUS_ORDER, status_label
from po_downloader.ui.task_model import human_size

log = logging.getLogger(__name__)

HISTORY_LIMIT = 50
"""Batches shown: enough to find last month's, few enough to read at a glance."""

Confirm = Callable[[QWidget, str], bool]


# --- the journal work, run on a thread ----------------------------------------------------------------


def read_history(journal_file: Path, limit: int = HISTORY_LIMIT) -> list[BatchRecord]:
    """The latest batches, newest first; none before the first batch (the journal is not created here)."""
    if not journal_file.exists():
        return []
    with Journal.open(journal_file) as journal:
        return journal.history(limit)


def ensure_manifest(journal_file: Path, batch: BatchId, input_path: Path) -> Path:
    """The manifest beside the batch's input, written from the journal when it is not there (deleted, or
    the batch never reached its end)."""
    path = manifest_path_for(input_path)
    if not path.exists():
        with Journal.open(journal_file) as journal:
            journal.export_manifest(batch, path)
    return path


def clear_finished(journal_file: Path) -> int:
    """Forget finished batches (never a file on disk); unfinished ones stay for resume."""
    if not journal_file.exists():
        return 0
    with Journal.open(journal_file) as journal:
        return journal.clear_history(keep_unfinished=True)


_EXPECTED = (OSError, sqlite3.Error, JournalError)
"""What a journal or a manifest may meet (a locked or corrupt file, a folder gone): said in the dialog,
not logged as a crash."""


def _ask(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(parent, parent.windowTitle(), question)
    return answer == QMessageBox.StandardButton.Yes


# --- the dialog ----------------------------------------------------------------------------------------


class HistoryDialog(QDialog):
    """Lists the journal's batches; opens a batch's manifest; clears the finished ones after asking.

    ``opener`` and ``confirm`` are seams for tests (the desktop and a modal question).
    """

    COLUMNS = 6

    def __init__(
        self,
        journal_file: Path,
        *,
        opener: Callable[[Path], bool] = open_path,
        confirm: Confirm = _ask,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal_file = journal_file
        self._tasks: set[asyncio.Task[None]] = set()
        self.opener = opener
        self.confirm = confirm
        self.records: list[BatchRecord] = []
        self.setWindowTitle(self.tr("Batch history"))
        self.resize(900, 420)

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Input file"),
                self.tr("Started"),
                self.tr("Ended"),
                self.tr("POs"),
                self.tr("Files"),
                self.tr("Size"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton(self.tr("Open manifest"))
        self.clear_button = QPushButton(self.tr("Clear history…"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self.open_manifest)
        self.clear_button.clicked.connect(self.clear_history)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_manifest())
        self.finished.connect(self._cancel)  # closed: nothing comes back to a dialog that is gone

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._loading = False
        self._note = ""
        """Said once the list is read again (after clearing)."""
        self.reload()

    # ------------------------------------------------------------------ reading

    @property
    def busy(self) -> bool:
        return self._loading

    def _run(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = jobs.start(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _cancel(self) -> None:
        for task in self._tasks:
            task.cancel()

    def reload(self) -> None:
        self._loading = True
        self._update_buttons()
        self.status.setText(self.tr("Reading the history…"))
        self._run(self._read(), "reading the history")

    async def _read(self) -> None:
        journal_file = self.journal_file
        try:
            records = await jobs.in_thread(lambda: read_history(journal_file), expected=_EXPECTED)
        except _EXPECTED as exc:
            self._read_failed(exc)
        else:
            self._loaded(records)

    def _loaded(self, records: list[BatchRecord]) -> None:
        self._loading = False
        self.records = records
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            for column, text in enumerate(self._cells(record)):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(record.input_path)
                if column >= 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if records:
            self.table.selectRow(0)
            self.status.setText(self._note)
        else:
            empty = self.tr("No batch yet: the history starts with your first batch.")
            self.status.setText(f"{self._note} {empty}".strip())
        self._note = ""
        self._update_buttons()

    def _read_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.status.setText(self.tr("The history could not be read: {error}").format(error=exc))
        self._update_buttons()

    def _cells(self, record: BatchRecord) -> list[str]:
        return [
            Path(record.input_path).name,
            _when(record.started_at),
            self._ended(record),
            self._counts(record),
            str(record.files),
            human_size(record.bytes),
        ]

    def _ended(self, record: BatchRecord) -> str:
        if record.ended_at is None:
            return self.tr("unfinished (never ended)")
        ended = _when(record.ended_at)
        if open_pos := record.open_pos:
            return self.tr("{time}, unfinished: %n to do", "", open_pos).format(time=ended)
        return self.tr("{time} (stopped)").format(time=ended) if record.stopped else ended

    def _counts(self, record: BatchRecord) -> str:
        parts = []
        for status in STATUS_ORDER:
            n = record.counts.get(status.value, 0)
            if n:
                parts.append(f"{n} {status_label(status)}")
        return self.tr("{total}: {parts}").format(total=record.total, parts=", ".join(parts))

    def selected(self) -> BatchRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows and rows[0].row() < len(self.records) else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(not self._loading and self.selected() is not None)
        self.clear_button.setEnabled(not self._loading and bool(self.records))

    # ------------------------------------------------------------------ actions

    def open_manifest(self) -> None:
        record = self.selected()
        if record is None:
            return
        self.status.setText(self.tr("Writing the manifest…"))
        self._run(self._write_manifest(record), "writing a manifest")

    async def _write_manifest(self, record: BatchRecord) -> None:
        journal_file, batch, source = self.journal_file, record.id, Path(record.input_path)
        try:
            path = await jobs.in_thread(
                lambda: ensure_manifest(journal_file, batch, source), expected=_EXPECTED
            )
        except _EXPECTED as exc:
            self._manifest_failed(exc)
        else:
            self._manifest_ready(path)

    def _manifest_ready(self, path: Path) -> None:
        if self.opener(path):
            self.status.setText(self.tr("Opened {path}").format(path=path))
        else:
            self.status.setText(
                self.tr("The manifest is at {path}; no program could open it.").format(path=path)
            )

    def _manifest_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("The manifest could not be written: {error}").format(error=exc))

    def clear_history(self) -> None:
        question = self.tr(
            "Forget every finished batch? Unfinished batches stay so they can be resumed; "
            "downloaded files, results and manifests are not touched."
        )
        if not self.confirm(self, question):
            return
        self._loading = True
        self._update_buttons()
        self._run(self._clear(), "clearing the history")

    async def _clear(self) -> None:
        journal_file = self.journal_file
        try:
            count = await jobs.in_thread(lambda: clear_finished(journal_file), expected=_EXPECTED)
        except _EXPECTED as exc:
            self._clear_failed(exc)
        else:
            self._cleared(count)

    def _clear_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.status.setText(self.tr("The history could not be cleared: {error}").format(error=exc))
        self._update_buttons()

    def _cleared(self, count: int) -> None:
        self._loading = False
        self._note = self.tr("Finished batches forgotten: %n.", "", count)
        self.reload()


def _when(moment: datetime) -> str:
    """A journal time (UTC) in the user's local time, to the minute, as their locale writes it."""
    return local_datetime(moment)


def show_history(parent: QWidget, journal_file: Path) -> HistoryDialog:
    """Open the history window (modeless: a batch may go on while it is open)."""
    dialog = HistoryDialog(journal_file, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
