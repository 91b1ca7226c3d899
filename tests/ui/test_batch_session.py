"""The session builds its controller off the GUI thread (issue 14, item 10): what the window asks for
meanwhile (Stop, Pause, the worker count, a new sign-in) is kept and reaches the controller before it runs,
and a factory that fails ends the session like a failed batch."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.batch_session import BatchSession

HOLD = 30.0  # seconds the factory waits for the test before it gives up (the start blocked the test)


class FakeController:
    """Records the commands it gets and when it ran."""

    def __init__(self, calls: list[tuple]) -> None:
        self.calls = calls

    def set_workers(self, n: int) -> None:
        self.calls.append(("set_workers", n))

    def pause(self) -> None:
        self.calls.append(("pause",))

    def resume(self) -> None:
        self.calls.append(("resume",))

    def stop(self) -> None:
        self.calls.append(("stop",))

    def signed_in_again(self) -> None:
        self.calls.append(("signed_in_again",))

    def run(self) -> None:
        self.calls.append(("run",))


def test_commands_given_while_the_controller_is_built_reach_it_before_it_runs(
    qtbot, tasks, tmp_path: Path
) -> None:
    gate = threading.Event()
    calls: list[tuple] = []
    released: list[bool] = []

    def factory(batch, dirs, options, sink, **kw):
        calls.append(("built on the GUI thread", threading.current_thread() is threading.main_thread()))
        released.append(gate.wait(HOLD))
        return FakeController(calls)

    session = BatchSession(app_dirs(tmp_path / "home"), tasks, controller_factory=factory)
    preparing: list[bool] = []
    session.preparing_changed.connect(preparing.append)
    session.start(object(), BatchOptions(workers=1))  # type: ignore[arg-type]
    assert session.running and session.preparing
    session.set_workers(3)
    session.pause()
    session.signed_in_again()
    session.stop()
    gate.set()
    with qtbot.waitSignal(session.failed, timeout=int(HOLD * 1000) + 10_000):
        pass  # the fake run ends without a summary: the session says so
    assert released == [True], "start() waited for the controller on the GUI thread"
    assert calls == [
        ("built on the GUI thread", False),
        ("set_workers", 3),
        ("pause",),
        ("signed_in_again",),
        ("stop",),
        ("run",),
    ]
    assert preparing == [True, False]
    assert not session.running and not session.preparing


@pytest.mark.expect_log("po_downloader.ui.background", "background task failed")
def test_a_factory_that_fails_ends_the_session_with_its_error(qtbot, tasks, tmp_path: Path) -> None:
    def factory(batch, dirs, options, sink, **kw):
        raise OSError("the data folder is gone")

    session = BatchSession(app_dirs(tmp_path / "home"), tasks, controller_factory=factory)
    with qtbot.waitSignal(session.failed, timeout=10_000) as failed:
        session.start(object(), BatchOptions(workers=1))  # type: ignore[arg-type]
    assert "the data folder is gone" in failed.args[0]
    assert not session.running and not session.preparing
    session.stop()  # nothing to stop: no error


def test_the_controller_is_built_with_the_cycle_collector_paused(qtbot, tasks, tmp_path: Path) -> None:
    """Building it records every PO of a big sheet: full collection passes then stalled the window."""
    import gc

    collector: list[bool] = []
    calls: list[tuple] = []

    def factory(batch, dirs, options, sink, **kw):
        collector.append(gc.isenabled())
        return FakeController(calls)

    session = BatchSession(app_dirs(tmp_path / "home"), tasks, controller_factory=factory)
    session.start(object(), BatchOptions(workers=1))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: ("run",) in calls, timeout=10_000)
    assert collector == [False]
    assert gc.isenabled()
    gc.unfreeze()


def test_the_apps_controller_runs_in_its_own_process_and_a_tests_closure_on_a_thread(
    tasks, tmp_path: Path
) -> None:
    """``make_controller`` pickles, so the window's batches run in the controller's process; a factory
    that cannot be sent there (a closure holding a thread event, as above) keeps the in-thread host."""
    dirs = app_dirs(tmp_path / "home")
    assert BatchSession(dirs, tasks).in_process
    gate = threading.Event()
    assert not BatchSession(dirs, tasks, controller_factory=lambda *a, **k: gate.wait(0)).in_process
