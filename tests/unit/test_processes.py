from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from po_downloader.engine.run.processes import (
    ProcRef,
    RunMarker,
    descendants,
    end_processes,
    is_alive,
    proc_ref,
    sweep_stale_runs,
)

# A parent that starts one sleeping child, prints the child's PID, then sleeps itself.
PARENT_WITH_CHILD = (
    "import subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "print(child.pid, flush=True)\n"
    "time.sleep(60)\n"
)
IGNORES_TERM = (
    "import signal, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def gone(pid: int) -> bool:
    """Exited, or a zombie (which on this minimal init may linger unreaped)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.fixture
def spawn() -> Iterator[Callable[[str], subprocess.Popen[str]]]:
    """Start Python children; whatever a test leaves running is ended by its own ref afterwards."""
    started: list[subprocess.Popen[str]] = []

    def start(code: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        ref = proc_ref(proc.pid)
        if ref is not None:
            end_processes([ref], timeout=2)
        proc.wait(timeout=5)
        for pipe in (proc.stdout, proc.stdin):
            if pipe is not None:
                pipe.close()


def start_tree(spawn: Callable[[str], subprocess.Popen[str]]) -> tuple[subprocess.Popen[str], int]:
    parent = spawn(PARENT_WITH_CHILD)
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    return parent, child_pid


def dead_ref(spawn: Callable[[str], subprocess.Popen[str]]) -> ProcRef:
    """The reference of a process that has finished: a crashed run's owner."""
    proc = spawn("import sys; sys.stdin.read()")
    ref = proc_ref(proc.pid)
    assert ref is not None
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=5)
    return ref


def test_proc_ref_and_is_alive(spawn: Callable[[str], subprocess.Popen[str]]) -> None:
    me = proc_ref(os.getpid())
    assert me is not None
    assert me.create_time == pytest.approx(psutil.Process().create_time())
    assert is_alive(me)
    owner = dead_ref(spawn)
    assert not is_alive(owner)
    assert proc_ref(owner.pid) is None or proc_ref(owner.pid) != owner


def test_descendants_and_end_processes(spawn: Callable[[str], subprocess.Popen[str]]) -> None:
    parent, child_pid = start_tree(spawn)
    ref = proc_ref(parent.pid)
    assert ref is not None
    assert [r.pid for r in descendants(ref)] == [child_pid]

    ended = end_processes([ref], timeout=5)

    assert sorted(ended) == sorted([parent.pid, child_pid])
    assert gone(parent.pid)
    assert wait_until(lambda: gone(child_pid))
    assert not is_alive(ref)
    assert descendants(ref) == []
    assert end_processes([ref]) == []


def test_a_ref_with_another_create_time_is_never_killed(
    spawn: Callable[[str], subprocess.Popen[str]],
) -> None:
    parent, child_pid = start_tree(spawn)
    real = proc_ref(parent.pid)
    assert real is not None
    impostor = ProcRef(parent.pid, real.create_time - 100.0)

    assert not is_alive(impostor)
    assert descendants(impostor) == []
    assert end_processes([impostor], timeout=0.5) == []
    assert parent.poll() is None
    assert psutil.Process(child_pid).status() != psutil.STATUS_ZOMBIE


def test_survivors_of_terminate_are_killed(spawn: Callable[[str], subprocess.Popen[str]]) -> None:
    stubborn = spawn(IGNORES_TERM)
    assert stubborn.stdout is not None
    assert stubborn.stdout.readline().strip() == "ready"
    ref = proc_ref(stubborn.pid)
    assert ref is not None

    assert end_processes([ref], timeout=0.3) == [stubborn.pid]
    assert stubborn.wait(timeout=5) is not None
    assert gone(stubborn.pid)


def test_run_marker_is_written_atomically_and_closed(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    me = proc_ref(os.getpid())
    assert me is not None
    marker = RunMarker.create(runs, owner=me)
    worker = ProcRef(12345, 1.5)
    marker.add_processes([worker, worker])
    marker.add_dir(tmp_path / "copy-1")
    marker.add_dir(tmp_path / "copy-2")
    marker.remove_dir(tmp_path / "copy-1")

    data = json.loads(marker.path.read_text(encoding="utf-8"))
    assert data["owner"] == {"pid": me.pid, "create_time": me.create_time}
    assert data["processes"] == [{"pid": 12345, "create_time": 1.5}]
    assert data["dirs"] == [str(tmp_path / "copy-2")]
    assert [p.name for p in runs.iterdir()] == [marker.path.name]  # no temp files left
    loaded = RunMarker.load(marker.path)
    assert (loaded.owner, loaded.processes, loaded.dirs) == (me, [worker], [tmp_path / "copy-2"])

    marker.close()
    marker.close()
    assert list(runs.iterdir()) == []
    with pytest.raises(RuntimeError, match="closed"):
        marker.add_dir(tmp_path / "late")


def test_sweep_cleans_up_after_a_dead_owner(
    tmp_path: Path, spawn: Callable[[str], subprocess.Popen[str]]
) -> None:
    runs = tmp_path / "runs"
    parent, child_pid = start_tree(spawn)
    leftover = tmp_path / "worker-profiles" / "w1"
    (leftover / "Default").mkdir(parents=True)
    (leftover / "Default" / "Cookies").write_bytes(b"secret")
    crashed = RunMarker.create(runs, owner=dead_ref(spawn))
    worker = proc_ref(parent.pid)
    assert worker is not None
    crashed.add_processes([worker])
    crashed.add_dir(leftover)
    crashed.add_dir(tmp_path / "already-gone")

    report = sweep_stale_runs(runs)

    assert report.runs == 1
    assert sorted(report.ended) == sorted([parent.pid, child_pid])
    assert report.removed_dirs == [leftover]
    assert not leftover.exists()
    assert (tmp_path / "worker-profiles").is_dir()
    assert not crashed.path.exists()
    assert gone(parent.pid)
    assert wait_until(lambda: gone(child_pid))


def test_sweep_leaves_a_live_owner_alone(
    tmp_path: Path, spawn: Callable[[str], subprocess.Popen[str]]
) -> None:
    runs = tmp_path / "runs"
    parent, _child_pid = start_tree(spawn)
    keep = tmp_path / "in-use"
    keep.mkdir()
    me = proc_ref(os.getpid())
    worker = proc_ref(parent.pid)
    assert me is not None and worker is not None
    live = RunMarker.create(runs, owner=me)
    live.add_processes([worker])
    live.add_dir(keep)
    content = live.path.read_bytes()

    report = sweep_stale_runs(runs)

    assert (report.runs, report.ended, report.removed_dirs) == (0, [], [])
    assert live.path.read_bytes() == content
    assert keep.is_dir()
    assert is_alive(worker)
    live.close()


@pytest.mark.expect_log(
    "po_downloader.engine.run.processes", r"ignoring unreadable run marker .*run-1-bad\.json"
)
@pytest.mark.expect_log(
    "po_downloader.engine.run.processes",
    r"ignoring unreadable run marker .*run-2-old\.json: unknown marker version 99",
)
def test_sweep_skips_unreadable_markers_and_missing_dir(tmp_path: Path) -> None:
    assert sweep_stale_runs(tmp_path / "nothing-here").runs == 0
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "run-1-bad.json").write_text("{not json", encoding="utf-8")
    (runs / "run-2-old.json").write_text(json.dumps({"version": 99}), encoding="utf-8")
    assert sweep_stale_runs(runs).runs == 0
    assert sorted(p.name for p in runs.iterdir()) == ["run-1-bad.json", "run-2-old.json"]
