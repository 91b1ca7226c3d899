"""The row menu and double-click: folder or PO page, the PO's URL, retrying the selected rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView

from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.ui import row_actions
from po_downloader.ui.row_actions import RowActions
from po_downloader.ui.task_model import TaskRow, TaskTableModel
from po_downloader.ui.task_proxy import TaskFilterProxy


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    monkeypatch.setattr(row_actions, "open_path", lambda p: seen.append(("path", Path(p))) or True)
    monkeypatch.setattr(row_actions, "open_url", lambda u: seen.append(("url", u)) or True)
    monkeypatch.setattr(row_actions, "copy_text", lambda t: seen.append(("copy", t)))
    return seen


def make_actions(qtbot, rows: list[TaskRow], can_retry: bool = True) -> tuple[RowActions, QTableView]:
    table = QTableView()
    # The models live exactly as long as the view showing them, as in the window.
    model = TaskTableModel(table)
    model.set_rows(rows)
    proxy = TaskFilterProxy(table)
    proxy.setSourceModel(model)
    table.setModel(proxy)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    qtbot.addWidget(table)
    actions = RowActions(
        table,
        proxy,
        model,
        po_url=lambda po: f"https://coupa.test/order_headers/{po.digits}",
        can_retry=lambda: can_retry,
        parent=table,
    )
    return actions, table


def _menu_actions(menu) -> dict[str, object]:
    return {a.text(): a for a in menu.actions()}


def test_the_menu_acts_on_the_clicked_row(qtbot, tmp_path: Path, opened) -> None:
    folder = tmp_path / "PO10000001_COMPLETED"
    folder.mkdir()
    actions, table = make_actions(
        qtbot,
        [
            TaskRow(normalise_po("PO10000001"), PoOutcome(PoStatus.PENDING, folder=str(folder))),
            TaskRow(normalise_po("PO10000002")),
        ],
    )
    menu = actions.menu_for(table.model().index(0, 0))
    items = _menu_actions(menu)
    assert list(items) == ["Open folder", "Open in browser", "Copy URL", "Retry"]
    items["Open folder"].trigger()
    items["Copy URL"].trigger()
    assert opened == [("path", folder), ("copy", "https://coupa.test/order_headers/10000001")]
    assert actions.menu_for(table.model().index(-1, -1)) is None  # a click between rows


def test_a_row_without_a_folder_cannot_open_one_and_uses_its_own_url(qtbot, opened) -> None:
    actions, table = make_actions(
        qtbot,
        [TaskRow(normalise_po("PO10000001"), PoOutcome(PoStatus.PENDING, url="https://coupa.test/po/1"))],
    )
    items = _menu_actions(actions.menu_for(table.model().index(0, 0)))
    assert not items["Open folder"].isEnabled()
    items["Open in browser"].trigger()
    assert opened == [("url", "https://coupa.test/po/1")]


def test_retry_asks_for_every_selected_row_and_only_when_allowed(qtbot) -> None:
    rows = [TaskRow(normalise_po(f"PO1000000{i}")) for i in range(1, 5)]
    actions, table = make_actions(qtbot, rows)
    selection = table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in (3, 1):
        selection.select(table.model().index(r, 0), flags)
    with qtbot.waitSignal(actions.retry_requested, timeout=1000) as asked:
        _menu_actions(actions.menu_for(table.model().index(3, 0)))["Retry"].trigger()
    assert asked.args == [[normalise_po("PO10000002"), normalise_po("PO10000004")]]  # in table order

    blocked, blocked_table = make_actions(qtbot, rows, can_retry=False)
    assert not _menu_actions(blocked.menu_for(blocked_table.model().index(0, 0)))["Retry"].isEnabled()


def test_double_click_opens_the_folder_when_it_exists_else_the_po(qtbot, tmp_path: Path, opened) -> None:
    gone = tmp_path / "deleted_since"
    actions, table = make_actions(
        qtbot, [TaskRow(normalise_po("PO10000001"), PoOutcome(PoStatus.PENDING, folder=str(gone)))]
    )
    actions.double_clicked(table.model().index(0, 0))
    gone.mkdir()
    actions.double_clicked(table.model().index(0, 0))
    assert opened == [("url", "https://coupa.test/order_headers/10000001"), ("path", gone)]
