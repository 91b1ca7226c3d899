"""Run markers: what a run started is on disk until it ends cleanly, and a crashed run's leftovers are swept."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from po_downloader.engine.system.processes import CREATE_TIME, ProcRef, end_processes, is_alive, proc_ref
from po_downloader.engine.system.run_markers import RunMarker, sweep_stale_runs
from tests.helpers.child_processes import Spawn, dead_ref, gone, spawned_children, start_tree, wait_until

LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="boot ticks come from /proc")


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    with spawned_children() as start:
        yield start


def test_run_marker_is_written_atomically_and_closed(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    me = proc_ref(os.getpid())
    assert me is not None
    marker = RunMarker.create(runs, owner=me)
    worker = ProcRef(12345, 1.5, CREATE_TIME)
    marker.add_processes([worker, worker])
    marker.add_dir(tmp_path / "copy-1")
    marker.add_dir(tmp_path / "copy-2")
    marker.add_dir(tmp_path / "copy-1")  # listed once

    data = json.loads(marker.path.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["owner"] == {"pid": me.pid, "start": me.start, "clock": me.clock}
    assert data["processes"] == [{"pid": 12345, "start": 1.5, "clock": "create_time"}]
    assert data["dirs"] == [str(tmp_path / "copy-1"), str(tmp_path / "copy-2")]
    assert [p.name for p in runs.iterdir()] == [marker.path.name]  # no temp files left
    loaded = RunMarker.load(marker.path)
    assert (loaded.owner, loaded.processes, loaded.dirs) == (
        me,
        [worker],
        [tmp_path / "copy-1", tmp_path / "copy-2"],
    )

    marker.close()
    marker.close()
    assert list(runs.iterdir()) == []
    with pytest.raises(RuntimeError, match="closed"):
        marker.add_dir(tmp_path / "late")


def test_sweep_cleans_up_after_a_dead_owner(tmp_path: Path, spawn: Spawn) -> None:
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


def test_sweep_leaves_a_live_owner_alone(tmp_path: Path, spawn: Spawn) -> None:
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
    "po_downloader.engine.system.run_markers", r"ignoring unreadable run marker .*run-1-bad\.json"
)
@pytest.mark.expect_log(
    "po_downloader.engine.system.run_markers",
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


@LINUX_ONLY
def test_a_wall_clock_step_changes_no_identity(
    spawn: Spawn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    parent, child_pid = start_tree(spawn)
    worker = proc_ref(parent.pid)
    me = proc_ref(os.getpid())
    assert worker is not None and me is not None
    runs = tmp_path / "runs"
    live = RunMarker.create(runs, owner=me)
    live.add_processes([worker])
    # NTP steps the clock an hour: psutil's create_time (today's boot time + ticks) moves with it.
    real_boot, real_create = psutil.boot_time, psutil.Process.create_time
    monkeypatch.setattr(psutil, "boot_time", lambda: real_boot() + 3600)
    monkeypatch.setattr(psutil.Process, "create_time", lambda self: real_create(self) + 3600)
    assert psutil.Process(parent.pid).create_time() == pytest.approx(
        real_create(psutil.Process(parent.pid)) + 3600
    )

    assert proc_ref(parent.pid) == worker
    assert is_alive(worker) and is_alive(me)
    assert sweep_stale_runs(runs).runs == 0  # this live run is not taken for a crashed one
    assert live.path.exists()
    # ... and our own hung worker is still ended.
    assert sorted(end_processes([worker], timeout=5)) == sorted([parent.pid, child_pid])
    assert parent.wait(timeout=5) == -signal.SIGTERM
    live.close()


def test_a_version_1_marker_is_still_swept_and_a_live_one_kept(tmp_path: Path, spawn: Spawn) -> None:
    """Markers an older app left behind name processes by psutil's create_time."""
    runs = tmp_path / "runs"
    runs.mkdir()
    parent, child_pid = start_tree(spawn)
    leftover = tmp_path / "copy"
    leftover.mkdir()
    dead = dead_ref(spawn)

    def v1(pid: int) -> dict[str, object]:
        return {"pid": pid, "create_time": psutil.Process(pid).create_time()}

    crashed = {
        "version": 1,
        "owner": {"pid": dead.pid, "create_time": 12.5},
        "processes": [v1(parent.pid)],
        "dirs": [str(leftover)],
    }
    live = {"version": 1, "owner": v1(os.getpid()), "processes": [], "dirs": []}
    (runs / "run-1-crashed.json").write_text(json.dumps(crashed), encoding="utf-8")
    (runs / "run-2-live.json").write_text(json.dumps(live), encoding="utf-8")

    report = sweep_stale_runs(runs)

    assert report.runs == 1
    assert sorted(report.ended) == sorted([parent.pid, child_pid])
    assert not leftover.exists()
    assert [p.name for p in runs.iterdir()] == ["run-2-live.json"]
