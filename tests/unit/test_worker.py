"""The worker's order loop, without a browser: what it tells the controller when a PO cannot be worked."""

from __future__ import annotations

import errno
from multiprocessing import Pipe
from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.output.downloads import DiskProblem
from po_downloader.engine.run.worker import WorkerConfig, WorkOrder, _Link, _start, _work_orders


class Fetcher:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def fetch(self, task: PoTask, emit: object, ahead: object = None) -> ev.AttemptEnded:
        raise self.error


def orders(fetcher: Fetcher) -> list[ev.Event]:
    """Hand the worker one PO and then "finish"; return what it sent, once its loop is over."""
    ours, theirs = Pipe(duplex=True)
    ours.send(WorkOrder(PoTask(PoNumber("1"))))
    ours.send(WorkOrder(None))
    _work_orders(1, fetcher, _Link(theirs))  # type: ignore[arg-type]
    sent = []
    while ours.poll():
        sent.append(ours.recv())
    return sent


@pytest.mark.expect_log("po_downloader.engine.run.worker", r"PO1: full; stopping")
def test_a_full_disk_is_reported_as_the_workers_error_not_as_the_pos_outcome(tmp_path: Path) -> None:
    full = DiskProblem(ErrorKind.DISK_FULL, "full", path=tmp_path, free="0 B")
    sent = orders(Fetcher(full))
    assert sent == [ev.WorkerError(1, "full", ErrorKind.DISK_FULL, {"path": str(tmp_path), "free": "0 B"})]


@pytest.mark.expect_log("po_downloader.engine.run.worker", r"PO1 failed")
def test_any_other_surprise_fails_that_po_for_a_retry() -> None:
    (sent,) = orders(Fetcher(RuntimeError("boom")))
    assert isinstance(sent, ev.AttemptEnded)
    assert (sent.outcome.status, sent.retryable, sent.outcome.message) == (
        PoStatus.FAILED,
        True,
        "RuntimeError: boom",
    )


def test_a_worker_that_cannot_make_its_staging_folder_on_a_read_only_disk_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not "worker crashed": the disk is read-only, and the controller stops the batch on it."""

    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    config = WorkerConfig(
        base_url="http://127.0.0.1:9",
        download_root=str(tmp_path),
        browser=BrowserSpec("chromium"),
        source_user_data_dir=str(tmp_path / "profile"),
    )
    ours, theirs = Pipe(duplex=True)
    assert _start(1, config, tmp_path / "copy", tmp_path / "staging" / "w1", _Link(theirs)) is None
    sent = ours.recv()
    assert isinstance(sent, ev.WorkerError) and sent.kind is ErrorKind.DISK_READ_ONLY
    assert sent.details == {"path": str(tmp_path)}
