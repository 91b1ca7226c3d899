"""Process identity (PID plus start time) and ending only the processes we started.

A bare PID is not an identity: after a process exits its PID can be given to an unrelated program. Every
reference here therefore carries when the process started, and nothing is signalled unless both match.
Processes are never looked up or ended by their name: the user's own browser may run
the same executable.

The start is read on a clock that a wall-clock step (NTP, the user setting the time) cannot move:

- Linux: the start in clock ticks since boot (field 22 of ``/proc/<pid>/stat``), an integer the kernel
  stores once. psutil's ``create_time()`` adds the *current* boot time to it, and the boot time moves with
  every clock step, so the same process would look like another one (a live run swept as crashed, our own
  hung worker left running).
- Windows and macOS: psutil's ``create_time()``, which there is the timestamp the kernel recorded when the
  process was created (Windows: the process's CreateTime; macOS: ``p_starttime``), not a value derived from
  the current clock, so a later step does not move it either. The comparison allows ``_CREATE_TIME_TOLERANCE``
  for float rounding only. That is safe: another process on the same PID was created after ours ended, so it
  can match only if ours lived less than the tolerance, and nothing we record lives that briefly.

Nothing here reaps (``waitpid``) a process: an ended child stays a zombie (counted as gone, still holding its
PID) until its owner collects it, ``multiprocessing``'s ``join()`` or ``subprocess``'s ``wait()``. Reaping
behind the owner's back leaves it believing the child still runs, and it later signals the bare PID, which
by then may belong to a stranger.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psutil

log = logging.getLogger(__name__)

BOOT_TICKS = "boot_ticks"
"""Clock ticks since boot (Linux): exact, never moves."""
CREATE_TIME = "create_time"
"""Seconds since the epoch as the OS recorded them at creation (Windows, macOS; markers of version 1)."""
NATIVE_CLOCK = BOOT_TICKS if sys.platform.startswith("linux") else CREATE_TIME

_CREATE_TIME_TOLERANCE = 0.01
_POLL_INTERVAL = 0.02
_STARTTIME_FIELD = 22


@dataclass(frozen=True)
class ProcRef:
    """A process identity that survives PID reuse: it matches a live process only if pid and start do."""

    pid: int
    start: float
    """When the process started, on ``clock``."""
    clock: str = NATIVE_CLOCK
    """``BOOT_TICKS`` or ``CREATE_TIME``: how ``start`` was read, and so how it is compared."""

    def to_json(self) -> dict[str, Any]:
        return {"pid": self.pid, "start": self.start, "clock": self.clock}

    @classmethod
    def from_json(cls, data: Any) -> ProcRef:
        """Read ``to_json``'s form, or version 1's ``{"pid", "create_time"}`` (a marker left by an older app)."""
        if not isinstance(data, dict):
            raise ValueError(f"not a process reference: {data!r}")
        if "create_time" in data and "start" not in data:
            return cls(int(data["pid"]), float(data["create_time"]), CREATE_TIME)
        clock = data["clock"]
        if clock not in (BOOT_TICKS, CREATE_TIME):
            raise ValueError(f"unknown process clock {clock!r}")
        return cls(int(data["pid"]), float(data["start"]), clock)


def parse_start_ticks(stat: bytes) -> int:
    """Field 22 (starttime) of a ``/proc/<pid>/stat`` line; the name (field 2) may hold spaces and ``)``."""
    after_name = stat[stat.rindex(b")") + 1 :].split()
    # after_name[0] is field 3 (state).
    return int(after_name[_STARTTIME_FIELD - 3])


def _boot_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return parse_start_ticks(handle.read())
    except (OSError, ValueError, IndexError):
        return None


def start_of(pid: int, clock: str = NATIVE_CLOCK) -> float | None:
    """When the process now running as ``pid`` started, on ``clock``; None if there is none (or we may not look)."""
    if clock == BOOT_TICKS:
        ticks = _boot_ticks(pid)
        return None if ticks is None else float(ticks)
    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None


def same_start(ref: ProcRef, start: float) -> bool:
    """The identity rule: ``start`` (read on ``ref.clock``) is the start ``ref`` recorded."""
    if ref.clock == BOOT_TICKS:
        return start == ref.start
    return abs(start - ref.start) <= _CREATE_TIME_TOLERANCE


def proc_ref(pid: int) -> ProcRef | None:
    """A reference to the process now running as ``pid``, or None if there is none."""
    start = start_of(pid)
    return None if start is None else ProcRef(pid, start, NATIVE_CLOCK)


def _process(ref: ProcRef) -> psutil.Process | None:
    """The process ``ref`` names, or None if it is gone or its PID now belongs to someone else."""
    try:
        proc = psutil.Process(ref.pid)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    # Read after psutil fixed its own identity of the PID: psutil then refuses to signal if it changes.
    start = start_of(ref.pid, ref.clock)
    if start is None or not same_start(ref, start):
        return None
    return proc


def _ref_of(proc: psutil.Process) -> ProcRef | None:
    ref = proc_ref(proc.pid)
    try:
        # The start we just read belongs to ``proc`` only if psutil still sees the same process there.
        return ref if ref is not None and proc.is_running() else None
    except psutil.Error:
        return None


def _is_gone(proc: psutil.Process) -> bool:
    """Exited, reused or a zombie: a zombie is dead and holds nothing but its PID, until its owner reaps it."""
    try:
        if not proc.is_running():
            return True
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
    except psutil.AccessDenied:
        return False


def is_alive(ref: ProcRef) -> bool:
    """True if the very process ``ref`` names still runs (not a zombie, PID not reused)."""
    proc = _process(ref)
    return proc is not None and not _is_gone(proc)


def descendants(ref: ProcRef) -> list[ProcRef]:
    """Every process below ``ref`` (children, grandchildren...), as references; empty if ``ref`` is gone."""
    proc = _process(ref)
    if proc is None:
        return []
    try:
        children = proc.children(recursive=True)
    except psutil.Error:
        return []
    return [child_ref for child in children if (child_ref := _ref_of(child)) is not None]


def _collect(refs: Iterable[ProcRef]) -> list[psutil.Process]:
    """The live processes ``refs`` name and their live descendants; zombies are already over."""
    found: dict[int, psutil.Process] = {}
    for ref in refs:
        proc = _process(ref)
        if proc is None:
            continue
        try:
            children = proc.children(recursive=True)
        except psutil.Error:
            children = []
        for each in (proc, *children):
            if not _is_gone(each):
                found.setdefault(each.pid, each)
    return list(found.values())


def _send(procs: Iterable[psutil.Process], how: str) -> None:
    for proc in procs:
        try:
            # psutil checks the process identity (PID + start time) before it signals.
            if how == "kill":
                proc.kill()
            else:
                proc.terminate()
        except psutil.Error:
            pass


def _wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until every process is gone (zombies count: their owner reaps them); return those still running."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for proc in procs:
            if not _is_gone(proc):
                alive.append(proc)
        if not alive or time.monotonic() >= deadline:
            return alive
        procs = alive
        time.sleep(_POLL_INTERVAL)


def end_processes(refs: Iterable[ProcRef], *, timeout: float = 5.0) -> list[int]:
    """End each process ``refs`` names and all its descendants: terminate, wait, then kill survivors.

    Returns the PIDs that were ended. References that match no live process are ignored. Nothing is
    reaped: a child of ours (a worker) stays a zombie until its owner ``join()``s it, so multiprocessing
    learns its exit code and never signals its PID again.
    """
    procs = _collect(refs)
    if not procs:
        return []
    _send(procs, "terminate")
    alive = _wait_gone(procs, timeout)
    if alive:
        log.info("killing %d process(es) that ignored terminate: %s", len(alive), [p.pid for p in alive])
        _send(alive, "kill")
        alive = _wait_gone(alive, timeout)
    for proc in alive:
        log.warning("process %d survived kill", proc.pid)
    survivors = {proc.pid for proc in alive}
    return [proc.pid for proc in procs if proc.pid not in survivors]
