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
    with qtbot.waitSignal(window.sheet_loaded, timeout=30_000) as loaded:  # read off the GUI thread
        QApplication.sendEvent(app, event)

    assert loaded.args == [True]
    assert window.launcher.input_path == sheet
    assert window.launcher.plan is not None and len(window.launcher.plan.pos) == 2
    assert window.model.rowCount() == 2
    window.log_panel.detach()


def test_other_events_and_empty_file_events_are_left_alone(qtbot, app_home: Path) -> None:
    window, _tray = build(app_dirs())
    qtbot.addWidget(window)
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(""))
    qtbot.wait(200)
    assert window.launcher.input_path is None and window.model.rowCount() == 0
    window.log_panel.detach()


def test_a_sheet_given_as_the_only_argument_opens_in_the_window(
    qtbot, app_home: Path, tmp_path: Path, monkeypatch
) -> None:
    """Windows' "Open with" starts ``PO Downloader.exe <sheet>``."""
    from po_downloader.cli import main as cli
    from po_downloader.ui import app as ui_app
    from po_downloader.ui.main_window import MainWindow

    sheet = tmp_path / "pos.xlsx"
    sheet.write_bytes(b"")
    calls: list[dict] = []
    monkeypatch.setattr(ui_app, "run_gui", lambda **kw: calls.append(kw) or 0)
    assert cli.main([str(sheet)]) == 0
    assert calls == [{"open_file": sheet}]

    csv_sheet = tmp_path / "pos.csv"
    csv_sheet.write_text("PO_NUMBER\nPO15262984\n", encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.setenv("PO_DOWNLOADER_HOME", str(app_home))
    monkeypatch.setattr(ui_app, "run_event_loop", lambda app: None)
    assert ui_app.run_gui(open_file=csv_sheet) == 0
    (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=30_000)
    assert window.launcher.input_path == csv_sheet
    window.log_panel.detach()


def test_a_missing_file_or_an_unknown_suffix_is_not_taken_for_a_sheet(tmp_path: Path, capsys) -> None:
    from po_downloader.cli.main import _opened_sheet

    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    assert _opened_sheet([str(tmp_path / "missing.csv")]) is None
    assert _opened_sheet([str(notes)]) is None
    assert _opened_sheet(["run"]) is None and _opened_sheet(["--version"]) is None
