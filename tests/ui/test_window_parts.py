"""The window's small parts on their own: the sheet summary's wording, the filter bar, the worker
controls, the task table's starting look and the toolbar's commands."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.run.governor import max_workers
from po_downloader.ui.filter_bar import FilterBar
from po_downloader.ui.main_toolbar import MainToolbar
from po_downloader.ui.sheet_summary import plan_summary
from po_downloader.ui.task_model import TaskRow, TaskTableModel
from po_downloader.ui.task_proxy import TaskFilterProxy
from po_downloader.ui.task_table import COLUMN_WIDTHS, TaskTable
from po_downloader.ui.worker_controls import WorkerControls


def test_the_summary_names_the_column_how_it_was_found_and_every_count(tmp_path: Path) -> None:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("Item;PO_NUMBER\nx;PO10000001\nx;PO10000002\nx;PO10000001\nx;nope\n", encoding="utf-8")
    assert plan_summary(sheet, plan_batch(read_sheet(sheet))) == (
        "pos.csv — PO column “PO_NUMBER” (found by its header): 2 POs to download, 1 duplicate row, "
        "1 invalid row, 0 already completed"
    )


def test_a_column_found_by_its_values_says_so(tmp_path: Path) -> None:
    sheet = tmp_path / "refs.csv"
    sheet.write_text("Item;Ref\nx;PO10000001\ny;PO10000002\n", encoding="utf-8")
    assert "(found by its values)" in plan_summary(sheet, plan_batch(read_sheet(sheet)))


def _model_and_proxy() -> tuple[TaskTableModel, TaskFilterProxy]:
    """Both returned: the caller keeps the model alive (a model Python dropped is deleted under the view)."""
    model = TaskTableModel()
    model.set_rows(
        [
            TaskRow(PoNumber("1", "PO"), PoOutcome(PoStatus.FAILED, supplier="ACME")),
            TaskRow(PoNumber("2", "PO"), PoOutcome(PoStatus.COMPLETED, supplier="Globex")),
            TaskRow(PoNumber("3", "PO"), PoOutcome(PoStatus.COMPLETED, supplier="ACME")),
        ]
    )
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


def _shown(proxy: TaskFilterProxy) -> list[str]:
    return [proxy.index(r, TaskTableModel.PO).data() for r in range(proxy.rowCount())]


def test_the_filter_bar_narrows_the_table_by_text_and_status(qtbot) -> None:
    _model, proxy = _model_and_proxy()
    bar = FilterBar(proxy)
    qtbot.addWidget(bar)
    bar.text_box.setText("acme")
    assert _shown(proxy) == ["PO1", "PO3"]
    bar.status_box.setCurrentIndex(bar.status_box.findData(TaskFilterProxy.PROBLEMS))
    assert _shown(proxy) == ["PO1"]
    bar.text_box.clear()
    bar.status_box.setCurrentIndex(bar.status_box.findData(TaskFilterProxy.DONE))
    assert _shown(proxy) == ["PO2", "PO3"]
    assert [bar.status_box.itemText(i) for i in range(bar.status_box.count())] == [
        "All POs",
        "Problems only",
        "In progress",
        "Done",
    ]


def test_the_worker_controls_count_and_say_why_the_governor_runs_fewer(qtbot) -> None:
    controls = WorkerControls(1)
    qtbot.addWidget(controls)
    assert controls.slider.minimum() == 1 and controls.slider.maximum() == max_workers()
    assert controls.count_label.text() == "1 worker"
    controls.slider.setValue(max_workers())
    assert controls.count_label.text() == f"{max_workers()} workers"
    controls.show_governor(2, 4, "CPU 93%")
    assert controls.governor_label.text() == "Running 2 of 4 workers: CPU 93%"
    controls.show_governor(4, 4, "")
    assert controls.governor_label.text() == ""


def test_the_task_table_starts_in_the_sheets_order_with_fixed_widths(qtbot) -> None:
    _model, proxy = _model_and_proxy()
    table = TaskTable(proxy)
    qtbot.addWidget(table)
    header = table.horizontalHeader()
    assert all(header.sectionSize(c) == w for c, w in COLUMN_WIDTHS.items() if c != TaskTableModel.MESSAGE)
    assert header.sortIndicatorSection() == -1  # the sheet's order until the user sorts
    assert table.isSortingEnabled()
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def test_the_toolbar_offers_every_command_in_order(qtbot) -> None:
    toolbar = MainToolbar()
    qtbot.addWidget(toolbar)
    assert [a.text() for a in toolbar.actions()] == [
        "Open…",
        "Settings…",
        "Sign in to Coupa…",
        "Open results",
        "Open download folder",
        "History…",
        "Try the demo portal",
    ]
    assert not toolbar.open_sheet.shortcut().isEmpty()
