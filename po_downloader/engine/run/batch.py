"""Everything between "the user chose a sheet and settings" and a running controller.

Both front ends (CLI and GUI) call these functions, so input checks, worker configuration and results
recording are the same whichever one the user starts.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.browser.profile import SourceProfile
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.events import Event
from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.journal import Journal, JournalError, hash_input
from po_downloader.engine.output.journal_recorder import JournalRecorder
from po_downloader.engine.output.manifest import manifest_path_for
from po_downloader.engine.output.recorder import ResultsRecorder
from po_downloader.engine.output.results import ResultsSheet, results_path_for
from po_downloader.engine.run.controller import BatchController, BatchOptions, Sink
from po_downloader.engine.run.governor import Governor, Reading
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import AppDirs
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
        log_level=logging.getLogger().getEffectiveLevel(),
    )


@dataclass
class PreparedBatch:
    plan: BatchPlan
    results: ResultsSheet
    config: WorkerConfig
    input_path: Path | None = None
    """The sheet the batch came from: the journal keys the batch by it, the manifest goes beside it."""


def prepare(
    input_path: Path,
    settings: Settings,
    dirs: AppDirs,
    *,
    results_override: Path | None = None,
    rerun_all: bool = False,
    plan: BatchPlan | None = None,
) -> PreparedBatch:
    """Read and check the sheet and settings, and write the results sheet (every row PENDING or INVALID)
    so it exists before the first PO finishes. Raises SheetError, ConfigError or ResultsLockedError with a
    user message. Slow for big sheets: the GUI calls it off its thread, passing the ``plan`` it already
    shows so the batch works exactly the rows on screen."""
    plan = plan or plan_batch(read_sheet(input_path), rerun_all=rerun_all)
    results = ResultsSheet(plan, results_path_for(input_path, results_override))
    config = worker_config(settings, dirs)
    results.flush()
    return PreparedBatch(plan, results, config, input_path)


def fan_out(*sinks: Callable[[Event], None]) -> Sink:
    def sink(event: Event) -> None:
        for s in sinks:
            s(event)

    return sink


def journal_recorder(
    batch: PreparedBatch,
    dirs: AppDirs,
    options: BatchOptions,
    work: Sequence[PoNumber],
    on_warning: Callable[[Exception], None] | None,
) -> JournalRecorder | None:
    """The batch in the journal (data dir) and its sink; None, with a warning, if the journal cannot open:
    a broken journal must not stop downloads."""
    if batch.input_path is None:
        return None
    try:
        journal = Journal.open(dirs.journal_file)
        batch_id = journal.start_batch(
            batch.input_path, hash_input(batch.input_path), asdict(options), [po.digits for po in work]
        )
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.error("the batch journal could not be opened (%s); the batch goes on without it", exc)
        if on_warning is not None:
            on_warning(exc)
        return None
    return JournalRecorder(
        journal, batch_id, manifest=manifest_path_for(batch.input_path), on_warning=on_warning
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
    work = batch.plan.pos if pos is None else pos
    journal = journal_recorder(batch, dirs, options, work, on_warning)
    events = fan_out(recorder, journal, sink) if journal is not None else fan_out(recorder, sink)
    seams: dict[str, Any] = {"source": str(batch.input_path or "")}
    if worker_target is not None:
        seams["worker_target"] = worker_target
    if governor is not None:
        seams["governor"] = governor
    if readings is not None:
        seams["readings"] = readings
    return BatchController(batch.config, work, events, options, dirs, **seams)
