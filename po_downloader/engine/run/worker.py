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
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from selenium.webdriver.remote.webdriver import WebDriver

from po_downloader.engine.browser.cdp_downloads import CdpUnavailable, DownloadTracker
from po_downloader.engine.browser.launch import (
    BrowserError,
    BrowserSpec,
    debugger_address,
    driver_processes,
    launch,
)
from po_downloader.engine.browser.portal import CoupaPortal, PageKind, PortalTimeout
from po_downloader.engine.browser.profile import (
    ProfileCopyError,
    SourceProfile,
    browser_switches_to_exclude,
    copy_profile,
)
from po_downloader.engine.browser.selectors import Selectors, SelectorsError, load_selectors
from po_downloader.engine.events import (
    AttemptEnded,
    Event,
    Heartbeat,
    WorkerError,
    WorkerProcesses,
    WorkerReady,
)
from po_downloader.engine.models import PoStatus, PoTask
from po_downloader.engine.output.downloads import StagingDir
from po_downloader.engine.run.fetch import FetchSettings, PoFetcher
from po_downloader.engine.run.priority import keep_children_in_background, lower_own_priority
from po_downloader.engine.run.processes import end_processes

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2.0
PRIORITY_CHECK_SECONDS = 0.5
SIGN_IN_HINT = "sign in again: po-downloader sign-in"


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
    log_file: str = ""
    log_level: int = logging.INFO
    extra: dict[str, str] = field(default_factory=dict)

    def source(self) -> SourceProfile:
        return SourceProfile(Path(self.source_user_data_dir), self.source_profile_name, own=self.source_own)

    def selectors(self) -> Selectors:
        return load_selectors(Path(self.user_selectors) if self.user_selectors else None)


def launch_on_copy(config: WorkerConfig, copy_dir: Path, download_dir: Path | None) -> WebDriver:
    """A private copy of the source profile, and a browser on it: the source itself is never opened."""
    source = config.source()
    copy = copy_profile(source, copy_dir)
    return launch(
        config.browser,
        user_data_dir=copy.user_data_dir,
        profile_name=copy.profile_name,
        download_dir=download_dir,
        exclude_switches=browser_switches_to_exclude(source),
    )


@dataclass(frozen=True)
class WorkOrder:
    """Controller → worker: work this PO (``None`` means: finish and exit)."""

    task: PoTask | None


class _Link:
    """The worker's end of the pipe; a lock because the heartbeat thread sends too."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()

    def send(self, event: Event) -> None:
        with self.lock:
            self.conn.send(event)


def _setup_logging(config: WorkerConfig, worker: int) -> None:
    handlers: list[logging.Handler] = []
    if config.log_file:
        try:
            Path(config.log_file).parent.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.FileHandler(config.log_file, encoding="utf-8"))
        except OSError:
            pass  # no log file is no reason to stop downloading
    logging.basicConfig(
        level=config.log_level,
        format=f"%(asctime)s w{worker} %(levelname)s %(name)s: %(message)s",
        handlers=handlers or [logging.NullHandler()],
        force=True,
    )


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
    _setup_logging(config, worker)
    lower_own_priority()
    link = _Link(conn)
    stop = threading.Event()
    threading.Thread(target=_heartbeat, args=(link, worker, stop), daemon=True).start()
    driver: WebDriver | None = None
    try:
        started = _start(worker, config, Path(copy_dir), Path(staging_dir), link)
        if started is not None:
            driver, portal = started
            _serve(worker, config, portal, Path(staging_dir), link)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        log.info("controller went away; exiting")
    except Exception as exc:  # the last line of defence: report, never die silently
        log.exception("worker crashed")
        try:
            link.send(WorkerError(worker, f"worker error: {type(exc).__name__}: {exc}", fatal=True))
        except (OSError, EOFError):
            pass
    finally:
        stop.set()
        _quit(driver)


def _start(
    worker: int, config: WorkerConfig, copy_dir: Path, staging: Path, link: _Link
) -> tuple[WebDriver, CoupaPortal] | None:
    """Copy the profile, start the browser and check the copy is signed in; None if the worker cannot run."""
    started = time.monotonic()
    try:
        selectors = config.selectors()
        staging.mkdir(parents=True, exist_ok=True)
        driver = launch_on_copy(config, copy_dir, staging)
    except (ProfileCopyError, SelectorsError) as exc:
        link.send(WorkerError(worker, str(exc), fatal=True, config_error=True))
        return None
    except BrowserError as exc:
        link.send(WorkerError(worker, str(exc), fatal=True, config_error=exc.config))
        return None
    refs = driver_processes(driver)
    link.send(WorkerProcesses(worker, tuple(r.pid for r in refs)))
    portal = CoupaPortal(
        driver,
        selectors,
        config.base_url,
        page_timeout=config.page_timeout,
        attachment_timeout=config.attachment_timeout,
    )
    try:
        state = portal.check_signed_in()
    except PortalTimeout as exc:
        link.send(WorkerError(worker, str(exc), fatal=True))
        _quit(driver)
        return None
    if state.kind is PageKind.SIGN_IN:
        link.send(
            WorkerError(
                worker,
                f"the browser profile is not signed in to Coupa ({SIGN_IN_HINT})",
                fatal=True,
                sign_in_required=True,
            )
        )
        _quit(driver)
        return None
    link.send(WorkerReady(worker, os.getpid(), tuple(r.pid for r in refs), time.monotonic() - started))
    return driver, portal


def _serve(worker: int, config: WorkerConfig, portal: CoupaPortal, staging: Path, link: _Link) -> None:
    tracker = _download_tracker(portal, staging)
    fetcher = PoFetcher(
        worker,
        portal,
        StagingDir(staging),
        FetchSettings(Path(config.download_root), config.download_timeout),
        tracker,
    )
    try:
        _work_orders(worker, fetcher, link)
    finally:
        if tracker is not None:
            tracker.close()


def _download_tracker(portal: CoupaPortal, staging: Path) -> DownloadTracker | None:
    """CDP download events (each click's own file, our own names); None means the folder-watching route."""
    address = debugger_address(portal.driver)
    if not address:
        log.warning("no DevTools address for this browser: downloads fall back to watching the folder")
        return None
    try:
        return DownloadTracker.connect(address, staging)
    except CdpUnavailable as exc:
        log.warning("CDP download events unavailable (%s): downloads fall back to watching the folder", exc)
        return None


def _work_orders(worker: int, fetcher: PoFetcher, link: _Link) -> None:
    while True:
        order: WorkOrder = link.conn.recv()
        if order.task is None:
            return
        task = order.task
        try:
            result = fetcher.fetch(task, link.send)
        except Exception as exc:  # one PO's surprise must not take the worker down
            log.exception("%s failed", task.po)
            result = AttemptEnded(
                worker,
                task.po,
                PoStatus.FAILED,
                message=f"{type(exc).__name__}: {exc}",
                retryable=True,
            )
        link.send(result)


def _quit(driver: WebDriver | None) -> None:
    if driver is None:
        return
    refs = driver_processes(driver)
    try:
        driver.quit()
    except Exception as exc:
        log.debug("driver.quit failed: %s", exc)
    end_processes(refs, timeout=5)
