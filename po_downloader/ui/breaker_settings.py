"""The breaker's two settings in the Settings dialog: after how many same failures in a row a group stops,
and which sheet column makes the groups (``run/breaker.py`` says which failures count)."""

from __future__ import annotations

from typing import TypedDict

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from po_downloader.engine.system.settings import Settings


class BreakerValues(TypedDict):
    breaker: int
    breaker_group: str


class BreakerSettings(QWidget):
    """A count (0: off) and a column name (empty: the whole batch is one group)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(0, 1000)
        self.count_spin.setSpecialValueText(self.tr("Off"))
        self.count_spin.setToolTip(
            self.tr(
                "Stop sending a group's POs once its last this-many POs all ended the same failing way (no "
                "access, a portal error); the rest of the group is skipped and can be resumed in one click."
            )
        )
        self.column_edit = QLineEdit()
        self.column_edit.setPlaceholderText(self.tr("empty: the whole batch is one group"))
        self.column_edit.setToolTip(
            self.tr("The sheet column whose values make the groups, e.g. a company code column.")
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.count_spin)
        row.addWidget(QLabel(self.tr("POs in a row, per group of column:")))
        row.addWidget(self.column_edit, 1)
        self.count_spin.valueChanged.connect(lambda n: self.column_edit.setEnabled(n > 0))

    def load(self, settings: Settings) -> None:
        self.count_spin.setValue(max(0, settings.breaker))
        self.column_edit.setText(settings.breaker_group)
        self.column_edit.setEnabled(settings.breaker > 0)

    def values(self) -> BreakerValues:
        """The ``Settings`` fields as edited."""
        return BreakerValues(breaker=self.count_spin.value(), breaker_group=self.column_edit.text().strip())
