"""One writer per log file: workers send their records over the pipe and the parent writes them.

The first tests take the relay apart (a record in, an event over the "pipe", a record out); the last ones
run the controller on scripted worker processes with the parent's rotating file set up as the app does.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.log_relay import PipeLogHandler, replay, send_logs_to_controller
from po_downloader.engine.system.logs import FROM_WORKER, setup_logging
from po_downloader.engine.system.paths import AppDirs, app_dirs
from tests.helpers.batch import Recorder, scripted_controller
from tests.helpers.fake_worker import FakeWorker

pytestmark = pytest.mark.timeout(60)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    """The root logger, restored afterwards, and the loggers the tests touch."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    touched = [logging.getLogger(n) for n in ("selenium", "urllib3", "acme.worker", "acme.quiet")]
    states = [(lg, lg.level, lg.handlers[:], lg.propagate) for lg in touched]
    yield root
    for handler in root.handlers[:]:
        if handler not in saved[0]:
            root.removeHandler(handler)
            handler.close()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for lg, level, handlers, propagate in states:
        lg.setLevel(level)
        lg.handlers[:] = handlers
        lg.propagate = propagate


def worker_side(level: int = logging.INFO) -> tuple[logging.Logger, list[ev.Event]]:
    """A logger whose only handler is the worker's pipe handler; the "pipe" is a list."""
    sent: list[ev.Event] = []
    logger = logging.getLogger("acme.worker")
    logger.handlers[:] = [PipeLogHandler(7, sent.append)]
    logger.propagate = False
    logger.setLevel(level)
    return logger, sent


def test_a_record_crosses_as_a_formatted_event_and_comes_back_whole(root_logging: logging.Logger) -> None:
    logger, sent = worker_side()
    before = time.time()
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        logger.exception("PO%s: %d files, 100%% done", "123", 4)
    (event,) = sent
    assert isinstance(event, ev.WorkerLog)
    assert (event.worker, event.logger, event.level) == (7, "acme.worker", logging.ERROR)
    assert event.message == "PO123: 4 files, 100% done"
    assert before <= event.created <= time.time()
    assert "ZeroDivisionError" in event.exc_text and "Traceback" in event.exc_text

    # The parent's side: the same logger name, with the parent's handlers.
    logger.handlers[:] = []
    logger.propagate = True
    parent = Collect()
    root_logging.addHandler(parent)
    replay(event, pid=4242)
    (record,) = parent.records
    assert (record.name, record.levelno, record.levelname) == ("acme.worker", logging.ERROR, "ERROR")
    assert record.getMessage() == "PO123: 4 files, 100% done"  # not formatted a second time
    assert (record.created, record.process, getattr(record, FROM_WORKER)) == (event.created, 4242, 7)
    line = logging.Formatter("%(asctime)s %(process)d %(message)s").format(record)
    assert "4242 PO123: 4 files, 100% done\nTraceback" in line and line.endswith(
        "ZeroDivisionError: division by zero"
    )


def test_the_worker_sends_only_what_the_parent_would_write(root_logging: logging.Logger) -> None:
    logger, sent = worker_side(logging.WARNING)
    logger.info("not wanted")
    logger.warning("wanted")
    assert [e.message for e in sent] == ["wanted"]

    parent = Collect()
    root_logging.addHandler(parent)
    logging.getLogger("acme.quiet").setLevel(logging.ERROR)
    replay(ev.WorkerLog(1, "acme.quiet", logging.WARNING, "kept quiet here", time.time()))
    replay(ev.WorkerLog(1, "acme.quiet", logging.ERROR, "loud enough", time.time()))
    assert [r.getMessage() for r in parent.records] == ["loud enough"]


def test_webdriver_chatter_with_cookies_never_leaves_the_worker_nor_reaches_the_parent_log(
    root_logging: logging.Logger,
) -> None:
    sent: list[ev.Event] = []
    send_logs_to_controller(3, sent.append, logging.DEBUG)  # as the worker does, even at DEBUG
    secret = 'Remote response: data={"value": [{"name": "session", "value": "s3cr3t"}]}'
    logging.getLogger("selenium.webdriver.remote.remote_connection").debug(secret)
    logging.getLogger("urllib3.connectionpool").debug("Cookie: session=s3cr3t")
    logging.getLogger("acme.worker").debug("ours")
    assert [e.message for e in sent if isinstance(e, ev.WorkerLog)] == ["ours"]

    parent = Collect()
    root_logging.handlers[:] = [parent]
    replay(ev.WorkerLog(3, "selenium.webdriver.remote.remote_connection", logging.DEBUG, secret, time.time()))
    assert parent.records == []


def test_a_gone_controller_is_no_error_in_the_worker(root_logging, capsys) -> None:
    def broken(event: ev.Event) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    logger = logging.getLogger("acme.worker")
    logger.handlers[:] = [PipeLogHandler(1, broken)]
    logger.propagate = False
    logger.warning("nobody listens")  # must not raise, nor print "--- Logging error ---"
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- through the controller, into the file


def run_batch(tmp_path: Path, dirs: AppDirs, fake: FakeWorker, workers: int) -> Recorder:
    pos = [f"1000000{i}" for i in range(1, workers + 1)]
    controller, recorder = scripted_controller(
        tmp_path, pos, fake, dirs=dirs, workers=workers, max_attempts=1
    )
    assert set(controller.run().statuses.values()) == {PoStatus.COMPLETED}
    return recorder


def log_lines(dirs: AppDirs) -> list[str]:
    """Every line of the log and its backups, oldest first."""
    files = sorted(dirs.logs.glob("po-downloader.log.*"), key=lambda p: -int(p.suffix[1:]))
    return [
        line for p in [*files, dirs.logs / "po-downloader.log"] for line in p.read_text("utf-8").splitlines()
    ]


def test_worker_lines_reach_the_parents_file_which_only_the_parent_holds(
    tmp_path: Path, root_logging: logging.Logger, capsys
) -> None:
    dirs = app_dirs(tmp_path / "home")
    path = setup_logging(dirs)
    recorder = run_batch(tmp_path, dirs, FakeWorker(log_lines=3), workers=2)

    lines = log_lines(dirs)
    for worker in (1, 2):
        mine = [line for line in lines if f"fake worker {worker} line" in line]
        assert [line.rsplit(" ", 1)[-1] for line in mine] == ["1", "2", "3"]
        assert all(" INFO tests.fake_worker: " in line for line in mine)
        held = (tmp_path / "downloads" / ".fake-open-files" / str(worker)).read_text("utf-8").splitlines()
        assert any(Path(p).name == str(worker) for p in held), "the report sees the files held open"
        assert str(path) not in held and not any(Path(p).name.startswith("po-downloader.log") for p in held)
    # Worker lines carry the worker's pid, not the parent's; they stay out of the console and the events.
    started = {e.worker: e.pid for e in recorder.of(ev.WorkerReady)}
    assert any(f" {started[1]} INFO tests.fake_worker: fake worker 1 line 1" in line for line in lines)
    assert str(os.getpid()) not in next(line for line in lines if "fake worker 1 line 1" in line)
    assert "fake worker" not in capsys.readouterr().err
    assert recorder.of(ev.WorkerLog) == []


def test_rotation_while_workers_log_loses_no_line(tmp_path: Path, root_logging: logging.Logger) -> None:
    dirs = app_dirs(tmp_path / "home")
    setup_logging(dirs, max_bytes=6_000)
    run_batch(tmp_path, dirs, FakeWorker(log_lines=60), workers=2)

    assert (dirs.logs / "po-downloader.log.1").exists(), "the file rotated during the batch"
    assert not (dirs.logs / "po-downloader.log.3").exists(), "no backup was dropped (else lines could be)"
    lines = log_lines(dirs)
    for worker in (1, 2):
        numbers = [int(line.rsplit(" ", 1)[-1]) for line in lines if f"fake worker {worker} line" in line]
        assert numbers == list(range(1, 61))
