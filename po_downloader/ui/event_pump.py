"""Carries engine events to the GUI thread, a tick's worth at a time.

The engine never learns that Qt exists. Events reach the pump two ways: its ``source`` (the controller's
process, read on each tick without waiting: ``ControllerProcess.read``), or :meth:`EventPump.sink`, which
only puts the event on a thread-safe queue (a controller on a thread of this process). A timer in the GUI
thread drains both within a small time budget, so a burst from many workers can never freeze the window,
and hands the views one list per tick.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from po_downloader.engine import events as ev

Source = Callable[[float | None], list]
"""Events waiting elsewhere, read within a time budget (None: all of them), never blocking."""

DEFAULT_INTERVAL_MS = 100
DEFAULT_BUDGET_S = 0.015


class EventPump(QObject):
    """Queue filled from any thread, drained on a GUI-thread timer.

    Signals:
        events(list): the events drained in one tick, in arrival order; never emitted empty.
    """

    events = Signal(list)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        budget_s: float = DEFAULT_BUDGET_S,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__(parent)
        self._queue: queue.SimpleQueue[ev.Event] = queue.SimpleQueue()
        self.budget_s = budget_s
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)
        self.source: Source | None = None
        """Where a tick reads events first (the controller's process), or None."""

    def sink(self, event: ev.Event) -> None:
        """The engine's event sink: callable from any thread, never blocks, never touches Qt."""
        self._queue.put(event)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def pending(self) -> int:
        """Events waiting for a tick (approximate while another thread is sinking)."""
        return self._queue.qsize()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        """Stop the timer; events still queued stay there for :meth:`flush` or a later :meth:`start`."""
        self._timer.stop()

    def tick(self) -> None:
        """Read and drain what fits in the time budget and emit it; the rest waits for the next tick."""
        self._read(self.budget_s)
        self._emit(self._drain(self.budget_s))

    def flush(self) -> None:
        """Read and drain everything there is now, whatever the budget (end of a batch, tests)."""
        self._read(None)
        self._emit(self._drain(None))

    def _read(self, budget_s: float | None) -> None:
        if self.source is not None:
            for event in self.source(budget_s):
                self._queue.put(event)

    def _drain(self, budget_s: float | None) -> list[ev.Event]:
        # At least one event per tick, so a tiny budget still makes progress.
        deadline = None if budget_s is None else self._clock() + budget_s
        drained: list[ev.Event] = []
        while True:
            try:
                drained.append(self._queue.get_nowait())
            except queue.Empty:
                break
            if deadline is not None and self._clock() >= deadline:
                break
        return drained

    def _emit(self, drained: list[ev.Event]) -> None:
        if drained:
            self.events.emit(drained)
