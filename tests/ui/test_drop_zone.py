"""The drop zone: real drag-and-drop events in, ``file_chosen`` out, only for spreadsheets."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from po_downloader.ui.drop_zone import DropZone

COPY = Qt.DropAction.CopyAction
LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def zone(qtbot) -> DropZone:
    z = DropZone()
    qtbot.addWidget(z)
    z.resize(400, 300)
    return z


def _mime(*urls: QUrl) -> QMimeData:
    mime = QMimeData()
    mime.setUrls(list(urls))
    return mime


def _file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text("PO_NUMBER\nPO123\n", encoding="utf-8")
    return path


def _drag_event(kind: type[QDragEnterEvent] | type[QDragMoveEvent], mime: QMimeData) -> QDragMoveEvent:
    with warnings.catch_warnings():
        # PySide6 binds only the QPoint constructor, which Qt 6 marks deprecated in favour of QPointF.
        warnings.simplefilter("ignore", DeprecationWarning)
        return kind(QPoint(10, 10), COPY, mime, LEFT, NO_MODIFIER)


def _enter(zone: DropZone, mime: QMimeData) -> QDragMoveEvent:
    event = _drag_event(QDragEnterEvent, mime)
    QApplication.sendEvent(zone, event)
    return event


def _drop(zone: DropZone, mime: QMimeData) -> QDropEvent:
    event = QDropEvent(QPointF(zone.rect().center()), COPY, mime, LEFT, NO_MODIFIER)
    QApplication.sendEvent(zone, event)
    return event


@pytest.mark.parametrize("name", ["pos.csv", "pos.xlsx", "pos.xlsm", "old.xls", "LOUD.XLSX"])
def test_dropping_a_spreadsheet_emits_its_path(zone, qtbot, tmp_path: Path, name: str) -> None:
    path = _file(tmp_path, name)
    mime = _mime(QUrl.fromLocalFile(str(path)))
    assert _enter(zone, mime).isAccepted()
    with qtbot.waitSignal(zone.file_chosen, timeout=1000) as blocker:
        drop = _drop(zone, mime)
    assert drop.isAccepted()
    assert blocker.args == [path]
    assert zone.hint_text() == ""


def test_a_text_file_is_refused_with_a_hint(zone, qtbot, tmp_path: Path) -> None:
    zone.show()
    mime = _mime(QUrl.fromLocalFile(str(_file(tmp_path, "notes.txt"))))
    with qtbot.assertNotEmitted(zone.file_chosen):
        assert not _enter(zone, mime).isAccepted()
        assert not _drop(zone, mime).isAccepted()
        direct = QDropEvent(QPointF(10, 10), COPY, mime, LEFT, NO_MODIFIER)
        zone.dropEvent(direct)  # the drop handler checks again rather than trusting the enter
        assert not direct.isAccepted()
    assert ".csv" in zone.hint_text() and ".xlsx" in zone.hint_text()
    assert zone.hint_label.isVisible()


def test_drag_moves_are_checked_too(zone, tmp_path: Path) -> None:
    csv = _mime(QUrl.fromLocalFile(str(_file(tmp_path, "pos.csv"))))
    assert _enter(zone, csv).isAccepted()  # Qt sends moves only to the widget that accepted the enter
    move = _drag_event(QDragMoveEvent, csv)
    QApplication.sendEvent(zone, move)
    assert move.isAccepted()
    txt = _mime(QUrl.fromLocalFile(str(_file(tmp_path, "notes.txt"))))
    move = _drag_event(QDragMoveEvent, txt)
    zone.dragMoveEvent(move)
    assert not move.isAccepted()


def test_two_files_at_once_are_refused(zone, qtbot, tmp_path: Path) -> None:
    mime = _mime(*(QUrl.fromLocalFile(str(_file(tmp_path, n))) for n in ("a.csv", "b.csv")))
    with qtbot.assertNotEmitted(zone.file_chosen):
        assert not _enter(zone, mime).isAccepted()
        _drop(zone, mime)
    assert "one file" in zone.hint_text()


def test_a_web_link_is_refused(zone, qtbot) -> None:
    mime = _mime(QUrl("https://example.com/pos.csv"))
    with qtbot.assertNotEmitted(zone.file_chosen):
        assert not _enter(zone, mime).isAccepted()
        _drop(zone, mime)
    assert zone.hint_text()


def test_a_good_drop_clears_an_earlier_hint(zone, qtbot, tmp_path: Path) -> None:
    txt = _mime(QUrl.fromLocalFile(str(_file(tmp_path, "notes.txt"))))
    _enter(zone, txt)
    _drop(zone, txt)
    assert zone.hint_text()
    csv = _mime(QUrl.fromLocalFile(str(_file(tmp_path, "pos.csv"))))
    with qtbot.waitSignal(zone.file_chosen, timeout=1000):
        _enter(zone, csv)
        _drop(zone, csv)
    assert zone.hint_text() == ""


def test_choose_is_the_plain_entry_point(zone, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "pos.xlsx"
    with qtbot.waitSignal(zone.file_chosen, timeout=1000) as blocker:
        assert zone.choose(path)
    assert blocker.args == [path]
    with qtbot.assertNotEmitted(zone.file_chosen):
        assert not zone.choose(tmp_path / "pos.pdf")
        folder = tmp_path / "looks-like.csv"
        folder.mkdir()
        assert not zone.choose(folder)


def test_open_button_uses_a_spreadsheet_filter(zone, qtbot, tmp_path: Path, monkeypatch) -> None:
    path = _file(tmp_path, "pos.xlsm")
    calls: list[tuple] = []

    def fake_open(*args):
        calls.append(args)
        return (str(path), args[3]) if len(calls) == 1 else ("", "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    with qtbot.waitSignal(zone.file_chosen, timeout=1000) as blocker:
        zone.open_button.click()
    assert blocker.args == [path]
    assert all(f"*{s}" in calls[0][3] for s in (".csv", ".xlsx", ".xlsm", ".xls"))
    with qtbot.assertNotEmitted(zone.file_chosen):
        zone.open_button.click()  # cancelled
    assert calls[1][2] == str(tmp_path), "the next dialog starts where the last file was"


def test_summary_shows_ok_and_errors_differently(zone) -> None:
    zone.show()
    assert not zone.summary_label.isVisible()
    zone.set_summary("pos.csv – PO_NUMBER – 5 valid, 1 duplicate, 0 invalid", ok=True)
    assert zone.summary_label.isVisible()
    assert zone.summary_text().startswith("pos.csv")
    assert "#c62828" not in zone.summary_label.styleSheet()
    zone.set_summary("names.csv: no PO column", ok=False)
    assert zone.summary_text() == "names.csv: no PO column"
    assert "#c62828" in zone.summary_label.styleSheet()


def test_summary_is_plain_text(zone) -> None:
    zone.set_summary("<b>pos.csv</b>", ok=True)
    assert zone.summary_label.textFormat() == Qt.TextFormat.PlainText
