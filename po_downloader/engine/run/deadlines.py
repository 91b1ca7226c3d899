"""How long the controller's loop may sleep: until the next moment the clock alone can change something.

Worker messages, worker exits and commands wake the loop by themselves (it waits on their pipes and
sentinels). Only the clock's events need a timeout: a backoff ending while a worker is free to take the
PO, the watchdog's next deadline, the governor's next sample, the next worker (re)start. A deadline at or
before ``now`` was acted on in the loop pass that just ran, so it never makes the wait 0: a loop that
cannot act must not spin (issue #8: 83 % of a core for a batch of waiting).
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_WAIT = 1.0
"""The longest sleep: a safety net for anything not modelled here; one look a second costs nothing."""


def loop_timeout(now: float, deadlines: Iterable[float | None], *, max_wait: float = MAX_WAIT) -> float:
    """Seconds until the earliest deadline still ahead of ``now`` (None: no such deadline), at most
    ``max_wait``; always more than 0."""
    ahead = [d - now for d in deadlines if d is not None and d > now]
    return min([max_wait, *ahead])


def backoff_deadline(ready_at: float | None, *, worker_free: bool, handing_out: bool) -> float | None:
    """When a queued PO's backoff ends, if that can matter: only while POs are handed out (not paused,
    stopping or waiting for sign-in) and a worker is idle. With every worker busy the next chance comes
    from a worker's message, not from the clock."""
    return ready_at if worker_free and handing_out else None
