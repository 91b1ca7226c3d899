"""A collapsible view of the app's log, fed from any thread without touching Qt off the GUI thread.

``QtLogHandler.emit`` only puts the formatted line on a ``SimpleQueue``; the panel drains the queue on a
timer and appends everything in one call, so a burst of log lines costs one repaint, not one per line.
"""

from __future__ import annotations

import html
import logging
import queue
from collections import deque

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

MAX_LINES = 5000
DRAIN_INTERVAL_MS = 200
MAX_DRAIN = 50_000
"""Records taken per tick at most, so a thread that logs without pause cannot freeze the GUI."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
WARNING_COLOUR = "#b26a00"
ERROR_COLOUR = "#c62828"


class QtLogHandler(logging.Handler):
    """Queues ``(level, formatted line)``; safe to call from any thread, never touches Qt."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.queue: queue.SimpleQueue[tuple[int, str]] = queue.SimpleQueue()
        self.setFormatter(logging.Formatter(FORMAT, "%H:%M:%S"))
        self._logger: logging.Logger | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put((record.levelno, self.format(record)))
        except Exception:
            self.handleError(record)

    def drain(self, keep: int, limit: int = MAX_DRAIN) -> list[tuple[int, str]]:
        """The queued lines, only the newest ``keep`` of them (older ones would be scrolled out anyway)."""
        lines: deque[tuple[int, str]] = deque(maxlen=keep)
        for _ in range(limit):
            try:
                lines.append(self.queue.get_nowait())
            except queue.Empty:
                break
        return list(lines)

    def attach(self, logger: logging.Logger) -> None:
        self.detach()
        logger.addHandler(self)
        self._logger = logger

    def detach(self) -> None:
        """Stop receiving records; safe to call twice."""
        if self._logger is not None:
            self._logger.removeHandler(self)
            self._logger = None

    @property
    def attached(self) -> bool:
        return self._logger is not None


def line_html(level: int, text: str) -> str:
    """One log line as its own paragraph, coloured for warnings and errors, markup escaped."""
    colour = ERROR_COLOUR if level >= logging.ERROR else WARNING_COLOUR if level >= logging.WARNING else ""
    style = "white-space: pre-wrap;" + (f" color: {colour};" if colour else "")
    return f'<div style="{style}">{html.escape(text)}</div>'


class LogPanel(QWidget):
    """A "Show log" toggle over a read-only text view holding the last ``max_lines`` lines."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        max_lines: int = MAX_LINES,
        interval_ms: int = DRAIN_INTERVAL_MS,
        level: int = logging.INFO,
    ) -> None:
        super().__init__(parent)
        self.handler = QtLogHandler(level)
        # A panel destroyed while attached must not leave its handler queueing into the void.
        self.destroyed.connect(self.handler.detach)

        self.toggle_button = QPushButton()
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self.set_expanded)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(max_lines)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle_button)
        layout.addWidget(self.view, 1)

        self._max_lines = max_lines
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self.set_expanded(False)

    def attach(self, logger: logging.Logger | None = None) -> None:
        """Show records of ``logger`` (the root logger by default) from now on."""
        self.handler.attach(logger if logger is not None else logging.getLogger())
        self._timer.start()

    def detach(self) -> None:
        self.handler.detach()
        self._timer.stop()
        self.flush()

    def flush(self) -> None:
        """Append every queued line in one go."""
        lines = self.handler.drain(self._max_lines)
        if lines:
            self.view.appendHtml("".join(line_html(level, text) for level, text in lines))

    def set_expanded(self, expanded: bool) -> None:
        self.view.setVisible(expanded)
        self.toggle_button.setText(self.tr("Hide log") if expanded else self.tr("Show log"))
        if self.toggle_button.isChecked() != expanded:
            self.toggle_button.setChecked(expanded)

    @property
    def expanded(self) -> bool:
        return self.toggle_button.isChecked()

    def text(self) -> str:
        return self.view.toPlainText()
