"""Starting a big batch does not freeze the window (issue 14, item 10).

Building the controller for a 100 000-row sheet opens the journal, records every PO and looks up every
PO's folders from earlier batches: seconds, and up to 10 s more when SQLite is busy. Here a controller
factory (and, for the first stage, ``prepare``) is held until a timer on the GUI thread lets it go: the
timer can only fire if the GUI thread is free while the batch is prepared, which is what the user needs
(the window repaints, shows "Preparing the batch…", and Stop and closing work). No clock is asserted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.batch import make_controller
from po_downloader.ui import batch_launcher
from po_downloader.ui.main_window import MainWindow
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.window import window_with_sheet

pytestmark = pytest.mark.timeout(120)

POS = [f"1000000{i}" for i in range(1, 4)]
HOLD = 30.0  # seconds a held stage waits for the GUI thread's timer before it gives up (a failure)


@pytest.fixture(autouse=True)
def asked(monkeypatch) -> list[tuple]:
    """ "Stop the batch and close?" answered Yes (a test that fails mid-batch still closes its window)."""
    questions: list[tuple] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: questions.append(a) or QMessageBox.StandardButton.Yes
    )
    return questions


class Hold:
    """A stage of starting a batch, held on whatever thread runs it until ``gate`` is set."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.released: bool | None = None
        self.on_gui_thread: bool | None = None

    def wait(self) -> None:
        self.on_gui_thread = threading.current_thread() is threading.main_thread()
        self.entered.set()
        self.released = self.gate.wait(HOLD)


def held_factory(hold: Hold) -> Callable:
    """The window's controller factory, held at its start like the journal of a 100 000-row sheet."""

    def factory(batch, dirs, options, sink, **kw):
        hold.wait()
        return make_controller(batch, dirs, options, sink, worker_target=FakeWorker(), **kw)

    return factory


def make_window(qtbot, tmp_path: Path, hold: Hold) -> MainWindow:
    return window_with_sheet(qtbot, tmp_path, POS, held_factory(hold))


def while_held(window: MainWindow, hold: Hold, action: Callable[[], None]) -> list[dict]:
    """A 10 ms timer on the GUI thread: the first tick after ``hold`` is entered notes what the window
    shows, runs ``action`` and lets the held stage go. Returns the notes (empty: the timer never fired
    while the stage was held, i.e. the GUI thread was blocked)."""
    notes: list[dict] = []
    timer = QTimer(window)
    timer.setInterval(10)

    def tick() -> None:
        if not hold.entered.is_set() or hold.gate.is_set():
            return
        notes.append(
            {
                "status": window.statusBar().currentMessage(),
                "start": window.start_button.isEnabled(),
                "stop": window.stop_button.isEnabled(),
            }
        )
        action()
        hold.gate.set()
        timer.stop()

    timer.timeout.connect(tick)
    timer.start()
    return notes


def tasks_handed_out(tmp_path: Path) -> list[str]:
    folder = tmp_path / "out" / ".fake-tasks"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_the_window_stays_responsive_while_the_batch_is_prepared_then_runs_it(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    hold = Hold()
    window = make_window(qtbot, tmp_path, hold)
    notes = while_held(window, hold, lambda: None)
    window.start_button.click()
    qtbot.waitUntil(lambda: hold.released is not None, timeout=int(HOLD * 1000) + 10_000)
    assert hold.released, "the GUI thread's timer did not fire while the controller was being built"
    assert hold.on_gui_thread is False
    assert notes == [{"status": "Preparing the batch…", "start": False, "stop": True}]
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)
    assert {r.outcome.status for r in window.model.rows()} == {PoStatus.COMPLETED}
    assert window.start_button.isEnabled()
    assert window.statusBar().currentMessage() != "Preparing the batch…"


def test_stop_while_the_batch_is_prepared_ends_it_before_any_po_starts(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    hold = Hold()
    window = make_window(qtbot, tmp_path, hold)
    finished: list[str] = []
    window.batch_finished.connect(finished.append)
    while_held(window, hold, window.stop_button.click)
    window.start_button.click()
    qtbot.waitUntil(lambda: hold.released is not None, timeout=int(HOLD * 1000) + 10_000)
    assert hold.released, "the GUI thread's timer did not fire while the controller was being built"
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    assert not window.session.running and window.start_button.isEnabled()
    assert tasks_handed_out(tmp_path) == []
    assert {r.outcome.status for r in window.model.rows()} == {PoStatus.PENDING}
    assert "stopped" in finished[0].lower()


def test_closing_the_window_while_the_batch_is_prepared_asks_then_closes_with_nothing_started(
    qtbot, tmp_path: Path, app_home: Path, asked: list[tuple]
) -> None:
    hold = Hold()
    window = make_window(qtbot, tmp_path, hold)
    while_held(window, hold, window.close)
    window.start_button.click()
    qtbot.waitUntil(lambda: hold.released is not None, timeout=int(HOLD * 1000) + 10_000)
    assert hold.released, "the GUI thread's timer did not fire while the controller was being built"
    assert asked, "closing while a batch is being prepared asks first, as during a batch"
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    assert not window.session.running
    assert tasks_handed_out(tmp_path) == []


def test_stop_while_the_sheet_is_prepared_starts_no_batch(
    qtbot, tmp_path: Path, app_home: Path, monkeypatch
) -> None:
    """The first stage (the sheet re-read, the results file written) can be stopped too."""
    factory_hold, prepare_hold = Hold(), Hold()
    real_prepare = batch_launcher.prepare

    def held_prepare(*args, **kwargs):
        prepare_hold.wait()
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(batch_launcher, "prepare", held_prepare)
    window = make_window(qtbot, tmp_path, factory_hold)
    notes = while_held(window, prepare_hold, window.stop_button.click)
    window.start_button.click()
    qtbot.waitUntil(lambda: prepare_hold.released is not None, timeout=int(HOLD * 1000) + 10_000)
    assert notes == [{"status": "Preparing the batch…", "start": False, "stop": True}]
    qtbot.waitUntil(lambda: not window.launcher.preparing, timeout=30_000)
    qtbot.waitUntil(window.finish_banner.isVisible, timeout=10_000)
    assert "stopped before" in window.finish_banner.label.text().lower()
    assert not factory_hold.entered.is_set(), "no controller is built for a stopped start"
    assert not window.session.running and window.start_button.isEnabled()
    assert tasks_handed_out(tmp_path) == []


def test_closing_the_window_while_the_sheet_is_prepared_starts_no_batch_behind_it(
    qtbot, tmp_path: Path, app_home: Path, monkeypatch, asked: list[tuple]
) -> None:
    factory_hold, prepare_hold = Hold(), Hold()
    real_prepare = batch_launcher.prepare

    def held_prepare(*args, **kwargs):
        prepare_hold.wait()
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(batch_launcher, "prepare", held_prepare)
    window = make_window(qtbot, tmp_path, factory_hold)
    while_held(window, prepare_hold, window.close)
    window.start_button.click()
    qtbot.waitUntil(lambda: prepare_hold.released is not None, timeout=int(HOLD * 1000) + 10_000)
    qtbot.waitUntil(lambda: not window.launcher.preparing, timeout=30_000)
    assert not window.isVisible() and asked == []  # no batch runs yet: nothing to ask about
    assert not factory_hold.entered.is_set(), "a batch was started behind the closed window"
    assert not window.session.running
