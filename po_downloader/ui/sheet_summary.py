"""What the drop zone says about a sheet once it is read: its PO column and what the batch will do.

A plain function so its wording is tested without a window; its strings keep the ``MainWindow``
translation context they were translated in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from po_downloader.engine.input.plan import BatchPlan


def plan_summary(path: Path, plan: BatchPlan) -> str:
    """``pos.csv — PO column “PO_NUMBER” (found by its header): 5 POs to download, …``."""
    if plan.sheet.po_column_reason.startswith("header"):
        reason = QCoreApplication.translate("MainWindow", "found by its header")
    else:
        reason = QCoreApplication.translate("MainWindow", "found by its values")
    return QCoreApplication.translate(
        "MainWindow",
        "{file} — PO column “{column}” ({reason}): {pos} POs to download, {dups} duplicate rows, "
        "{invalid} invalid rows, {done} already completed",
    ).format(
        file=path.name,
        column=plan.sheet.po_column,
        reason=reason,
        pos=len(plan.pos),
        dups=plan.duplicate_rows,
        invalid=plan.invalid_rows,
        done=plan.done_rows,
    )
