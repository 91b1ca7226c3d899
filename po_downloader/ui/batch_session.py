"""One batch as the window sees it: the engine's controller in a process of its own, its events on a timer.

The window only calls this object's methods and listens to its signals; it never touches the controller,
a worker or Selenium. Commands go to the controller as ``host_protocol`` messages; events come back
through the event pump, batched per tick.

The controller runs in its own process (``engine/run/controller_host.py``): as a thread of the window's
process it held the interpreter while it worked and the window stalled (58-147 ms, with a CPU to spare).
A pool thread here only spawns that process and waits for its end; the pump reads its pipe on the GUI
thread, a tick's worth at a time, so no other thread of this process holds the interpreter meanwhile. The controller is built there too: for a
big sheet that opens the journal, records every PO and looks up every PO's earlier folders (seconds for
100 000 POs). Meanwhile the session is already running and ``preparing``; commands given then (Stop,
Pause, the worker count) wait and reach the controller before it runs.

A ``controller_factory`` that cannot be pickled (a test's closure holding a lock or a thread event) cannot
be sent to another process: such a batch runs its controller on a pool thread of this process, as before.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Signal

from po_downloader.engine import events as ev
from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import PoNumber
from po_downloader.engine.run.batch import PreparedBatch, make_controller, prepare_again
from po_downloader.engine.run.controller import BatchController
from po_downloader.engine.run.controller_host import ControllerProcess
from po_downloader.engine.run.host_protocol import (
    Command,
    Pause,
    Resume,
    SetWorkers,
    SignedInAgain,
    Stop,
    apply,
)
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import AppDirs
from po_downloader.ui.background import BackgroundTasks
from po_downloader.ui.error_text import error_text, kind_text
from po_downloader.ui.event_pump import EventPump
from po_downloader.ui.gc_pause import collector_paused
from po_downloader.ui.outcome_words import outcome_words

log = logging.getLogger(__name__)


class BatchSession(QObject):
    """Signals: ``events(list)`` each tick; ``finished(BatchSummary)``; ``failed(str)``;
    ``sign_in_needed(str)``; ``workers_changed(int target, int requested, str reason)``;
    ``paused_changed(bool)``; ``running_changed(bool)``; ``preparing_changed(bool)``: the controller is
    being built (the session is running, no PO has started)."""

    events = Signal(list)
    finished = Signal(object)
    failed = Signal(str)
    sign_in_needed = Signal(str)
    workers_changed = Signal(int, int, str)
    paused_changed = Signal(bool)
    running_changed = Signal(bool)
    preparing_changed = Signal(bool)
    _built = Signal()  # told by whichever thread read it from the controller's process

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
        """The controller when it runs on a thread of this process (a factory that does not pickle)."""
        self.host: ControllerProcess | None = None
        """The controller's process, while a batch runs there."""
        self.preparing = False
        self.paused = False
        self._summary: BatchSummary | None = None
        self._waiting: list[Command] = []
        self._built.connect(self._on_built_there)

    @property
    def running(self) -> bool:
        return self.controller is not None or self.host is not None or self.preparing

    @property
    def in_process(self) -> bool:
        """Whether the batches of this session run their controller in a process of their own."""
        return _picklable(self.controller_factory)

    def start(
        self, batch: PreparedBatch, options: BatchOptions, pos: Sequence[PoNumber] | None = None
    ) -> None:
        """Build the controller off the GUI thread, then run it; ``running`` from now on."""
        if self.running:
            raise RuntimeError("a batch is already running")
        factory, dirs, sink = self.controller_factory, self.dirs, self.pump.sink
        self.preparing = True
        self.paused = False
        self._summary = None
        self._waiting = []

        def warn(exc: BaseException) -> None:
            log.warning("%s", error_text(exc))

        if self.in_process:
            self.host = ControllerProcess(
                factory,
                batch,
                dirs,
                options,
                sink,
                prepare=prepare_again,  # there, from the sheet's path: its rows never cross (run/handover)
                pos=pos,
                on_built=self._built.emit,
                on_warning=warn,
            )
            self.pump.source = self.host.read  # read on the GUI thread, a tick's worth at a time
            self.pump.start()
            self.tasks.run(self.host.start_and_wait, self._on_done, self._on_error)
        else:

            def build() -> BatchController:
                with collector_paused():  # it records every PO in the journal: see gc_pause
                    return factory(batch, dirs, options, sink, on_warning=warn, pos=pos)

            self.tasks.run(build, self._on_built, self._on_build_failed)
        self.running_changed.emit(True)
        self.preparing_changed.emit(True)

    def _on_built_there(self) -> None:
        """The controller's process built it: commands given meanwhile are already on their way."""
        if self.host is not None and self.preparing:
            self.preparing = False
            self.preparing_changed.emit(False)

    def _on_built(self, controller: BatchController) -> None:
        """Commands given while it was built go first (a Stop: it ends before any worker starts)."""
        self.controller = controller
        self.preparing = False
        for command in self._waiting:
            apply(command, controller)
        self._waiting = []
        self.pump.start()
        self.tasks.run(controller.run, self._on_done, self._on_error)
        self.preparing_changed.emit(False)

    def _on_build_failed(self, exc: BaseException) -> None:
        self.preparing = False
        self._waiting = []
        self.preparing_changed.emit(False)
        self._on_error(exc)

    # ---- commands: to the controller's process, or the thread-safe methods of one in this process
    def _command(self, command: Command) -> None:
        if self.host is not None:
            self.host.send(command)  # before it is built too: the process holds it until then
        elif self.controller is not None:
            apply(command, self.controller)
        elif self.preparing:
            self._waiting.append(command)

    def set_workers(self, n: int) -> None:
        self._command(SetWorkers(n))

    def pause(self) -> None:
        self._command(Pause())

    def resume(self) -> None:
        self._command(Resume())

    def stop(self) -> None:
        self._command(Stop())

    def signed_in_again(self) -> None:
        self._command(SignedInAgain())

    # ---- from the engine
    def _on_events(self, batch: list) -> None:
        for event in batch:
            handler = self._handlers.get(type(event))
            if handler is not None:
                handler(self, event)
        self.events.emit(batch)

    def _on_sign_in_needed(self, e: ev.SignInNeeded) -> None:
        self.sign_in_needed.emit(kind_text(e.kind, e.details))

    def _on_workers_changed(self, e: ev.WorkerCountChanged) -> None:
        self.workers_changed.emit(
            e.target, e.requested, outcome_words().governor(e.reason, e.cause, e.percent)
        )

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
        """The controller is over: its last event (``BatchFinished``, flushed here) has the summary."""
        self._ended()
        summary, self._summary = self._summary, None
        if summary is None:
            self.failed.emit("the batch ended without a summary")
        else:
            self.finished.emit(summary)

    def _on_error(self, exc: BaseException) -> None:
        self._ended()
        self.failed.emit(error_text(exc))

    def _ended(self) -> None:
        self.pump.flush()
        self.pump.stop()
        self.pump.source = None
        self.controller = None
        self.host = None
        if self.preparing:  # the controller's process failed to build it
            self.preparing = False
            self.preparing_changed.emit(False)
        self.running_changed.emit(False)


def _picklable(factory: Callable[..., object]) -> bool:
    try:
        pickle.dumps(factory)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True
