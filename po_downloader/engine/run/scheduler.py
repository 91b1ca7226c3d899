"""Which PO goes to which worker, and when: plain Python, no processes, fully unit-tested.

Rules: a PO is held by at most one worker at a time; a failed attempt is retried after an exponential
backoff, preferably on another worker, up to ``max_attempts``; a PO sent back because the session expired
is requeued without using up an attempt, unless that PO keeps meeting sign-in while others complete.

Lookahead: a worker may also have one queued PO *reserved* (the one it takes next), so its browser loads
that page while it works the PO it holds. A reserved PO stays queued: pending, not in flight (a resume or a
summary sees it as any PO not begun), and never lost: other workers pass it by only while another PO is
free for them, and the controller drops the reservations of workers that stop, retire or are paused.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.status import backoff_delay


@dataclass
class _Entry:
    po: PoNumber
    attempts: int = 0
    not_before: float = 0.0
    avoid: set[int] = field(default_factory=set)
    status: PoStatus = PoStatus.PENDING
    last_error: str = ""
    sign_ins: int = 0
    queued: bool = True
    """In the queue (waiting for a worker or its backoff), not held and not final."""


class Scheduler:
    def __init__(self, pos: Iterable[PoNumber], *, max_attempts: int = 3, backoff_base: float = 2.0) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self._entries: dict[str, _Entry] = {}
        for po in pos:
            self._entries.setdefault(po.digits, _Entry(po))
        self._queue: deque[str] = deque(self._entries)
        self._held: dict[str, int] = {}  # digits → worker
        self._reserved: dict[str, int] = {}  # digits → worker: the queued PO it takes next (lookahead)
        self._successes = 0
        # (not_before, digits) of POs sent back to the queue with a backoff: the controller asks for the
        # earliest one on every loop pass, and scanning a 100 000-PO queue for it cost 18 ms a pass.
        # Items go stale (the PO was taken again, or failed again with a later deadline) and are dropped
        # lazily when they reach the top; see :meth:`next_backoff_end`.
        self._backoffs: list[tuple[float, str]] = []
        # The latest ``now`` next_backoff_end was asked about; 0.0 to start with, the not_before of a PO
        # never failed, which only a scan answers right for an earlier ``now``.
        self._asked = 0.0

    # ---------------------------------------------------------------- queries

    @property
    def total(self) -> int:
        return len(self._entries)

    def held_by(self, worker: int) -> PoNumber | None:
        return next((self._entries[d].po for d, w in self._held.items() if w == worker), None)

    def reserved_for(self, worker: int) -> PoNumber | None:
        """The queued PO set aside for ``worker``'s next turn (its page may be loading there), if any."""
        return next((self._entries[d].po for d, w in self._reserved.items() if w == worker), None)

    def status(self, po: PoNumber) -> PoStatus:
        return self._entries[po.digits].status

    def attempts(self, po: PoNumber) -> int:
        return self._entries[po.digits].attempts

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def in_flight(self) -> int:
        return len(self._held)

    def finished(self) -> bool:
        return not self._queue and not self._held

    def all_pos(self) -> list[PoNumber]:
        return [e.po for e in self._entries.values()]

    def next_backoff_end(self, now: float) -> float | None:
        """The earliest time after ``now`` a queued PO's backoff ends (None: none waits for one). A PO
        that may start already but was not taken waits for a worker, not for the clock.

        Cost: the stale and passed deadlines on top of the heap, not the queue's length. A deadline at or
        before ``now`` is dropped for good, which is right while ``now`` does not go back (the controller's
        monotonic clock); asked about an earlier ``now``, the answer comes from a full scan instead."""
        if now < self._asked:
            return self._scan_backoff_end(now)
        self._asked = now
        heap = self._backoffs
        while heap:
            end, digits = heap[0]
            entry = self._entries[digits]
            if entry.queued and entry.not_before == end and end > now:
                return end
            heapq.heappop(heap)  # taken since, failed again (a newer item holds it), or its wait is over
        return None

    def _scan_backoff_end(self, now: float) -> float | None:
        ahead = [e.not_before for d in self._queue if (e := self._entries[d]).not_before > now]
        return min(ahead, default=None)

    # ---------------------------------------------------------------- commands

    def take(self, worker: int, now: float, *, other_workers: int = 0) -> PoTask | None:
        """The next PO for ``worker``, or None. A PO avoids workers it failed on while others exist.

        ``other_workers`` counts the other workers that could take it. A PO avoided by at least as many
        workers as there are in all has failed on every one of them (or on workers since gone), so any
        worker may take it; otherwise all of them would skip it and the batch would never end.

        The PO reserved for ``worker`` comes first; POs reserved for other workers are passed by, unless
        none other may start now (the batch's tail: an idle worker takes it rather than wait, and the
        reservation is dropped; its holder then drops the page it loaded).
        """
        if self.held_by(worker) is not None:
            raise RuntimeError(f"worker {worker} already holds a PO")
        mine = self.reserved_for(worker)
        self.unreserve(worker)
        if mine is not None and self._may_take(self._entries[mine.digits], worker, now, other_workers):
            return self._hold(mine.digits, worker)
        digits = self._first(worker, now, other_workers, free_only=True)
        if digits is None:
            digits = self._first(worker, now, other_workers, free_only=False)
        if digits is None:
            return None
        self._reserved.pop(digits, None)
        return self._hold(digits, worker)

    def hand_out(
        self, idle: Sequence[int], active: Collection[int], now: float, *, ahead: bool = True
    ) -> list[tuple[int, PoTask, PoNumber | None]]:
        """A PO for each ``idle`` worker in turn (:meth:`take`; ``active``: every worker that could take
        one, starting ones too), then, with ``ahead``, the PO each takes next reserved (:meth:`reserve`),
        leaving the first free POs to the active workers without one: POs still start in the queue's order,
        and no reservation holds back a PO a worker could start as soon as it is ready."""
        given = []
        for worker in idle:
            others = len(active) - (worker in active)
            task = self.take(worker, now, other_workers=others)
            if task is not None:
                given.append((worker, task, others))
        waiting = sum(1 for w in active if self.held_by(w) is None)
        return [
            (w, task, self.reserve(w, now, other_workers=o, skip=waiting) if ahead else None)
            for w, task, o in given
        ]

    def reserve(self, worker: int, now: float, *, other_workers: int = 0, skip: int = 0) -> PoNumber | None:
        """Set aside the PO ``worker`` takes after the one it holds (by the rules of :meth:`take`, among
        POs not reserved already, past the first ``skip`` of them), so its page can load meanwhile; None
        when none could start now. One reservation per worker: a new one replaces the last."""
        self.unreserve(worker)
        digits = self._first(worker, now, other_workers, free_only=True, skip=skip)
        if digits is None:
            return None
        self._reserved[digits] = worker
        return self._entries[digits].po

    def unreserve(self, worker: int) -> None:
        """Drop ``worker``'s reservation: the PO is any worker's again."""
        for digits in [d for d, w in self._reserved.items() if w == worker]:
            del self._reserved[digits]

    def keep_reservations(self, workers: Iterable[int]) -> None:
        """Drop every reservation but those of ``workers`` (the ones still handed work)."""
        keep = set(workers)
        for digits in [d for d, w in self._reserved.items() if w not in keep]:
            del self._reserved[digits]

    def _may_take(self, entry: _Entry, worker: int, now: float, other_workers: int) -> bool:
        if not entry.queued or entry.not_before > now:
            return False
        return not (worker in entry.avoid and 0 < len(entry.avoid) <= other_workers)

    def _first(
        self, worker: int, now: float, other_workers: int, *, free_only: bool, skip: int = 0
    ) -> str | None:
        """The first queued PO ``worker`` may take now (past ``skip`` such POs); with ``free_only``, one no
        worker has reserved."""
        for digits in self._queue:  # no copy of the queue: the first match ends the walk
            if free_only and digits in self._reserved:
                continue
            if self._may_take(self._entries[digits], worker, now, other_workers):
                if skip <= 0:
                    return digits
                skip -= 1
        return None

    def _hold(self, digits: str, worker: int) -> PoTask:
        entry = self._entries[digits]
        self._queue.remove(digits)
        entry.queued = False
        self._held[digits] = worker
        entry.attempts += 1
        entry.status = PoStatus.PROCESSING
        return PoTask(entry.po, entry.attempts)

    def finish(self, po: PoNumber, status: PoStatus, message: str = "") -> None:
        """The attempt ended with a final status."""
        self._release(po)
        entry = self._entries[po.digits]
        entry.status = status
        entry.last_error = message
        self._successes += status.is_success

    def fail(self, po: PoNumber, worker: int, now: float, message: str) -> float | None:
        """The attempt failed in a way worth retrying. Returns the backoff delay, or None if given up."""
        self._release(po)
        entry = self._entries[po.digits]
        entry.last_error = message
        if entry.attempts >= self.max_attempts:
            entry.status = PoStatus.FAILED
            return None
        delay = backoff_delay(entry.attempts, self.backoff_base)
        entry.avoid.add(worker)
        entry.not_before = now + delay
        entry.status = PoStatus.PENDING
        entry.queued = True
        self._queue.append(po.digits)
        heapq.heappush(self._backoffs, (entry.not_before, po.digits))
        return delay

    def send_back(self, po: PoNumber) -> None:
        """Requeue at the front without spending an attempt (the session expired, not the PO's fault)."""
        self._release(po)
        entry = self._entries[po.digits]
        entry.attempts = max(0, entry.attempts - 1)
        entry.sign_ins += 1
        entry.status = PoStatus.SIGN_IN_REQUIRED
        entry.queued = True
        self._queue.appendleft(po.digits)
        if entry.not_before > self._asked:  # only if taken at a ``now`` earlier than one asked about
            heapq.heappush(self._backoffs, (entry.not_before, po.digits))

    def reopen(self, po: PoNumber) -> None:
        """A final PO to work again (its verdict came from a route the batch no longer trusts): queued
        at the back with fresh attempts; its earlier success no longer counts."""
        entry = self._entries[po.digits]
        if not entry.status.is_final or entry.queued or po.digits in self._held:
            raise RuntimeError(f"{po} is not final")
        self._successes -= entry.status.is_success
        entry.attempts = 0
        entry.avoid.clear()
        entry.not_before = 0.0
        entry.status = PoStatus.PENDING
        entry.queued = True
        self._queue.append(po.digits)

    def skip(self, covers: Callable[[PoNumber], bool]) -> list[PoNumber]:
        """Take every queued PO that ``covers`` names out of the queue as SKIPPED (the breaker stopped its
        group), reservations too; those held by a worker go on and end as it says. In queue order."""
        out = [d for d in self._queue if covers(self._entries[d].po)]
        if not out:
            return []
        gone = set(out)
        for digits in out:
            entry = self._entries[digits]
            entry.queued = False
            entry.status = PoStatus.SKIPPED
            self._reserved.pop(digits, None)
        self._queue = deque(d for d in self._queue if d not in gone)
        return [self._entries[d].po for d in out]

    def sign_in_is_its_own(self, po: PoNumber, limit: int) -> bool:
        """This attempt is the ``limit``-th time ``po`` met a sign-in page, and other POs completed in this
        batch: the session works (a worker passes a sign-in check before it takes work), so the PO's own
        page is the trouble, say a link to a host that always looks like sign-in. Sending it back again
        would loop for ever."""
        return self._entries[po.digits].sign_ins + 1 >= limit and self._successes > 0

    def last_error(self, po: PoNumber) -> str:
        return self._entries[po.digits].last_error

    def _release(self, po: PoNumber) -> None:
        if self._held.pop(po.digits, None) is None:
            raise RuntimeError(f"{po} is not held by any worker")
