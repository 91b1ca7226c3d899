"""A PO's details: what its page showed about the order (with ``--facts``), and every file it saved, with
its size, SHA-256, route and source, and a way to open it.

The files come from the journal (the record the manifest is written from), never from a second record:
what the pane shows is what resume and the manifest rely on. The source is shown without its query (a
signed attachment URL's query is its token), as logs and the manifest keep it.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import FileRecord, JournalError
from po_downloader.engine.system.display import url_for_record
from po_downloader.ui.desktop import open_path
from po_downloader.ui.facts_setting import shown_facts
from po_downloader.ui.task_model import TaskRow, human_size

log = logging.getLogger(__name__)


def saved_files(journal_file: Path, po: PoNumber) -> list[FileRecord]:
    """The PO's files as the journal has them, from the latest batch that gave it a folder ([] if none)."""
    if not journal_file.exists():
        return []
    try:
        with Journal.open(journal_file) as journal:
            found = journal.latest_folders([po])
    except (
        JournalError,
        sqlite3.Error,
    ) as exc:  # a journal that cannot be read: the pane says it has nothing
        log.warning("cannot read the journal for %s: %s", po.display, exc)
        return []
    return found[po.digits][1] if po.digits in found else []


class PoDetails(QDialog):
    """The facts the PO's page showed, when the batch read them (``facts``: None otherwise); then one row
    per file: Name, Size, SHA-256, Route, Source; "Open file" opens the selected one."""

    NAME, SIZE, SHA256, ROUTE, SOURCE = range(5)

    def __init__(self, row: TaskRow, files: list[FileRecord], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.files = files
        o = row.outcome
        self.setWindowTitle(self.tr("PO {po}").format(po=row.po.display))
        self.resize(900, 360)
        layout = QVBoxLayout(self)
        self.facts: QGroupBox | None = None
        if facts := shown_facts(o.facts):
            self.facts = QGroupBox(self.tr("What the PO page shows"))
            form = QFormLayout(self.facts)
            for label, value in facts:
                shown = QLabel(value)
                shown.setTextFormat(Qt.TextFormat.PlainText)  # the portal's text, never markup
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(self.tr("{fact}:").format(fact=label), shown)
            layout.addWidget(self.facts)
        self.heading = QLabel(
            self.tr("{n} files saved in {folder}").format(n=len(files), folder=o.folder or "—")
            if files
            else self.tr("No file of this PO is recorded yet.")
        )
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.table = QTableWidget(len(files), 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Size"), self.tr("SHA-256"), self.tr("Route"), self.tr("Source")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for i, f in enumerate(files):
            cells = (f.name, human_size(f.size), f.sha256, o.route, url_for_record(f.url) or f.source)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f.path if column == self.NAME else text)
                self.table.setItem(i, column, item)
        self.table.horizontalHeader().setSectionResizeMode(self.SOURCE, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_file = QPushButton(self.tr("Open file"))
        self.open_folder = QPushButton(self.tr("Open folder"))
        buttons.addButton(self.open_file, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.open_file.clicked.connect(self._open_file)
        self.open_folder.clicked.connect(self._open_folder)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self._open_file())
        if files:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> FileRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.files[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.open_file.setEnabled(chosen is not None and Path(chosen.path).is_file())
        folder = self.row.outcome.folder
        self.open_folder.setEnabled(bool(folder) and Path(folder).is_dir())

    def _open_file(self) -> None:
        chosen = self.selected()
        if chosen is not None and Path(chosen.path).is_file():
            open_path(Path(chosen.path))

    def _open_folder(self) -> None:
        if self.row.outcome.folder:
            open_path(Path(self.row.outcome.folder))
