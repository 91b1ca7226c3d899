"""The main window: pick a sheet, set the workers, press Start, watch the table.

A thin layer: it turns user actions into calls on :class:`BatchSession` and engine functions, and
engine events (via the session) into model updates and labels. No Selenium, no worker, no pipe here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSlider,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from po_downloader.engine import events as ev
from po_downloader.engine.browser.launch import BrowserSpec, interactive_sign_in
from po_downloader.engine.browser.selectors import SelectorsError, load_selectors
from po_downloader.engine.browser.signin import SignInCheck, verify_signed_in
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.input.sheet import SheetError, read_sheet
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.results import ResultsLockedError, results_path_for
from po_downloader.engine.run.batch import ConfigError, PreparedBatch, make_controller, prepare, worker_config
from po_downloader.engine.run.controller import BatchController, BatchOptions, BatchSummary
from po_downloader.engine.run.governor import default_workers, max_workers
from po_downloader.engine.system.paths import AppDirs, private_dir
from po_downloader.engine.system.settings import Settings, load_settings, save_settings, validate
from po_downloader.engine.system.units import human_seconds
from po_downloader.ui.background import BackgroundTasks
from po_downloader.ui.batch_session import BatchSession
from po_downloader.ui.desktop import copy_text, open_path, open_url
from po_downloader.ui.drop_zone import DropZone
from po_downloader.ui.error_text import error_text, kind_text
from po_downloader.ui.log_panel import LogPanel
from po_downloader.ui.settings_dialog import SettingsDialog
from po_downloader.ui.status_style import app_icon
from po_downloader.ui.task_model import TaskRow, TaskTableModel, human_size
from po_downloader.ui.task_proxy import TaskFilterProxy

log = logging.getLogger(__name__)

COLUMN_WIDTHS = {
    TaskTableModel.PO: 110,
    TaskTableModel.SUPPLIER: 190,
    TaskTableModel.STATUS: 150,
    TaskTableModel.FILES: 60,
    TaskTableModel.SIZE: 80,
    TaskTableModel.WORKER: 85,
    TaskTableModel.ATTEMPTS: 70,
    TaskTableModel.MESSAGE: 260,
}


class Banner(QFrame):
    """A coloured strip with a message and buttons: asks without a modal dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#banner { background: #fff4d6; border: 1px solid #e0b84c; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.buttons = QHBoxLayout()
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addLayout(self.buttons)
        self.hide()

    def show_message(self, text: str, actions: list[tuple[str, Callable[[], object]]]) -> None:
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            if item is not None and (widget := item.widget()):
                widget.deleteLater()
        self.label.setText(text)
        for label, slot in actions:
            button = QPushButton(label)
            button.clicked.connect(slot)
            self.buttons.addWidget(button)
        self.show()


class MainWindow(QMainWindow):
    """Signals: ``batch_finished(str summary)`` once a batch ends (the tray listens)."""

    batch_finished = Signal(str)

    def __init__(
        self,
        dirs: AppDirs,
        tasks: BackgroundTasks | None = None,
        *,
        controller_factory: Callable[..., BatchController] | None = None,
    ) -> None:
        super().__init__()
        self.dirs = dirs
        self.settings: Settings = load_settings(dirs)
        self.tasks = tasks or BackgroundTasks(parent=self)
        self.session = BatchSession(
            dirs, self.tasks, self, controller_factory=controller_factory or make_controller
        )
        self.input_path: Path | None = None
        self.plan: BatchPlan | None = None
        self.batch: PreparedBatch | None = None
        self.demo = None  # a running demo portal, when the user tried it
        self.started_at = 0.0
        self.last_summary = ""
        self.sign_in_action: Callable[[], None] = self._interactive_sign_in
        self._close_when_stopped = False
        self.use_governor = True
        try:
            self.selectors = load_selectors(dirs.user_selectors_file)
        except SelectorsError as exc:  # workers will refuse to start and say so; the window still opens
            log.error("%s", exc)
            self.selectors = load_selectors(None)
        self._preparing = False

        self.setWindowTitle(self.tr("PO Downloader"))
        self.setWindowIcon(app_icon())
        self.resize(1200, 760)
        self._build()
        self._connect()
        self._update_controls()
        if not self.settings.base_url:
            self._offer_demo()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main_toolbar")
        self.act_open = QAction(self.tr("Open…"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Open))
        self.act_settings = QAction(self.tr("Settings…"), self)
        self.act_sign_in = QAction(self.tr("Sign in to Coupa…"), self)
        self.act_results = QAction(self.tr("Open results"), self)
        self.act_downloads = QAction(self.tr("Open download folder"), self)
        self.act_demo = QAction(self.tr("Try the demo portal"), self)
        for action in (
            self.act_open,
            self.act_settings,
            self.act_sign_in,
            self.act_results,
            self.act_downloads,
            self.act_demo,
        ):
            toolbar.addAction(action)

        central = QWidget()
        layout = QVBoxLayout(central)
        self.first_run = Banner()
        self.sign_in_banner = Banner()
        self.finish_banner = Banner()
        self.drop_zone = DropZone()
        layout.addWidget(self.first_run)
        layout.addWidget(self.drop_zone)
        layout.addWidget(self.sign_in_banner)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Workers:")))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(1, max_workers())
        self.slider.setValue(self.settings.workers or default_workers())
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setMaximumWidth(220)
        self.slider.setToolTip(self.tr("How many browsers work in parallel"))
        self.workers_label = QLabel()
        self.governor_label = QLabel()
        self.governor_label.setStyleSheet("color: #8a5a00;")
        controls.addWidget(self.slider)
        controls.addWidget(self.workers_label)
        controls.addWidget(self.governor_label, 1)
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

        filters = QHBoxLayout()
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText(self.tr("Filter by PO, supplier or message"))
        self.filter_box.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        for label, mode in (
            (self.tr("All POs"), TaskFilterProxy.ALL),
            (self.tr("Problems only"), TaskFilterProxy.PROBLEMS),
            (self.tr("In progress"), TaskFilterProxy.ACTIVE),
            (self.tr("Done"), TaskFilterProxy.DONE),
        ):
            self.status_filter.addItem(label, mode)
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.status_filter)
        layout.addLayout(filters)

        self.model = TaskTableModel(self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Fixed starting widths: measuring contents would cost seconds on a 10 000-row sheet.
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the sheet's order until the user sorts
        layout.addWidget(self.table, 1)

        self.log_panel = LogPanel()
        layout.addWidget(self.log_panel)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.act_open.triggered.connect(self.drop_zone.open_dialog)
        self.act_settings.triggered.connect(self.edit_settings)
        self.act_sign_in.triggered.connect(self.sign_in)
        self.act_results.triggered.connect(self.open_results)
        self.act_downloads.triggered.connect(lambda: open_path(self.settings.root))
        self.act_demo.triggered.connect(self.start_demo)
        self.drop_zone.file_chosen.connect(self.load_file)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.retry_button.clicked.connect(self.retry_failed)
        self.slider.valueChanged.connect(self._workers_moved)
        self.filter_box.textChanged.connect(self.proxy.set_text)
        self.status_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_status_filter(self.status_filter.currentData())
        )
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._double_clicked)
        self.session.events.connect(self._on_events)
        self.session.finished.connect(self._on_finished)
        self.session.failed.connect(self._on_failed)
        self.session.sign_in_needed.connect(self._on_sign_in_needed)
        self.session.workers_changed.connect(self._on_workers_changed)
        self.session.paused_changed.connect(lambda _p: self._update_controls())
        self.session.running_changed.connect(lambda _r: self._update_controls())
        self.log_panel.attach()

    # ------------------------------------------------------------------ the sheet

    def load_file(self, path: Path) -> bool:
        """Read the sheet and show what it holds before anything starts."""
        if self.session.running:
            self.statusBar().showMessage(
                self.tr("A batch is running: stop it before opening another sheet"), 5000
            )
            return False
        started = time.perf_counter()
        try:
            plan = plan_batch(read_sheet(path))
        except SheetError as exc:
            self.plan, self.input_path = None, None
            self.model.set_rows([])
            self.drop_zone.set_summary(
                self.tr("{name}: {error}").format(name=path.name, error=error_text(exc)), False
            )
            self._update_controls()
            return False
        self.plan, self.input_path, self.batch = plan, path, None
        self.model.set_rows([TaskRow(po=po.display) for po in plan.pos])
        self.drop_zone.set_summary(self._plan_text(path, plan), True)
        self.finish_banner.hide()
        self._update_stats()
        self._update_controls()
        log.info("loaded %s (%d POs) in %.0f ms", path, len(plan.pos), (time.perf_counter() - started) * 1000)
        return True

    def _plan_text(self, path: Path, plan: BatchPlan) -> str:
        return self.tr(
            "{file} — PO column “{column}” ({reason}): {pos} POs to download, {dups} duplicate rows, "
            "{invalid} invalid rows, {done} already completed"
        ).format(
            file=path.name,
            column=plan.sheet.po_column,
            reason=self.tr("found by its header")
            if plan.sheet.po_column_reason.startswith("header")
            else self.tr("found by its values"),
            pos=len(plan.pos),
            dups=plan.duplicate_rows,
            invalid=plan.invalid_rows,
            done=plan.done_rows,
        )

    # ------------------------------------------------------------------ batch commands

    def start(self) -> bool:
        """Start the whole sheet."""
        return self._start(None)

    def _start(self, pos: list[PoNumber] | None) -> bool:
        """Start the sheet, or only ``pos`` of the batch already prepared (retries)."""
        if self.session.running or self.input_path is None or self.plan is None or self._preparing:
            return False
        problems = validate(self.settings)
        if problems:
            self.finish_banner.show_message(
                self.tr("Cannot start: {problems}").format(problems="; ".join(map(error_text, problems))),
                [(self.tr("Settings…"), self.edit_settings)],
            )
            return False
        self.finish_banner.hide()
        self.sign_in_banner.hide()
        if self.batch is not None and pos is not None:
            self._launch(self.batch, pos)
            return True
        # Re-reading the sheet and writing the first results file takes seconds for big sheets.
        self._preparing = True
        self.statusBar().showMessage(self.tr("Preparing the batch…"))
        self._update_controls()
        path, plan, settings, log_file = self.input_path, self.plan, self.settings, self._log_file()
        self.tasks.run(
            lambda: prepare(path, settings, self.dirs, log_file=log_file, plan=plan),
            lambda batch: self._launch(batch, None),
            self._prepare_failed,
        )
        return True

    def _prepare_failed(self, exc: BaseException) -> None:
        self._preparing = False
        self.statusBar().clearMessage()
        self._update_controls()
        if isinstance(exc, SheetError | ConfigError | ResultsLockedError):
            self.finish_banner.show_message(error_text(exc), [(self.tr("Settings…"), self.edit_settings)])
        else:
            self.finish_banner.show_message(self.tr("Could not start: {e}").format(e=exc), [])

    def _launch(self, batch: PreparedBatch, pos: list[PoNumber] | None) -> None:
        self._preparing = False
        self.statusBar().clearMessage()
        self.batch = batch
        options = BatchOptions(
            workers=self.slider.value(),
            max_attempts=self.settings.max_attempts,
            pause_on_sign_in=True,
            governor=self.use_governor,
        )
        self.started_at = time.monotonic()
        self.session.start(batch, options, pos=pos)
        self.progress.setRange(0, len(pos) if pos is not None else len(batch.plan.pos))
        self._update_stats()
        self._update_controls()

    def toggle_pause(self) -> None:
        if self.session.paused:
            self.session.resume()
        else:
            self.session.pause()

    def stop(self) -> None:
        self.session.stop()
        self.statusBar().showMessage(self.tr("Stopping: finished downloads are kept…"))

    def retry_failed(self) -> None:
        if self.session.running or self.batch is None:
            return
        again = self.model.reset_for_retry({s for s in PoStatus if s.worth_retrying})
        if again:
            self._start([normalise_po(po) for po in again])

    def retry_rows(self, pos: list[str]) -> None:
        if self.session.running or self.batch is None:
            return
        again = self.model.reset_rows(pos)
        if again:
            self._start([normalise_po(po) for po in again])

    def _workers_moved(self, value: int) -> None:
        self.session.set_workers(value)
        self._update_controls()

    # ------------------------------------------------------------------ engine events

    def _on_events(self, events: list) -> None:
        self.model.apply(events)
        for event in events:
            if isinstance(event, ev.WorkerError):
                log.warning("worker %d: %s", event.worker, event.message)
        self._update_stats()

    def _on_workers_changed(self, target: int, requested: int, reason: str) -> None:
        if target < requested:
            self.governor_label.setText(
                self.tr("Running {target} of {requested} workers: {reason}").format(
                    target=target, requested=requested, reason=reason
                )
            )
        else:
            self.governor_label.setText("")

    def _on_sign_in_needed(self, message: str) -> None:
        self.sign_in_banner.show_message(
            self.tr(
                "Coupa asks you to sign in again ({message}). The batch is paused and resumes where it "
                "stopped once you have signed in."
            ).format(message=message),
            [(self.tr("Sign in…"), self.sign_in), (self.tr("Stop the batch"), self.stop)],
        )

    def _on_finished(self, summary: BatchSummary) -> None:
        self.statusBar().clearMessage()
        self.sign_in_banner.hide()
        self._update_stats()
        text = self.summary_text(summary)
        self.last_summary = text
        actions: list[tuple[str, Callable[[], object]]] = [
            (self.tr("Open download folder"), lambda: open_path(self.settings.root))
        ]
        if self.batch is not None:
            actions.append((self.tr("Open results"), self.open_results))
        self.finish_banner.show_message(text, actions)
        self.batch_finished.emit(text)
        if self._close_when_stopped:
            self.close()

    def _on_failed(self, message: str) -> None:
        self.finish_banner.show_message(self.tr("The batch stopped with an error: {m}").format(m=message), [])

    def summary_text(self, summary: BatchSummary) -> str:
        counts = summary.counts
        parts = [
            self.tr("{n} completed").format(n=counts.get("COMPLETED", 0)),
            self.tr("{n} no attachments").format(n=counts.get("NO_ATTACHMENTS", 0)),
        ]
        failed = sum(n for s, n in counts.items() if s not in ("COMPLETED", "NO_ATTACHMENTS"))
        parts.append(self.tr("{n} need attention").format(n=failed))
        text = self.tr("{total} POs: {parts} — {size} in {time}").format(
            total=len(summary.statuses),
            parts=", ".join(parts),
            size=human_size(summary.total_bytes),
            time=human_seconds(summary.seconds),
        )
        if summary.error:
            text += " — " + (
                kind_text(summary.error_kind, summary.error_details) if summary.error_kind else summary.error
            )
        elif summary.stopped:
            text += " — " + self.tr("stopped before the end")
        return text

    # ------------------------------------------------------------------ labels and buttons

    def _update_stats(self) -> None:
        counts = self.model.counts()
        total = len(self.model.rows())
        final = sum(n for s, n in counts.items() if s.is_final)
        failed = sum(n for s, n in counts.items() if s.is_final and not s.is_success)
        if self.session.running:
            total = self.progress.maximum() or total
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(final, max(total, 1)))
        elapsed = time.monotonic() - self.started_at if self.started_at else 0
        rate = final / elapsed * 60 if elapsed > 1 and final else 0.0
        remaining = max(0, total - final)
        eta = human_seconds(remaining / rate * 60) if rate and remaining else "—"
        self.stats_label.setText(
            self.tr(
                "{done} done · {failed} failed · {left} left · {rate:.1f} POs/min · {size} · ETA {eta}"
            ).format(
                done=final,
                failed=failed,
                left=remaining,
                rate=rate,
                size=human_size(self.model.total_bytes()),
                eta=eta,
            )
        )

    def _update_controls(self) -> None:
        running = self.session.running
        self.start_button.setEnabled(not running and self.plan is not None and not self._preparing)
        self.pause_button.setEnabled(running)
        self.pause_button.setText(self.tr("Resume") if self.session.paused else self.tr("Pause"))
        self.stop_button.setEnabled(running)
        retryable = self.batch is not None and any(r.status.worth_retrying for r in self.model.rows())
        self.retry_button.setEnabled(not running and retryable)
        self.drop_zone.setEnabled(not running)
        self.act_settings.setEnabled(not running)
        self.act_demo.setEnabled(not running)
        self.workers_label.setText(self.tr("{n} workers").format(n=self.slider.value()))

    # ------------------------------------------------------------------ rows

    def _selected_rows(self) -> list[TaskRow]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.row(r) for r in sorted(rows)]

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        rows = self._selected_rows() or [self.model.row(self.proxy.mapToSource(index).row())]
        row = rows[0]
        menu = QMenu(self)
        open_folder = menu.addAction(self.tr("Open folder"))
        open_folder.setEnabled(bool(row.folder) and Path(row.folder).exists())
        open_folder.triggered.connect(lambda: open_path(Path(row.folder)))
        url = row.url or self._po_url(row.po)
        menu.addAction(self.tr("Open in browser")).triggered.connect(lambda: open_url(url))
        menu.addAction(self.tr("Copy URL")).triggered.connect(lambda: copy_text(url))
        retry = menu.addAction(self.tr("Retry"))
        retry.setEnabled(not self.session.running and self.batch is not None)
        retry.triggered.connect(lambda: self.retry_rows([r.po for r in rows]))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row(self.proxy.mapToSource(index).row())
        if row.folder and Path(row.folder).exists():
            open_path(Path(row.folder))
        else:
            open_url(row.url or self._po_url(row.po))

    def _po_url(self, po: str) -> str:
        return self.selectors.po_page_url(self.settings.base_url, normalise_po(po).digits)

    def open_results(self) -> None:
        if self.input_path is None:
            return
        try:
            open_path(results_path_for(self.input_path))
        except SheetError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)

    # ------------------------------------------------------------------ settings, sign-in, demo

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self)
        dialog.load(self.settings)
        if dialog.exec():
            self.settings = dialog.settings()
            if self.demo is None:
                save_settings(self.dirs, self.settings)
            self.batch = None
            self.first_run.hide()

    def sign_in(self) -> None:
        """Open a visible browser for the user to sign in; check the sign-in took; resume a paused batch."""
        self.act_sign_in.setEnabled(False)
        self.statusBar().showMessage(self.tr("Sign in in the browser window, then close it…"))
        self.tasks.run(self._sign_in_and_verify, self._signed_in, self._sign_in_failed)

    def _sign_in_and_verify(self) -> SignInCheck:
        self.sign_in_action()
        return verify_signed_in(worker_config(self.settings, self.dirs), self.dirs)

    def _interactive_sign_in(self) -> None:
        if self.settings.profile_dir:
            raise ConfigError(ErrorKind.SIGN_IN_WITH_OWN_BROWSER, "sign in with your own browser")
        interactive_sign_in(
            BrowserSpec(self.settings.browser, False, self.settings.driver),
            private_dir(self.dirs.signin_profile),
            self.settings.base_url,
        )

    def _signed_in(self, result: SignInCheck) -> None:
        self.act_sign_in.setEnabled(True)
        self.statusBar().clearMessage()
        if result.error is not None:
            self.sign_in_banner.show_message(
                self.tr("The sign-in did not take: {detail}").format(detail=error_text(result.error)),
                [(self.tr("Try again…"), self.sign_in)],
            )
            return
        self.sign_in_banner.hide()
        self.statusBar().showMessage(self.tr("Signed in to Coupa"), 5000)
        self.session.signed_in_again()

    def _sign_in_failed(self, exc: BaseException) -> None:
        self.act_sign_in.setEnabled(True)
        self.statusBar().clearMessage()
        self.sign_in_banner.show_message(
            self.tr("Could not sign in: {e}").format(e=error_text(exc)),
            [(self.tr("Try again…"), self.sign_in)],
        )

    def _offer_demo(self) -> None:
        self.first_run.show_message(
            self.tr(
                "No Coupa address is configured yet. Try the bundled demo portal to see a batch work end "
                "to end, or enter your company's Coupa address in the settings."
            ),
            [(self.tr("Try the demo portal"), self.start_demo), (self.tr("Settings…"), self.edit_settings)],
        )

    def start_demo(self) -> None:
        from po_downloader.demo_portal.setup import pick_browser, start_demo

        self.first_run.show_message(self.tr("Starting the demo portal and signing in…"), [])
        browser_pref = self.settings.browser

        def work():
            return start_demo(self.dirs, browser=pick_browser(browser_pref), count=24)

        self.tasks.run(work, self._demo_ready, self._demo_failed)

    def _demo_ready(self, demo) -> None:
        if self.demo is not None:
            self.demo.portal.stop()
        self.demo = demo
        self.settings = demo.settings
        self.first_run.show_message(
            self.tr("Demo portal running at {url}. The demo sheet is loaded: press Start.").format(
                url=demo.portal.base_url
            ),
            [],
        )
        self.load_file(demo.sheet)

    def _demo_failed(self, exc: BaseException) -> None:
        self.first_run.show_message(
            self.tr("The demo could not start: {e}").format(e=error_text(exc)),
            [(self.tr("Settings…"), self.edit_settings)],
        )

    def _log_file(self) -> Path:
        return self.dirs.logs / "po-downloader.log"

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
        self.log_panel.detach()
        if self.demo is not None:
            self.demo.portal.stop()
            self.demo = None
        event.accept()
