"""The batch the window prepared, handed to the controller's process as a recipe, not as data.

A prepared batch of a 100 000-row sheet (its plan and results sheet) is about 9.5 MB of small objects:
pickling it held the window's interpreter for seconds (stalls of 364-541 ms) and unpickling it cost the
controller's process as much again. The window's process keeps its prepared batch (its table, its resume
offer and its kept rows are made from it, as before) and sends only what the controller's process needs to
prepare the same batch itself (:class:`Handover`): the sheet's path and the hash of the bytes the window
read, how its PO column was chosen, the worker configuration, and the decisions preparing made (which
batch it resumes and which POs that keeps, the results file, the journal batch of an earlier run).
``run/batch.prepare_again`` prepares it there.

:meth:`Handover.plan` reads the sheet again and refuses it, with ``SHEET_CHANGED_SINCE_READ``, unless its
bytes are those the window read: a batch never works rows the window does not show.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.column_choice import REASON_CHOSEN, ColumnMapping, header_signature
from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.sheet import Sheet, SheetError, read_sheet
from po_downloader.engine.output.journal_records import BatchId, BatchRecord
from po_downloader.engine.run.worker import WorkerConfig

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Handover:
    """What the controller's process needs to prepare the window's batch itself: a few hundred bytes, and
    one string of digits when a resumed batch keeps POs."""

    input_path: Path
    sha256: str
    """SHA-256 of the bytes the window read: the sheet read again must be those bytes."""
    mapping: ColumnMapping | None
    """The user's column mapping, when the PO column was chosen or remembered (None: recognised)."""
    chosen: bool
    """The mapping was chosen for this read (else remembered for the header layout ``layout``)."""
    layout: str
    rerun_all: bool
    """Rows a results sheet marks COMPLETED are worked too (a resumed ``--all`` batch)."""
    shape: tuple[str, int, int]
    """The window's plan: PO column, rows, unique POs. The same bytes and choice plan the same: checked."""
    results_path: Path
    config: WorkerConfig
    resumed: BatchRecord | None
    kept: str
    """The digits of the POs the resumed batch keeps (the window shows them kept), one per line."""
    earlier: bool
    """The results file was there before the window prepared: rows start from the journal's outcomes."""
    journal_batch: BatchId | None

    def plan(self) -> BatchPlan:
        """The sheet read and planned again, as the window did. Raises ``SheetError``: its own kind when
        it cannot be read any more, ``SHEET_CHANGED_SINCE_READ`` when it is not the sheet on screen."""
        sheet = self._read()
        if sheet.sha256 != self.sha256:
            raise changed(self.input_path, "its bytes are not those the window read")
        plan = plan_batch(sheet, rerun_all=self.rerun_all)
        if shape(plan) != self.shape:
            raise changed(self.input_path, f"planned as {shape(plan)}, the window planned {self.shape}")
        return plan

    def _read(self) -> Sheet:
        mapping, layout = self.mapping, self.layout
        if mapping is None:
            return read_sheet(self.input_path)
        if self.chosen:
            return read_sheet(self.input_path, mapping=mapping)
        return read_sheet(
            self.input_path, remembered=lambda cols: mapping if header_signature(cols) == layout else None
        )

    def kept_of(self, found: Mapping[str, T]) -> dict[str, T]:
        """Of the POs resuming keeps here, those the window shows as kept: a retry's POs that finished
        since stay the work of a later Start, as in the window's batch; one the window kept whose files
        went since is worked (and says so on its row)."""
        shown = set(self.kept.split("\n")) if self.kept else set()
        if lost := len(shown - found.keys()):
            log.info("%d POs the window showed as kept are worked again: their files are gone", lost)
        return {digits: value for digits, value in found.items() if digits in shown}


def handover_of(batch: Any) -> Handover:
    """The recipe of ``batch``, a ``run/batch.PreparedBatch`` (this layer may not name it). No row is
    copied: fast enough for the thread that spawns the controller's process."""
    if batch.input_path is None:
        raise ValueError("a batch without its sheet's path cannot be prepared again elsewhere")
    plan, sheet = batch.plan, batch.plan.sheet
    return Handover(
        input_path=batch.input_path,
        sha256=sheet.sha256,
        mapping=sheet.mapping,
        chosen=sheet.po_column_reason == REASON_CHOSEN,
        layout=header_signature(sheet.columns),
        # The done rows are the only rows the flag changes: a plan without them is the same either way.
        rerun_all=plan.done_rows == 0,
        shape=shape(plan),
        results_path=batch.results.path,
        config=batch.config,
        resumed=batch.resumed,
        kept="\n".join(batch.kept),
        earlier=batch.results.found_on_disk,
        journal_batch=batch.journal_batch,
    )


def changed(path: Path, why: str) -> SheetError:
    """The refusal: the sheet on disk is not the one on screen; the user loads it again."""
    return SheetError(
        ErrorKind.SHEET_CHANGED_SINCE_READ,
        f"{path} changed since it was read ({why}): load it again to start",
        name=path.name,
        path=path,
    )


def shape(plan: BatchPlan) -> tuple[str, int, int]:
    return plan.sheet.po_column, plan.total_rows, plan.unique_pos
