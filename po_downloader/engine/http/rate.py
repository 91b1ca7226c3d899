"""One ceiling on the requests of a whole batch, all workers together: a token bucket in shared memory.

Coupa documents its API limit as 25 requests a second with bursts of 20; a batch of N HTTP workers must
stay under it together, not N times over, so the bucket's state lives in ``multiprocessing`` shared memory
that ``spawn`` children receive as a Process argument. The bucket is kept as one number, the *theoretical
arrival time* of the generic cell rate algorithm (a token bucket without a refill loop): each request
moves it one interval on, and a request may go once it lies no more than ``burst - 1`` intervals ahead of
now. A ``Retry-After`` seen by one worker moves it past the deadline, so every worker waits, and the
requests after the pause go one interval apart instead of all at once.

``time.monotonic`` is system-wide on Linux, macOS and Windows, so the parent and its children share one
clock. The step itself (:func:`next_slot`) is pure; the buckets only hold its state under a lock and sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any, Protocol

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class RateLimit:
    """Requests a second for the whole batch, and how many may go at once after a quiet spell."""

    per_second: float = 25.0
    burst: int = 20

    @property
    def interval(self) -> float:
        return 1.0 / self.per_second

    @property
    def tolerance(self) -> float:
        """How far ahead of now the arrival time may run before a request must wait."""
        return (max(1, self.burst) - 1) * self.interval


def next_slot(arrival: float, now: float, limit: RateLimit) -> tuple[float, float]:
    """One request asks at ``now``: the bucket's new arrival time, and how long the request must wait."""
    start = max(arrival, now)
    wait = max(0.0, start - limit.tolerance - now)
    return start + limit.interval, wait


def held(arrival: float, deadline: float, limit: RateLimit) -> float:
    """The arrival time after a pause until ``deadline``: the first request goes then, the next one
    interval later (no burst straight after the portal asked us to slow down)."""
    return max(arrival, deadline + limit.tolerance)


class Bucket(Protocol):
    """What the HTTP client needs of a bucket: one process's or the whole batch's."""

    def acquire(self) -> None:
        """Block until one request may go."""
        ...

    def hold_until(self, monotonic_deadline: float) -> None:
        """Make every holder wait until ``monotonic_deadline`` (``time.monotonic``) before its next request."""
        ...


class LocalBucket:
    """The bucket for one process (the CLI without workers, tests): a lock and a float."""

    def __init__(
        self, limit: RateLimit | None = None, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep
    ) -> None:
        self.limit = limit or RateLimit()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._arrival = 0.0

    def acquire(self) -> None:
        with self._lock:
            self._arrival, wait = next_slot(self._arrival, self._clock(), self.limit)
        if wait > 0:
            self._sleep(wait)

    def hold_until(self, monotonic_deadline: float) -> None:
        with self._lock:
            self._arrival = held(self._arrival, monotonic_deadline, self.limit)


class SharedBucket:
    """The batch's bucket: its arrival time in shared memory under the context's lock.

    Made in the parent with :meth:`create` and passed to ``spawn`` children as a Process argument (shared
    memory cannot be pickled any other way); every holder then draws on the same ceiling.
    """

    def __init__(self, arrival: Any, limit: RateLimit, *, clock: Clock, sleep: Sleep) -> None:
        """Use :meth:`create`; ``arrival`` is a ``ctx.Value("d")`` (its lock an RLock: reading it takes the lock again)."""
        self._arrival = arrival
        self.limit = limit
        self._clock = clock
        self._sleep = sleep

    @classmethod
    def create(
        cls,
        ctx: BaseContext,
        limit: RateLimit | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> SharedBucket:
        return cls(ctx.Value("d", 0.0), limit or RateLimit(), clock=clock, sleep=sleep)

    def acquire(self) -> None:
        with self._arrival.get_lock():
            self._arrival.value, wait = next_slot(self._arrival.value, self._clock(), self.limit)
        if wait > 0:
            self._sleep(wait)

    def hold_until(self, monotonic_deadline: float) -> None:
        with self._arrival.get_lock():
            self._arrival.value = held(self._arrival.value, monotonic_deadline, self.limit)
