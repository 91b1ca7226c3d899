"""The messages between the window's process and the controller's (``run/host_protocol.py``): every event
and host message crosses a real pipe unchanged, each command reaches the controller method of its meaning,
and the controller process's log records are written by the window's handlers as they were before."""

from __future__ import annotations

import logging
import pickle
from multiprocessing import get_context

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.host_protocol import (
    Built,
    Ended,
    HostLog,
    Pause,
    Resume,
    SetWorkers,
    SignedInAgain,
    Stop,
    Warned,
    apply,
    log_message,
    portable,
    replay_host_log,
)
from po_downloader.engine.system.logs import FROM_WORKER
from tests.unit.test_events import EVENT_CLASSES, sample


def through_a_pipe(message: object) -> object:
    """``message`` as the other process receives it: sent over a spawn context's pipe (pickled)."""
    reader, writer = get_context("spawn").Pipe(duplex=False)
    with reader, writer:
        writer.send(message)
        return reader.recv()


def test_every_event_type_crosses_the_pipe_in_one_batch_unchanged() -> None:
    assert len(EVENT_CLASSES) >= 20, "the scan found the event classes"
    batch = tuple(sample(cls) for cls in EVENT_CLASSES)
    received = through_a_pipe(batch)
    assert received == batch
    assert [type(e) for e in received] == EVENT_CLASSES  # type: ignore[union-attr]


def test_each_host_message_crosses_the_pipe_unchanged() -> None:
    summary = ev.BatchSummary({"15262984": PoStatus.COMPLETED}, 3.5, 1024, files_found=2, files_saved=2)
    record = ev.WorkerLog(0, "po_downloader.engine.run.controller", logging.INFO, "stopping", 1.5e9, "tb")
    for message in (
        Built(),
        HostLog(record, 4242, False),
        Ended(summary, None, 7, b"the results sheet, pickled"),
    ):
        assert through_a_pipe(message) == message


def test_an_error_crosses_with_its_kind_and_details() -> None:
    error = PoDownloaderError(ErrorKind.ROOT_BUSY, "busy", path="/data/out", holder="pos.csv")
    for message in (Warned(error), Ended(None, error)):
        got = through_a_pipe(message)
        sent = got.error  # type: ignore[attr-defined]
        assert type(sent) is PoDownloaderError
        assert (sent.kind, sent.message, sent.details) == (error.kind, "busy", error.details)


def test_an_error_that_cannot_pickle_still_arrives_worded() -> None:
    class Local(Exception):  # a class defined in a function cannot be pickled by reference
        pass

    got = portable(Local("the disk is gone"))
    assert isinstance(got, RuntimeError)
    assert str(got) == "Local: the disk is gone"
    pickle.dumps(got)
    plain = OSError(28, "No space left on device")
    assert portable(plain) is plain


class Recording:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

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


def test_each_command_calls_the_controller_method_of_its_meaning() -> None:
    controller = Recording()
    for command in (SetWorkers(5), Pause(), Resume(), SignedInAgain(), Stop()):
        apply(through_a_pipe(command), controller)  # type: ignore[arg-type]
    assert controller.calls == [
        ("set_workers", 5),
        ("pause",),
        ("resume",),
        ("signed_in_again",),
        ("stop",),
    ]


def test_a_message_that_is_no_command_is_refused() -> None:
    with pytest.raises(TypeError):
        apply("stop", Recording())  # type: ignore[arg-type]


@pytest.fixture
def captured() -> list[logging.LogRecord]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.DEBUG)
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield records
    root.removeHandler(handler)
    root.setLevel(old)


def test_the_controllers_own_record_is_written_here_as_this_apps_own(captured) -> None:
    record = logging.LogRecord(
        "po_downloader.engine.run.pool", logging.INFO, __file__, 1, "worker %d up", (3,), None
    )
    record.process = 5151
    message = through_a_pipe(log_message(record))
    assert isinstance(message, HostLog) and not message.from_worker
    replay_host_log(message)
    (got,) = [r for r in captured if r.name == "po_downloader.engine.run.pool"]
    assert (got.getMessage(), got.process, got.created) == ("worker 3 up", 5151, record.created)
    assert not hasattr(got, FROM_WORKER), "the console would leave the controller's own warnings out"


def test_a_workers_record_the_controller_relayed_keeps_its_worker_and_pid(captured) -> None:
    record = logging.LogRecord(
        "po_downloader.engine.run.worker", logging.INFO, "", 1, "page slow", None, None
    )
    setattr(record, FROM_WORKER, 4)
    record.process = 6262
    replay_host_log(through_a_pipe(log_message(record)))  # type: ignore[arg-type]
    (got,) = [r for r in captured if r.name == "po_downloader.engine.run.worker"]
    assert (got.getMessage(), got.process, getattr(got, FROM_WORKER)) == ("page slow", 6262, 4)


def test_a_record_below_this_processs_level_is_not_written(captured) -> None:
    record = logging.LogRecord("po_downloader.engine.run.pool", logging.DEBUG, "", 1, "chatter", None, None)
    replay_host_log(log_message(record))
    assert not [r for r in captured if r.getMessage() == "chatter"]


def test_a_plan_crosses_with_its_row_index_read_only(tmp_path) -> None:
    """The window sends the prepared batch (its plan) to the controller's process."""
    from types import MappingProxyType

    from po_downloader.engine.input.plan import plan_batch
    from po_downloader.engine.input.sheet import read_sheet

    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\nPO10000002\nPO10000001\n", encoding="utf-8")
    plan = plan_batch(read_sheet(sheet))
    got = through_a_pipe(plan)
    assert got == plan
    assert got.rows_for("10000001") == plan.rows_for("10000001") == (0, 2)  # type: ignore[attr-defined]
    assert isinstance(got._row_index, MappingProxyType)  # type: ignore[attr-defined]
