"""Resource governor: fewer workers while the machine is overloaded, back up when it recovers.

Seed requirement FR-006/PR-004: keep CPU under 80 % and memory under 90 %. Thresholds to go down and to
come back up differ (hysteresis) and changes are spaced by a cooldown, so the count cannot oscillate
(the old tool's 80 %/82 % thresholds overlapped). Never below one worker.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass

import psutil

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
            what = (
                f"CPU {cpu:.0f}% > {self.cpu_high:.0f}%"
                if cpu > self.cpu_high
                else (f"memory {mem:.0f}% > {self.memory_high:.0f}%")
            )
            return self._set(current - 1, f"{what}: running {current - 1} of {requested} workers", now)
        if self.limit is not None and cpu < self.cpu_ok and mem < self.memory_ok:
            new = self.limit + 1
            if new >= requested:
                return self._set(None, f"CPU {cpu:.0f}%, memory {mem:.0f}%: back to {requested} workers", now)
            return self._set(new, f"CPU {cpu:.0f}%, memory {mem:.0f}%: recovering", now)
        return Decision(self.limit, self.reason, False)

    def _set(self, limit: int | None, reason: str, now: float) -> Decision:
        changed = limit != self.limit
        self.limit, self.reason = limit, reason
        if changed:
            self._last_change = now
            self.readings.clear()
        return Decision(limit, reason, changed)


def read_system() -> Reading:
    return Reading(psutil.cpu_percent(interval=None), psutil.virtual_memory().percent)


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
