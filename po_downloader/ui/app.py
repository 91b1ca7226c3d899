"""The desktop app's entry point: QApplication with an asyncio loop on Qt's (qasync), the main window and the tray."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QTimer, QTranslator
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from po_downloader import __version__
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.system.logs import setup_logging
from po_downloader.engine.system.paths import AppDirs, app_dirs
from po_downloader.ui.jobs import close_event_loop, event_loop

if TYPE_CHECKING:
    from po_downloader.ui.main_window import MainWindow
    from po_downloader.ui.tray import Tray

log = logging.getLogger(__name__)


def make_app(argv: list[str]) -> QApplication:
    """The QApplication, with the asyncio loop on it (``jobs.event_loop``) before any window starts work."""
    # instance() is typed QCoreApplication; in this app it is always the QApplication made here
    app = cast(QApplication, QApplication.instance() or QApplication(argv))
    app.setApplicationName("po-downloader")
    app.setApplicationDisplayName("PO Downloader")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("po-downloader")
    app.setQuitOnLastWindowClosed(True)
    event_loop()
    return app


class FileOpenHandler(QObject):
    """macOS: a sheet dropped on the Dock icon (or "Open with") arrives as a QFileOpenEvent on the app.

    It can arrive before the event loop has run a single batch or even before the window is shown (the app
    was launched by the file), so it is caught on the application and handed to the window's own loader.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent) and event.file():
            log.info("file opened from the desktop: %s", event.file())
            self._window.showNormal()
            self._window.raise_()
            self._window.load_file(Path(event.file()))
            return True
        return super().eventFilter(watched, event)


def build(dirs: AppDirs) -> tuple[MainWindow, Tray]:
    """The window and the tray, wired together (split out so --smoke-test and tests share it)."""
    from po_downloader.ui.i18n import install_translators
    from po_downloader.ui.main_window import MainWindow
    from po_downloader.ui.tray import Tray

    app = cast(QApplication, QApplication.instance())  # make_app() ran first
    install_translators(app)
    window = MainWindow(dirs)
    app.installEventFilter(FileOpenHandler(window))
    tray = Tray(window)
    connect_tray(window, tray)
    tray.show()
    return window, tray


def connect_tray(window: MainWindow, tray: Tray) -> None:
    """The tray's commands go through the window's own (retry failed is the Retry failed button's)."""
    from po_downloader.ui.desktop import open_path

    def show_window() -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    tray.show_requested.connect(show_window)
    tray.pause_toggled.connect(lambda pause: window.session.pause() if pause else window.session.resume())
    tray.quit_requested.connect(window.close)
    tray.open_folder_requested.connect(open_path)
    tray.retry_failed_requested.connect(window.launcher.retry_failed)
    window.launcher.starting.connect(tray.batch_started)
    window.session.paused_changed.connect(tray.set_paused)

    def finished(_summary: str) -> None:
        notice = window.last_notice
        if notice is None or not tray.notify_batch(notice):
            QApplication.alert(
                window
            )  # no tray here: the summary and both actions are in the window's banner

    window.batch_finished.connect(finished)


def smoke_test(dirs: AppDirs) -> int:
    """Open the window, load every resource, spin the event loop briefly: proves a build is complete."""
    from po_downloader.engine.models import PoStatus
    from po_downloader.ui.i18n import translations_dir
    from po_downloader.ui.status_style import app_icon, status_icon

    problems = []
    for status in PoStatus:
        if status_icon(status).isNull():
            problems.append(f"icon for {status}")
    if app_icon().isNull():
        problems.append("app icon")
    load_selectors(None)
    qm = sorted(translations_dir().glob("*.qm"))
    if not qm:
        problems.append("translations (.qm) missing")
    problems += [f"translation {path.name} (unreadable)" for path in qm if not QTranslator().load(str(path))]
    window, _tray = build(dirs)
    window.show()
    QTimer.singleShot(800, window.close)
    run_event_loop(cast(QApplication, QApplication.instance()))  # the same qasync loop as a real start
    if problems:
        sys.stderr.write("smoke test: missing " + ", ".join(problems) + "\n")
        return 1
    sys.stdout.write(f"smoke test ok: {len(list(PoStatus))} icons, {len(qm)} translation(s), selectors\n")
    return 0


def run_event_loop(app: QApplication) -> None:
    """Qt's event loop, with the window's coroutines on it (qasync); returns on quit (the last window
    closed, even with a tray icon up), then waits for a blocking call still on its thread."""
    event_loop()
    app.lastWindowClosed.connect(app.quit)
    app.exec()
    close_event_loop()


def run_gui(
    argv: list[str] | None = None,
    *,
    dev_dir: Path | None = None,
    smoke: bool = False,
    open_file: Path | None = None,
) -> int:
    """``open_file``: a sheet the desktop handed over ("Open with" on Windows), shown before anything starts."""
    dirs = app_dirs(dev_dir)
    setup_logging(dirs)
    app = make_app(argv or sys.argv[:1])
    if smoke:
        return smoke_test(dirs)
    window, _tray = build(dirs)
    window.show()
    if open_file is not None:
        window.load_file(open_file)
    run_event_loop(app)
    return 0
