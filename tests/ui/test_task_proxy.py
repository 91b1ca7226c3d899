"""TaskFilterProxy over a real TaskTableModel: text filter, status modes, numeric and status sorting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.ui.status_style import STATUS_ORDER
from po_downloader.ui.task_model import TaskRow, TaskTableModel, shown_message
from po_downloader.ui.task_proxy import TaskFilterProxy

M = TaskTableModel


def make(rows: list[TaskRow]) -> tuple[TaskTableModel, TaskFilterProxy]:
    model = TaskTableModel()
    model.set_rows(rows)
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


def visible(proxy: TaskFilterProxy) -> list[str]:
    return [proxy.data(proxy.index(r, M.PO)) for r in range(proxy.rowCount())]


def one_per_status() -> list[TaskRow]:
    return [TaskRow(PoNumber(f"{i:08d}"), PoOutcome(s)) for i, s in enumerate(PoStatus)]


def statuses(proxy: TaskFilterProxy) -> set[PoStatus]:
    return {proxy.data(proxy.index(r, 0), M.ROW_ROLE).outcome.status for r in range(proxy.rowCount())}


def test_text_filter_matches_the_message_as_the_window_shows_it(portuguese) -> None:
    """A kind's message is shown in the window's words, so the filter finds those words, not the English."""
    details = {"name": "PO10000001__WORK", "detail": "[WinError 32]"}
    held = PoOutcome(PoStatus.FAILED, message="english text", kind=ErrorKind.FOLDER_HELD, details=details)
    _, proxy = make(
        [TaskRow(PoNumber("10000001"), held), TaskRow(PoNumber("10000002"), PoOutcome(PoStatus.FAILED))]
    )
    proxy.set_text("english")
    assert visible(proxy) == []
    assert shown_message(held).startswith("não foi possível renomear")
    proxy.set_text("NÃO FOI POSSÍVEL")
    assert visible(proxy) == ["PO10000001"]


def test_text_filter_matches_po_supplier_and_message_in_any_case(qapp) -> None:
    _, proxy = make(
        [
            TaskRow(PoNumber("10000001"), PoOutcome(PoStatus.PENDING, supplier="ACME GmbH")),
            TaskRow(
                PoNumber("10000002"),
                PoOutcome(PoStatus.PENDING, supplier="Globex", message="a.pdf: never arrived"),
            ),
            TaskRow(PoNumber("20000003", "PM"), PoOutcome(PoStatus.PENDING, supplier="Initech")),
        ]
    )
    assert len(visible(proxy)) == 3
    proxy.set_text("acme")
    assert visible(proxy) == ["PO10000001"]
    proxy.set_text("NEVER")
    assert visible(proxy) == ["PO10000002"]
    proxy.set_text("pm2")
    assert visible(proxy) == ["PM20000003"]
    proxy.set_text("0000")
    assert len(visible(proxy)) == 3
    proxy.set_text("nothing like this")
    assert visible(proxy) == []
    proxy.set_text("  ")
    assert len(visible(proxy)) == 3
    assert proxy.text == ""


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (TaskFilterProxy.ALL, set(PoStatus)),
        (
            TaskFilterProxy.PROBLEMS,
            {
                PoStatus.FAILED,
                PoStatus.PARTIAL,
                PoStatus.PO_NOT_FOUND,
                PoStatus.NO_ACCESS,
                PoStatus.SIGN_IN_REQUIRED,
                PoStatus.INVALID,
                PoStatus.SKIPPED,
            },
        ),
        (TaskFilterProxy.ACTIVE, {PoStatus.PENDING, PoStatus.PROCESSING}),
        (TaskFilterProxy.DONE, {PoStatus.COMPLETED, PoStatus.NO_ATTACHMENTS}),
    ],
)
def test_status_modes(qapp, mode: str, expected: set[PoStatus]) -> None:
    _, proxy = make(one_per_status())
    proxy.set_status_filter(mode)
    assert proxy.mode == mode
    assert statuses(proxy) == expected
    proxy.set_status_filter(TaskFilterProxy.ALL)
    assert statuses(proxy) == set(PoStatus)


def test_unknown_mode_is_refused(qapp) -> None:
    _, proxy = make([])
    with pytest.raises(ValueError, match="unknown status filter"):
        proxy.set_status_filter("broken")


def test_text_and_mode_combine(qapp) -> None:
    _, proxy = make(
        [
            TaskRow(PoNumber("1"), PoOutcome(PoStatus.FAILED, supplier="ACME")),
            TaskRow(PoNumber("2"), PoOutcome(PoStatus.COMPLETED, supplier="ACME")),
            TaskRow(PoNumber("3"), PoOutcome(PoStatus.FAILED, supplier="Globex")),
        ]
    )
    proxy.set_status_filter(TaskFilterProxy.PROBLEMS)
    proxy.set_text("acme")
    assert visible(proxy) == ["PO1"]


def test_rows_follow_the_filter_as_events_arrive(qapp) -> None:
    model, proxy = make([TaskRow(PoNumber("1")), TaskRow(PoNumber("2"))])
    proxy.set_status_filter(TaskFilterProxy.ACTIVE)
    assert visible(proxy) == ["PO1", "PO2"]
    model.apply(
        [ev.PoFinished(1, PoNumber("1"), PoOutcome(PoStatus.COMPLETED, found=1, downloaded=1, size=10))]
    )
    assert visible(proxy) == ["PO2"]
    model.reset_for_retry({PoStatus.COMPLETED})
    assert visible(proxy) == ["PO1", "PO2"]


def test_size_sorts_by_bytes_not_by_text(qapp) -> None:
    _, proxy = make(
        [
            TaskRow(PoNumber("1"), PoOutcome(PoStatus.PENDING, size=900, downloaded=1)),  # "900 B"
            TaskRow(PoNumber("2"), PoOutcome(PoStatus.PENDING, size=2_000_000, downloaded=1)),  # "1.9 MB"
            TaskRow(PoNumber("3"), PoOutcome(PoStatus.PENDING, size=10_000, downloaded=1)),  # "9.8 KB"
        ]
    )
    texts = sorted(proxy.data(proxy.index(r, M.SIZE)) for r in range(3))
    assert texts == ["1.9 MB", "9.8 KB", "900 B"]  # what a text sort would give
    proxy.sort(M.SIZE, Qt.SortOrder.AscendingOrder)
    assert visible(proxy) == ["PO1", "PO3", "PO2"]
    proxy.sort(M.SIZE, Qt.SortOrder.DescendingOrder)
    assert visible(proxy) == ["PO2", "PO3", "PO1"]


def test_counts_sort_numerically(qapp) -> None:
    _, proxy = make(
        [
            TaskRow(PoNumber("1"), attempts=10),
            TaskRow(PoNumber("2"), attempts=9),
            TaskRow(PoNumber("3"), attempts=1),
        ]
    )
    proxy.sort(M.ATTEMPTS, Qt.SortOrder.AscendingOrder)
    assert visible(proxy) == ["PO3", "PO2", "PO1"]


def test_status_sorts_problems_first(qapp) -> None:
    rows = one_per_status()
    _, proxy = make(list(reversed(rows)))
    proxy.sort(M.STATUS, Qt.SortOrder.AscendingOrder)
    shown = [proxy.data(proxy.index(r, 0), M.ROW_ROLE).outcome.status for r in range(proxy.rowCount())]
    assert shown == list(STATUS_ORDER)
    assert shown[0] is PoStatus.FAILED and shown[-1] is PoStatus.NO_ATTACHMENTS


def test_text_columns_sort_case_insensitively(qapp) -> None:
    _, proxy = make(
        [
            TaskRow(PoNumber("1"), PoOutcome(PoStatus.PENDING, supplier="beta")),
            TaskRow(PoNumber("2"), PoOutcome(PoStatus.PENDING, supplier="Alpha")),
        ]
    )
    proxy.sort(M.SUPPLIER, Qt.SortOrder.AscendingOrder)
    assert visible(proxy) == ["PO2", "PO1"]


def test_qtmodeltester_on_the_proxy(qtmodeltester) -> None:
    model, proxy = make(one_per_status())
    model.apply(
        [
            ev.PoStarted(1, PoNumber("00000000"), 1, "u"),
            ev.FileSaved(1, PoNumber("00000000"), "a.pdf", "/a.pdf", 5),
        ]
    )
    proxy.sort(M.SIZE, Qt.SortOrder.DescendingOrder)
    proxy.set_status_filter(TaskFilterProxy.ACTIVE)
    qtmodeltester.check(proxy)


class CountingModel(TaskTableModel):
    """Counts the filter's calls into Python."""

    asked = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == TaskTableModel.FILTER_ROLE:
            self.asked += 1
        return super().data(index, role)


def test_without_a_filter_a_shown_sheet_costs_no_call_into_python_per_row(qtbot) -> None:
    """The filter runs in Qt: a 100 000-row sheet shown under a view must not call Python per row."""
    from PySide6.QtCore import QSortFilterProxyModel

    from po_downloader.ui.task_table import TaskTable

    # Qt calls an override for every row, whatever it returns: the filter must stay Qt's own.
    assert TaskFilterProxy.filterAcceptsRow is QSortFilterProxyModel.filterAcceptsRow
    model = CountingModel()
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    table = TaskTable(proxy)
    qtbot.addWidget(table)
    model.set_rows([TaskRow(PoNumber(f"{10_000_000 + i}")) for i in range(2000)])
    assert proxy.rowCount() == 2000
    assert model.asked == 0
    proxy.set_text("10000042")
    assert visible(proxy) == ["PO10000042"]
    assert model.asked >= 2000  # the filter does read every row once there is one


def test_the_text_never_matches_the_status_group_nor_across_fields(qapp) -> None:
    _, proxy = make(
        [
            TaskRow(
                PoNumber("1"), PoOutcome(PoStatus.FAILED, supplier="ACME", message="first line\nlast line")
            ),
            TaskRow(PoNumber("2"), PoOutcome(PoStatus.FAILED, supplier="Globex")),
        ]
    )
    proxy.set_text("problem")  # the group's own name is not the row's text
    assert visible(proxy) == []
    proxy.set_text("acmefirst")  # the end of the supplier and the start of the message: two fields
    assert visible(proxy) == []
    proxy.set_text("last line")  # a message over lines is searched whole
    assert visible(proxy) == ["PO1"]
    proxy.set_text("")
    assert visible(proxy) == ["PO1", "PO2"]
