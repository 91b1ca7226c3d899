"""Everything between "the user chose a sheet and settings" and a running controller: both front ends call
these functions, so input checks, worker configuration and results recording are the same in each."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.carried_cookies import CarriedSignIn
from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.browser.profile_copy import SourceProfile
from po_downloader.engine.browser.signin import SignInSetup, verify_signed_in
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.events import fan_out
from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.folder_template import TemplateError
from po_downloader.engine.output.folders import FolderLayout
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_recorder import JournalRecorder
from po_downloader.engine.output.journal_records import BatchId, BatchRecord, JournalError, hash_input
from po_downloader.engine.output.manifest import manifest_path_for
from po_downloader.engine.output.recorder import ResultsRecorder
from po_downloader.engine.output.results import ResultsLockedError, ResultsSheet, results_path_for
from po_downloader.engine.run.breaker import breaker_for
from po_downloader.engine.run.controller import BatchController, Sink
from po_downloader.engine.run.governor import Governor, Reading
from po_downloader.engine.run.grid_batch import onto_grid
from po_downloader.engine.run.handover import Handover
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.po_folder import batch_layout, folder_values, with_values
from po_downloader.engine.run.resume import (
    check_resume,
    files_gone,
    kept_outcomes,
    prior_folders,
    result_of,
    resumes_whole_sheet,
)
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.root_lock import RootBusyError, busy_holder
from po_downloader.engine.system.settings import Settings, check_writable, validate

log = logging.getLogger(__name__)


class ConfigError(PoDownloaderError):
    """Settings or input that cannot start a batch (exit code 2)."""


def source_profile(settings: Settings, dirs: AppDirs) -> SourceProfile:
    """The profile workers copy: the app's own sign-in profile unless the user chose a browser profile."""
    if settings.profile_dir:
        path = Path(settings.profile_dir).expanduser().resolve()
        # Profiles under the app's data dir (the demo's) were made by chromedriver: ours, not the user's.
        own = path.is_relative_to(dirs.data.resolve())
        return SourceProfile(path, settings.profile_name, own=own)
    return SourceProfile(dirs.signin_profile, "Default", own=True)


def worker_config(settings: Settings, dirs: AppDirs) -> WorkerConfig:
    problems = validate(settings)
    if not problems and (unwritable := check_writable(settings.root)):
        problems.append(unwritable)
    if problems:
        raise ConfigError(ErrorKind.SETTINGS_INVALID, "; ".join(str(p) for p in problems), problems=problems)
    source = source_profile(settings, dirs)
    if not source.user_data_dir.is_dir():
        if source.own:
            raise ConfigError(
                ErrorKind.NO_SIGN_IN_PROFILE,
                f"no signed-in browser profile at {source.user_data_dir} (sign in first)",
                path=source.user_data_dir,
            )
        raise ConfigError(
            ErrorKind.USER_PROFILE_MISSING,
            f"no browser profile at {source.user_data_dir} (check the profile folder setting)",
            path=source.user_data_dir,
        )
    return WorkerConfig(
        base_url=settings.base_url.rstrip("/"),
        download_root=str(settings.root.resolve()),
        browser=BrowserSpec(settings.browser, settings.headless, settings.driver),
        source_user_data_dir=str(source.user_data_dir),
        source_profile_name=source.profile_name,
        source_own=source.own,
        user_selectors=str(dirs.user_selectors_file) if dirs.user_selectors_file.exists() else "",
        page_timeout=settings.page_timeout,
        attachment_timeout=settings.attachment_timeout,
        download_timeout=settings.download_timeout,
        route_mode=settings.route_mode,
        log_level=logging.getLogger().getEffectiveLevel(),
        grid_url=settings.grid_url,
        grid_slot_timeout=settings.grid_wait,
        facts=settings.facts,
    )


def sign_in_setup(settings: Settings, dirs: AppDirs) -> SignInSetup:
    """What the sign-in check opens: the workers' browser on a copy of their profile, so it sees what a
    worker will see. ``ConfigError`` as ``worker_config`` raises it."""
    config = worker_config(settings, dirs)
    return SignInSetup(
        config.base_url, config.browser, config.source(), config.selectors_file(), config.page_timeout
    )


def carry_sign_in(config: WorkerConfig, dirs: AppDirs) -> CarriedSignIn:
    """The sign-in check on a fresh local copy, its portal and SSO cookies read for a Grid's sessions."""
    setup = SignInSetup(
        config.base_url, config.browser, config.source(), config.selectors_file(), config.page_timeout
    )
    check = verify_signed_in(setup, dirs, carry=True)
    if check.error is not None:
        raise check.error
    return check.carried


#: The results row of a PO resume does not keep because its files were deleted or moved since.
GONE_MESSAGE = "its files are no longer on disk; to be downloaded again"


class ResumeError(PoDownloaderError):
    """Resume was asked for and there is nothing to resume (exit code 2)."""


class PrepareFileError(PoDownloaderError):
    """A file preparing the batch must write or read failed (a read-only or full volume beside the input,
    a folder that vanished): said before any browser starts, naming the file (exit code 2)."""

    @classmethod
    def results(cls, path: Path, exc: OSError) -> PrepareFileError:
        detail = exc.strerror or str(exc)
        return cls(
            ErrorKind.RESULTS_NOT_WRITABLE,
            f"cannot write the results file {path}: {detail}",
            path=path,
            detail=detail,
        )

    @classmethod
    def other(cls, exc: OSError, fallback: Path) -> PrepareFileError:
        path = exc.filename if exc.filename is not None else fallback
        detail = exc.strerror or str(exc)
        return cls(ErrorKind.PREPARE_FILE_FAILED, f"{path}: {detail}", path=str(path), detail=detail)


@dataclass
class PreparedBatch:
    plan: BatchPlan
    results: ResultsSheet
    config: WorkerConfig
    input_path: Path | None = None
    """The sheet the batch came from: the journal keys the batch by it, the manifest goes beside it."""
    resumed: BatchRecord | None = None
    """The journal's interrupted batch this one carries on (None: a fresh batch)."""
    kept: Mapping[str, PoOutcome] = field(default_factory=dict)
    """POs (by digits) final in the resumed batch: their outcome stands and they are not worked again."""
    not_resumed: BatchRecord | None = None
    """An unfinished batch of this input that was not resumed because the file changed since."""
    folder_values: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Each PO's row values for the folder template (by digits; empty when it names no sheet column)."""
    journal_batch: BatchId | None = None
    """The journal's batch this sheet's runs are recorded in, once a run opened it: a retry of some of its
    POs carries that batch on rather than starting a batch of its own that would hold only them."""

    @property
    def work(self) -> tuple[PoNumber, ...]:
        """The POs this run works: the plan's, less those a resumed batch already finished."""
        return tuple(po for po in self.plan.pos if po.digits not in self.kept)


def prepare(
    input_path: Path,
    settings: Settings,
    dirs: AppDirs,
    *,
    results_override: Path | None = None,
    rerun_all: bool = False,
    plan: BatchPlan | None = None,
    resume: bool | None = None,
) -> PreparedBatch:
    """Read and check the sheet and settings, and set up the results sheet. Raises SheetError,
    ConfigError, ResumeError, ResultsLockedError or PrepareFileError with a user message: both faces
    catch exactly these, so no ``OSError`` may leave here bare (it would be a traceback at the terminal).

    See :func:`_prepare` for what it does."""
    try:
        return _prepare(
            input_path,
            settings,
            dirs,
            results_override=results_override,
            rerun_all=rerun_all,
            plan=plan,
            resume=resume,
        )
    except OSError as exc:
        raise PrepareFileError.other(exc, input_path) from exc


def _prepare(
    input_path: Path,
    settings: Settings,
    dirs: AppDirs,
    *,
    results_override: Path | None,
    rerun_all: bool,
    plan: BatchPlan | None,
    resume: bool | None,
) -> PreparedBatch:
    """Raises as :func:`prepare`, and ``OSError``, which it turns into a :class:`PrepareFileError`.

    Slow for big sheets: the GUI calls it off its thread, passing the ``plan`` it already shows so the
    batch works exactly those rows, unless it resumes a batch started with ``--all``: a resume carries on
    the batch's own plan, so ``batch.plan`` is then the whole sheet's (:func:`resumes_whole_sheet`).

    ``resume``: None resumes the journal's unfinished batch of this input if its bytes are unchanged
    (:func:`check_resume`), True insists on it, False starts a fresh batch. When resuming, the results
    sheet is rebuilt from the journal and written at once (the journal is the truth: a crash between its
    write and a results flush leaves the file behind). An existing results file is never blanked before a
    fresh run: it is first rewritten when a PO finishes; a missing one is written now, so it exists.
    """
    plan = plan or plan_batch(read_sheet(input_path), rerun_all=rerun_all)
    layout = _folder_layout(settings.folder_template, plan)  # before the sign-in or a Grid is asked
    config = worker_config(settings, dirs)
    if config.grid_url:
        try:
            config, _slots = onto_grid(config, lambda: carry_sign_in(config, dirs))
        except PoDownloaderError as exc:  # said before any browser starts, as a setting to fix
            refusal = ConfigError(exc.kind, str(exc))
            refusal.details = dict(exc.details)
            raise refusal from exc
    # A batch of this root running now (the same sheet started twice) is not to be resumed: the start
    # is refused by the controller's root lock, and nothing here may touch the running batch's records.
    holder = busy_holder(Path(config.download_root), dirs.data)
    if holder is not None and resume is True:
        raise RootBusyError(Path(config.download_root), holder)
    resumable = resume is not False and holder is None
    check = check_resume(dirs, input_path, plan.sheet.sha256) if resumable else None
    if resume is True and (check is None or check.resumable is None):
        changed = check.changed if check is not None else None
        if changed is not None:
            raise ResumeError(
                ErrorKind.RESUME_INPUT_CHANGED,
                f"{input_path} changed since its unfinished batch of {changed.started_at:%Y-%m-%d %H:%M}",
                path=input_path,
                started=f"{changed.started_at.astimezone():%Y-%m-%d %H:%M}",
            )
        raise ResumeError(
            ErrorKind.NOTHING_TO_RESUME, f"no unfinished batch of {input_path} to resume", path=input_path
        )
    if check is not None and check.resumable is not None and _whole_sheet(plan, dirs, check.resumable):
        log.info("batch %d was started with --all: resuming it for the whole sheet", check.resumable.id)
        plan = plan_batch(plan.sheet, rerun_all=True)
    results = ResultsSheet(plan, results_path_for(input_path, results_override), facts=config.facts)
    batch = PreparedBatch(plan, results, config, input_path)
    if check is not None:
        batch.not_resumed = check.changed
        if check.resumable is not None:
            _rebuild_from_journal(batch, dirs, check.resumable)
    if batch.resumed is None and results.found_on_disk:
        _earlier_outcomes(batch, dirs)
    started = batch.resumed.started_at.astimezone().date() if batch.resumed else layout.day
    batch.config = replace(batch.config, folders=replace(layout, day=started))
    batch.folder_values = folder_values(layout.template, batch.plan)
    try:
        if not results.path.exists():
            results.flush()  # a folder we cannot write to is said now, before any browser starts
        elif batch.resumed is not None:
            try:
                results.flush()
            except ResultsLockedError as exc:  # open in Excel: retried as POs finish, else saved beside it
                log.warning("the results rebuilt from the journal wait to be written: %s", exc)
    except OSError as exc:  # a read-only or full volume: named as the results file, not its temp file
        raise PrepareFileError.results(results.path, exc) from exc
    return batch


def _folder_layout(template: str, plan: BatchPlan) -> FolderLayout:
    """The folder template checked against the sheet: an unknown token is refused here, named."""
    try:
        return batch_layout(template, plan)
    except TemplateError as exc:
        refusal = ConfigError(exc.kind, str(exc))
        refusal.details = dict(exc.details)
        raise refusal from exc


def prepare_again(handover: Handover, dirs: AppDirs) -> PreparedBatch:
    """The window's batch, prepared again in the controller's process from its recipe (``run/handover``)."""
    try:
        plan = handover.plan()
        results = ResultsSheet(plan, handover.results_path, facts=handover.config.facts)
        batch = PreparedBatch(plan, results, handover.config, handover.input_path)
        batch.journal_batch = handover.journal_batch
        batch.folder_values = folder_values(batch.config.folders.template, plan)  # the sheet's values, again
        if handover.resumed is not None:
            _rebuild_from_journal(batch, dirs, handover.resumed)
            batch.kept = handover.kept_of(batch.kept)
        elif handover.earlier or handover.journal_batch is not None:  # this session's run too
            _earlier_outcomes(batch, dirs)
        return batch
    except OSError as exc:
        raise PrepareFileError.other(exc, handover.input_path) from exc


def _whole_sheet(plan: BatchPlan, dirs: AppDirs, record: BatchRecord) -> bool:
    """Whether resuming ``record`` works rows ``plan`` skips as completed (:func:`resumes_whole_sheet`).
    A journal that cannot say leaves the plan as asked (logged): the rebuild then fails the same way."""
    try:
        with Journal.open(dirs.journal_file) as journal:
            return resumes_whole_sheet(plan, journal.po_states(record.id))
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.warning("could not read batch %d from the journal: %s", record.id, exc)
        return False


def _rebuild_from_journal(batch: PreparedBatch, dirs: AppDirs, record: BatchRecord) -> None:
    """Resume ``record``: every PO's row from the journal, the final ones kept. A journal that fails
    here leaves a fresh batch (logged): resume is a saving, never a reason not to run."""
    try:
        with Journal.open(dirs.journal_file) as journal:
            found = kept_outcomes(journal, record.id, batch.plan.pos)
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.warning("could not resume batch %d from the journal (%s); starting a fresh batch", record.id, exc)
        return
    states, kept, files, gone = found.states, found.kept, found.files, found.gone
    was = {s.po: s.outcome.status for s in states}
    for digits in gone:
        log.info("PO %s was %s but its files are no longer on disk: worked again", digits, was[digits])
    planned = {po.digits for po in batch.plan.pos}
    for state in states:
        if state.po in gone:
            batch.results.update(state.po, PoOutcome(PoStatus.PENDING, message=GONE_MESSAGE))
        elif state.po in planned:
            batch.results.update(state.po, *result_of(state, files.get(state.po, ())))
    batch.resumed = record
    batch.kept = {digits: result_of(state, files.get(digits, ()))[0] for digits, state in kept.items()}
    log.info("resuming batch %d: %d of %d POs kept", record.id, len(kept), len(batch.plan.pos))


def _earlier_outcomes(batch: PreparedBatch, dirs: AppDirs) -> None:
    """A fresh batch of a sheet run before: each row starts from its PO's latest outcome in the journal,
    so a row changes only when this batch works its PO, and one it cannot re-check (stopped, signed out)
    keeps that outcome. A ``COMPLETED`` PO whose files are gone starts ``PENDING``: a status is a promise.
    A journal that cannot say leaves the rows ``PENDING`` (logged)."""
    try:
        if not dirs.journal_file.exists():
            return
        with Journal.open(dirs.journal_file) as journal:
            earlier = journal.latest_outcomes(batch.input_path or "")
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.warning("could not read the earlier outcomes of %s from the journal: %s", batch.input_path, exc)
        return
    states = {digits: state for digits, (state, _) in earlier.items()}
    files = {digits: records for digits, (_, records) in earlier.items()}
    gone = set(files_gone(states, files))
    for po in batch.plan.pos:
        if po.digits in earlier and po.digits not in gone:
            batch.results.update(po, *result_of(states[po.digits], files[po.digits]))


def journal_recorder(
    batch: PreparedBatch,
    dirs: AppDirs,
    options: BatchOptions,
    work: Sequence[PoNumber],
    on_warning: Callable[[Exception], None] | None,
    *,
    retry: bool = False,
) -> JournalRecorder | None:
    """The batch in the journal (data dir) and its sink; None, with a warning, if the journal cannot open:
    a broken journal must not stop downloads.

    One sheet, one journal batch: a resume or a retry (``retry``: ``work`` is some POs of the sheet,
    worked again) carries on the sheet's batch, which always holds the sheet's whole plan, so resume
    reasons over every PO and the manifest lists every file."""
    if batch.input_path is None:
        return None
    sheet_batch = batch.journal_batch or (batch.resumed.id if batch.resumed is not None else None)
    try:
        journal = Journal.open(dirs.journal_file)
        if sheet_batch is not None:
            redo = work if retry else ()
            batch_id = journal.reopen_batch(sheet_batch, [po.digits for po in batch.plan.pos], redo).id
        else:
            # The bytes the plan was read from: the input may be gone or locked by now.
            digest = batch.plan.sheet.sha256 or hash_input(batch.input_path)
            batch_id = journal.start_batch(
                batch.input_path, digest, asdict(options), [po.digits for po in work]
            )
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.error("the batch journal could not be opened (%s); the batch goes on without it", exc)
        if on_warning is not None:
            on_warning(exc)
        return None
    batch.journal_batch = batch_id
    return JournalRecorder(
        journal,
        batch_id,
        manifest=manifest_path_for(batch.input_path),
        on_warning=on_warning,
        fresh=sheet_batch is None,
    )


def make_controller(
    batch: PreparedBatch,
    dirs: AppDirs,
    options: BatchOptions,
    sink: Sink,
    *,
    on_warning: Callable[[Exception], None] | None = None,
    pos: Sequence[PoNumber] | None = None,
    worker_target: Callable[..., None] | None = None,
    governor: Governor | None = None,
    readings: Callable[[], Reading] | None = None,
) -> BatchController:
    """A controller for the batch's POs (or the subset ``pos``, e.g. "retry failed") that records results.

    ``worker_target`` replaces the browser worker (tests run the window's batch flow on scripted workers);
    ``governor`` and ``readings`` replace the load governor and its machine readings (tests of its steps).
    """
    recorder = ResultsRecorder(batch.results, on_warning=on_warning)
    work = batch.work if pos is None else pos
    journal = journal_recorder(batch, dirs, options, work, on_warning, retry=pos is not None)
    events = fan_out(recorder, journal, sink) if journal is not None else fan_out(recorder, sink)
    prior = prior_folders(journal.journal, work, Path(batch.config.download_root)) if journal else {}
    prior = with_values(prior, batch.folder_values)
    kept = {digits: outcome.status for digits, outcome in batch.kept.items()}
    seams: dict[str, Any] = {"source": str(batch.input_path or ""), "prior": prior, "kept": kept}
    if batch.config.grid_url:  # signed in again mid-batch: the Grid's new sessions carry the new sign-in
        seams["cookie_source"] = partial(carry_sign_in, batch.config, dirs)
    if worker_target is not None:
        seams["worker_target"] = worker_target
    if governor is not None:
        seams["governor"] = governor
    if readings is not None:
        seams["readings"] = readings
    seams["breaker"] = breaker_for(batch.plan, options)
    return BatchController(batch.config, work, events, options, dirs, **seams)
