"""The window's batch runs its controller in a process of its own (issue 16, item 4), with scripted workers.

The factory here pickles (a module-level class), so the session sends it to the controller's process, as it
does ``make_controller``: the rows fill from that process's events, Pause, the worker count and Stop reach
it, and a retry after it carries on the results and the journal batch it left.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import psutil
import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.results import results_path_for
from po_downloader.engine.run.batch import make_controller
from po_downloader.engine.run.options import BatchOptions
from po_downloader.ui.main_window import MainWindow
from tests.helpers.child_processes import gone
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.window import SIX_POS, read_csv, run_with, sheet, statuses, window_with_sheet

pytestmark = pytest.mark.timeout(180)


@dataclass(frozen=True)
class Scripted:
    """``make_controller`` on scripted workers with a blink of backoff; it pickles, so it runs over there."""

    worker: FakeWorker

    def __call__(self, batch, dirs, options: BatchOptions, sink, **kw):
        return make_controller(
            batch, dirs, replace(options, backoff_base=0.05), sink, worker_target=self.worker, **kw
        )


class Seen:
    """The events the window's session emitted, and the parent of each worker that said it was ready."""

    def __init__(self, window: MainWindow) -> None:
        self.events: list[ev.Event] = []
        self.parents: dict[int, int] = {}
        window.session.events.connect(self._on_events)

    def _on_events(self, batch: list) -> None:
        for event in batch:
            self.events.append(event)
            if isinstance(event, ev.WorkerReady):
                try:
                    self.parents[event.pid] = psutil.Process(event.pid).ppid()
                except psutil.NoSuchProcess:
                    pass

    def count(self, kind: type) -> int:
        return sum(1 for e in self.events if isinstance(e, kind))


def test_the_windows_batch_runs_in_the_controllers_own_process(qtbot, tmp_path: Path) -> None:
    window = window_with_sheet(
        qtbot, tmp_path, SIX_POS, Scripted(FakeWorker({"10000003": ["empty"]}, write_files=True))
    )
    seen = Seen(window)
    assert window.session.in_process
    hosts: list[int | None] = []
    window.session.preparing_changed.connect(
        lambda _p: hosts.append(window.session.host.pid if window.session.host else None)
    )
    run_with(qtbot, window, window.start_button.click)
    assert statuses(window) == [
        PoStatus.COMPLETED,
        PoStatus.COMPLETED,
        PoStatus.NO_ATTACHMENTS,
        PoStatus.COMPLETED,
        PoStatus.COMPLETED,
        PoStatus.COMPLETED,
    ]
    controller = next(pid for pid in hosts if pid is not None)
    assert controller != os.getpid()
    assert seen.parents and set(seen.parents.values()) == {controller}, (
        "workers are the controller's children"
    )
    assert gone(controller) and all(gone(pid) for pid in seen.parents)
    assert window.session.host is None and not window.session.running


def test_pause_the_worker_count_and_stop_reach_the_controllers_process(qtbot, tmp_path: Path) -> None:
    window = window_with_sheet(
        qtbot, tmp_path, SIX_POS, Scripted(FakeWorker(dict.fromkeys(SIX_POS, ["slow:0.4"])))
    )
    window.workers.slider.setValue(1)
    seen = Seen(window)
    window.start_button.click()
    qtbot.waitUntil(lambda: seen.count(ev.PoStarted) >= 1, timeout=30_000)
    with qtbot.waitSignal(window.session.paused_changed, timeout=10_000) as paused:
        window.pause_button.click()
    assert paused.args == [True]  # told by the controller's BatchPaused: the command got there
    started = seen.count(ev.PoStarted)
    qtbot.wait(1500)  # a PO takes 0.4 s: unpaused, two or three more would have started by now
    assert seen.count(ev.PoStarted) == started
    wanted = 2
    with qtbot.waitSignal(window.session.workers_changed, timeout=10_000) as changed:
        window.workers.slider.setValue(wanted)
    assert changed.args[1:] == [wanted, "set by user"]
    window.pause_button.click()  # resume
    qtbot.waitUntil(lambda: seen.count(ev.PoStarted) > started, timeout=10_000)
    host = window.session.host
    assert host is not None and host.process is not None
    with qtbot.waitSignal(window.session.finished, timeout=30_000) as finished:
        window.stop_button.click()
    summary = finished.args[0]
    assert summary.stopped
    assert PoStatus.PENDING in summary.statuses.values(), "the stop left POs undone"
    assert host.process.exitcode == 0
    assert all(gone(pid) for pid in seen.parents)


def test_a_retry_after_it_keeps_the_results_and_the_journal_batch_it_left(qtbot, tmp_path: Path) -> None:
    """The results sheet and the journal batch live in the controller's process while it runs: the window
    gets them back, so a retry of one row rewrites the sheet with every other row's result kept."""
    fake = FakeWorker({"10000002": ["notfound", "ok:1"]}, write_files=True)
    window = window_with_sheet(qtbot, tmp_path, SIX_POS, Scripted(fake))
    run_with(qtbot, window, window.start_button.click)
    batch = window.launcher.batch
    assert batch is not None and batch.journal_batch is not None
    first = batch.journal_batch
    results = results_path_for(sheet(tmp_path))
    assert [r["STATUS"] for r in read_csv(results)].count("COMPLETED") == 5
    run_with(qtbot, window, lambda: window.launcher.retry_rows([PoNumber("10000002")]))
    assert set(statuses(window)) == {PoStatus.COMPLETED}
    assert [r["STATUS"] for r in read_csv(results)] == ["COMPLETED"] * 6
    assert window.launcher.batch is batch and batch.journal_batch == first


def test_a_sheet_edited_between_its_read_and_start_is_refused_there_and_nothing_runs(
    qtbot, tmp_path: Path
) -> None:
    """The controller's process prepares the batch again from the sheet's path (``run/handover``): a sheet
    edited after the window read it is not the one on screen, so it is refused, said in the window, and
    no PO, worker or journal batch is started from it."""
    window = window_with_sheet(qtbot, tmp_path, SIX_POS, Scripted(FakeWorker(write_files=True)))
    seen = Seen(window)
    assert window.session.in_process
    path = sheet(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "PO10000007\n", encoding="utf-8")
    with qtbot.waitSignal(window.session.failed, timeout=60_000) as failed:
        window.start_button.click()
    message = failed.args[0]
    assert "“pos.csv” changed after it was read" in message and "nothing was started" in message
    assert window.finish_banner.isVisible() and message in window.finish_banner.label.text()
    assert statuses(window) == [PoStatus.PENDING] * 6, "the table is the sheet the window read"
    assert not seen.parents and seen.count(ev.PoStarted) == 0 and seen.count(ev.BatchStarted) == 0
    assert not window.session.running and window.session.host is None
    journal = window.dirs.journal_file
    if journal.exists():
        with Journal.open(journal) as opened:
            assert opened.latest_for_input(path) is None, "no journal batch was started"
