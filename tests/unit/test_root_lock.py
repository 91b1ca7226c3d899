"""One batch per download root: an OS lock that a second process is refused, naming the first, and that
dies with its holder (SIGKILL included)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.system import root_lock
from po_downloader.engine.system.processes import proc_ref
from po_downloader.engine.system.root_lock import (
    RootBusyError,
    RootLock,
    busy_holder,
    lock_file,
    read_holder,
)
from tests.helpers.root_holder import Holder


def test_a_second_process_is_refused_with_the_first_named(tmp_path: Path) -> None:
    root, data = tmp_path / "downloads", tmp_path / "data"
    root.mkdir()
    with Holder(root, data, "/sheets/march.xlsx") as first:
        with pytest.raises(RootBusyError) as refused:
            RootLock.acquire(root, data, input_path="/sheets/april.csv")
        error = refused.value
        assert error.kind is ErrorKind.ROOT_BUSY
        assert error.details["input"] == "/sheets/march.xlsx"
        assert error.details["pid"] == str(first.proc.pid)
        assert error.details["root"] == str(root)
        assert error.details["since"][:4].isdigit()
        assert error.holder is not None
        ref = proc_ref(first.proc.pid)
        assert ref is not None and error.holder.start == ref.start, "the PID is recorded with its start"
        first.release()
    with RootLock.acquire(root, data, input_path="/sheets/april.csv") as lock:
        assert lock.held
        assert read_holder(lock.path) == lock.holder
        assert lock.holder.input == "/sheets/april.csv" and lock.holder.pid == os.getpid()


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    root, data = tmp_path / "downloads", tmp_path / "data"
    root.mkdir()
    with Holder(root, data, "/sheets/march.xlsx") as first:
        with pytest.raises(RootBusyError):
            RootLock.acquire(root, data)
        first.kill()
    lock = RootLock.acquire(root, data, input_path="/sheets/april.csv")
    try:
        assert lock.holder.pid == os.getpid()
    finally:
        lock.release()


def test_the_same_folder_by_another_path_is_the_same_root(tmp_path: Path, monkeypatch) -> None:
    root, data = tmp_path / "downloads", tmp_path / "data"
    root.mkdir()
    (tmp_path / "link").symlink_to(root)
    monkeypatch.chdir(tmp_path)
    assert lock_file(data, Path("downloads")) == lock_file(data, root) == lock_file(data, tmp_path / "link")
    with RootLock.acquire(root, data), pytest.raises(RootBusyError):
        RootLock.acquire(tmp_path / "link", data)


def test_other_roots_are_not_held_and_a_released_lock_can_be_taken_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = RootLock.acquire(tmp_path / "a", data)
    with RootLock.acquire(tmp_path / "b", data):
        pass
    a.release()
    a.release()  # twice is harmless
    assert not a.held
    with RootLock.acquire(tmp_path / "a", data) as again:
        assert again.held
    assert lock_file(data, tmp_path / "a").exists(), "the lock file stays: deleting it would race"


@pytest.mark.parametrize("ends", ["release", "kill"])
def test_the_probe_names_a_live_holder_and_never_takes_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ends: str
) -> None:
    """``busy_holder`` (asked before resuming) must not lock, even briefly: a batch starting at that
    instant would be refused. Two CLIs started at once were both refused that way."""
    root, data = tmp_path / "downloads", tmp_path / "data"
    root.mkdir()
    assert busy_holder(root, data) is None  # never locked
    with Holder(root, data, "/sheets/march.xlsx") as first:
        monkeypatch.setattr(root_lock, "_try_lock", lambda fd: pytest.fail("the probe took the lock"))
        holder = busy_holder(root, data)
        assert holder is not None and (holder.input, holder.pid) == ("/sheets/march.xlsx", first.proc.pid)
        first.release() if ends == "release" else first.kill()
        assert busy_holder(root, data) is None  # a released record is cleared; a killed holder is gone
    if ends == "release":
        assert lock_file(data, root).read_bytes() == b""  # cleared before it let go, not only dead
