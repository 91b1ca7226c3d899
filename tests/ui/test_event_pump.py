"""EventPump: events sunk from another thread reach the GUI thread in order, in budgeted batches."""

from __future__ import annotations

import itertools
import threading

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber
from po_downloader.ui.event_pump import EventPump


class Received:
    """Slot that records each emitted batch and the thread it ran in."""

    def __init__(self, pump: EventPump) -> None:
        self.batches: list[list[ev.Event]] = []
        self.threads: set[threading.Thread] = set()
        pump.events.connect(self._on)

    def _on(self, batch: list) -> None:
        self.threads.add(threading.current_thread())
        self.batches.append(batch)

    @property
    def events(self) -> list[ev.Event]:
        return [e for batch in self.batches for e in batch]


def started(i: int) -> ev.PoStarted:
    return ev.PoStarted(1, PoNumber(f"{i:08d}"), 1, "u")


def test_events_from_a_plain_thread_arrive_in_order_on_the_gui_thread(qtbot) -> None:
    pump = EventPump(interval_ms=5)
    got = Received(pump)
    pump.start()
    sent = [started(i) for i in range(300)]

    def engine() -> None:  # stands in for the controller thread
        for event in sent:
            pump.sink(event)

    thread = threading.Thread(target=engine)
    thread.start()
    qtbot.waitUntil(lambda: len(got.events) == len(sent), timeout=5000)
    thread.join()
    pump.stop()
    assert got.events == sent
    assert got.threads == {threading.main_thread()}
    assert all(got.batches)  # never an empty emission
    assert not pump.active


def test_every_event_is_passed_on_in_order(qapp) -> None:
    # Heartbeats stay with the controller (its watchdog), so nothing is thinned out on the way.
    pump = EventPump()
    got = Received(pump)
    events = [
        started(1),
        ev.FileSaved(2, PoNumber("00000002"), "a.pdf", "/a.pdf", 3),
        ev.DownloadProgress(2, PoNumber("00000002"), 10),
        ev.DownloadProgress(2, PoNumber("00000002"), 20),
    ]
    for event in events:
        pump.sink(event)
    pump.flush()
    assert got.batches == [events]


def test_the_budget_leaves_the_rest_for_the_next_tick(qapp) -> None:
    clock = itertools.count()  # one "second" passes at every reading
    pump = EventPump(budget_s=2.5, clock=lambda: next(clock))
    got = Received(pump)
    sent = [started(i) for i in range(7)]
    for event in sent:
        pump.sink(event)
    pump.tick()  # deadline 2.5: events read at t=1, 2, 3
    assert [len(b) for b in got.batches] == [3]
    assert pump.pending() == 4
    pump.tick()
    assert [len(b) for b in got.batches] == [3, 3]
    pump.tick()
    pump.tick()  # nothing left: no emission
    assert [len(b) for b in got.batches] == [3, 3, 1]
    assert got.events == sent


def test_a_tiny_budget_still_moves_one_event_per_tick(qapp) -> None:
    clock = itertools.count(step=10)
    pump = EventPump(budget_s=0.001, clock=lambda: next(clock))
    got = Received(pump)
    pump.sink(started(1))
    pump.sink(started(2))
    pump.tick()
    assert got.batches == [[started(1)]]


def test_flush_ignores_the_budget(qapp) -> None:
    clock = itertools.count()
    pump = EventPump(budget_s=0.5, clock=lambda: next(clock))
    got = Received(pump)
    for i in range(50):
        pump.sink(started(i))
    pump.flush()
    assert len(got.batches) == 1 and len(got.batches[0]) == 50
    assert pump.pending() == 0


def test_stop_keeps_queued_events_for_flush(qtbot) -> None:
    pump = EventPump(interval_ms=5)
    got = Received(pump)
    pump.start()
    assert pump.active
    pump.sink(started(1))
    qtbot.waitUntil(lambda: got.events == [started(1)], timeout=2000)
    pump.stop()
    pump.sink(started(2))
    assert pump.pending() == 1
    with qtbot.waitSignal(pump.events, timeout=1000) as blocker:
        pump.flush()
    assert blocker.args == [[started(2)]]


def test_a_source_is_read_on_each_tick_within_the_budget_and_whole_on_flush(qtbot) -> None:
    """The controller's process is read on the GUI thread, a tick's worth at a time."""
    waiting = [started(i) for i in range(10)]
    budgets: list[float | None] = []

    def source(budget: float | None) -> list[ev.Event]:
        budgets.append(budget)
        taken = waiting[:3] if budget is not None else waiting[:]
        del waiting[: len(taken)]
        return taken

    pump = EventPump(interval_ms=5, budget_s=0.01)
    pump.source = source
    got = Received(pump)
    pump.tick()
    assert got.events == [started(i) for i in range(3)] and budgets == [0.01]
    pump.flush()
    assert got.events == [started(i) for i in range(10)] and budgets == [0.01, None]
    assert got.threads == {threading.main_thread()}
