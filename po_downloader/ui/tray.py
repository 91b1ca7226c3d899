"""The system tray icon, when the desktop has a tray: a menu and end-of-batch notifications.

Without a tray (some Linux desktops, offscreen tests) everything still works: ``notify`` returns False and
the caller shows its fallback (the summary in the window plus ``QApplication.alert``).

Qt's notifications (``showMessage``: the macOS and Windows notification centres, freedesktop on Linux) carry
no buttons, so after a batch the tray's own menu carries "Open folder" and, when something failed, "Retry
failed"; the message names the folder so the user knows where to look without either.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon

log = logging.getLogger(__name__)

MESSAGE_MS = 10_000


@dataclass(frozen=True)
class BatchNotice:
    """What the end of a batch tells the user, in the tray and in the window's fallback banner alike."""

    title: str
    message: str
    folder: Path
    can_retry: bool


def batch_notice(summary: str, folder: Path, *, can_retry: bool) -> BatchNotice:
    """The summary line plus where the files are; ``can_retry`` when some PO is worth another try."""
    files_in = QCoreApplication.translate("Tray", "Files in {folder}")
    return BatchNotice(
        title=QCoreApplication.translate("Tray", "Batch finished"),
        message=summary + "\n" + files_in.format(folder=folder),
        folder=folder,
        can_retry=can_retry,
    )


class Tray(QObject):
    """Emits ``show_requested``, ``pause_toggled(wanted_paused)``, ``quit_requested``, and after a batch
    ``open_folder_requested(Path)`` and ``retry_failed_requested``.

    The window answers ``pause_toggled`` by pausing or resuming, then confirms with ``set_paused``.
    The icon is created hidden; the window calls ``show()``.
    """

    show_requested = Signal()
    pause_toggled = Signal(bool)
    quit_requested = Signal()
    open_folder_requested = Signal(object)
    retry_failed_requested = Signal()

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
        self._folder: Path | None = None
        self.open_folder_action = QAction(self.tr("Open folder"), self)
        self.open_folder_action.setVisible(False)  # until a batch has ended
        self.open_folder_action.triggered.connect(self._on_open_folder)
        self.retry_failed_action = QAction(self.tr("Retry failed"), self)
        self.retry_failed_action.setVisible(False)
        self.retry_failed_action.triggered.connect(self._on_retry_failed)
        self._menu: QMenu | None = None
        self._icon: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            log.info("no system tray: notifications will show in the window")
            return
        # QSystemTrayIcon does not own its context menu, so the menu is kept here.
        self._menu = QMenu()
        self._menu.addAction(self.show_action)
        self._menu.addAction(self.pause_action)
        self._menu.addAction(self.open_folder_action)
        self._menu.addAction(self.retry_failed_action)
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

    def notify_batch(self, notice: BatchNotice) -> bool:
        """The end-of-batch message; the menu then offers its folder and, if anything failed, a retry.
        False when the caller must fall back (the menu is set either way, for a tray without messages)."""
        self._folder = notice.folder
        self.open_folder_action.setVisible(True)
        self.retry_failed_action.setVisible(notice.can_retry)
        return self.notify(notice.title, notice.message)

    def batch_started(self) -> None:
        """A new batch: the last one's retry no longer means anything (its folder stays useful)."""
        self.retry_failed_action.setVisible(False)

    def _on_open_folder(self) -> None:
        if self._folder is not None:
            self.open_folder_requested.emit(self._folder)

    def _on_retry_failed(self) -> None:
        self.retry_failed_action.setVisible(False)  # one retry per notice; the next batch's end says again
        self.retry_failed_requested.emit()

    def _on_pause_triggered(self) -> None:
        self.pause_toggled.emit(not self._paused)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # On macOS a click opens the menu; showing the window as well would be a surprise there.
        single_click = reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin"
        if single_click or reason == QSystemTrayIcon.ActivationReason.DoubleClick:
            self.show_requested.emit()
