"""The worker process: one profile copy, one browser, one PO at a time, events over a pipe.

Started with the ``spawn`` method (the same on Windows, macOS and Linux), so everything it receives is a
picklable ``WorkerConfig``. It never ends processes it did not start, and it leaves its profile copy for
the controller to remove once the browser is surely gone.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from po_downloader.engine.browser.carried_cookies import CarriedSignIn
from po_downloader.engine.browser.download_routes import BEGIN_TIMEOUT
from po_downloader.engine.browser.launch import BrowserError, BrowserSpec
from po_downloader.engine.browser.portal import PageKind, PortalTimeout
from po_downloader.engine.browser.profile_copy import ProfileCopyError, SourceProfile
from po_downloader.engine.browser.remote_session import GridError, RemoteSession
from po_downloader.engine.browser.selectors import Selectors, SelectorsError, load_selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.events import (
    Event,
    Heartbeat,
    WorkerError,
    WorkerProcesses,
    WorkerReady,
)
from po_downloader.engine.http.rate import Bucket
from po_downloader.engine.models import PoNumber, PoStatus, PoTask, RouteMode
from po_downloader.engine.output.downloads import DiskProblem, disk_problem
from po_downloader.engine.output.folders import DEFAULT_LAYOUT, FolderLayout
from po_downloader.engine.run.attempt_words import attempt_ended
from po_downloader.engine.run.fetch import FetchSettings, PoFetcher
from po_downloader.engine.run.log_relay import send_logs_to_controller
from po_downloader.engine.run.lookahead import Lookahead
from po_downloader.engine.run.priority import keep_children_in_background, lower_own_priority
from po_downloader.engine.run.served_reads import served_reads

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2.0
PRIORITY_CHECK_SECONDS = 0.5


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs, shared by all workers of a batch."""

    base_url: str
    download_root: str
    browser: BrowserSpec
    source_user_data_dir: str
    source_profile_name: str = "Default"
    source_own: bool = True
    user_selectors: str = ""
    page_timeout: float = 30.0
    attachment_timeout: float = 20.0
    download_timeout: float = 60.0
    begin_timeout: float = BEGIN_TIMEOUT
    """Seconds an attachment may take to begin downloading before the click fallback (tests shorten it)."""
    log_level: int = logging.INFO
    """The lowest level the controller's process writes: workers do not send what it would drop."""
    route_mode: str = RouteMode.AUTO.value
    """``RouteMode``: whether served pages and the HTTP route may be used (the controller's trust decides
    for which POs)."""
    http_bucket: Bucket | None = None
    """The batch's one request ceiling for every worker's HTTP requests (set by the pool at spawn)."""
    grid_url: str = ""
    """A Selenium Grid: each worker opens a remote session there instead of a local browser ("" for local)."""
    carried: CarriedSignIn = CarriedSignIn()
    """The sign-in set in each remote session (cookies of a local signed-in copy; never shown)."""
    grid_slot_timeout: float = 600.0
    """Seconds a remote session may wait in the Grid's queue for a free slot."""
    facts: bool = False
    """Read each PO's facts from its page (``--facts``)."""
    folders: FolderLayout = DEFAULT_LAYOUT
    """Where PO folders go: the user's template, checked against the sheet, and the batch's date."""

    def source(self) -> SourceProfile:
        return SourceProfile(Path(self.source_user_data_dir), self.source_profile_name, own=self.source_own)

    def selectors_file(self) -> Path | None:
        """The user's selectors file, None for the built-in selectors."""
        return Path(self.user_selectors) if self.user_selectors else None

    def selectors(self) -> Selectors:
        return load_selectors(self.selectors_file())


@dataclass(frozen=True)
class WorkOrder:
    """Controller → worker: work this PO (``None`` means: finish and exit)."""

    task: PoTask | None
    ahead: PoNumber | None = None
    """The PO reserved to follow (a hint, not a promise: the next order says what to work). Its page may
    load in the browser's second tab meanwhile; a next order for another PO simply leaves that page unused."""


class _Link:
    """The worker's end of the pipe; a lock because the heartbeat thread sends too."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()

    def send(self, event: Event) -> None:
        with self.lock:
            self.conn.send(event)


def _heartbeat(link: _Link, worker: int, stop: threading.Event) -> None:
    """Say "alive" every few seconds, and keep the browser tree at background priority meanwhile."""
    ticks = 0
    while not stop.wait(PRIORITY_CHECK_SECONDS):
        keep_children_in_background()
        ticks += 1
        if ticks * PRIORITY_CHECK_SECONDS < HEARTBEAT_SECONDS:
            continue
        ticks = 0
        try:
            link.send(Heartbeat(worker))
        except (OSError, EOFError, BrokenPipeError):
            return


def worker_main(worker: int, config: WorkerConfig, copy_dir: str, staging_dir: str, conn: Connection) -> None:
    """Process entry point."""
    # Ctrl-C reaches the whole process group; the controller decides how to stop, not each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # terminate() (a stop, a stuck worker) must still run the clean-up below and end our browser.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    link = _Link(conn)
    send_logs_to_controller(worker, link.send, config.log_level)
    lower_own_priority()
    stop = threading.Event()
    threading.Thread(target=_heartbeat, args=(link, worker, stop), daemon=True).start()
    session: BrowserSession | None = None
    try:
        session = _start(worker, config, Path(copy_dir), Path(staging_dir), link)
        if session is not None:
            _serve(worker, config, session, Path(staging_dir), link)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        log.info("controller went away; exiting")
    except Exception as exc:  # the last line of defence: report, never die silently
        log.exception("worker crashed")
        try:
            detail = f"{type(exc).__name__}: {exc}"
            link.send(
                WorkerError(worker, f"worker error: {detail}", ErrorKind.WORKER_CRASHED, {"detail": detail})
            )
        except (OSError, EOFError):
            pass
    finally:
        stop.set()
        if session is not None:
            session.quit()


def _start(
    worker: int, config: WorkerConfig, copy_dir: Path, staging: Path, link: _Link
) -> BrowserSession | None:
    """Copy the profile, start the browser and check the copy is signed in; None if the worker cannot run."""
    started = time.monotonic()
    try:
        staging.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = disk_problem(Path(config.download_root), staging, error=exc)
        if problem is None:
            raise
        link.send(WorkerError(worker, str(problem), problem.kind, problem.details))
        return None
    try:
        session = _open_session(config, copy_dir, staging, config.selectors())
    except (ProfileCopyError, SelectorsError, BrowserError, GridError) as exc:
        link.send(WorkerError(worker, str(exc), exc.kind, exc.details))
        return None
    link.send(WorkerProcesses(worker, session.pids))
    try:
        state = session.portal.check_signed_in()
    except PortalTimeout as exc:
        link.send(WorkerError(worker, str(exc), ErrorKind.PORTAL_TIMEOUT, {"detail": str(exc)}))
        session.quit()
        return None
    if state.kind is PageKind.SIGN_IN and config.grid_url:
        why = f"the sign-in carried to the Grid's browser at {config.grid_url} did not take"
        link.send(WorkerError(worker, why, ErrorKind.GRID_NOT_SIGNED_IN, {"url": config.grid_url}))
        session.quit()
        return None
    if state.kind is PageKind.SIGN_IN:
        link.send(
            WorkerError(worker, "the browser profile is not signed in to Coupa", ErrorKind.NOT_SIGNED_IN)
        )
        session.quit()
        return None
    link.send(WorkerReady(worker, os.getpid(), session.pids, time.monotonic() - started))
    return session


def _open_session(
    config: WorkerConfig, copy_dir: Path, staging: Path, selectors: Selectors
) -> BrowserSession:
    """A remote session on the Grid when the batch has one, else a local browser on a profile copy."""
    if config.grid_url:
        return RemoteSession.open_remote(
            config.grid_url,
            config.browser,
            selectors,
            config.base_url,
            config.carried,
            page_timeout=config.page_timeout,
            attachment_timeout=config.attachment_timeout,
            slot_timeout=config.grid_slot_timeout,
        )
    return BrowserSession.open(
        config.browser,
        config.source(),
        copy_dir,
        staging,
        selectors,
        config.base_url,
        page_timeout=config.page_timeout,
        attachment_timeout=config.attachment_timeout,
    )


def _serve(worker: int, config: WorkerConfig, session: BrowserSession, staging: Path, link: _Link) -> None:
    routes = session.download_routes(
        staging, stall_timeout=config.download_timeout, begin_timeout=config.begin_timeout
    )
    served = None
    if config.route_mode != RouteMode.BROWSER:
        served = served_reads(
            worker,
            session,
            staging,
            config.http_bucket,
            page_timeout=config.page_timeout,
            stall_timeout=config.download_timeout,
        )
    lookahead = Lookahead(session.portal, session.next_tab())
    fetcher = PoFetcher(
        worker,
        session.portal,
        staging,
        FetchSettings(Path(config.download_root), facts=config.facts, folders=config.folders),
        routes,
        served=served,
        lookahead=lookahead,
    )
    try:
        _work_orders(worker, fetcher, link)
    finally:
        if served is not None:
            served.close()


def _work_orders(worker: int, fetcher: PoFetcher, link: _Link) -> None:
    while True:
        order: WorkOrder = link.conn.recv()
        if order.task is None:
            return
        task = order.task
        try:
            result = fetcher.fetch(task, link.send, order.ahead)
        except DiskProblem as exc:
            # Not this PO's fault and every PO would meet it: say so and exit; the controller stops the
            # batch and the PO stays to do. What arrived is whole in its work folder, for the next run.
            log.error("%s: %s; stopping", task.po, exc)
            link.send(WorkerError(worker, str(exc), exc.kind, exc.details))
            return
        except Exception as exc:  # one PO's surprise must not take the worker down
            log.exception("%s failed", task.po)
            detail = f"{type(exc).__name__}: {exc}"
            result = attempt_ended(
                worker,
                task.po,
                PoStatus.FAILED,
                message=detail,
                retryable=True,
                kind=ErrorKind.WORKER_CRASHED,
                details={"detail": detail},
            )
        link.send(result)
