"""Resource governor: fewer workers while the machine is overloaded, back up when it recovers.

Seed requirement FR-006/PR-004: keep CPU under 80 % and memory under 90 %. Thresholds to go down and to
come back up differ (hysteresis) and changes are spaced by a cooldown, so the count cannot oscillate
(the old tool's 80 %/82 % thresholds overlapped). Never below one worker.

The CPU it weighs is the other programs' (``OthersLoad``): the machine's busy time minus our own process
tree's (the app, its workers, their drivers and browsers). Our browsers already run at background priority,
so our own load never starves the desktop; counting it would only hold workers back while their browsers
start (issue 16: "CPU 87 % > 80 %: running 1 of 2 workers" on a 2-core machine with room to spare).
Memory stays the whole machine's: memory pressure hurts the desktop whoever causes it.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import psutil

from po_downloader.engine.events import WorkerCountChanged

MIB = 1024 * 1024
# Measured: one headless browser tree ~380 MiB PSS, plus the worker's Python (~60 MiB); keep headroom.
MEMORY_PER_WORKER = 600 * MIB
MEMORY_RESERVE = 1024 * MIB
HARD_MAX_WORKERS = 16


@dataclass(frozen=True, slots=True)
class Reading:
    cpu: float
    memory: float


@dataclass(frozen=True, slots=True)
class Decision:
    limit: int | None
    """None: no limit (run what the user asked for)."""
    reason: str
    changed: bool
    cause: str = ""
    """What moved the limit, for the faces to word: "cpu" or "memory" (too busy), "recovering" (room again,
    adding workers back one by one), "back" (the user's count again); ``percent``: the load that did."""
    percent: float = 0.0

    def told(self, target: int, requested: int) -> WorkerCountChanged:
        """The event that tells the faces: ``reason`` in English for the log and the CLI, the cause for
        a translated window."""
        return WorkerCountChanged(0, target, requested, self.reason, self.cause, self.percent)


class Governor:
    def __init__(
        self,
        *,
        cpu_high: float = 80.0,
        memory_high: float = 90.0,
        cpu_ok: float = 60.0,
        memory_ok: float = 80.0,
        window: int = 5,
        cooldown: float = 10.0,
    ) -> None:
        self.cpu_high, self.memory_high = cpu_high, memory_high
        self.cpu_ok, self.memory_ok = cpu_ok, memory_ok
        self.cooldown = cooldown
        self.readings: deque[Reading] = deque(maxlen=window)
        self.limit: int | None = None
        self.reason = ""
        self.cause = ""
        self.percent = 0.0
        self._last_change = float("-inf")

    def update(self, reading: Reading, now: float, *, requested: int) -> Decision:
        """Feed one reading; returns the worker limit now in force."""
        self.readings.append(reading)
        if len(self.readings) < (self.readings.maxlen or 1) or now - self._last_change < self.cooldown:
            return Decision(self.limit, self.reason, False)
        cpu = sum(r.cpu for r in self.readings) / len(self.readings)
        mem = sum(r.memory for r in self.readings) / len(self.readings)
        current = min(self.limit or requested, requested)
        if (cpu > self.cpu_high or mem > self.memory_high) and current > 1:
            busy = cpu > self.cpu_high
            what = (
                f"other programs' CPU {cpu:.0f}% > {self.cpu_high:.0f}%"
                if busy
                else (f"memory {mem:.0f}% > {self.memory_high:.0f}%")
            )
            reason = f"{what}: running {current - 1} of {requested} workers"
            return self._set(current - 1, reason, now, "cpu" if busy else "memory", cpu if busy else mem)
        if self.limit is not None and cpu < self.cpu_ok and mem < self.memory_ok:
            new = self.limit + 1
            if new >= requested:
                back = f"CPU {cpu:.0f}%, memory {mem:.0f}%: back to {requested} workers"
                return self._set(None, back, now, "back", cpu)
            return self._set(new, f"CPU {cpu:.0f}%, memory {mem:.0f}%: recovering", now, "recovering", cpu)
        return Decision(self.limit, self.reason, False, self.cause, self.percent)

    def _set(self, limit: int | None, reason: str, now: float, cause: str, percent: float) -> Decision:
        changed = limit != self.limit
        self.limit, self.reason, self.cause, self.percent = limit, reason, cause, percent
        if changed:
            self._last_change = now
            self.readings.clear()
        return Decision(limit, reason, changed, cause, percent)


def read_system() -> Reading:
    return Reading(psutil.cpu_percent(interval=None), psutil.virtual_memory().percent)


@dataclass(frozen=True, slots=True)
class CpuClock:
    """The machine's CPU seconds so far, summed over every core: all of them, and the busy ones."""

    total: float
    busy: float


@dataclass(frozen=True, slots=True)
class ProcTimes:
    """One process's CPU seconds so far and its start (epoch seconds): a PID reused is another process."""

    created: float
    cpu: float


def own_cpu_seconds(before: Mapping[int, ProcTimes], after: Mapping[int, ProcTimes], since: float) -> float:
    """CPU seconds our processes spent between two samples. A process seen for the first time counts whole
    if it started after the earlier sample (a browser starting up is exactly the load not to hold against
    us); an older one first seen now only sets its baseline, so we never count more than we know."""
    spent = 0.0
    for pid, now in after.items():
        then = before.get(pid)
        if then is not None and then.created == now.created:
            spent += max(0.0, now.cpu - then.cpu)
        elif now.created >= since:
            spent += now.cpu
    return spent


def others_percent(before: CpuClock, after: CpuClock, own_seconds: float) -> float:
    """The machine's busy share between two samples, minus our own: what the other programs use (0-100)."""
    elapsed = after.total - before.total
    if elapsed <= 0:
        return 0.0
    others = (after.busy - before.busy) - own_seconds
    return max(0.0, min(100.0, others / elapsed * 100.0))


def _cpu_clock() -> CpuClock:
    t = psutil.cpu_times()
    total = sum(t)
    idle = t.idle + getattr(t, "iowait", 0.0)
    # guest time is already inside user/nice on Linux: psutil's own cpu_percent leaves it out of the total
    total -= getattr(t, "guest", 0.0) + getattr(t, "guest_nice", 0.0)
    return CpuClock(total, total - idle)


def _times_of(proc: psutil.Process) -> tuple[int, ProcTimes] | None:
    """Its parent and CPU seconds, from one read of the process (None if it is gone)."""
    try:
        with proc.oneshot():
            cpu = proc.cpu_times()
            return proc.ppid(), ProcTimes(proc.create_time(), cpu.user + cpu.system)
    except psutil.Error:
        return None


def _tree_times(roots: Iterable[int]) -> dict[int, ProcTimes]:
    """This process and every process under the ``roots`` (our workers: children of this process), with
    their CPU seconds. One scan of the process table: this is sampled every second."""
    me = psutil.Process()
    times: dict[int, ProcTimes] = {}
    if (own := _times_of(me)) is not None:
        times[me.pid] = own[1]
    wanted = set(roots)
    found: dict[int, tuple[int, ProcTimes]] = {}
    for proc in me.children(recursive=True):
        if (read := _times_of(proc)) is not None:
            found[proc.pid] = read
    below: dict[int, list[int]] = {}
    for pid, (ppid, _) in found.items():
        below.setdefault(ppid, []).append(pid)
    stack = [pid for pid in wanted if pid in found]
    while stack:
        pid = stack.pop()
        times[pid] = found[pid][1]
        stack.extend(below.get(pid, ()))
    return times


class OthersLoad:
    """A ``Reading`` source: other programs' CPU (the machine's minus our process trees') and the memory in
    use. ``roots`` lists our worker PIDs at each sample; this process counts as ours too, but not its other
    children (a test or bench process may run the portal itself: that load is the portal's, not ours)."""

    def __init__(self, roots: Callable[[], Iterable[int]]) -> None:
        self._roots = roots
        self._clock = _cpu_clock()
        self._times = _tree_times(roots())
        self._at = time.time()

    def __call__(self) -> Reading:
        at, clock, times = time.time(), _cpu_clock(), _tree_times(self._roots())
        cpu = others_percent(self._clock, clock, own_cpu_seconds(self._times, times, self._at))
        self._at, self._clock, self._times = at, clock, times
        return Reading(cpu, psutil.virtual_memory().percent)


def max_workers(cpus: int | None = None, available: int | None = None) -> int:
    """The most workers this machine can carry: browsers wait on the network, so two per core."""
    cpus = cpus or os.cpu_count() or 1
    available = psutil.virtual_memory().available if available is None else available
    by_memory = max(1, (available - MEMORY_RESERVE) // MEMORY_PER_WORKER)
    return int(max(1, min(2 * cpus, by_memory, HARD_MAX_WORKERS)))


def default_workers(cpus: int | None = None, available: int | None = None) -> int:
    """A safe default: one per core, fewer when memory is short, at most 8."""
    cpus = cpus or os.cpu_count() or 1
    return int(max(1, min(cpus, max_workers(cpus, available), 8)))
