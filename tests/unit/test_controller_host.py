"""The controller in a process of its own (``run/controller_host.py``), with scripted workers (no browser).

Its events come back in order, its workers are its own children, the commands of the window's side reach
it before and while it runs, what it changed on the batch comes back, and it ends (its workers with it)
when the window's side closes the command pipe or dies.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.batch import PreparedBatch, make_controller, prepare, prepare_again
from po_downloader.engine.run.controller_host import ControllerProcess
from po_downloader.engine.run.host_protocol import Pause, Resume, SetWorkers
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import AppDirs, app_dirs
from tests.helpers.batch import settings_for
from tests.helpers.child_processes import gone, wait_until
from tests.helpers.fake_worker import FakeWorker

pytestmark = pytest.mark.timeout(120)

POS = [f"1000000{i}" for i in range(1, 5)]
OPTIONS = BatchOptions(workers=2, max_attempts=2, backoff_base=0.05, governor=False)


def prepared(base: Path, pos: list[str] = POS) -> tuple[PreparedBatch, AppDirs]:
    """A batch of ``pos`` (digits) prepared as the window prepares it, its app dirs under ``base``."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "profile").mkdir(exist_ok=True)
    sheet = base / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    dirs = app_dirs(base / "home")
    settings = settings_for("http://127.0.0.1:9", base / "profile", base / "out")
    return prepare(sheet, settings, dirs), dirs


class Heard:
    """What the window's side heard, in order, from the thread that reads the controller's process."""

    def __init__(self) -> None:
        self.items: list[object] = []
        self.parents: dict[int, int] = {}  # worker pid -> its parent's pid, when it said it was ready
        self.cond = threading.Condition()

    def sink(self, event: ev.Event) -> None:
        if isinstance(event, ev.WorkerReady):
            self.parents[event.pid] = psutil.Process(event.pid).ppid()
        with self.cond:
            self.items.append(event)
            self.cond.notify_all()

    def built(self) -> None:
        with self.cond:
            self.items.append("built")
            self.cond.notify_all()

    def of(self, kind: type) -> list:
        with self.cond:
            return [e for e in self.items if isinstance(e, kind)]

    def wait_for(self, what: Callable[[], bool], timeout: float = 30.0) -> None:
        with self.cond:
            assert self.cond.wait_for(what, timeout), f"not heard in {timeout}s; heard {self.items[-8:]}"


def host_for(base: Path, fake: FakeWorker, heard: Heard, pos: list[str] = POS) -> ControllerProcess:
    batch, dirs = prepared(base, pos)
    factory = functools.partial(make_controller, worker_target=fake)
    return ControllerProcess(
        factory, batch, dirs, OPTIONS, heard.sink, prepare=prepare_again, on_built=heard.built
    )


def in_thread(host: ControllerProcess) -> tuple[threading.Thread, list]:
    out: list = []

    def run() -> None:
        try:
            out.append(host.run())
        except BaseException as exc:
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def test_the_batch_runs_in_its_own_process_and_its_events_come_back_in_order(tmp_path: Path) -> None:
    heard = Heard()
    host = host_for(tmp_path, FakeWorker({"10000002": ["empty"], "10000003": ["fail", "ok:2"]}), heard)
    summary = host.run()
    assert summary.statuses == {
        "10000001": PoStatus.COMPLETED,
        "10000002": PoStatus.NO_ATTACHMENTS,
        "10000003": PoStatus.COMPLETED,
        "10000004": PoStatus.COMPLETED,
    }
    assert host.pid is not None and host.pid != os.getpid()
    assert host.process is not None and host.process.exitcode == 0 and not host.process.daemon
    assert heard.parents and set(heard.parents.values()) == {host.pid}, "its workers are its own children"
    assert heard.items[0] == "built", "built before any event"
    assert isinstance(heard.items[1], ev.BatchStarted)
    assert heard.items[-1] == ev.BatchFinished(0, summary)
    assert [e.po.digits for e in heard.of(ev.PoRetrying)] == ["10000003"]
    assert len(heard.of(ev.PoFinished)) == 4


def test_what_the_controller_changed_on_the_batch_comes_back(tmp_path: Path) -> None:
    """A retry of some rows carries on the sheet's journal batch and where its results went, as in one
    process (its rows are prepared again there from the journal: ``test_handover``)."""
    heard = Heard()
    host = host_for(tmp_path, FakeWorker({"10000002": ["notfound"]}), heard)
    results = host.batch.results
    results.saved_to = None  # the window's own first write: the controller's last one is to come back
    assert host.batch.journal_batch is None
    host.run()
    assert host.batch.journal_batch is not None
    assert host.batch.results is results
    assert results.saved_to == results.path and results.path.exists()
    assert "PO_NOT_FOUND" in results.path.read_text(encoding="utf-8-sig").upper().replace(" ", "_")


def test_commands_reach_the_controller_before_and_while_it_runs(tmp_path: Path) -> None:
    heard = Heard()
    host = host_for(tmp_path, FakeWorker(), heard)
    host.send(Pause())  # before its process even starts: it waits, then comes first
    thread, out = in_thread(host)
    heard.wait_for(lambda: any(isinstance(e, ev.BatchPaused) and e.paused for e in heard.items))
    heard.wait_for(lambda: len([e for e in heard.items if isinstance(e, ev.WorkerReady)]) == 2)
    host.send(SetWorkers(3))
    heard.wait_for(lambda: any(isinstance(e, ev.WorkerCountChanged) for e in heard.items))
    assert heard.of(ev.WorkerCountChanged)[0].requested == 3
    assert not heard.of(ev.PoStarted), "paused: no PO was handed out"
    host.send(Resume())
    thread.join(60)
    assert not thread.is_alive()
    (summary,) = out
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert [e.paused for e in heard.of(ev.BatchPaused)] == [True, False]


def test_closing_the_command_pipe_ends_the_controller_process_and_its_workers(tmp_path: Path) -> None:
    """What the controller's process sees when the window's process is gone: the end of its pipe."""
    heard = Heard()
    host = host_for(tmp_path, FakeWorker(dict.fromkeys(POS, ["hang"])), heard)
    thread, out = in_thread(host)
    heard.wait_for(lambda: len([e for e in heard.items if isinstance(e, ev.PoStarted)]) == 2)
    workers = list(heard.parents)
    assert len(workers) == 2 and all(not gone(pid) for pid in workers)
    host.close()
    thread.join(60)
    assert not thread.is_alive()
    (summary,) = out
    assert summary.stopped and set(summary.statuses.values()) == {PoStatus.PENDING}
    assert host.process is not None and host.process.exitcode == 0
    assert all(gone(pid) for pid in workers)


def window_side(base: Path, pids: mp.Queue) -> None:
    """A stand-in for the window's process: runs a batch whose POs hang, telling its PIDs as they come."""
    heard = Heard()
    host = host_for(base, FakeWorker(dict.fromkeys(POS, ["hang"])), heard)

    def tell(event: ev.Event) -> None:
        heard.sink(event)
        if isinstance(event, ev.PoStarted):
            pids.put((os.getpid(), host.pid, sorted(heard.parents)))

    host.sink = tell
    host.run()


def test_a_window_process_that_dies_ends_its_controller_and_its_workers(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    pids: mp.Queue = ctx.Queue()
    window = ctx.Process(target=window_side, args=(tmp_path, pids))
    window.start()
    try:
        _, controller, workers = pids.get(timeout=60)
        while len(workers) < 2:
            _, controller, workers = pids.get(timeout=60)
        assert all(not gone(pid) for pid in (controller, *workers))
        os.kill(window.pid, signal.SIGKILL)  # no clean-up of its own: its end of the pipe just closes
        window.join(10)
        assert wait_until(lambda: gone(controller), timeout=60), "the controller outlived the window"
        assert wait_until(lambda: all(gone(pid) for pid in workers), timeout=10)
    finally:
        if window.is_alive():
            window.kill()
            window.join(10)


def cannot_build(batch, dirs, options, sink, **kw):
    raise PoDownloaderError(ErrorKind.ROOT_BUSY, "the download folder is busy", root="/out", pid="42")


def test_a_factory_that_fails_in_the_process_raises_its_error_here(tmp_path: Path) -> None:
    heard = Heard()
    batch, dirs = prepared(tmp_path)
    host = ControllerProcess(
        cannot_build, batch, dirs, OPTIONS, heard.sink, prepare=prepare_again, on_built=heard.built
    )
    with pytest.raises(PoDownloaderError) as raised:
        host.run()
    assert (raised.value.kind, raised.value.details["pid"]) == (ErrorKind.ROOT_BUSY, "42")
    assert heard.items == [], "never built, never started"
