"""Where the user drops (or opens) the spreadsheet of PO numbers.

Drag events only unpack URLs; the decision lives in ``choose(path)``, a plain method that the "Open…"
button and tests call too (OnionShare's habit), so no test needs a real drag.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")
ERROR_STYLE = "color: #c62828;"
_IDLE_STYLE = "#dropZone { border: 2px dashed palette(mid); border-radius: 8px; }"
_HOVER_STYLE = "#dropZone { border: 2px dashed palette(highlight); border-radius: 8px; }"


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not path.is_dir()


def _local_paths(mime: QMimeData) -> list[Path]:
    """The local files a drag carries; web links and other data give none."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropZone(QFrame):
    """A framed area with a big prompt, an "Open…" button and a line for the loaded file's summary."""

    file_chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setStyleSheet(_IDLE_STYLE)
        self._hover = False
        self._last_dir = Path.home()

        self.prompt_label = QLabel(self.tr("Drop a CSV or Excel file with PO numbers here"))
        self.prompt_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt_label.setWordWrap(True)
        font = self.prompt_label.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.prompt_label.setFont(font)

        self.hint_label = self._small_label()
        self.hint_label.setStyleSheet(ERROR_STYLE)
        self.summary_label = self._small_label()
        self.open_button = QPushButton(self.tr("Open…"))
        self.open_button.clicked.connect(self.open_dialog)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    @staticmethod
    def _small_label() -> QLabel:
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
        label.setVisible(False)
        return label

    # -- the one entry point ------------------------------------------------------------------------

    def choose(self, path: Path) -> bool:
        """Take ``path`` as the PO list (emit ``file_chosen``), or show why not; True when taken."""
        if not is_supported(path):
            self._show_hint(self._unsupported_text())
            return False
        self._show_hint("")
        self._last_dir = path.parent
        log.info("PO list chosen: %s", path)
        self.file_chosen.emit(path)
        return True

    def open_dialog(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in SUFFIXES)
        filters = self.tr("CSV or Excel files ({patterns})").format(patterns=patterns)
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Open a list of PO numbers"), str(self._last_dir), filters
        )
        if path:
            self.choose(Path(path))

    def set_summary(self, text: str, ok: bool) -> None:
        """Show the loaded file's summary under the prompt, in red when it is an error."""
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet("" if ok else ERROR_STYLE)
        self.summary_label.setVisible(bool(text))

    def summary_text(self) -> str:
        return self.summary_label.text()

    def hint_text(self) -> str:
        return self.hint_label.text()

    # -- drag and drop: unpack, check, hand over ----------------------------------------------------

    def _drop_problem(self, paths: list[Path]) -> str | None:
        if not paths:
            return self.tr("Drop a file from this computer")
        if len(paths) > 1:
            return self.tr("Drop one file at a time")
        if not is_supported(paths[0]):
            return self._unsupported_text()
        return None

    def _unsupported_text(self) -> str:
        return self.tr("Only CSV or Excel files ({suffixes})").format(suffixes=", ".join(SUFFIXES))

    def _check_drag(self, event: QDragEnterEvent | QDragMoveEvent) -> None:
        problem = self._drop_problem(_local_paths(event.mimeData()))
        if problem:
            self._show_hint(problem)
            event.ignore()
            return
        self._show_hint("")
        self._set_hover(True)
        event.acceptProposedAction()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._check_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._check_drag(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_hover(False)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_hover(False)
        paths = _local_paths(event.mimeData())
        problem = self._drop_problem(paths)
        if problem:
            self._show_hint(problem)
            event.ignore()
            return
        event.acceptProposedAction()
        self.choose(paths[0])

    def _show_hint(self, text: str) -> None:
        self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text))

    def _set_hover(self, hover: bool) -> None:
        if hover != self._hover:  # drag moves arrive often; re-polishing each time would be wasted
            self._hover = hover
            self.setStyleSheet(_HOVER_STYLE if hover else _IDLE_STYLE)
