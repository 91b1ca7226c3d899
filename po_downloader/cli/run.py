"""``po-downloader run``: one batch from the terminal, with live progress and a summary."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Collection, Sequence
from pathlib import Path
from types import FrameType

from po_downloader.cli.messages import SIGN_IN_COMMAND, describe, error_message
from po_downloader.cli.progress import TerminalProgress
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.http.grid_status import (
    GridSlots,
    GridUnavailable,
    browser_name_for,
    grid_workers,
    wait_for_slots,
)
from po_downloader.engine.input.column_choice import ColumnMapping
from po_downloader.engine.input.column_memory import ColumnMemory
from po_downloader.engine.input.plan import BatchPlan, plan_batch, summary_text
from po_downloader.engine.input.sheet import SheetError, read_sheet
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.manifest import manifest_path_for
from po_downloader.engine.output.results import ResultsLockedError
from po_downloader.engine.run.batch import (
    ConfigError,
    PreparedBatch,
    PrepareFileError,
    ResumeError,
    make_controller,
    prepare,
)
from po_downloader.engine.run.breaker import check_group_column
from po_downloader.engine.run.controller import BatchSummary
from po_downloader.engine.run.governor import default_workers
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.skipped import skipped_pos
from po_downloader.engine.status import EXIT_BAD_INPUT, EXIT_FAILURES, EXIT_OK, batch_exit_code
from po_downloader.engine.system.display import terminal_text
from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.root_lock import RootBusyError
from po_downloader.engine.system.settings import Settings, load_settings, save_settings
from po_downloader.engine.system.units import human_bytes, human_seconds

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURES", "EXIT_OK", "complain", "execute", "report", "say"]

REMEMBERED = ("base_url", "download_root", "browser", "profile_dir", "profile_name", "driver")


MODE_ENV = "PO_DOWNLOADER_MODE"
"""The route mode when ``--mode`` is not given (a harness that cannot pass flags sets it)."""

GRID_ENV = "PO_DOWNLOADER_GRID"
"""The Selenium Grid when ``--grid`` is not given (a harness that cannot pass flags sets it)."""


def say(text: str) -> None:
    """One line (or several) on stdout; portal text in it (a supplier, a path) cannot drive the terminal."""
    sys.stdout.write(terminal_text(text, keep_newlines=True) + "\n")
    sys.stdout.flush()


def complain(text: str) -> None:
    sys.stderr.write(f"po-downloader: {terminal_text(text, keep_newlines=True)}\n")
    sys.stderr.flush()


def _opt(args: argparse.Namespace, name: str):
    return getattr(args, name, None)


def settings_from_args(args: argparse.Namespace, dirs: AppDirs) -> Settings:
    """Saved settings with this run's flags on top; the flags for URL, folder, browser and profile are kept."""
    saved = load_settings(dirs)
    path = lambda p: str(p.expanduser().resolve()) if p else None  # noqa: E731
    flags = {
        "base_url": _opt(args, "base_url"),
        "download_root": path(_opt(args, "out")),
        "browser": _opt(args, "browser"),
        "profile_dir": path(_opt(args, "profile_dir")),
        "profile_name": _opt(args, "profile_name"),
        "driver": path(_opt(args, "driver")),
        "folder_template": _opt(args, "folders"),
    }
    remembered = saved.with_(**flags)
    if remembered != saved:
        save_settings(dirs, remembered)
    return remembered.with_(
        headless=_opt(args, "headless"),
        max_attempts=_opt(args, "attempts"),
        download_timeout=_opt(args, "download_timeout"),
        workers=_opt(args, "workers"),
        route_mode=_opt(args, "mode") or os.environ.get(MODE_ENV) or None,
        grid_url=_opt(args, "grid") or os.environ.get(GRID_ENV) or None,
        grid_wait=_opt(args, "grid_wait"),
        breaker=_opt(args, "breaker"),
        breaker_group=_opt(args, "breaker_group"),
        facts=_opt(args, "facts"),
    )


def run_command(args: argparse.Namespace, dirs: AppDirs, log_file: Path) -> int:
    settings = settings_from_args(args, dirs)
    retry = bool(_opt(args, "retry_skipped"))
    try:
        plan = read_plan(args, dirs)
        check_group_column(plan, settings.breaker_group if settings.breaker > 0 else "")
        batch = prepare(
            args.input,
            settings,
            dirs,
            results_override=args.results,
            rerun_all=args.all,
            plan=plan,
            resume=False if retry else getattr(args, "resume", None),
        )
    except (SheetError, ConfigError, ResumeError, ResultsLockedError, RootBusyError, PrepareFileError) as exc:
        complain(error_message(exc))
        return EXIT_BAD_INPUT
    workers, governor = settings.workers or default_workers(), not args.no_governor
    if batch.config.grid_url:
        try:
            slots = wait_for_slots(
                batch.config.grid_url,
                browser_name_for(batch.config.browser.kind),
                timeout=settings.grid_wait,
                on_waiting=lambda s: say(grid_waiting(batch.config.grid_url, s, settings.grid_wait)),
            )
        except GridUnavailable as exc:
            complain(error_message(exc))
            return EXIT_BAD_INPUT
        # The browsers run on the Grid's nodes: its free slots set the count, this computer's load does not.
        workers, governor = grid_workers(settings.workers, slots), False
        say(
            f"{workers} workers on the Selenium Grid at {batch.config.grid_url} ({slots.free} of {slots.total} slots free)"
        )
    options = BatchOptions(
        workers=workers,
        max_attempts=settings.max_attempts,
        governor=governor,
        breaker=settings.breaker,
        breaker_group=settings.breaker_group,
    )
    pos = None
    if retry:  # the sheet's journal batch carries on with only the POs its breaker skipped
        skipped = skipped_pos(dirs, args.input, batch.plan)
        if not skipped.pos:
            say(f"no PO of {args.input.name} was skipped in its last batch: nothing to retry")
            return EXIT_OK
        batch.journal_batch, pos = skipped.batch, skipped.pos
        say(f"retrying the {len(pos)} POs the breaker skipped")
    summary = execute(batch, dirs, options, pos)
    return report(summary, batch, log_file)


def grid_waiting(url: str, slots: GridSlots, wait: float) -> str:
    return f"the Selenium Grid at {url} has no free browser slot ({slots.total} in all): waiting up to {wait:.0f} s"


def read_plan(args: argparse.Namespace, dirs: AppDirs) -> BatchPlan:
    """The sheet's plan with its PO column as ``--po-column`` names it (for this run only: the flag is not
    remembered), else as the window's choice for this header layout, else as recognised."""
    name = _opt(args, "po_column")
    mapping = ColumnMapping(name) if name else None
    sheet = read_sheet(args.input, mapping=mapping, remembered=ColumnMemory(dirs.config).lookup)
    return plan_batch(sheet, rerun_all=args.all)


def execute(
    batch: PreparedBatch, dirs: AppDirs, options: BatchOptions, pos: Sequence[PoNumber] | None = None
) -> BatchSummary:
    """Run the batch (or only its POs ``pos``) with live progress on the terminal; Ctrl-C/SIGTERM stop it
    cleanly."""
    say(summary_text(batch.plan))
    if (note := resume_note(batch)) is not None:
        say(note)
    say(f"downloading to {batch.config.download_root}")
    say(f"results sheet: {batch.results.path}")
    progress = TerminalProgress(len(batch.work if pos is None else pos))
    controller = make_controller(batch, dirs, options, progress, on_warning=_warn, pos=pos)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        progress.line("stopping… (finished downloads are kept)")
        controller.stop()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        summary = controller.run()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        progress.finish()
    return summary


def _warn(exc: Exception) -> None:
    # Where the results went instead is the report's own line, not a warning on top of it.
    if not (isinstance(exc, PoDownloaderError) and exc.kind is ErrorKind.RESULTS_SAVED_ELSEWHERE):
        complain(error_message(exc))


def resume_note(batch: PreparedBatch) -> str | None:
    """The line that says whether this run carries on an earlier batch, and how to do the other thing."""
    if batch.resumed is not None:
        when = batch.resumed.started_at.astimezone()
        total = len(batch.plan.pos)
        return (
            f"resuming the batch of {when:%Y-%m-%d %H:%M}: {len(batch.kept)} of {total} POs done, "
            f"{total - len(batch.kept)} to go; --fresh to start over"
        )
    if batch.not_resumed is not None:
        when = batch.not_resumed.started_at.astimezone()
        return (
            f"not resuming the unfinished batch of {when:%Y-%m-%d %H:%M}: the sheet has changed since; "
            "starting a fresh batch"
        )
    return None


def results_line(batch: PreparedBatch) -> str:
    """Where the results are: the sheet, or the fallback file it stayed locked for, or nowhere."""
    sheet = batch.results
    if sheet.left_alone:
        return f"results: {sheet.path} (unchanged: no PO was worked in this run)"
    if sheet.saved_to is None or (sheet.dirty and sheet.saved_to == sheet.path):
        return f"results: NOT SAVED — {sheet.path} could not be written (the journal keeps them; run again)"
    if sheet.saved_to != sheet.path:
        return (
            f"results: {sheet.saved_to} — {sheet.path.name} was locked (open in Excel?), so they were saved "
            "there instead"
        )
    return f"results: {sheet.path}"


def report(
    summary: BatchSummary, batch: PreparedBatch, log_file: Path, *, tolerated: Collection[str] = ()
) -> int:
    """Print the summary and what to do next; the exit code is the engine's (``batch_exit_code``)."""
    counts = summary.counts
    parts = ", ".join(f"{n} {status.lower().replace('_', ' ')}" for status, n in sorted(counts.items()))
    say(
        f"{len(summary.statuses)} POs: {parts} — {summary.files_saved} of {summary.files_found} files saved, "
        f"{human_bytes(summary.total_bytes)} in {human_seconds(summary.seconds)}"
    )
    say(results_line(batch))
    if batch.input_path is not None and (manifest := manifest_path_for(batch.input_path)).exists():
        say(f"manifest: {manifest} (every file with its size and SHA-256)")
    if summary.error:
        complain(describe(summary.error_kind, summary.error_details) if summary.error_kind else summary.error)
        complain(f"details in {log_file}")
    elif summary.sign_in_required:
        complain(
            f"Coupa needs you to sign in again: run `{SIGN_IN_COMMAND}`, then run this same command to "
            "resume (finished POs are kept)"
        )
    elif summary.stopped:
        complain("stopped before the end; run the same command again to resume (finished POs are kept)")
    return batch_exit_code(summary, tolerated=tolerated)
