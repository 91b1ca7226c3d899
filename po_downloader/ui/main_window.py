"""The main window: pick a sheet, set the workers, press Start, watch the table.

A thin layer: it builds the widgets and wires them to the classes that do the work: :class:`BatchSession`
(the running batch), :class:`SheetLoader` (reading a sheet off the GUI thread), :class:`BatchLauncher`
(start and retry), :class:`BatchStats` (progress and ETA), :class:`RowActions`, :class:`SignInFlow` and
:class:`DemoLauncher`.
No Selenium, no worker, no pipe here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_downloader.engine import events as ev
from po_downloader.engine.browser.selectors import SelectorsError, load_selectors
from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.input.sheet import SheetError
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.results import results_path_for
from po_downloader.engine.run.batch import make_controller
from po_downloader.engine.run.controller import BatchController, BatchSummary
from po_downloader.engine.run.governor import default_workers
from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.settings import Settings, load_settings
from po_downloader.ui.background import BackgroundTasks
from po_downloader.ui.banner import Banner
from po_downloader.ui.batch_launcher import BatchLauncher
from po_downloader.ui.batch_session import BatchSession
from po_downloader.ui.batch_stats import BatchStats
from po_downloader.ui.breaker_offer import BreakerOffer
from po_downloader.ui.column_dialog import ColumnChoice
from po_downloader.ui.demo_launcher import DemoLauncher, DemoStarter, start_bundled_demo
from po_downloader.ui.desktop import open_path
from po_downloader.ui.drop_zone import DropZone
from po_downloader.ui.error_text import error_text
from po_downloader.ui.filter_bar import FilterBar
from po_downloader.ui.grid_slots import GridSlotsWatch
from po_downloader.ui.history_dialog import show_history
from po_downloader.ui.log_panel import LogPanel
from po_downloader.ui.main_toolbar import MainToolbar
from po_downloader.ui.resume_offer import ResumeOffer
from po_downloader.ui.row_actions import RowActions
from po_downloader.ui.settings_dialog import edit_settings
from po_downloader.ui.sheet_loader import SheetLoader
from po_downloader.ui.sheet_summary import plan_summary
from po_downloader.ui.sign_in_flow import SignInAction, SignInFlow, Verifier
from po_downloader.ui.status_style import app_icon
from po_downloader.ui.task_model import TaskTableModel
from po_downloader.ui.task_proxy import TaskFilterProxy
from po_downloader.ui.task_table import TaskTable
from po_downloader.ui.tray import BatchNotice, batch_notice
from po_downloader.ui.worker_controls import WorkerControls

if TYPE_CHECKING:
    from po_downloader.demo_portal.setup import Demo

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Signals: ``batch_finished(str summary)`` once a batch ends (the tray listens);
    ``sheet_loaded(bool ok)`` once a chosen sheet has been read (it is read off the GUI thread)."""

    batch_finished = Signal(str)
    sheet_loaded = Signal(bool)

    def __init__(
        self,
        dirs: AppDirs,
        tasks: BackgroundTasks | None = None,
        *,
        controller_factory: Callable[..., BatchController] | None = None,
        sign_in_action: SignInAction | None = None,
        sign_in_verifier: Verifier | None = None,
        demo_starter: DemoStarter = start_bundled_demo,
    ) -> None:
        """The keyword arguments are seams for tests: scripted workers, a sign-in and its check, and a
        demo without a browser. Left out, the real ones run."""
        super().__init__()
        self.dirs = dirs
        self.settings: Settings = load_settings(dirs)
        self.tasks = tasks or BackgroundTasks(parent=self)
        self.session = BatchSession(
            dirs, self.tasks, self, controller_factory=controller_factory or make_controller
        )
        self.last_summary = ""
        self.last_notice: BatchNotice | None = None
        self._close_when_stopped = False
        selectors_error: SelectorsError | None = None
        try:
            self.selectors = load_selectors(dirs.user_selectors_file)
        except SelectorsError as exc:  # workers will refuse to start and say so; the window still opens
            log.error("%s", exc)
            selectors_error = exc
            self.selectors = load_selectors(None)

        self.setWindowTitle(self.tr("PO Downloader"))
        self.setWindowIcon(app_icon())
        self.resize(1200, 760)
        self._build()
        current = self._current_settings
        self.columns = ColumnChoice(dirs, self)  # the PO column the user chose, per header layout
        self.sheet_loader = SheetLoader(reader=self.columns.read_and_plan, parent=self)
        self.launcher = BatchLauncher(
            dirs, self.session, self.model, settings=current, workers=self.workers.slider.value, parent=self
        )
        self.resume_offer = ResumeOffer(self.launcher, self.resume_banner, self)
        self.breaker_offer = BreakerOffer(self.session, self.launcher, self.model, self.finish_banner, self)
        self.row_actions = RowActions(
            self.table,
            self.proxy,
            self.model,
            po_url=self._po_url,
            can_retry=lambda: not self.session.running and self.launcher.batch is not None,
            journal_file=dirs.journal_file,
            parent=self,
        )
        self.stats = BatchStats(self.progress, self.stats_label, parent=self)
        self.sign_in_flow = SignInFlow(
            dirs,
            self.sign_in_banner,
            current,
            sign_in_action=sign_in_action,
            verifier=sign_in_verifier,
            parent=self,
        )
        self.demo_launcher = DemoLauncher(dirs, self.first_run, current, starter=demo_starter, parent=self)
        self._connect()
        self._update_controls()
        if selectors_error is not None:
            self.finish_banner.show_message(
                self.tr(
                    "Your selectors file cannot be used, so no batch can start until it is fixed: {error}"
                ).format(error=error_text(selectors_error)),
                [],
            )
        if not self.settings.base_url:
            self.demo_launcher.offer()

    def _current_settings(self) -> Settings:
        return self.settings

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.toolbar = MainToolbar(self)
        self.addToolBar(self.toolbar)

        central = QWidget()
        layout = QVBoxLayout(central)
        self.first_run = Banner()
        self.sign_in_banner = Banner()
        self.finish_banner = Banner()
        self.resume_banner = Banner()
        self.drop_zone = DropZone()
        layout.addWidget(self.first_run)
        layout.addWidget(self.drop_zone)
        layout.addWidget(self.resume_banner)
        layout.addWidget(self.sign_in_banner)

        controls = QHBoxLayout()
        self.workers = WorkerControls(self.settings.workers or default_workers())
        controls.addWidget(self.workers, 1)
        self.start_button = QPushButton(self.tr("Start"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.retry_button = QPushButton(self.tr("Retry failed"))
        for button in (self.start_button, self.pause_button, self.stop_button, self.retry_button):
            controls.addWidget(button)
        layout.addLayout(controls)

        progress = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        self.stats_label = QLabel()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.stats_label)
        layout.addLayout(progress)
        layout.addWidget(self.finish_banner)

        self.model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_bar = FilterBar(self.proxy)
        layout.addWidget(self.filter_bar)
        self.table = TaskTable(self.proxy, root=lambda: self.settings.root)
        layout.addWidget(self.table, 1)

        self.log_panel = LogPanel()
        layout.addWidget(self.log_panel)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.toolbar.open_sheet.triggered.connect(self.drop_zone.open_dialog)
        self.toolbar.insertAction(self.toolbar.settings, self.columns.action)
        self.columns.chosen.connect(self.load_file)
        self.toolbar.history.triggered.connect(lambda: show_history(self, self.dirs.journal_file))
        self.toolbar.settings.triggered.connect(self.open_settings)
        self.toolbar.sign_in.triggered.connect(self.sign_in_flow.sign_in)
        self.toolbar.results.triggered.connect(self.open_results)
        self.toolbar.downloads.triggered.connect(lambda: open_path(self.settings.root))
        self.toolbar.demo.triggered.connect(self.demo_launcher.start)
        self.drop_zone.file_chosen.connect(self.load_file)
        self.start_button.clicked.connect(lambda: self.launcher.start())  # not clicked's bool as ``resume``
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.retry_button.clicked.connect(self.launcher.retry_failed)
        self.workers.slider.valueChanged.connect(self._workers_moved)
        self.table.customContextMenuRequested.connect(self.row_actions.context_menu)
        self.table.doubleClicked.connect(self.row_actions.double_clicked)
        self.row_actions.retry_requested.connect(self.launcher.retry_rows)
        self.sheet_loader.loaded.connect(self._sheet_read)
        self.sheet_loader.failed.connect(self._sheet_failed)
        self.launcher.cannot_start.connect(self._cannot_start)
        self.launcher.starting.connect(self.finish_banner.hide)
        self.launcher.starting.connect(self.sign_in_banner.hide)
        self.launcher.preparing_changed.connect(self._on_preparing)
        self.launcher.launched.connect(self._on_launched)
        self.launcher.plan_widened.connect(self._plan_widened)
        self.grid_slots = GridSlotsWatch(self.workers, self.launcher, self._current_settings, self)
        self.sign_in_flow.signed_in.connect(self.session.signed_in_again)
        self.sign_in_flow.stop_requested.connect(self.stop)
        self.sign_in_flow.busy_changed.connect(lambda busy: self.toolbar.sign_in.setEnabled(not busy))
        self.sign_in_flow.status.connect(self._show_status)
        self.demo_launcher.ready.connect(self._demo_ready)
        self.demo_launcher.settings_requested.connect(self.open_settings)
        self.session.events.connect(self._on_events)
        self.session.finished.connect(self._on_finished)
        self.session.failed.connect(self._on_failed)
        self.session.sign_in_needed.connect(self.sign_in_flow.ask)
        self.session.workers_changed.connect(self.workers.show_governor)
        self.session.paused_changed.connect(lambda _p: self._update_controls())
        self.session.running_changed.connect(lambda _r: self._update_controls())
        self.session.preparing_changed.connect(self._on_preparing)
        self.log_panel.attach()

    # ------------------------------------------------------------------ the sheet

    def load_file(self, path: Path) -> bool:
        """Read the sheet off the GUI thread, then show what it holds before anything starts.

        False when refused (a batch is running); otherwise ``sheet_loaded`` tells how the read went.
        """
        if self.session.running:
            busy = self.tr("A batch is running: stop it before opening another sheet")
            self.statusBar().showMessage(busy, 5000)
            return False
        self.drop_zone.set_summary(self.tr("Reading {name}…").format(name=path.name), True)
        self.sheet_loader.load(path)
        self._update_controls()
        return True

    def _sheet_read(self, path: Path, plan: BatchPlan) -> None:
        self.resume_banner.hide()  # the launcher looks for this sheet's unfinished batch
        self.launcher.use_sheet(path, plan)
        self.columns.use_sheet(path, plan)
        self.model.set_rows(self.sheet_loader.rows_for(plan))  # built on the reading thread
        self.drop_zone.set_summary(plan_summary(path, plan), True)
        self.finish_banner.hide()
        self.stats.show_sheet(len(plan.pos))
        self._update_controls()
        log.info("loaded %s (%d POs)", path, len(plan.pos))
        self.sheet_loaded.emit(True)

    def _plan_widened(self, plan: BatchPlan) -> None:
        """The resumed batch works the whole sheet (started with ``--all``): the summary says so."""
        if self.launcher.input_path is not None:
            self.drop_zone.set_summary(plan_summary(self.launcher.input_path, plan), True)

    def _sheet_failed(self, path: Path, exc: BaseException) -> None:
        self.resume_banner.hide()
        self.launcher.use_sheet(None, None)
        self.columns.use_sheet(None, None)
        self.model.set_rows([])
        self.drop_zone.set_summary(
            self.tr("{name}: {error}").format(name=path.name, error=error_text(exc)), False
        )
        self._update_controls()
        self.sheet_loaded.emit(False)
        self.columns.offer(path, exc)  # no column of it holds POs that work: ask which one does

    # ------------------------------------------------------------------ batch commands

    def toggle_pause(self) -> None:
        if self.session.paused:
            self.session.resume()
        else:
            self.session.pause()

    def stop(self) -> None:
        if not self.session.running:  # still reading the sheet: no batch is started from it
            self.launcher.cancel()
            return
        self.session.stop()
        self.statusBar().showMessage(self.tr("Stopping: finished downloads are kept…"))

    def _workers_moved(self, value: int) -> None:
        self.session.set_workers(value)
        self._update_controls()

    def _cannot_start(self, message: str, settings_help: bool) -> None:
        actions: list[tuple[str, Callable[[], object]]] = []
        if settings_help:
            actions.append((self.tr("Settings…"), self.open_settings))
        self.finish_banner.show_message(message, actions)

    def _on_preparing(self, _preparing: bool) -> None:
        """Two stages, one message: the launcher reads the sheet, then the session builds the controller
        (the journal of every PO: seconds for a big sheet). A Stop's message stays."""
        text = self.tr("Preparing the batch…")
        if self.launcher.preparing or self.session.preparing:
            self.statusBar().showMessage(text)
        elif self.statusBar().currentMessage() == text:
            self.statusBar().clearMessage()
        self._update_controls()

    def _on_launched(self, total: int) -> None:
        self.stats.batch_started(total)
        self.stats.refresh()
        self._update_controls()

    # ------------------------------------------------------------------ engine events

    def _on_events(self, events: list) -> None:
        self.model.apply(events)
        for event in events:
            if isinstance(event, ev.WorkerError):
                log.warning("worker %d: %s", event.worker, event.message)
        self.stats.refresh(events)

    def _on_finished(self, summary: BatchSummary) -> None:
        self.statusBar().clearMessage()
        self.sign_in_banner.hide()
        self.stats.refresh()
        batch = self.launcher.batch
        text = self.stats.summary_text(summary)
        saved_to = batch.results.saved_to if batch is not None else None
        if batch is not None and saved_to is not None and saved_to != batch.results.path:
            text += " — " + self.tr(
                "the results file {path} stayed locked (open in another program?): the results were "
                "saved to {fallback}"
            ).format(path=batch.results.path, fallback=saved_to)
        self.last_summary = text
        self.last_notice = notice = batch_notice(text, self.settings.root, can_retry=self.launcher.can_retry)
        actions: list[tuple[str, Callable[[], object]]] = [
            (self.tr("Open download folder"), lambda: open_path(notice.folder))
        ]
        if notice.can_retry:  # the tray's two actions, here too for a desktop without a tray
            actions.append((self.tr("Retry failed"), self.launcher.retry_failed))
        if batch is not None:
            actions.append((self.tr("Open results"), self.open_results))
        self.finish_banner.show_message(notice.message, actions)
        self.batch_finished.emit(text)
        if self._close_when_stopped:
            self.close()

    def _on_failed(self, message: str) -> None:
        self.finish_banner.show_message(self.tr("The batch stopped with an error: {m}").format(m=message), [])
        if self._close_when_stopped:
            self.close()

    # ------------------------------------------------------------------ labels and buttons

    def _show_status(self, text: str, timeout_ms: int) -> None:
        bar = self.statusBar()
        bar.showMessage(text, timeout_ms) if text else bar.clearMessage()

    def _update_controls(self) -> None:
        running = self.session.running
        self.start_button.setEnabled(self.launcher.can_start and not self.sheet_loader.busy)
        self.pause_button.setEnabled(running)
        self.pause_button.setText(self.tr("Resume") if self.session.paused else self.tr("Pause"))
        self.stop_button.setEnabled(running or self.launcher.preparing)
        self.retry_button.setEnabled(self.launcher.can_retry)
        self.drop_zone.setEnabled(not running)
        self.toolbar.settings.setEnabled(not running)
        self.toolbar.demo.setEnabled(not running)
        self.columns.enable(not running)

    # ------------------------------------------------------------------ rows

    def _po_url(self, po: PoNumber) -> str:
        return self.selectors.po_page_url(self.settings.base_url, po.digits)

    def open_results(self) -> None:
        if self.launcher.input_path is None:
            return
        batch = self.launcher.batch
        saved_to = batch.results.saved_to if batch is not None else None  # a fallback file, if locked
        try:
            open_path(saved_to or results_path_for(self.launcher.input_path))
        except SheetError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)

    # ------------------------------------------------------------------ settings, demo

    def open_settings(self) -> None:
        """The settings dialog (its folder preview shows the sheet on screen); the demo's are never saved."""
        plan, demo = self.launcher.plan, self.demo_launcher.running
        settings = edit_settings(self, self.dirs, self.settings, save=not demo, plan=plan)
        if settings is not None:
            self.settings = settings
            self.launcher.forget_prepared()
            self.first_run.hide()

    def _demo_ready(self, demo: Demo) -> None:
        self.settings = demo.settings
        self.load_file(demo.sheet)

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.running:
            answer = QMessageBox.question(
                self,
                self.tr("Stop the batch?"),
                self.tr("A batch is running. Stop it and close? Finished downloads are kept."),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self._close_when_stopped = True
            self.stop()
            event.ignore()  # closes once the workers are gone and their copies removed
            return
        self.launcher.cancel()  # a sheet still being prepared starts no batch behind a closed window
        self.sheet_loader.cancel()
        self.log_panel.detach()
        self.demo_launcher.shutdown()
        event.accept()
