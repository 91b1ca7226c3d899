"""Process identity (PID plus start time) and ending processes: never a stranger on a reused PID."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any

import psutil
import pytest

from po_downloader.engine.system.processes import (
    BOOT_TICKS,
    CREATE_TIME,
    ProcRef,
    descendants,
    end_processes,
    is_alive,
    parse_start_ticks,
    proc_ref,
    same_start,
)
from tests.helpers.child_processes import Spawn, dead_ref, gone, spawned_children, start_tree, wait_until

LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="boot ticks come from /proc")

IGNORES_TERM = (
    "import signal, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    with spawned_children() as start:
        yield start


def test_proc_ref_and_is_alive(spawn: Spawn) -> None:
    me = proc_ref(os.getpid())
    assert me is not None
    if me.clock == BOOT_TICKS:
        # The same instant psutil reports, before it adds today's boot time: ticks since boot.
        since_boot = me.start / os.sysconf("SC_CLK_TCK")
        assert since_boot + psutil.boot_time() == pytest.approx(psutil.Process().create_time(), abs=0.02)
    else:
        assert me.start == pytest.approx(psutil.Process().create_time())
    assert is_alive(me)
    owner = dead_ref(spawn)
    assert not is_alive(owner)
    assert proc_ref(owner.pid) is None or proc_ref(owner.pid) != owner


def test_descendants_and_end_processes(spawn: Spawn) -> None:
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
    spawn: Spawn,
) -> None:
    parent, child_pid = start_tree(spawn)
    real = proc_ref(parent.pid)
    assert real is not None
    impostor = ProcRef(parent.pid, real.start - 100.0, real.clock)

    assert not is_alive(impostor)
    assert descendants(impostor) == []
    assert end_processes([impostor], timeout=0.5) == []
    assert parent.poll() is None
    assert psutil.Process(child_pid).status() != psutil.STATUS_ZOMBIE


def test_survivors_of_terminate_are_killed(spawn: Spawn) -> None:
    stubborn = spawn(IGNORES_TERM)
    assert stubborn.stdout is not None
    assert stubborn.stdout.readline().strip() == "ready"
    ref = proc_ref(stubborn.pid)
    assert ref is not None

    assert end_processes([ref], timeout=0.3) == [stubborn.pid]
    assert stubborn.wait(timeout=5) is not None
    assert gone(stubborn.pid)


# --- identity: a clock step never changes it, another start never matches ----------------------------


def test_start_ticks_are_field_22_even_behind_a_name_with_spaces_and_parens() -> None:
    fields = " ".join(str(n) for n in range(3, 53))  # fields 3 … 52 hold their own number
    assert parse_start_ticks(f"4242 (evil) name) ) S {fields[2:]}".encode()) == 22
    assert parse_start_ticks(b"7 (sh) " + fields.encode()) == 22
    with pytest.raises(ValueError):
        parse_start_ticks(b"7 sh without parens")


def test_identity_rule() -> None:
    ticks = ProcRef(10, 165146.0, BOOT_TICKS)
    assert same_start(ticks, 165146.0)
    assert not same_start(ticks, 165147.0)  # one tick later: another process on the reused PID
    recorded = ProcRef(10, 1_700_000_000.25, CREATE_TIME)
    assert same_start(recorded, 1_700_000_000.25 + 0.004)  # float rounding of the OS's own timestamp
    assert not same_start(recorded, 1_700_000_000.25 + 0.5)
    assert not same_start(recorded, 1_700_000_000.25 - 3600)


@LINUX_ONLY
def test_a_reused_pid_with_another_start_tick_is_never_killed(
    spawn: Spawn,
) -> None:
    parent, child_pid = start_tree(spawn)
    real = proc_ref(parent.pid)
    assert real is not None and real.clock == BOOT_TICKS
    for start in (real.start - 1, real.start + 1):
        stranger_view = ProcRef(parent.pid, start, BOOT_TICKS)
        assert not is_alive(stranger_view)
        assert end_processes([stranger_view], timeout=0.5) == []
    assert parent.poll() is None
    assert is_alive(real)


# --- our own multiprocessing children: ended by us, reaped by multiprocessing --------------------------


def _sleep_in_child(ready: Any, ignore_term: bool) -> None:
    if ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(60)


@pytest.mark.parametrize(("ignore_term", "exitcode"), [(False, -signal.SIGTERM), (True, -signal.SIGKILL)])
def test_a_worker_we_end_is_joined_by_multiprocessing_and_never_signalled_again(
    monkeypatch: pytest.MonkeyPatch, ignore_term: bool, exitcode: int
) -> None:
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    child = ctx.Process(target=_sleep_in_child, args=(ready, ignore_term), daemon=True)
    child.start()
    try:
        assert ready.wait(30)
        assert child.pid is not None
        ref = proc_ref(child.pid)
        assert ref is not None

        assert end_processes([ref], timeout=0.5) == [child.pid]
        child.join(timeout=5)

        # multiprocessing itself collected the exit status, so it knows the child is over ...
        assert child.exitcode == exitcode
        assert child._popen is not None and child._popen.returncode == exitcode
        assert child not in mp.active_children()
        # ... and Stop / app exit (terminate, kill, the atexit sweep of daemons) send nothing to the PID,
        # which may already be a stranger's.
        sent: list[tuple[int, int]] = []
        monkeypatch.setattr(os, "kill", lambda pid, sig: sent.append((pid, sig)))
        child.terminate()
        child.kill()
        for other in mp.active_children():
            assert other.pid != child.pid
        assert sent == []
    finally:
        monkeypatch.undo()
        if child.exitcode is None:
            child.kill()
            child.join(timeout=5)
