"""The worker slider follows a Selenium Grid's free slots while the window is open (``ui/grid_slots.py``),
read off the GUI thread; the window says when the Grid does not answer. A scripted ``/status`` reader here;
the real Grid in ``test_grid_window.py``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QObject, Signal

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.http.grid_status import GridSlots, GridUnavailable
from po_downloader.engine.run.governor import max_workers
from po_downloader.engine.system.settings import Settings
from po_downloader.ui.grid_slots import GridSlotsWatch, slider_maximum
from po_downloader.ui.worker_controls import WorkerControls

GRID = "http://127.0.0.1:4444"
DOWN = GridUnavailable(
    ErrorKind.GRID_UNREACHABLE,
    f"the Selenium Grid at {GRID} does not answer",
    url=GRID,
    detail="ConnectError: [Errno 111] Connection refused",
)


def test_the_slider_may_go_to_the_free_slots_plus_the_batchs_own_never_past_the_grid() -> None:
    assert slider_maximum(GridSlots(3, 2, True), 0) == 2
    assert slider_maximum(GridSlots(3, 0, True), 2) == 2, "the sessions a running batch holds are its own"
    assert slider_maximum(GridSlots(3, 1, True), 3) == 3, "never more than the Grid has"
    assert slider_maximum(GridSlots(3, 0, True), 0) == 1, "a batch on a full Grid waits for one slot"
    assert slider_maximum(GridSlots(0, 0, False), 0) == 1


class FakeSession:
    running = False


class FakeLauncher(QObject):
    """The two signals and the session the watch reads of ``BatchLauncher``."""

    grid_slots = Signal(int, int)
    grid_waiting = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.session = FakeSession()


@dataclass
class ScriptedStatus:
    """``/status`` as a list of answers (the last repeats); each read notes its thread and how many reads
    were under way at once; ``gate`` holds a read until set."""

    answers: list[GridSlots | Exception]
    reads: list[tuple[str, str]] = field(default_factory=list)
    threads: set[int] = field(default_factory=set)
    gate: threading.Event = field(default_factory=threading.Event)
    at_once: int = 0
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.gate.set()

    def __call__(self, url: str, browser_name: str) -> GridSlots:
        with self.lock:
            self.reads.append((url, browser_name))
            self.threads.add(threading.get_ident())
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
        try:
            self.gate.wait(10)
            answer = self.answers[0] if len(self.answers) == 1 else self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        finally:
            with self.lock:
                self.at_once -= 1


@pytest.fixture
def parts(qtbot) -> Iterator[tuple[WorkerControls, FakeLauncher, dict[str, Settings]]]:
    controls = WorkerControls(2)
    qtbot.addWidget(controls)
    controls.show()
    yield controls, FakeLauncher(), {"now": Settings(grid_url=GRID, browser="chromium")}


def watch(parts, status: ScriptedStatus, interval_ms: int = 60) -> GridSlotsWatch:
    controls, launcher, settings = parts
    return GridSlotsWatch(
        controls, launcher, lambda: settings["now"], controls, interval_ms=interval_ms, read=status
    )


def test_the_slider_follows_the_grids_free_slots_as_they_change_off_the_gui_thread(qtbot, parts) -> None:
    controls = parts[0]
    status = ScriptedStatus([GridSlots(3, 3, True), GridSlots(3, 1, True), GridSlots(3, 2, True)])
    w = watch(parts, status)
    qtbot.waitUntil(lambda: controls.slider.maximum() == 3, timeout=5000)
    assert w.label.text() == "Selenium Grid: 3 of 3 browser slots free" and w.label.isVisible()
    qtbot.waitUntil(lambda: controls.slider.maximum() == 1, timeout=5000)  # another batch took two
    assert controls.slider.value() == 1
    qtbot.waitUntil(lambda: controls.slider.maximum() == 2, timeout=5000)
    assert threading.get_ident() not in status.threads, "/status is never read on the GUI thread"
    assert status.reads[0] == (GRID, "chrome")


def test_a_grid_that_stops_answering_is_said_beside_the_slider_and_then_cleared(qtbot, parts) -> None:
    controls = parts[0]
    status = ScriptedStatus([GridSlots(3, 2, True), DOWN])
    w = watch(parts, status)
    with qtbot.waitSignal(w.answered, check_params_cb=lambda a: a is DOWN, timeout=5000):
        pass
    assert w.label.isVisible()
    assert w.label.text().startswith(f"the Selenium Grid at {GRID} does not answer (ConnectError")
    assert controls.slider.maximum() == 2, "the last slots known stand while the Grid is silent"
    status.answers[:] = [GridSlots(3, 3, True)]
    qtbot.waitUntil(lambda: controls.slider.maximum() == 3, timeout=5000)
    assert w.label.text() == "Selenium Grid: 3 of 3 browser slots free"


def test_a_running_batchs_own_sessions_count_as_its_slots(qtbot, parts) -> None:
    controls, launcher, _settings = parts
    controls.slider.setMaximum(3)
    controls.slider.setValue(3)
    launcher.session.running = True
    status = ScriptedStatus([GridSlots(4, 0, True)])  # its 3 browsers hold 3 of the 4 slots; 1 is another's
    w = watch(parts, status)
    with qtbot.waitSignal(w.answered, timeout=5000):
        pass
    assert (controls.slider.maximum(), controls.slider.value()) == (3, 3), "the batch is not cut back"


def test_one_read_at_a_time_however_slow_the_grid(qtbot, parts) -> None:
    status = ScriptedStatus([GridSlots(3, 3, True)])
    status.gate.clear()
    watch(parts, status, interval_ms=20)
    qtbot.wait(400)  # about 20 ticks while the first read hangs
    assert len(status.reads) == 1 and status.most_at_once == 1
    status.gate.set()
    qtbot.waitUntil(lambda: len(status.reads) >= 3, timeout=5000)
    assert status.most_at_once == 1


def test_without_a_grid_nothing_is_read_and_the_slider_is_this_computers_again(qtbot, parts) -> None:
    controls, _launcher, settings = parts
    status = ScriptedStatus([GridSlots(2, 2, True)])
    w = watch(parts, status)
    qtbot.waitUntil(lambda: controls.slider.maximum() == 2, timeout=5000)
    settings["now"] = Settings()  # the Grid taken out of the settings
    qtbot.waitUntil(lambda: controls.slider.maximum() == max_workers(), timeout=5000)
    assert not w.label.isVisible()
    reads = len(status.reads)
    qtbot.wait(300)
    assert len(status.reads) == reads, "no Grid, no read"


def test_the_launchers_reading_at_start_and_its_wait_are_shown_too(qtbot, parts) -> None:
    controls, launcher, settings = parts
    settings["now"] = Settings()
    status = ScriptedStatus([GridSlots(3, 3, True)])
    w = watch(parts, status, interval_ms=60_000)
    said_on: list[int] = []
    say = w._say
    w._say = lambda text, problem: said_on.append(threading.get_ident()) or say(text, problem=problem)  # type: ignore[method-assign]
    waiting = "The Selenium Grid at x has no free browser slot: waiting up to 300 s…"
    emitter = threading.Thread(
        target=launcher.grid_waiting.emit, args=(waiting,)
    )  # as the launcher's job does
    emitter.start()
    emitter.join()
    qtbot.waitUntil(lambda: w.label.text() == waiting, timeout=5000)
    assert w.label.isVisible() and said_on == [threading.get_ident()], "shown on the GUI thread"
    launcher.grid_slots.emit(2, 3)
    assert controls.slider.maximum() == 2
    assert w.label.text() == "Selenium Grid: 2 of 3 browser slots free"
    launcher.grid_slots.emit(0, 0)  # a batch on this computer
    assert controls.slider.maximum() == max_workers() and not w.label.isVisible()
    assert not status.reads
