"""The line above the table that narrows it: a free text and a status group, both applied by the proxy.

Its strings keep the ``MainWindow`` translation context they were translated in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from po_downloader.ui.task_proxy import TaskFilterProxy


class FilterBar(QWidget):
    """Types into ``proxy.set_text`` and picks ``proxy.set_status_filter``; holds no state of its own."""

    def __init__(self, proxy: TaskFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_box = QLineEdit()
        self.text_box.setPlaceholderText(
            QCoreApplication.translate("MainWindow", "Filter by PO, supplier or message")
        )
        self.text_box.setClearButtonEnabled(True)
        self.status_box = QComboBox()
        for label, mode in (
            (QCoreApplication.translate("MainWindow", "All POs"), TaskFilterProxy.ALL),
            (QCoreApplication.translate("MainWindow", "Problems only"), TaskFilterProxy.PROBLEMS),
            (QCoreApplication.translate("MainWindow", "In progress"), TaskFilterProxy.ACTIVE),
            (QCoreApplication.translate("MainWindow", "Done"), TaskFilterProxy.DONE),
        ):
            self.status_box.addItem(label, mode)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text_box, 1)
        layout.addWidget(self.status_box)
        self.text_box.textChanged.connect(proxy.set_text)
        self.status_box.currentIndexChanged.connect(
            lambda: proxy.set_status_filter(self.status_box.currentData())
        )
