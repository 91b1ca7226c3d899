"""Child processes for the tests of process identity and run markers: started here, always ended after."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psutil

from po_downloader.engine.system.processes import ProcRef, end_processes, proc_ref

Spawn = Callable[[str], subprocess.Popen[str]]

# A parent that starts one sleeping child, prints the child's PID, then sleeps itself.
PARENT_WITH_CHILD = (
    "import subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "print(child.pid, flush=True)\n"
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


@contextmanager
def spawned_children() -> Iterator[Spawn]:
    """Start Python children; whatever a test leaves running is ended by its own ref afterwards."""
    started: list[subprocess.Popen[str]] = []

    def start(code: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True
        )
        started.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            ref = proc_ref(proc.pid)
            if ref is not None:
                end_processes([ref], timeout=2)
            proc.wait(timeout=5)
            for pipe in (proc.stdout, proc.stdin):
                if pipe is not None:
                    pipe.close()


def start_tree(spawn: Spawn) -> tuple[subprocess.Popen[str], int]:
    parent = spawn(PARENT_WITH_CHILD)
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    return parent, child_pid


def dead_ref(spawn: Spawn) -> ProcRef:
    """The reference of a process that has finished: a crashed run's owner."""
    proc = spawn("import sys; sys.stdin.read()")
    ref = proc_ref(proc.pid)
    assert ref is not None
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=5)
    return ref
