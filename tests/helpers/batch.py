"""Running real batches from tests: a signed-in profile, settings for the portal, event capture."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import psutil

from po_downloader.engine import events as ev
from po_downloader.engine.browser.launch import BrowserSpec, launch, scripted_sign_in
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.run.batch import make_controller, prepare, worker_config
from po_downloader.engine.run.controller import BatchController, BatchSummary
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import AppDirs, app_dirs
from po_downloader.engine.system.settings import Settings
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.report_logs import watch_file

SPEC = BrowserSpec("chromium", headless=True)
E = TypeVar("E", bound=ev.Event)
FORM = {"input#username": "test.user", "input#password": "secret"}


def sign_in(portal_url: str, profile: Path) -> Path:
    """A source profile signed in to the portal through its SSO form (and cleanly closed)."""
    profile.mkdir(parents=True, exist_ok=True)
    scripted_sign_in(SPEC, profile, portal_url + "/", FORM, "button[type=submit]")
    return profile


def unsigned_profile(portal_url: str, path: Path) -> Path:
    """A profile that has visited the portal (so it has a cookie store) but never signed in."""
    driver = launch(SPEC, user_data_dir=path, profile_name="Default", download_dir=None, exclude_switches=[])
    try:
        driver.get(portal_url + "/")
    finally:
        driver.quit()
    return path


def settings_for(portal_url: str, profile: Path, root: Path, **overrides) -> Settings:
    base = Settings(
        base_url=portal_url,
        download_root=str(root),
        browser="chromium",
        headless=True,
        profile_dir=str(profile),
        download_timeout=20.0,
        attachment_timeout=15.0,
        page_timeout=20.0,
    )
    return base.with_(**overrides)


@dataclass
class Recorder:
    """A thread-safe event sink with waits on conditions."""

    events: list[ev.Event] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, event: ev.Event) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def of(self, kind: type[E]) -> list[E]:
        with self.cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait(self, predicate, timeout: float = 60.0):
        """The first event matching ``predicate``; fails the test with the events seen on timeout."""
        with self.cond:
            ok = self.cond.wait_for(lambda: next((e for e in self.events if predicate(e)), None), timeout)
            if not ok:
                raise AssertionError(f"no matching event in {timeout}s; saw {self.events[-10:]}")
            return ok


@dataclass
class ExpireOnList(Recorder):
    """A recorder that ends the portal's sessions the moment a PO's list is found, so its files are asked
    for signed out (``portal``: a ``PortalProcess``)."""

    portal: Any = None

    def __call__(self, event: ev.Event) -> None:
        super().__call__(event)
        if isinstance(event, ev.AttachmentsFound):
            self.portal.control(expire_sessions=True)


def run_controller(
    settings: Settings,
    pos: Iterable[str],
    *,
    dirs: AppDirs | None = None,
    options: BatchOptions | None = None,
    sink=None,
    worker: dict | None = None,
    **controller_kw,
) -> tuple[BatchController, Recorder]:
    """A controller for ``pos`` (digits) with a Recorder sink; call ``.run()`` (or run it in a thread).

    The workers log at INFO; their records come back over the pipe into this process's logging, so pytest
    captures them and a failed test's report shows them (and the log guard sees their warnings).
    ``worker`` overrides ``WorkerConfig`` fields no setting reaches (``begin_timeout``)."""
    dirs = dirs or app_dirs()
    recorder = sink or Recorder()
    watch_file(dirs.logs / "po-downloader.log")
    config = replace(worker_config(settings, dirs), log_level=logging.INFO, **(worker or {}))
    numbers = [PoNumber(d) for d in pos]
    options = options or BatchOptions(workers=2, max_attempts=2, backoff_base=0.2)
    return BatchController(config, numbers, recorder, options, dirs, **controller_kw), recorder


def scripted_controller(
    base: Path,
    pos: Iterable[str],
    fake: Callable[..., None],
    *,
    dirs: AppDirs | None = None,
    source: str = "",
    **options: Any,
) -> tuple[BatchController, Recorder]:
    """A controller whose workers are scripted processes (``fake``, a ``FakeWorker``): no browser, no portal.

    Downloads go to ``base/downloads`` (made here), the app's dirs default to ``base/home``; ``options``
    override the test defaults of ``BatchOptions`` (2 workers, 2 attempts, a quick backoff, no governor,
    so that a busy machine does not change the worker count a test counts on)."""
    root = base / "downloads"
    root.mkdir(parents=True, exist_ok=True)
    config = WorkerConfig(
        base_url="http://127.0.0.1:9",
        download_root=str(root),
        browser=BrowserSpec("chromium"),
        source_user_data_dir=str(base / "profile"),
    )
    opts = BatchOptions(
        **{"workers": 2, "max_attempts": 2, "backoff_base": 0.05, "governor": False, **options}
    )
    recorder = Recorder()
    numbers = [PoNumber(d) for d in pos]
    dirs = dirs or app_dirs(base / "home")
    controller = BatchController(config, numbers, recorder, opts, dirs, worker_target=fake, source=source)
    return controller, recorder


def run_in_thread(controller: BatchController) -> tuple[threading.Thread, list[BatchSummary]]:
    out: list[BatchSummary] = []
    thread = threading.Thread(target=lambda: out.append(controller.run()), daemon=True)
    thread.start()
    return thread, out


def browser_processes_using(path: Path) -> list[psutil.Process]:
    """Live (non-zombie) processes whose command line mentions ``path``: what a test run left behind."""
    needle = str(path)
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if any(needle in part for part in proc.info["cmdline"] or ()):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def stopped_all_run(tmp_path: Path) -> tuple[Path, Settings]:
    """A results sheet (one FAILED row between two COMPLETED ones) run with ``--all`` and stopped once
    its first PO is done: its journal batch holds all three POs, two of them open."""
    rows = {"10000001": "COMPLETED", "10000002": "FAILED", "10000003": "COMPLETED"}
    sheet = tmp_path / "june.csv"
    sheet.write_text(
        "PO_NUMBER,STATUS\n" + "".join(f"PO{d},{s}\n" for d, s in rows.items()), encoding="utf-8"
    )
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    settings = Settings(
        base_url="https://acme.coupahost.com",
        download_root=str(tmp_path / "out"),
        browser="chromium",
        profile_dir=str(profile),
    )
    dirs = app_dirs()
    batch = prepare(sheet, settings, dirs, rerun_all=True)
    options = BatchOptions(workers=1, max_attempts=1, governor=False)
    running: list[BatchController] = []

    def stop_after_first(event: ev.Event) -> None:
        if isinstance(event, ev.PoFinished):
            running[0].stop()

    running.append(make_controller(batch, dirs, options, stop_after_first, worker_target=FakeWorker()))
    running[0].run()
    with Journal.open(dirs.journal_file) as journal:
        (record,) = journal.history()
        assert record.unfinished and record.total == 3 and record.open_pos == 2, record
    return sheet, settings
