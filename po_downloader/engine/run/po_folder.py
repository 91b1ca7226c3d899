"""The PO's folder while it is worked: where the user's folder template puts it, earlier folders of the same
PO taken over, and what an attempt that ends without a verdict leaves behind (its files, for the next
attempt; never an empty folder)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.models import PoStatus, PoTask
from po_downloader.engine.output.folder_template import (
    FolderTemplate,
    check_template,
    plan_columns,
    po_values,
)
from po_downloader.engine.output.folders import (
    FolderLayout,
    adopt_folder,
    drop_empty_levels,
    earlier_folders,
    finalise_folder,
    folder_name_status,
    folder_status,
    make_work_folder,
)
from po_downloader.engine.run.resume import PriorWork

Values = tuple[tuple[str, str], ...]


def batch_layout(text: str, plan: BatchPlan) -> FolderLayout:
    """The batch's folder layout: ``text`` checked against the sheet's headers (``TemplateError`` names
    an unknown token before any browser starts), and the day ``{year}``/``{month}`` name: today (a
    resumed batch then takes its start's). PO pages show no date the app reads, and one day for the
    whole batch keeps its POs together."""
    return FolderLayout(check_template(text, plan.sheet.columns), date.today())


def folder_values(template: FolderTemplate, plan: BatchPlan) -> dict[str, Values]:
    """Each PO's values for the template (:func:`~.folder_template.po_values`), by digits; empty when the
    template takes nothing from the sheet (nothing to carry for 100 000 POs)."""
    where = plan_columns(template, plan)
    return {po.digits: po_values(plan, po.digits, where) for po in plan.pos} if where else {}


def with_values(prior: Mapping[str, PriorWork], values: Mapping[str, Values]) -> dict[str, PriorWork]:
    """``prior`` with each PO's template values, so they reach its task as its earlier folder does."""
    out = dict(prior)
    for digits, found in values.items():
        out[digits] = dataclasses.replace(out.get(digits, PriorWork("")), values=found)
    return out


def make_po_folder(root: Path, supplier: str, task: PoTask, limit: int | None, layout: FolderLayout) -> Path:
    """The PO's work folder where the batch's layout puts it (:func:`~.folders.make_work_folder`)."""
    return make_work_folder(root, supplier, task.po.display, limit, layout, dict(task.values))


def adopt_earlier(folder: Path, display: str, task_folder: str, root: Path) -> list[PoStatus]:
    """Take over the folders an earlier run made for this PO (worked before: add to that folder, never
    a "(2)" beside it); returns the statuses they were named with."""
    before: list[PoStatus] = []
    for earlier in earlier_folders(folder, display, task_folder):
        named = folder_status(earlier, display)
        if adopt_folder(earlier, folder, root) and named is not None:
            before.append(named)
    return before


def leave_unfinished(folder: Path, display: str, before: list[PoStatus], root: Path) -> None:
    """The attempt ends without a verdict: files that arrived stay for the next attempt, but a folder with
    nothing in it is not left behind as if the PO had been worked, and a finished folder taken over gets
    its name back (its earlier status is still true for its files)."""
    if before and holds_files(folder):
        with contextlib.suppress(OSError):
            finalise_folder(folder, display, folder_name_status(before, PoStatus.FAILED))
    drop_if_empty(folder, root)


def holds_files(folder: Path) -> bool:
    """Whether ``folder`` has any file in it (a folder with nothing in it promises nothing)."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.is_file(follow_symlinks=False) for entry in entries)
    except OSError:
        return False


def drop_if_empty(folder: Path, root: Path) -> None:
    """Remove ``folder`` and then the template's levels above it if they are empty (never ``root``)."""
    drop_empty_levels(folder, root)
