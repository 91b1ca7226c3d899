"""The Folder column: the path below the download root, cut in the middle; the whole path in its tooltip."""

from __future__ import annotations

from pathlib import Path, PurePath

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.ui.task_model import TaskRow, TaskTableModel
from po_downloader.ui.task_proxy import TaskFilterProxy
from po_downloader.ui.task_table import TaskTable, below_root

ROOT = Path("/home/ana/Downloads/Coupa POs")


def test_below_root_is_relative_only_for_a_folder_under_the_root() -> None:
    assert below_root(str(ROOT / "ACME" / "PO10000001"), ROOT) == str(PurePath("ACME", "PO10000001"))
    assert below_root("/elsewhere/ACME/PO1", ROOT) == "/elsewhere/ACME/PO1", "another root stays whole"
    assert below_root(str(ROOT), ROOT) == str(ROOT), "the root itself is not shown as '.'"
    assert below_root("/home/ana/Downloads/Coupa POs-old/x", ROOT) == "/home/ana/Downloads/Coupa POs-old/x"
    assert below_root("", ROOT) == ""
    assert below_root("/a/b", None) == "/a/b"


def _table(qtbot, root: Path | None, folders: list[str]) -> TaskTable:
    model = TaskTableModel()
    model.set_rows(
        [
            TaskRow(normalise_po(f"PO1000000{i}"), PoOutcome(PoStatus.COMPLETED, folder=f))
            for i, f in enumerate(folders)
        ]
    )
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    table = TaskTable(proxy, root=lambda: root)
    qtbot.addWidget(table)
    table._keep = (model, proxy)  # type: ignore[attr-defined]
    return table


def _shown(table: TaskTable, row: int) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    index = table.model().index(row, TaskTableModel.FOLDER)
    table.itemDelegateForColumn(TaskTableModel.FOLDER).initStyleOption(option, index)
    return option


def test_the_column_shows_the_path_below_the_root_cut_in_the_middle(qtbot) -> None:
    deep = ROOT / "Fornecedor com um nome bem comprido Ltda" / "2026" / "PO10000001"
    table = _table(qtbot, ROOT, [str(deep), "/mnt/old root/ACME/PO10000002"])
    first = _shown(table, 0)
    assert first.text == str(PurePath("Fornecedor com um nome bem comprido Ltda", "2026", "PO10000001"))
    assert first.textElideMode == Qt.TextElideMode.ElideMiddle
    assert _shown(table, 1).text == "/mnt/old root/ACME/PO10000002"
    cut = first.fontMetrics.elidedText(first.text, Qt.TextElideMode.ElideMiddle, 220)
    assert "…" in cut and cut.startswith("Forn") and cut.endswith("PO10000001"), (
        "the PO folder stays readable"
    )
    tooltip = table.model().index(0, TaskTableModel.FOLDER).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == str(deep), "the tooltip keeps the whole path"


def test_the_root_is_asked_each_time(qtbot) -> None:
    roots = [ROOT]
    table = _table(qtbot, None, [str(ROOT / "ACME" / "PO1")])
    table.folder_delegate.root = lambda: roots[-1]
    assert _shown(table, 0).text == str(PurePath("ACME", "PO1"))
    roots.append(Path("/other"))
    assert _shown(table, 0).text == str(ROOT / "ACME" / "PO1")
