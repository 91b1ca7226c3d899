"""A worker runs at background priority from the moment the pool spawns it, before any code of its own.

A spawned worker re-imports the app and the engine before its entry point could lower itself; eight doing
that at normal priority took the window's CPU while browsers started. The pool lowers each one at spawn.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path

import psutil
import pytest

from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.run.pool import PoolTimeouts, WorkerPool
from po_downloader.engine.run.priority import _is_higher
from po_downloader.engine.run.worker import WorkerConfig

pytestmark = pytest.mark.timeout(60)


def report_priority(worker: int, config: WorkerConfig, copy_dir: str, staging: str, conn: Connection) -> None:
    """A worker that never lowers itself: once told to (after ``spawn`` returned), it says its priority."""
    conn.recv()
    conn.send(psutil.Process().nice())


def test_the_pool_puts_a_worker_in_the_background_as_it_spawns_it(tmp_path: Path) -> None:
    if not _is_higher(psutil.Process().nice()):
        pytest.skip("this test runs at background priority already: nothing to lower")
    config = WorkerConfig("http://127.0.0.1:9", str(tmp_path / "out"), BrowserSpec("chromium"), str(tmp_path))
    pool = WorkerPool(
        report_priority,
        config,
        runs_dir=tmp_path / "runs",
        profiles_dir=tmp_path / "profiles",
        staging_dir=tmp_path / "staging",
        timeouts=PoolTimeouts(),
    )
    h = pool.spawn(0.0, 0)
    try:
        h.conn.send("say")
        assert h.conn.poll(30), "the scripted worker did not answer"
        priority = h.conn.recv()
    finally:
        h.process.join(10)
        h.conn.close()
    assert not _is_higher(priority), f"the worker started at priority {priority}, above the background"
