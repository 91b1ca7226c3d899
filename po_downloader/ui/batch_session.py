"""One batch as the window sees it: the engine's controller on a pool thread, its events on a timer.

The window only calls this object's methods and listens to its signals; it never touches the controller,
a worker or Selenium. Commands go to the controller's thread-safe methods; events come back through the
event pump, batched per tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Signal

from po_downloader.engine import events as ev
from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import PoNumber
from po_downloader.engine.run.batch import PreparedBatch, make_controller
from po_downloader.engine.run.controller import BatchController, BatchOptions
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
        self._summary: BatchSummary | None = None

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
        self._summary = None
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
            handler = self._handlers.get(type(event))
            if handler is not None:
                handler(self, event)
        self.events.emit(batch)

    def _on_sign_in_needed(self, e: ev.SignInNeeded) -> None:
        self.sign_in_needed.emit(kind_text(e.kind, {}))

    def _on_workers_changed(self, e: ev.WorkerCountChanged) -> None:
        self.workers_changed.emit(e.target, e.requested, e.reason)

    def _on_paused(self, e: ev.BatchPaused) -> None:
        self.paused = e.paused
        self.paused_changed.emit(e.paused)

    def _on_batch_finished(self, e: ev.BatchFinished) -> None:
        self._summary = e.summary  # told once the controller's thread is over (``_on_done``)

    _handlers: ClassVar[dict[type, Callable[[BatchSession, Any], None]]] = {
        ev.SignInNeeded: _on_sign_in_needed,
        ev.WorkerCountChanged: _on_workers_changed,
        ev.BatchPaused: _on_paused,
        ev.BatchFinished: _on_batch_finished,
    }

    def _on_done(self, _returned: object) -> None:
        """The controller's thread is over: its last event (``BatchFinished``, flushed here) has the summary."""
        self.pump.flush()
        self.pump.stop()
        self.controller = None
        self.running_changed.emit(False)
        summary, self._summary = self._summary, None
        if summary is None:
            self.failed.emit("the batch ended without a summary")
        else:
            self.finished.emit(summary)

    def _on_error(self, exc: BaseException) -> None:
        self.pump.flush()
        self.pump.stop()
        self.controller = None
        self.running_changed.emit(False)
        self.failed.emit(error_text(exc))
