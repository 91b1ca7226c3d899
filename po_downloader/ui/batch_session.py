"""One batch as the window sees it: the engine's controller on a pool thread, its events on a timer.

The window only calls this object's methods and listens to its signals; it never touches the controller,
a worker or Selenium. Commands go to the controller's thread-safe methods; events come back through the
event pump, batched per tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber
from po_downloader.engine.run.batch import PreparedBatch, make_controller
from po_downloader.engine.run.controller import BatchController, BatchOptions, BatchSummary
from po_downloader.engine.system.paths import AppDirs
from po_downloader.ui.background import BackgroundTasks
from po_downloader.ui.error_text import error_text, kind_text
from po_downloader.ui.event_pump import EventPump

log = logging.getLogger(__name__)


class BatchSession(QObject):
    """Signals: ``events(list)`` each tick; ``finished(BatchSummary)``; ``failed(str)``;
    ``sign_in_needed(str)``; ``workers_changed(int target, int requested, str reason)``;
    ``paused_changed(bool)``; ``running_changed(bool)``."""

    events = Signal(list)
    finished = Signal(object)
    failed = Signal(str)
    sign_in_needed = Signal(str)
    workers_changed = Signal(int, int, str)
    paused_changed = Signal(bool)
    running_changed = Signal(bool)

    def __init__(
        self,
        dirs: AppDirs,
        tasks: BackgroundTasks,
        parent: QObject | None = None,
        *,
        controller_factory: Callable[..., BatchController] = make_controller,
    ) -> None:
        """``controller_factory`` has ``make_controller``'s signature; tests pass one with scripted workers."""
        super().__init__(parent)
        self.dirs = dirs
        self.controller_factory = controller_factory
        self.tasks = tasks
        self.pump = EventPump(parent=self)
        self.pump.events.connect(self._on_events)
        self.controller: BatchController | None = None
        self.paused = False

    @property
    def running(self) -> bool:
        return self.controller is not None

    def start(
        self, batch: PreparedBatch, options: BatchOptions, pos: Sequence[PoNumber] | None = None
    ) -> None:
        if self.running:
            raise RuntimeError("a batch is already running")
        self.controller = self.controller_factory(
            batch,
            self.dirs,
            options,
            self.pump.sink,
            on_warning=lambda exc: log.warning("%s", error_text(exc)),
            pos=pos,
        )
        self.paused = False
        self.pump.start()
        self.tasks.run(self.controller.run, self._on_done, self._on_error)
        self.running_changed.emit(True)

    # ---- commands: forwarded to the controller's thread-safe methods
    def set_workers(self, n: int) -> None:
        if self.controller:
            self.controller.set_workers(n)

    def pause(self) -> None:
        if self.controller:
            self.controller.pause()

    def resume(self) -> None:
        if self.controller:
            self.controller.resume()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()

    def signed_in_again(self) -> None:
        if self.controller:
            self.controller.signed_in_again()

    # ---- from the engine
    def _on_events(self, batch: list) -> None:
        for event in batch:
            if isinstance(event, ev.SignInNeeded):
                self.sign_in_needed.emit(kind_text(event.kind, {}))
            elif isinstance(event, ev.WorkerCountChanged):
                self.workers_changed.emit(event.target, event.requested, event.reason)
            elif isinstance(event, ev.BatchPaused):
                self.paused = event.paused
                self.paused_changed.emit(event.paused)
        self.events.emit(batch)

    def _on_done(self, summary: BatchSummary) -> None:
        self.pump.flush()
        self.pump.stop()
        self.controller = None
        self.running_changed.emit(False)
        self.finished.emit(summary)

    def _on_error(self, exc: BaseException) -> None:
        self.pump.flush()
        self.pump.stop()
        self.controller = None
        self.running_changed.emit(False)
        self.failed.emit(error_text(exc))
