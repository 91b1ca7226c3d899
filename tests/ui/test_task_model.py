"""TaskTableModel fed scripted engine events with no window: every column, every role, signal batching."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QImage

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.system.paths import resources_dir
from po_downloader.engine.system.units import human_bytes
from po_downloader.ui.status_style import (
    STATUS_ORDER,
    app_icon,
    icon_file,
    status_color,
    status_icon,
    status_label,
)
from po_downloader.ui.task_model import TaskRow, TaskTableModel, human_size

M = TaskTableModel
DISPLAY = Qt.ItemDataRole.DisplayRole


def po(i: int) -> str:
    return f"PO{10000000 + i}"


def N(display: str) -> PoNumber:
    """The PO number an event carries for the row showing ``display``."""
    return PoNumber(display[2:], display[:2])


def make_model(n: int = 10) -> TaskTableModel:
    model = TaskTableModel()
    model.set_rows([TaskRow(normalise_po(po(i))) for i in range(n)])
    return model


def cell(model: TaskTableModel, row: int, column: int, role: int = DISPLAY):
    return model.data(model.index(row, column), role)


def texts(model: TaskTableModel, row: int) -> list[str]:
    return [cell(model, row, c) for c in range(model.columnCount())]


class Spy:
    """Records every ``dataChanged`` as ``(first_row, last_row, first_col, last_col)``."""

    def __init__(self, model: TaskTableModel) -> None:
        self.calls: list[tuple[int, int, int, int]] = []
        model.dataChanged.connect(self._on)

    def _on(self, top: QModelIndex, bottom: QModelIndex, roles: list) -> None:
        self.calls.append((top.row(), bottom.row(), top.column(), bottom.column()))


def full_attempt(p: str, worker: int = 2, attempt: int = 1) -> list[ev.Event]:
    return [
        ev.PoStarted(worker, N(p), attempt, f"https://coupa.example/order_headers/{p[2:]}"),
        ev.AttachmentsFound(worker, N(p), "ACME GmbH", ("a.pdf", "b.xlsx", "c.zip"), folder=f"/dl/ACME/{p}"),
        ev.FileSaved(worker, N(p), "a.pdf", f"/dl/ACME/{p}/a.pdf", 2048),
        ev.FileSaved(worker, N(p), "b.xlsx", f"/dl/ACME/{p}/b.xlsx", 1024),
        ev.FileFailed(worker, N(p), "c.zip", "never arrived"),
    ]


# ---------------------------------------------------------------------- structure


def test_headers_and_shape(qapp) -> None:
    model = make_model(3)
    assert model.rowCount() == 3
    assert model.columnCount() == 10
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(10)]
    assert headers == [
        "PO",
        "Supplier",
        "Status",
        "Files",
        "Size",
        "Worker",
        "Attempts",
        "Message",
        "Route",
        "Folder",
    ]
    columns = (
        M.PO,
        M.SUPPLIER,
        M.STATUS,
        M.FILES,
        M.SIZE,
        M.WORKER,
        M.ATTEMPTS,
        M.MESSAGE,
        M.ROUTE,
        M.FOLDER,
    )
    assert columns == tuple(range(10))
    # A table has no children.
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0


def test_fresh_row_shows_waiting_and_blank_counters(qapp) -> None:
    model = make_model(1)
    assert texts(model, 0) == [po(0), "", "Waiting", "", "", "", "", "", "", ""]


def test_qtmodeltester_on_populated_model(qtmodeltester) -> None:
    model = make_model(5)
    model.apply(
        full_attempt(po(1)) + [ev.PoFinished(0, N(po(3)), PoOutcome(PoStatus.FAILED, message="boom"))]
    )
    qtmodeltester.check(model)


# ---------------------------------------------------------------------- events → cells


def test_a_full_attempt_fills_every_column(qapp) -> None:
    model = make_model(3)
    model.apply(full_attempt(po(1)))
    assert texts(model, 1) == [
        po(1),
        "ACME GmbH",
        "Working",
        "2/3",
        "3.0 KB",
        "2",
        "1",
        "c.zip: never arrived",
        "",  # the route is known once the attempt ends
        f"/dl/ACME/{po(1)}",
    ]
    row = model.row(1)
    assert row.outcome.url.endswith("/10000001")
    assert (row.outcome.found, row.outcome.downloaded, row.outcome.size, row.outcome.status) == (
        3,
        2,
        3072,
        PoStatus.PROCESSING,
    )
    # untouched neighbours
    assert model.row(0) == TaskRow(normalise_po(po(0)))
    assert model.row(2) == TaskRow(normalise_po(po(2)))


def test_finished_takes_the_final_word(qapp) -> None:
    model = make_model(1)
    p = po(0)
    model.apply(full_attempt(p))
    model.apply(
        [
            ev.PoFinished(
                2,
                N(p),
                PoOutcome(
                    PoStatus.PARTIAL,
                    supplier="ACME GmbH",
                    folder=f"/dl/ACME/{p}_PARTIAL",
                    found=3,
                    downloaded=2,
                    message="c.zip: never arrived",
                    url="https://coupa.example/order_headers/10000000",
                    size=3072,
                    route="browser",
                ),
            )
        ]
    )
    assert texts(model, 0) == [
        p,
        "ACME GmbH",
        "Partial",
        "2/3",
        "3.0 KB",
        "2",  # the worker that did it stays visible
        "1",
        "c.zip: never arrived",
        "browser",
        f"/dl/ACME/{p}_PARTIAL",
    ]


def test_an_outcome_with_a_kind_shows_the_windows_words_for_it(portuguese) -> None:
    """The engine's English stays for the sheet and the logs; the table speaks the window's language."""
    model = make_model(1)
    p = po(0)
    details = {"root": "C:/Users/maria/Coupa", "limit": "259"}
    outcome = PoOutcome(PoStatus.FAILED, message="english", kind=ErrorKind.ROOT_TOO_DEEP, details=details)
    model.apply([ev.PoFinished(2, N(p), outcome)])
    worded = (
        "a pasta de downloads C:/Users/maria/Coupa é profunda demais para o limite de 259 caracteres de "
        "caminho deste sistema: escolha uma pasta de downloads mais curta (ou ative os caminhos longos no "
        "Windows)"
    )
    assert cell(model, 0, M.MESSAGE) == worded
    assert cell(model, 0, M.MESSAGE, Qt.ItemDataRole.ToolTipRole) == worded
    assert worded in cell(model, 0, M.STATUS, Qt.ItemDataRole.ToolTipRole)


def test_controller_finish_replaces_counts_but_keeps_known_folder_and_url(qapp) -> None:
    model = make_model(1)
    p = po(0)
    model.apply(full_attempt(p, worker=4))
    model.apply(
        [ev.PoFinished(4, N(p), PoOutcome(PoStatus.FAILED, message="gave up after 3 attempts: worker died"))]
    )
    row = model.row(0)
    assert row.outcome.status is PoStatus.FAILED
    assert (row.outcome.found, row.outcome.downloaded, row.outcome.size) == (0, 0, 0)
    assert row.outcome.folder == f"/dl/ACME/{p}"  # an empty folder in the event means "not known"
    assert row.outcome.url.endswith("/10000000")
    assert row.worker == 4
    assert cell(model, 0, M.FILES) == "0/0"  # final: the counts are known to be zero


def test_leftover_from_a_stopped_batch_comes_from_the_controller(qapp) -> None:
    model = make_model(1)
    p = po(0)
    model.apply(full_attempt(p))
    model.apply([ev.PoLeftOver(0, N(p), PoStatus.PENDING, "not processed: the batch was stopped")])
    row = model.row(0)
    assert (row.outcome.status, row.outcome.found, row.outcome.downloaded, row.outcome.size) == (
        PoStatus.PENDING,
        0,
        0,
        0,
    )
    assert row.outcome.message == "not processed: the batch was stopped"
    assert cell(model, 0, M.FILES) == ""


def test_sign_in_required_from_a_worker_keeps_counts(qapp) -> None:
    model = make_model(1)
    p = po(0)
    model.apply(full_attempt(p))
    model.apply([ev.PoRequeued(2, N(p), PoStatus.SIGN_IN_REQUIRED, "Coupa asked to sign in again")])
    row = model.row(0)
    assert row.outcome.status is PoStatus.SIGN_IN_REQUIRED
    assert row.outcome.message == "Coupa asked to sign in again"
    assert (row.outcome.found, row.outcome.downloaded, row.outcome.size) == (3, 2, 3072)
    assert cell(model, 0, M.STATUS) == "Sign-in required"


def test_a_new_attempt_starts_clean(qapp) -> None:
    model = make_model(1)
    p = po(0)
    model.apply(full_attempt(p, worker=1))
    model.apply([ev.PoRetrying(1, N(p), 2, 4.0, "portal error: 500")])
    row = model.row(0)
    assert (row.outcome.status, row.worker, row.outcome.message) == (
        PoStatus.PENDING,
        0,
        "Retry 2 in 4s: portal error: 500",
    )
    model.apply([ev.PoStarted(3, N(p), 2, "https://coupa.example/order_headers/10000000")])
    assert (row.outcome.status, row.worker, row.attempts) == (PoStatus.PROCESSING, 3, 2)
    assert (row.outcome.downloaded, row.outcome.size, row.outcome.message) == (0, 0, "")
    assert row.outcome.found == 3  # until the page is read again
    assert cell(model, 0, M.ATTEMPTS) == "2"


def test_file_failures_accumulate(qapp) -> None:
    model = make_model(1)
    p = po(0)
    model.apply(
        [ev.FileFailed(1, N(p), "a.pdf", "could not click"), ev.FileFailed(1, N(p), "b.pdf", "never arrived")]
    )
    assert model.row(0).outcome.message == "a.pdf: could not click; b.pdf: never arrived"


def test_worker_died_marks_its_po(qapp) -> None:
    model = make_model(2)
    model.apply([ev.PoStarted(1, N(po(1)), 1, "u"), ev.WorkerDied(1, -9, N(po(1))), ev.WorkerDied(2, 1)])
    assert model.row(1).outcome.message == "Worker stopped unexpectedly"
    assert model.row(1).outcome.status is PoStatus.PROCESSING  # the controller's retry or failure follows
    assert model.row(0) == TaskRow(normalise_po(po(0)))


def test_unknown_pos_and_other_events_change_nothing(qapp) -> None:
    model = make_model(2)
    spy = Spy(model)
    model.apply(
        [
            ev.PoStarted(1, N("PO99999999"), 1, "u"),
            ev.BatchStarted(0, 2, 1),
            ev.Heartbeat(1),
            ev.WorkerReady(1, 123),
            ev.SignInNeeded(0, "sign in"),
        ]
    )
    assert spy.calls == []
    assert model.rows() == [TaskRow(normalise_po(po(0))), TaskRow(normalise_po(po(1)))]


# ---------------------------------------------------------------------- roles


def test_roles_of_the_status_column(qapp) -> None:
    model = make_model(1)
    model.apply([ev.PoFinished(0, N(po(0)), PoOutcome(PoStatus.FAILED, message="portal error"))])
    icon = cell(model, 0, M.STATUS, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    assert icon.cacheKey() == status_icon(PoStatus.FAILED).cacheKey()
    background = cell(model, 0, M.STATUS, Qt.ItemDataRole.BackgroundRole)
    foreground = cell(model, 0, M.STATUS, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(background, QColor) and isinstance(foreground, QColor)
    assert background != status_color(PoStatus.COMPLETED)
    # dark text on a pale tint: readable whatever the theme
    assert background.lightness() > 180 and foreground.lightness() < 60
    assert cell(model, 0, M.STATUS, Qt.ItemDataRole.ToolTipRole) == "Failed\nportal error"
    # no icon or colour outside the status column
    assert cell(model, 0, M.PO, Qt.ItemDataRole.DecorationRole) is None
    assert cell(model, 0, M.MESSAGE, Qt.ItemDataRole.BackgroundRole) is None


def test_tooltips_alignment_raw_and_row_roles(qapp) -> None:
    model = make_model(1)
    model.apply(full_attempt(po(0)))
    assert cell(model, 0, M.MESSAGE, Qt.ItemDataRole.ToolTipRole) == "c.zip: never arrived"
    assert cell(model, 0, M.FOLDER, Qt.ItemDataRole.ToolTipRole) == f"/dl/ACME/{po(0)}"
    assert cell(model, 0, M.PO, Qt.ItemDataRole.ToolTipRole).startswith("https://")
    assert cell(model, 0, M.SUPPLIER, Qt.ItemDataRole.ToolTipRole) is None

    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for column in (M.FILES, M.SIZE, M.WORKER, M.ATTEMPTS):
        assert cell(model, 0, column, Qt.ItemDataRole.TextAlignmentRole) == right
    assert cell(model, 0, M.PO, Qt.ItemDataRole.TextAlignmentRole) is None

    raw = [cell(model, 0, c, M.RAW_ROLE) for c in range(10)]
    assert raw == [
        po(0),
        "ACME GmbH",
        STATUS_ORDER.index(PoStatus.PROCESSING),
        2,
        3072,
        2,
        1,
        "c.zip: never arrived",
        "",
        f"/dl/ACME/{po(0)}",
    ]
    assert cell(model, 0, M.FOLDER, M.ROW_ROLE) is model.row(0)
    assert cell(model, 5, M.PO) is None  # out of range


# ---------------------------------------------------------------------- signals


def test_one_data_changed_per_contiguous_range(qapp) -> None:
    model = make_model(10)
    spy = Spy(model)
    batch: list[ev.Event] = []
    for i in (7, 0, 2, 1):  # out of order and with several events per row
        batch += full_attempt(po(i))
    model.apply(batch)
    assert spy.calls == [(0, 2, 0, 9), (7, 7, 0, 9)]


def test_one_tick_over_all_rows_is_one_signal(qapp) -> None:
    model = make_model(500)
    spy = Spy(model)
    model.apply([ev.PoStarted(1, N(po(i)), 1, "u") for i in range(500)])
    assert spy.calls == [(0, 499, 0, 9)]


def test_ten_thousand_rows_in_one_reset(qtbot) -> None:
    model = TaskTableModel()
    resets: list[str] = []
    inserts: list[int] = []
    model.modelReset.connect(lambda: resets.append("reset"))
    model.rowsInserted.connect(lambda *_: inserts.append(1))
    rows = [TaskRow(normalise_po(po(i))) for i in range(10_000)]
    # How long it takes is bench/gui_responsiveness.py's to measure; here: one reset, no row-by-row signals.
    model.set_rows(rows)
    assert resets == ["reset"] and inserts == []
    assert model.rowCount() == 10_000
    assert model.row(9_999).po == N(po(9_999))
    spy = Spy(model)
    # ten blocks of 900 rows with gaps between them, in one tick: ten signals, not 9 000
    touched = [i for i in range(10_000) if i % 1000 < 900]
    model.apply([ev.PoStarted(1, N(po(i)), 1, "u") for i in reversed(touched)])
    assert spy.calls == [(b, b + 899, 0, 9) for b in range(0, 10_000, 1000)]
    assert sum(r.outcome.status is PoStatus.PROCESSING for r in model.rows()) == 9_000


# ---------------------------------------------------------------------- queries and retry


def test_each_row_holds_its_pos_outcome_in_sheet_order(qapp) -> None:
    model = make_model(4)
    model.apply(full_attempt(po(0)) + full_attempt(po(3)))
    model.apply([ev.PoFinished(0, N(po(1)), PoOutcome(PoStatus.NO_ACCESS, message="not authorised"))])
    statuses = Counter(r.outcome.status for r in model.rows())
    assert statuses == {PoStatus.PROCESSING: 2, PoStatus.NO_ACCESS: 1, PoStatus.PENDING: 1}
    assert sum(r.outcome.size for r in model.rows()) == 2 * 3072
    assert [r.po for r in model.rows()] == [N(po(i)) for i in range(4)]


def test_reset_for_retry(qapp) -> None:
    model = make_model(5)
    model.apply(full_attempt(po(1)))
    model.apply(
        [
            ev.PoFinished(
                2,
                N(po(1)),
                PoOutcome(PoStatus.PARTIAL, folder="/dl/x_PARTIAL", found=3, downloaded=2, size=9),
            ),
            ev.PoFinished(2, N(po(2)), PoOutcome(PoStatus.FAILED, message="portal error")),
            ev.PoFinished(2, N(po(4)), PoOutcome(PoStatus.COMPLETED, found=1, downloaded=1, size=5)),
        ]
    )
    spy = Spy(model)
    again = model.reset_for_retry({PoStatus.PARTIAL, PoStatus.FAILED})
    assert again == [N(po(1)), N(po(2))]
    assert spy.calls == [(1, 2, 0, 9)]
    row = model.row(1)
    assert (
        row.outcome.status,
        row.outcome.message,
        row.outcome.found,
        row.outcome.downloaded,
        row.outcome.size,
        row.worker,
        row.attempts,
    ) == (
        PoStatus.PENDING,
        "",
        0,
        0,
        0,
        0,
        0,
    )
    assert row.outcome.folder == "/dl/x_PARTIAL"  # files already there are reused by the next run
    assert model.row(4).outcome.status is PoStatus.COMPLETED
    assert model.reset_for_retry({PoStatus.NO_ACCESS}) == []


def test_reset_rows_resets_only_the_pos_asked_for(qapp) -> None:
    """Retrying 1 of 5 failed rows shows that one as Waiting; the other four stay FAILED."""
    model = make_model(5)
    model.apply(
        [ev.PoFinished(1, N(po(i)), PoOutcome(PoStatus.FAILED, message="portal error")) for i in range(5)]
    )
    assert model.reset_rows([N(po(3))]) == [N(po(3))]
    assert [r.outcome.status for r in model.rows()] == [PoStatus.FAILED] * 3 + [
        PoStatus.PENDING,
        PoStatus.FAILED,
    ]
    assert model.row(0).outcome.message == "portal error"
    assert model.reset_rows([N("PO99999999")]) == []


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1536, "1.5 KB"),
        (10 * 1024**2 + 300_000, "10.3 MB"),
        (3 * 1024**3, "3.0 GB"),
    ],
)
def test_human_size(qapp, n: int, text: str) -> None:
    assert human_size(n) == text == human_bytes(n)  # the window writes a size as the terminal does


def test_human_size_uses_the_locale_decimal_point(qapp) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        assert human_size(1536) == "1,5 KB"
    finally:
        QLocale.setDefault(before)


# ---------------------------------------------------------------------- status style


def test_every_status_has_a_label_colour_and_a_distinct_icon(qapp) -> None:
    images: dict[PoStatus, bytes] = {}
    for status in PoStatus:
        assert status_label(status)
        assert status_color(status).isValid()
        assert (resources_dir() / "icons" / icon_file(status)).is_file()
        icon = status_icon(status)
        assert icon is status_icon(status)  # cached
        image = icon.pixmap(16, 16).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        assert not image.isNull()
        opaque = sum(image.pixelColor(x, y).alpha() > 128 for x in range(16) for y in range(16))
        assert opaque > 20, f"{icon_file(status)} did not render"
        images[status] = bytes(image.constBits())
    assert len(set(images.values())) == len(PoStatus)
    assert sorted(STATUS_ORDER) == sorted(PoStatus)
    assert not app_icon().pixmap(64, 64).isNull()


def test_bytes_in_flight_show_live_until_the_files_are_saved(qapp) -> None:
    model = make_model(1)
    p = po(0)
    model.apply(
        [
            ev.PoStarted(1, N(p), 1, "u"),
            ev.AttachmentsFound(1, N(p), "ACME", ("big.zip",)),
            ev.DownloadProgress(1, N(p), 1536),
        ]
    )
    assert cell(model, 0, M.SIZE) == "1.5 KB"
    model.apply([ev.DownloadProgress(1, N(p), 4096)])
    assert cell(model, 0, M.SIZE) == "4.0 KB"
    model.apply([ev.FileSaved(1, N(p), "big.zip", "/dl/big.zip", 5120)])
    assert cell(model, 0, M.SIZE) == "5.0 KB"  # the saved size, not saved + in flight
