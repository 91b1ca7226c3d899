"""A coloured strip over the table that says something and offers a few buttons.

The window asks questions that must not block a running batch (sign in again? try the demo? the batch
could not start): a banner asks without a modal dialog, and each flow that asks owns its own banner.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QFrame):
    """A message and its buttons; hidden until :meth:`show_message`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#banner { background: #fff4d6; border: 1px solid #e0b84c; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.buttons = QHBoxLayout()
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addLayout(self.buttons)
        self.hide()

    def show_message(self, text: str, actions: list[tuple[str, Callable[[], object]]]) -> None:
        """Show ``text`` with one button per ``(label, slot)``; the buttons of the last message go."""
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            if item is not None and (widget := item.widget()):
                widget.deleteLater()
        self.label.setText(text)
        for label, slot in actions:
            button = QPushButton(label)
            button.clicked.connect(slot)
            self.buttons.addWidget(button)
        self.show()

    def button(self, text: str) -> QPushButton:
        """The button labelled ``text`` (tests and the window click banner buttons by their label)."""
        for i in range(self.buttons.count()):
            item = self.buttons.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QPushButton) and widget.text() == text:
                return widget
        raise LookupError(f"no {text!r} button on the banner")

    def button_texts(self) -> list[str]:
        texts = []
        for i in range(self.buttons.count()):
            item = self.buttons.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QPushButton):
                texts.append(widget.text())
        return texts
