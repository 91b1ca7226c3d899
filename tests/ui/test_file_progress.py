"""Live per-file progress: speeds and time left from successive reports, and the line the table shows for
a PO whose downloads are arriving (gone once they are saved)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from po_downloader.engine import events as ev
from po_downloader.engine.events import FileBytes
from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.ui.file_progress import advance, live_lines, live_text
from po_downloader.ui.task_model import TaskRow, TaskTableModel, human_size

MB = 1024 * 1024


def test_speed_and_time_left_come_from_the_bytes_gained_between_reports() -> None:
    first = advance(None, [FileBytes("big.pdf", 1 * MB, 3 * MB), FileBytes("small.txt", 10, 10)], 100.0)
    assert [f.rate for f in first.files] == [0.0, 0.0], "one report shows no movement yet"
    second = advance(first, [FileBytes("big.pdf", 2 * MB, 3 * MB), FileBytes("small.txt", 10, 10)], 102.0)
    big, small = second.files
    assert big.rate == pytest.approx(MB / 2) and big.left_seconds == pytest.approx(2.0)
    assert small.whole and small.rate == 0.0
    third = advance(second, [FileBytes("big.pdf", 2 * MB + MB // 4, 3 * MB), second_small()], 103.0)
    assert third.files[0].rate == pytest.approx(0.5 * MB / 4 + 0.5 * MB / 2), "smoothed, not swung"


def second_small() -> FileBytes:
    return FileBytes("small.txt", 10, 10)


def test_the_line_says_files_bytes_speed_and_time_left(qapp) -> None:
    first = advance(None, [FileBytes("a.pdf", 0, 3 * MB), FileBytes("b.txt", 0, 10)], 0.0)
    live = advance(first, [FileBytes("a.pdf", 1 * MB, 3 * MB), FileBytes("b.txt", 10, 10)], 1.0)
    assert live_text(live, 3, 0, human_size) == "1/3 files · 1.0 MB of 3.0 MB · 1.0 MB/s · 2s left"
    assert live_lines(live, human_size).splitlines() == [
        "a.pdf: 1.0 MB of 3.0 MB · 1.0 MB/s · 2s left",
        "b.txt: 10 B of 10 B",
    ]


def test_without_a_length_the_line_gives_bytes_and_speed_only(qapp) -> None:
    first = advance(None, [FileBytes("stream.csv", 0, None)], 0.0)
    live = advance(first, [FileBytes("stream.csv", 2048, None)], 2.0)
    assert live_text(live, 1, 0, human_size) == "0/1 files · 2.0 KB · 1.0 KB/s"


def test_the_table_shows_a_pos_files_as_they_arrive_then_its_final_word(qapp) -> None:
    model = TaskTableModel()
    model.set_rows([TaskRow(normalise_po("PO10000001"))])
    po = model.row(0).po
    model.apply(
        [
            ev.PoStarted(1, po, 1, "https://coupa.example/order_headers/10000001"),
            ev.AttachmentsFound(1, po, "ACME", ("a.pdf", "b.txt"), folder="/dl/ACME/PO10000001"),
            ev.DownloadProgress(1, po, MB, (FileBytes("a.pdf", MB, 3 * MB), FileBytes("b.txt", 0, 10))),
        ]
    )
    message = model.data(model.index(0, TaskTableModel.MESSAGE))
    assert message.startswith("0/2 files · 1.0 MB of 3.0 MB"), message
    tooltip = model.data(model.index(0, TaskTableModel.MESSAGE), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.splitlines() == ["a.pdf: 1.0 MB of 3.0 MB", "b.txt: 0 B of 10 B"]
    assert model.data(model.index(0, TaskTableModel.SIZE)) == "1.0 MB"
    done = PoOutcome(
        PoStatus.COMPLETED, found=2, downloaded=2, size=3 * MB + 10, folder="/dl/ACME/PO10000001"
    )
    model.apply([ev.PoFinished(0, po, done)])
    assert model.data(model.index(0, TaskTableModel.MESSAGE)) == ""


def test_a_route_that_reports_only_the_sum_shows_no_file_line(qapp) -> None:
    model = TaskTableModel()
    model.set_rows([TaskRow(normalise_po("PO10000001"))])
    po = model.row(0).po
    model.apply([ev.PoStarted(1, po, 1, "u"), ev.DownloadProgress(1, po, 4096)])
    assert model.data(model.index(0, TaskTableModel.MESSAGE)) == ""
    assert model.data(model.index(0, TaskTableModel.SIZE)) == "4.0 KB"
