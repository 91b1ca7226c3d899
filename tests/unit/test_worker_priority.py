"""A worker runs at background priority from the moment the pool spawns it, before any code of its own, and
so does every thread of the browser it starts.

A spawned worker re-imports the app and the engine before its entry point could lower itself; eight doing
that at normal priority took the window's CPU while browsers started. The pool lowers each one at spawn.
"""

from __future__ import annotations

import os
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

import psutil
import pytest

from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.run.pool import PoolTimeouts, WorkerPool
from po_downloader.engine.run.priority import _is_higher, keep_children_in_background
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


CHILD_WITH_A_THREAD = """
import sys, threading, time
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
print("ready", flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(sys.platform != "linux", reason="a nice value per thread is Linux's")
def test_every_thread_of_a_child_is_put_in_the_background_not_only_its_main_thread() -> None:
    if not _is_higher(psutil.Process().nice()):
        pytest.skip("this test runs at background priority already: nothing to lower")
    with subprocess.Popen(
        [sys.executable, "-c", CHILD_WITH_A_THREAD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            threads = [t.id for t in psutil.Process(child.pid).threads()]
            assert len(threads) == 2
            keep_children_in_background()
            priorities = [os.getpriority(os.PRIO_PROCESS, tid) for tid in threads]
        finally:
            child.kill()
    assert not any(_is_higher(p) for p in priorities), f"threads left above the background: {priorities}"
