"""A sheet handed to the app by the desktop (macOS Dock icon, "Open with") opens in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.app import build


def test_a_file_open_event_loads_the_sheet(qtbot, app_home: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "dropped on the dock.csv"
    sheet.write_text("PO_NUMBER\nPO15262984\nPO15262985\nPO15262985\n", encoding="utf-8")
    window, _tray = build(app_dirs())
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert app is not None

    event = QFileOpenEvent(str(sheet))
    assert event.type() == QEvent.Type.FileOpen
    QApplication.sendEvent(app, event)

    assert window.input_path == sheet
    assert window.plan is not None and len(window.plan.pos) == 2
    assert window.model.rowCount() == 2
    window.log_panel.detach()


def test_other_events_and_empty_file_events_are_left_alone(qtbot, app_home: Path) -> None:
    window, _tray = build(app_dirs())
    qtbot.addWidget(window)
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(""))
    assert window.input_path is None
    window.log_panel.detach()
