"""The PO table: one row per unique PO of the sheet, updated from engine events in batches.

Rows are inserted once, when a sheet loads (one model reset). After that only ``apply`` changes them, once
per event-pump tick, and it tells the views with one ``dataChanged`` per contiguous range of changed rows,
so a 10 000-row batch with many workers never floods the GUI thread with signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from time import monotonic
from typing import Any, ClassVar, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.system.units import human_bytes
from po_downloader.ui.file_progress import LiveFiles, advance, live_lines, live_text
from po_downloader.ui.outcome_words import outcome_words
from po_downloader.ui.status_style import status_color, status_icon, status_label, status_rank

ModelIndex = QModelIndex | QPersistentModelIndex

# QT_TRANSLATE_NOOP returns its text unchanged; the stubs type it ``object``.
_SIZE_UNITS = cast(
    "tuple[str, ...]",
    (
        QT_TRANSLATE_NOOP("Size", "%1 KB"),
        QT_TRANSLATE_NOOP("Size", "%1 MB"),
        QT_TRANSLATE_NOOP("Size", "%1 GB"),
    ),
)

# Status cells get a pale tint of the status colour with dark text: readable on light and dark themes.
_STATUS_TEXT = QColor("#1a1a1a")
_TINT_STRENGTH = 0.25
PENDING = PoOutcome(PoStatus.PENDING)


def shown_message(o: PoOutcome) -> str:
    """The outcome's message in the window's language: its kind worded here, else the engine's English."""
    return outcome_words().outcome(o.kind, o.details, o.message) if o.kind else o.message


FILTER_SEPARATOR = "\x1f"


def filter_text(row: TaskRow) -> str:
    """The row as the table's filter reads it: its status group, then its PO, supplier and message as
    shown, case-folded, each after a separator that no typed text holds (a match stays in one field)."""
    o = row.outcome
    fields = (o.status.group.value, row.po.display, o.supplier, shown_message(o))
    return FILTER_SEPARATOR.join(f.casefold().replace(FILTER_SEPARATOR, " ") for f in fields)


def human_size(n: int) -> str:
    """A size as the terminal writes it (``human_bytes``, the one rule), in the user's units and decimals."""
    units = (
        QCoreApplication.translate("Size", "%1 B"),
        *(QCoreApplication.translate("Size", unit) for unit in _SIZE_UNITS),
    )
    return human_bytes(n, units, QLocale().decimalPoint())


@dataclass(slots=True)
class TaskRow:
    """What the table knows about one PO: its latest outcome (as the engine said it, or as it grows during
    an attempt) and what only the window shows live. Mutable, but only :class:`TaskTableModel` changes it."""

    po: PoNumber
    outcome: PoOutcome = PENDING
    in_flight: int = 0
    """Bytes of downloads still arriving (shown with ``outcome.size`` until they are saved)."""
    worker: int = 0
    attempts: int = 0
    live: LiveFiles | None = None
    """The downloads in flight file by file (speeds need the last report): shown while ``in_flight``."""


@cache
def _status_background(status: PoStatus) -> QColor:
    """The status colour mixed into white: a background dark text stays readable on."""
    color, s = status_color(status), _TINT_STRENGTH
    return QColor(
        round(255 - (255 - color.red()) * s),
        round(255 - (255 - color.green()) * s),
        round(255 - (255 - color.blue()) * s),
    )


@dataclass(frozen=True)
class TableRows:
    """A sheet's rows and their index by PO, built before they reach the model: for 100 000 POs that
    takes most of a second, which the sheet loader spends on its thread, not the GUI thread's."""

    rows: list[TaskRow]
    index: dict[PoNumber, int]


def table_rows(pos: Iterable[PoNumber]) -> TableRows:
    """One pending row per PO, in order. Pure Python and thread-safe: no Qt object is touched."""
    rows = [TaskRow(po) for po in pos]
    return TableRows(rows, {r.po: i for i, r in enumerate(rows)})


def _ranges(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted inclusive ``(first, last)`` runs of consecutive row numbers: ``{0,1,2,7}`` → two runs."""
    runs: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


class TaskTableModel(QAbstractTableModel):
    """Table model over :class:`TaskRow` values.

    Roles: Display (text), Decoration (status icon, STATUS column), Foreground/Background (status colour,
    STATUS column), ToolTip, TextAlignment, ``RAW_ROLE`` (a sortable raw value) and ``ROW_ROLE`` (the row).
    """

    PO, SUPPLIER, STATUS, FILES, SIZE, WORKER, ATTEMPTS, MESSAGE, ROUTE, FOLDER = range(10)
    COLUMN_COUNT = 10
    NUMERIC_COLUMNS = frozenset({FILES, SIZE, WORKER, ATTEMPTS})

    RAW_ROLE = Qt.ItemDataRole.UserRole
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    FILTER_ROLE = Qt.ItemDataRole.UserRole + 2
    """What the proxy's filter matches, in Qt's own code: see :func:`filter_text`."""

    _HEADERS: ClassVar[tuple[str, ...]] = cast(
        "tuple[str, ...]",
        (
            QT_TRANSLATE_NOOP("TaskTableModel", "PO"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Supplier"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Status"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Files"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Size"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Worker"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Attempts"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Message"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Route"),
            QT_TRANSLATE_NOOP("TaskTableModel", "Folder"),
        ),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRow] = []
        self._index: dict[PoNumber, int] = {}

    # ------------------------------------------------------------------ Qt model interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMN_COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("TaskTableModel", self._HEADERS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMERIC_COLUMNS:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        return super().headerData(section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= self.COLUMN_COUNT:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.RAW_ROLE:
            return self._raw(row, column)
        if role == self.ROW_ROLE:
            return row
        if role == self.FILTER_ROLE:
            return filter_text(row)
        if column == self.STATUS:
            if role == Qt.ItemDataRole.DecorationRole:
                return status_icon(row.outcome.status)
            if role == Qt.ItemDataRole.BackgroundRole:
                return _status_background(row.outcome.status)
            if role == Qt.ItemDataRole.ForegroundRole:
                return _STATUS_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMERIC_COLUMNS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _display(self, row: TaskRow, column: int) -> str:
        o = row.outcome
        match column:
            case self.PO:
                return row.po.display
            case self.SUPPLIER:
                return o.supplier
            case self.STATUS:
                return status_label(o.status)
            case self.FILES:
                # Nothing known yet is blank rather than a misleading "0/0".
                known = o.found or o.downloaded or o.status.is_final
                return f"{o.downloaded}/{o.found}" if known else ""
            case self.SIZE:
                shown = o.size + row.in_flight
                return human_size(shown) if shown or o.downloaded else ""
            case self.WORKER:
                return str(row.worker) if row.worker else ""
            case self.ATTEMPTS:
                return str(row.attempts) if row.attempts else ""
            case self.MESSAGE:
                live = row.live if row.in_flight else None
                return shown_message(o) or (
                    live_text(live, o.found, o.downloaded, human_size) if live else ""
                )
            case self.ROUTE:
                return o.route
            case _:
                return o.folder

    def _raw(self, row: TaskRow, column: int) -> int | str:
        o = row.outcome
        match column:
            case self.PO:
                return row.po.display
            case self.SUPPLIER:
                return o.supplier
            case self.STATUS:
                return status_rank(o.status)
            case self.FILES:
                return o.downloaded
            case self.SIZE:
                return o.size
            case self.WORKER:
                return row.worker
            case self.ATTEMPTS:
                return row.attempts
            case self.MESSAGE:
                return shown_message(o)
            case self.ROUTE:
                return o.route
            case _:
                return o.folder

    def _tooltip(self, row: TaskRow, column: int) -> str | None:
        o = row.outcome
        match column:
            case self.PO:
                return o.url or None
            case self.STATUS:
                message = shown_message(o)
                return f"{status_label(o.status)}\n{message}" if message else status_label(o.status)
            case self.MESSAGE:
                live = row.live if row.in_flight else None
                return shown_message(o) or (live_lines(live, human_size) if live else None)
            case self.FOLDER:
                return o.folder or None
            case _:
                return None

    # ------------------------------------------------------------------ rows

    def set_rows(self, rows: Sequence[TaskRow] | TableRows) -> None:
        """Replace every row in one model reset (no per-row signal); ``TableRows`` are taken as they are
        (built off the GUI thread), plain rows are indexed here."""
        prepared = rows if isinstance(rows, TableRows) else TableRows(list(rows), {})
        index = prepared.index or {r.po: i for i, r in enumerate(prepared.rows)}
        self.beginResetModel()
        self._rows, self._index = prepared.rows, index
        self.endResetModel()

    def row(self, i: int) -> TaskRow:
        return self._rows[i]

    def rows(self) -> list[TaskRow]:
        return list(self._rows)

    def reset_for_retry(self, statuses: set[PoStatus]) -> list[PoNumber]:
        """Put rows in ``statuses`` back to PENDING with cleared counters; return their POs in row order."""
        return self.reset_rows(r.po for r in self._rows if r.outcome.status in statuses)

    def reset_rows(self, pos: Iterable[PoNumber]) -> list[PoNumber]:
        """Put exactly these POs' rows back to PENDING with cleared counters; return them in row order.

        The folder and the supplier are kept: files a failed attempt saved are still there and the next
        run reuses them.
        """
        wanted = set(pos)
        changed: list[int] = []
        for i, r in enumerate(self._rows):
            if r.po in wanted:
                o = r.outcome
                r.outcome = PoOutcome(PoStatus.PENDING, supplier=o.supplier, folder=o.folder, url=o.url)
                r.in_flight = r.worker = r.attempts = 0
                changed.append(i)
        self._emit_changed(changed)
        return [self._rows[i].po for i in changed]

    def show_kept(self, kept: Iterable[TaskRow]) -> None:
        """Rows a resumed batch keeps from the run it carries on: their outcome, as the journal has it.

        They are not worked again, so no event will ever fill them in; without this they would read
        PENDING for the whole batch.
        """
        changed: list[int] = []
        for done in kept:
            i = self._index.get(done.po)
            if i is not None:
                self._rows[i] = done
                changed.append(i)
        self._emit_changed(changed)

    # ------------------------------------------------------------------ engine events

    def apply(self, events: Iterable[ev.Event]) -> None:
        """Apply a tick's events in order, then emit one ``dataChanged`` per contiguous changed range."""
        changed: set[int] = set()
        for event in events:
            handler = self._handlers.get(type(event))
            if handler is None:
                continue
            po: PoNumber | None = getattr(
                event, "po", None
            )  # every handled event names it (WorkerDied may not)
            i = self._index.get(po) if po is not None else None
            if i is None:
                continue
            handler(self, self._rows[i], event)
            changed.add(i)
        self._emit_changed(changed)

    def _emit_changed(self, rows: Iterable[int]) -> None:
        last = self.COLUMN_COUNT - 1
        for first, end in _ranges(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    def _on_started(self, row: TaskRow, e: ev.PoStarted) -> None:
        # A new attempt starts clean: what an earlier attempt saved is counted again as it is placed.
        o = row.outcome
        row.outcome = replace(o, status=PoStatus.PROCESSING, downloaded=0, size=0, message="", url=e.url)
        row.worker, row.attempts, row.in_flight = e.worker, e.attempt, 0

    def _on_found(self, row: TaskRow, e: ev.AttachmentsFound) -> None:
        o = row.outcome
        row.outcome = replace(
            o, supplier=e.supplier or o.supplier, found=len(e.names), folder=e.folder or o.folder
        )

    def _on_progress(self, row: TaskRow, e: ev.DownloadProgress) -> None:
        row.live = advance(row.live if row.in_flight else None, e.files, monotonic()) if e.files else None
        row.in_flight = e.received

    def _on_saved(self, row: TaskRow, e: ev.FileSaved) -> None:
        o = row.outcome
        row.outcome = replace(o, downloaded=o.downloaded + 1, size=o.size + e.size)
        row.in_flight = 0

    def _on_file_failed(self, row: TaskRow, e: ev.FileFailed) -> None:
        message = "; ".join(
            filter(None, (row.outcome.message, outcome_words().file_failed(e.name, e.reason)))
        )
        row.outcome = replace(row.outcome, message=message)

    def _on_retrying(self, row: TaskRow, e: ev.PoRetrying) -> None:
        message = outcome_words().retrying(e.attempt, e.delay, e.reason, e.kind, e.details)
        row.outcome = replace(row.outcome, status=PoStatus.PENDING, message=message)
        row.worker = 0

    def _on_worker_died(self, row: TaskRow, e: ev.WorkerDied) -> None:
        message = QCoreApplication.translate("TaskTableModel", "Worker stopped unexpectedly")
        row.outcome = replace(row.outcome, message=message)

    def _on_finished(self, row: TaskRow, e: ev.PoFinished) -> None:
        # The batch's final word replaces the running counts. An empty supplier/folder/url means "not
        # known" (a worker died before it got there), so the last known one stays.
        o, was = e.outcome, row.outcome
        row.outcome = replace(
            o, supplier=o.supplier or was.supplier, folder=o.folder or was.folder, url=o.url or was.url
        )
        row.in_flight = 0

    def _on_requeued(self, row: TaskRow, e: ev.PoRequeued) -> None:
        # Back in the queue (the session expired): what the attempt saved stays shown until it is redone.
        row.outcome = replace(row.outcome, status=e.status, message=outcome_words().requeued(e.status))

    def _on_left_over(self, row: TaskRow, e: ev.PoLeftOver) -> None:
        # Never decided: the counts of an unfinished attempt mean nothing any more.
        message = outcome_words().left_over(e.status)
        row.outcome = replace(row.outcome, status=e.status, message=message, found=0, downloaded=0, size=0)
        row.in_flight = 0

    _handlers: ClassVar[dict[type, Callable[[TaskTableModel, TaskRow, Any], None]]] = {
        ev.PoStarted: _on_started,
        ev.AttachmentsFound: _on_found,
        ev.DownloadProgress: _on_progress,
        ev.FileSaved: _on_saved,
        ev.FileFailed: _on_file_failed,
        ev.PoRetrying: _on_retrying,
        ev.WorkerDied: _on_worker_died,
        ev.PoFinished: _on_finished,
        ev.PoRequeued: _on_requeued,
        ev.PoLeftOver: _on_left_over,
    }
