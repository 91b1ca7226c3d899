"""What the drop zone says about a sheet once it is read: its PO column and what the batch will do.

A plain function so its wording is tested without a window; its strings keep the ``MainWindow``
translation context they were translated in. Each count is a numerus string ("1 duplicate row",
"2 linhas duplicadas"): the language's plural rules come from its translation file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject

from po_downloader.engine.input.column_choice import REASON_CHOSEN, REASON_REMEMBERED
from po_downloader.engine.input.plan import BatchPlan


class SheetSummary(QObject):
    """The counts' numerus strings (through ``self.tr``: pyside6-lupdate sees a count only there)."""

    def counts(self, plan: BatchPlan) -> str:
        return ", ".join(
            (
                self.tr("%n POs to download", "", len(plan.pos)),
                self.tr("%n duplicate rows", "", plan.duplicate_rows),
                self.tr("%n invalid rows", "", plan.invalid_rows),
                self.tr("%n already completed", "", plan.done_rows),
            )
        )


def column_reason(reason: str) -> str:
    """How the PO column was found, in the user's words."""
    if reason == REASON_CHOSEN:
        return QCoreApplication.translate("MainWindow", "chosen by you")
    if reason == REASON_REMEMBERED:
        return QCoreApplication.translate("MainWindow", "as you chose for these columns")
    if reason.startswith("header"):
        return QCoreApplication.translate("MainWindow", "found by its header")
    return QCoreApplication.translate("MainWindow", "found by its values")


def plan_summary(path: Path, plan: BatchPlan) -> str:
    """``pos.csv — PO column “PO_NUMBER” (found by its header): 5 POs to download, …``."""
    return QCoreApplication.translate(
        "MainWindow", "{file} — PO column “{column}” ({reason}): {counts}"
    ).format(
        file=path.name,
        column=plan.sheet.po_column,
        reason=column_reason(plan.sheet.po_column_reason),
        counts=SheetSummary().counts(plan),
    )
