"""Start, Retry failed and Retry rows: everything between a loaded sheet and a running batch session.

Its own class because starting has rules of its own: settings are checked first; the batch is prepared
(the sheet re-read, the first results file written) once per sheet and settings, off the GUI thread;
retries reuse that prepared batch and reset exactly the rows they run. The window only shows what this
class reports through its signals.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from po_downloader.engine.http.grid_status import (
    GridSlots,
    GridUnavailable,
    browser_name_for,
    grid_workers,
    wait_for_slots,
)
from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.input.sheet import SheetError
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.journal_records import BatchRecord
from po_downloader.engine.output.results import ResultsLockedError
from po_downloader.engine.run.batch import (
    ConfigError,
    PreparedBatch,
    PrepareFileError,
    ResumeError,
    prepare,
)
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.resume import ResumeCheck, check_resume
from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.root_lock import RootBusyError
from po_downloader.engine.system.settings import Settings, validate
from po_downloader.ui import jobs
from po_downloader.ui.batch_session import BatchSession
from po_downloader.ui.error_text import error_text
from po_downloader.ui.task_model import TaskRow, TaskTableModel

log = logging.getLogger(__name__)


class BatchLauncher(QObject):
    """Holds the sheet the next batch works (``input_path``, ``plan``) and the batch prepared from it.

    Signals: ``cannot_start(str message, bool settings_help)``: refused or failed to prepare (offer the
    settings when they can fix it); ``starting()``: messages from the last batch can go;
    ``preparing_changed(bool)``; ``launched(int total)``: the session runs ``total`` POs;
    ``resume_offered(BatchRecord, int)``: the sheet on screen has an unfinished batch in the journal,
    and how many of its POs resuming keeps (the engine's rule, files on disk checked) (offer
    to resume it or start over); ``plan_widened(BatchPlan)``: the resumed batch works more of the
    sheet than the plan on screen (it was started with ``--all``); ``resume_declined(BatchRecord)``:
    it has one, but the file changed since, so the next start is a fresh batch.
    ``grid_slots(int free, int total)``: the batch runs on a Selenium Grid with these slots (0, 0: on this
    computer), so the worker slider follows them; ``grid_waiting(str)``: the Grid has no free slot yet.
    """

    cannot_start = Signal(str, bool)
    starting = Signal()
    preparing_changed = Signal(bool)
    launched = Signal(int)
    resume_offered = Signal(object, int)
    plan_widened = Signal(object)
    resume_declined = Signal(object)
    grid_slots = Signal(int, int)
    grid_waiting = Signal(str)

    def __init__(
        self,
        dirs: AppDirs,
        session: BatchSession,
        model: TaskTableModel,
        *,
        settings: Callable[[], Settings],
        workers: Callable[[], int],
        parent: QObject | None = None,
    ) -> None:
        """``settings`` and ``workers`` return the window's current settings and slider value."""
        super().__init__(parent)
        self.dirs = dirs
        self.session = session
        self.model = model
        self._settings = settings
        self._workers = workers
        self.input_path: Path | None = None
        self.plan: BatchPlan | None = None
        self.batch: PreparedBatch | None = None
        self.preparing = False
        self._preparing: asyncio.Task[None] | None = None
        self.use_governor = True
        self.grid: GridSlots | None = None
        """The Grid's slots when the prepared batch runs on one (its free slots cap the workers)."""

    # ------------------------------------------------------------------ what the next batch works

    def use_sheet(self, path: Path | None, plan: BatchPlan | None) -> None:
        """The sheet on screen changed (None: no usable sheet); a prepared batch no longer applies."""
        self.input_path, self.plan, self.batch = path, plan, None
        self.offer: BatchRecord | None = None
        if path is not None:
            jobs.start(self._check_resume(path, plan), name=f"checking {path.name} for a batch to resume")

    async def _check_resume(self, path: Path, plan: BatchPlan | None) -> None:
        """Reading the journal and hashing the sheet: off the GUI thread, like the sheet itself."""
        dirs, digest = self.dirs, plan.sheet.sha256 if plan is not None else ""
        check = await jobs.in_thread(lambda: check_resume(dirs, path, digest, count_kept=True))
        self._resume_checked(path, check)

    def _resume_checked(self, path: Path, check: ResumeCheck) -> None:
        if path != self.input_path or self.session.running:
            return  # another sheet is on screen by now, or its batch already started
        if check.resumable is not None:
            self.offer = check.resumable
            kept = check.kept if check.kept is not None else check.resumable.total - check.resumable.open_pos
            self.resume_offered.emit(check.resumable, kept)
        elif check.changed is not None:
            self.resume_declined.emit(check.changed)

    def forget_prepared(self) -> None:
        """The settings changed: the next start prepares again with them."""
        self.batch = None

    @property
    def can_start(self) -> bool:
        return not self.session.running and self.plan is not None and not self.preparing

    @property
    def can_retry(self) -> bool:
        return (
            not self.session.running
            and self.batch is not None
            and any(r.outcome.status.worth_retrying for r in self.model.rows())
        )

    # ------------------------------------------------------------------ batch commands

    def start(self, resume: bool | None = None) -> bool:
        """Start the whole sheet. ``resume``: None carries on the sheet's unfinished batch if the journal
        has one (what the Start button does: finished POs and files are never fetched twice), True
        insists on it, False starts over."""
        return self._start(None, resume)

    def _start(self, pos: list[PoNumber] | None, resume: bool | None = None) -> bool:
        """Start the sheet, or only ``pos`` of the batch already prepared (retries)."""
        if self.session.running or self.input_path is None or self.plan is None or self.preparing:
            return False
        settings = self._settings()
        problems = validate(settings)
        if problems:
            self.cannot_start.emit(
                self.tr("Cannot start: {problems}").format(problems="; ".join(map(error_text, problems))),
                True,
            )
            return False
        self.starting.emit()
        if self.batch is not None and pos is not None:
            self._launch(self.batch, pos)
            return True
        self._set_preparing(True)
        self._preparing = jobs.start(
            self._prepare(self.input_path, self.plan, settings, resume), name="preparing the batch"
        )
        return True

    def cancel(self) -> None:
        """Stop pressed (or the window closed) while the sheet is prepared: no batch starts from it."""
        if self._preparing is not None:
            self._preparing.cancel()

    async def _prepare(self, path: Path, plan: BatchPlan, settings: Settings, resume: bool | None) -> None:
        """Re-reading the sheet and writing the first results file takes seconds for big sheets."""
        dirs = self.dirs
        try:
            batch = await jobs.in_thread(lambda: prepare(path, settings, dirs, plan=plan, resume=resume))
            self.grid = await jobs.in_thread(lambda: self._grid_slots(batch, settings))
        except asyncio.CancelledError:  # told once the preparing has ended: Start stays off until then
            self._preparing = None
            self._set_preparing(False)
            self.cannot_start.emit(
                self.tr("Stopped before the batch started: nothing was downloaded."), False
            )
            raise
        except Exception as exc:
            self._preparing = None
            self._prepare_failed(exc)
        else:
            self._preparing = None
            self._prepared(batch)

    def _grid_slots(self, batch: PreparedBatch, settings: Settings) -> GridSlots | None:
        """Off the GUI thread: wait for a free slot on the batch's Grid, saying so (None: no Grid)."""
        url = batch.config.grid_url
        if not url:
            return None
        waiting = self.tr("The Selenium Grid at {url} has no free browser slot: waiting up to {s} s…")
        return wait_for_slots(
            url,
            browser_name_for(batch.config.browser.kind),
            timeout=settings.grid_wait,
            on_waiting=lambda _slots: self.grid_waiting.emit(
                waiting.format(url=url, s=f"{settings.grid_wait:.0f}")
            ),
        )

    def _prepared(self, batch: PreparedBatch) -> None:
        if self.plan is None or batch.plan.sheet is not self.plan.sheet:
            self._set_preparing(False)  # another sheet was loaded meanwhile: this batch is not on screen
            return
        if batch.plan is not self.plan:
            # Resuming a batch started with --all (CLI) carries on its whole plan, rows the sheet says
            # COMPLETED included: the table shows the POs the batch works.
            self.plan = batch.plan
            self.model.set_rows([TaskRow(po) for po in batch.plan.pos])
            self.plan_widened.emit(batch.plan)
        self._launch(batch, None)

    def _prepare_failed(self, exc: Exception) -> None:
        self._set_preparing(False)
        if isinstance(
            exc, SheetError | ConfigError | ResultsLockedError | ResumeError | RootBusyError | GridUnavailable
        ):
            self.cannot_start.emit(error_text(exc), True)
        elif isinstance(exc, PrepareFileError):  # a file or folder beside the sheet: no setting fixes it
            self.cannot_start.emit(error_text(exc), False)
        else:
            self.cannot_start.emit(self.tr("Could not start: {e}").format(e=exc), False)

    def _launch(self, batch: PreparedBatch, pos: list[PoNumber] | None) -> None:
        self._set_preparing(False)
        self.batch = batch
        workers, governor = self._workers(), self.use_governor
        grid = self.grid if batch.config.grid_url else None
        if grid is not None:  # the browsers run on the Grid's nodes: its slots, not this computer's load
            workers, governor = grid_workers(workers, grid), False
        self.grid_slots.emit(grid.free if grid else 0, grid.total if grid else 0)
        options = BatchOptions(
            workers=workers,
            max_attempts=self._settings().max_attempts,
            pause_on_sign_in=True,
            governor=governor,
            breaker=self._settings().breaker,
            breaker_group=self._settings().breaker_group,
        )
        if pos is None:
            self.offer = None
            if batch.kept:
                self.model.show_kept(kept_rows(batch))
        self.session.start(batch, options, pos=pos)
        self.launched.emit(len(pos) if pos is not None else len(batch.work))

    def retry_failed(self) -> None:
        if self.session.running or self.batch is None:
            return
        again = self.model.reset_for_retry({s for s in PoStatus if s.worth_retrying})
        if again:
            self._start(again)

    def retry_rows(self, pos: list[PoNumber]) -> None:
        if self.session.running or self.batch is None:
            return
        again = self.model.reset_rows(pos)
        if again:
            self._start(again)

    def _set_preparing(self, preparing: bool) -> None:
        if preparing != self.preparing:
            self.preparing = preparing
            self.preparing_changed.emit(preparing)


def kept_rows(batch: PreparedBatch) -> list[TaskRow]:
    """The table rows of the POs a resumed batch keeps: their outcome as the journal has it."""
    return [TaskRow(po, batch.kept[po.digits]) for po in batch.plan.pos if po.digits in batch.kept]
