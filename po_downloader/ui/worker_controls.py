"""How many browsers work in parallel: the slider, its count, and why the governor runs fewer.

Its strings keep the ``MainWindow`` translation context they were translated in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from po_downloader.engine.run.governor import max_workers


class WorkerControls(QWidget):
    """The user's choice (``slider``, 1 to the machine's maximum) and the governor's answer beside it."""

    def __init__(self, workers: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(1, max_workers())
        self.slider.setValue(workers)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setMaximumWidth(220)
        self.slider.setToolTip(QCoreApplication.translate("MainWindow", "How many browsers work in parallel"))
        self.count_label = QLabel()
        self.governor_label = QLabel()
        self.governor_label.setStyleSheet("color: #8a5a00;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(QCoreApplication.translate("MainWindow", "Workers:")))
        layout.addWidget(self.slider)
        layout.addWidget(self.count_label)
        layout.addWidget(self.governor_label, 1)
        self.slider.valueChanged.connect(self._show_count)
        self._show_count()

    def follow_grid(self, free: int) -> None:
        """A batch on a Selenium Grid: at most its free slots (0: on this computer, the machine's maximum)."""
        self.slider.setMaximum(free if free > 0 else max_workers())

    def _show_count(self) -> None:
        # A numerus string through self.tr: pyside6-lupdate sees the count only there.
        self.count_label.setText(self.tr("%n workers", "", self.slider.value()))

    def show_governor(self, target: int, requested: int, reason: str) -> None:
        """The governor runs ``target`` of the ``requested`` workers; says why while it runs fewer."""
        if target < requested:
            running = QCoreApplication.translate("MainWindow", "Running {target} of {requested} workers")
            running = running.format(target=target, requested=requested)
            self.governor_label.setText(f"{running}: {reason}" if reason else running)
        else:
            self.governor_label.setText("")
