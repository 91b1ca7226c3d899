"""The system tray icon, when the desktop has a tray: a menu and end-of-batch notifications.

Without a tray (some Linux desktops, offscreen tests) everything still works: ``notify`` returns False and
the caller shows its fallback (the summary in the window plus ``QApplication.alert``).
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon

log = logging.getLogger(__name__)

MESSAGE_MS = 10_000


class Tray(QObject):
    """Emits ``show_requested``, ``pause_toggled(wanted_paused)`` and ``quit_requested``.

    The window answers ``pause_toggled`` by pausing or resuming, then confirms with ``set_paused``.
    The icon is created hidden; the window calls ``show()``.
    """

    show_requested = Signal()
    pause_toggled = Signal(bool)
    quit_requested = Signal()

    def __init__(
        self, parent: QObject | None = None, *, icon: QIcon | None = None, tooltip: str = ""
    ) -> None:
        super().__init__(parent)
        self._paused = False
        self.show_action = QAction(self.tr("Show window"), self)
        self.show_action.triggered.connect(self.show_requested)
        self.pause_action = QAction(self.tr("Pause"), self)
        self.pause_action.triggered.connect(self._on_pause_triggered)
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.triggered.connect(self.quit_requested)
        self._menu: QMenu | None = None
        self._icon: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            log.info("no system tray: notifications will show in the window")
            return
        # QSystemTrayIcon does not own its context menu, so the menu is kept here.
        self._menu = QMenu()
        self._menu.addAction(self.show_action)
        self._menu.addAction(self.pause_action)
        self._menu.addSeparator()
        self._menu.addAction(self.quit_action)
        self._icon = QSystemTrayIcon(self._pick_icon(icon), self)
        self._icon.setToolTip(tooltip or QApplication.applicationDisplayName() or "po-downloader")
        self._icon.setContextMenu(self._menu)
        self._icon.activated.connect(self._on_activated)
        self._icon.messageClicked.connect(self.show_requested)

    @staticmethod
    def _pick_icon(icon: QIcon | None) -> QIcon:
        """A tray entry without an icon is invisible; fall back to the app's, then a stock one."""
        for candidate in (icon, QApplication.windowIcon()):
            if candidate is not None and not candidate.isNull():
                return candidate
        return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)

    @property
    def available(self) -> bool:
        return self._icon is not None

    @property
    def menu(self) -> QMenu | None:
        return self._menu

    def show(self) -> None:
        if self._icon is not None:
            self._icon.show()

    def hide(self) -> None:
        if self._icon is not None:
            self._icon.hide()

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_action.setText(self.tr("Resume") if paused else self.tr("Pause"))

    def notify(self, title: str, message: str) -> bool:
        """Show a tray message (clicking it emits ``show_requested``); False when the caller must fall back."""
        if self._icon is None or not QSystemTrayIcon.supportsMessages():
            return False
        self._icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)
        return True

    def _on_pause_triggered(self) -> None:
        self.pause_toggled.emit(not self._paused)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # On macOS a click opens the menu; showing the window as well would be a surprise there.
        single_click = reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin"
        if single_click or reason == QSystemTrayIcon.ActivationReason.DoubleClick:
            self.show_requested.emit()
