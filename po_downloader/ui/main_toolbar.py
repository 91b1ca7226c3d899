"""The window's toolbar: its commands, in the order the user meets them; the window connects them.

Its strings keep the ``MainWindow`` translation context they were translated in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget


class MainToolbar(QToolBar):
    """One QAction per command; enabling them is the window's business (a running batch locks some)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("MainWindow", "Main"), parent)
        self.setObjectName("main_toolbar")
        self.open_sheet = QAction(QCoreApplication.translate("MainWindow", "Open…"), self)
        self.open_sheet.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.settings = QAction(QCoreApplication.translate("MainWindow", "Settings…"), self)
        self.sign_in = QAction(QCoreApplication.translate("MainWindow", "Sign in to Coupa…"), self)
        self.results = QAction(QCoreApplication.translate("MainWindow", "Open results"), self)
        self.downloads = QAction(QCoreApplication.translate("MainWindow", "Open download folder"), self)
        self.history = QAction(QCoreApplication.translate("MainWindow", "History…"), self)
        self.demo = QAction(QCoreApplication.translate("MainWindow", "Try the demo portal"), self)
        for action in (
            self.open_sheet,
            self.settings,
            self.sign_in,
            self.results,
            self.downloads,
            self.history,
            self.demo,
        ):
            self.addAction(action)
