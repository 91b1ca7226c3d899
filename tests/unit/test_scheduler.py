"""Scheduler: one holder per PO, bounded retries with backoff, worker avoidance, sign-in send-backs."""

from __future__ import annotations

import random

import pytest

from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.run.scheduler import Scheduler
from po_downloader.engine.status import backoff_delay

A, B, C = PoNumber("100001"), PoNumber("100002"), PoNumber("100003")


def test_each_po_goes_to_one_worker_in_order() -> None:
    s = Scheduler([A, B, C])
    assert s.total == 3 and s.pending == 3 and s.in_flight == 0
    assert s.take(1, 0.0) == PoTask(A, 1)
    assert s.take(2, 0.0) == PoTask(B, 1)
    assert s.held_by(1) == A and s.held_by(2) == B and s.held_by(3) is None
    assert s.status(A) is PoStatus.PROCESSING
    assert s.pending == 1 and s.in_flight == 2
    assert s.take(3, 0.0) == PoTask(C, 1)
    assert s.take(4, 0.0) is None  # nothing left: no PO is handed out twice


def test_worker_cannot_hold_two_pos() -> None:
    s = Scheduler([A, B])
    s.take(1, 0.0)
    with pytest.raises(RuntimeError, match="already holds"):
        s.take(1, 0.0)
    assert s.pending == 1 and s.held_by(1) == A


def test_duplicates_collapse_by_digits() -> None:
    s = Scheduler([A, PoNumber("100001", "PM"), B, A])
    assert s.total == 2
    assert s.all_pos() == [A, B]  # first occurrence wins, order kept
    assert s.take(1, 0.0) == PoTask(A, 1)
    assert s.take(2, 0.0) == PoTask(B, 1)
    assert s.take(3, 0.0) is None


def test_max_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Scheduler([A], max_attempts=0)


def test_finish_records_final_status_and_message() -> None:
    s = Scheduler([A])
    s.take(1, 0.0)
    assert not s.finished()
    s.finish(A, PoStatus.PARTIAL, "b.pdf: never arrived")
    assert s.status(A) is PoStatus.PARTIAL
    assert s.last_error(A) == "b.pdf: never arrived"
    assert s.held_by(1) is None
    assert s.finished()


def test_releasing_a_po_nobody_holds_is_an_error() -> None:
    s = Scheduler([A])
    with pytest.raises(RuntimeError):
        s.finish(A, PoStatus.COMPLETED)
    with pytest.raises(RuntimeError):
        s.fail(A, 1, 0.0, "x")
    with pytest.raises(RuntimeError):
        s.send_back(A)


def test_take_waits_out_the_backoff() -> None:
    s = Scheduler([A], backoff_base=2.0)
    s.take(1, 100.0)
    delay = s.fail(A, 1, 100.0, "portal error")
    assert delay == backoff_delay(1, 2.0) == 2.0
    assert s.status(A) is PoStatus.PENDING
    assert s.last_error(A) == "portal error"
    assert not s.finished()
    assert s.take(2, 100.0, other_workers=1) is None
    assert s.take(2, 101.9, other_workers=1) is None
    assert s.take(2, 102.0, other_workers=1) == PoTask(A, 2)


def test_backoff_grows_with_attempts() -> None:
    s = Scheduler([A], max_attempts=4, backoff_base=1.0)
    now, delays = 0.0, []
    for worker in (1, 2, 3):
        s.take(worker, now, other_workers=2)
        delay = s.fail(A, worker, now, "x")
        assert delay is not None
        delays.append(delay)
        now += delay
    assert delays == [1.0, 2.0, 4.0]


def test_retries_are_bounded_then_failed() -> None:
    s = Scheduler([A], max_attempts=3, backoff_base=0.0)
    for attempt in (1, 2):
        task = s.take(1, 0.0)
        assert task == PoTask(A, attempt)
        assert s.fail(A, 1, 0.0, f"error {attempt}") is not None
    assert s.take(1, 0.0) == PoTask(A, 3)
    assert s.fail(A, 1, 0.0, "error 3") is None
    assert s.status(A) is PoStatus.FAILED
    assert s.attempts(A) == 3
    assert s.last_error(A) == "error 3"
    assert s.finished()
    assert s.take(1, 1e9) is None


def test_single_attempt_fails_at_once() -> None:
    s = Scheduler([A], max_attempts=1)
    s.take(1, 0.0)
    assert s.fail(A, 1, 0.0, "x") is None
    assert s.status(A) is PoStatus.FAILED


def test_failed_po_avoids_its_worker_while_others_exist() -> None:
    s = Scheduler([A, B], backoff_base=0.0)
    s.take(1, 0.0)
    s.fail(A, 1, 0.0, "x")
    # A is first in line but worker 1 failed it: worker 1 gets B instead.
    assert s.take(1, 0.0, other_workers=1) == PoTask(B, 1)
    assert s.take(2, 0.0, other_workers=1) == PoTask(A, 2)


def test_failed_po_skipped_by_its_worker_when_others_exist_and_nothing_else_queued() -> None:
    s = Scheduler([A], backoff_base=0.0)
    s.take(1, 0.0)
    s.fail(A, 1, 0.0, "x")
    assert s.take(1, 10.0, other_workers=2) is None
    assert s.pending == 1


def test_failed_po_returns_to_its_worker_when_it_is_the_only_one() -> None:
    s = Scheduler([A], backoff_base=0.0)
    s.take(1, 0.0)
    s.fail(A, 1, 0.0, "x")
    assert s.take(1, 0.0, other_workers=0) == PoTask(A, 2)


def test_po_that_failed_on_every_worker_is_still_retried() -> None:
    """Two workers, three attempts: after failing on both, one of them must take it (no livelock)."""
    s = Scheduler([A], max_attempts=3, backoff_base=0.0)
    s.take(1, 0.0, other_workers=1)
    s.fail(A, 1, 0.0, "x")
    assert s.take(1, 0.0, other_workers=1) is None
    assert s.take(2, 0.0, other_workers=1) == PoTask(A, 2)
    s.fail(A, 2, 0.0, "x")
    assert s.take(1, 0.0, other_workers=1) == PoTask(A, 3)
    assert s.fail(A, 1, 0.0, "x") is None
    assert s.status(A) is PoStatus.FAILED and s.finished()


def test_po_still_prefers_an_untried_worker_among_three() -> None:
    s = Scheduler([A], max_attempts=3, backoff_base=0.0)
    s.take(1, 0.0, other_workers=2)
    s.fail(A, 1, 0.0, "x")
    s.take(2, 0.0, other_workers=2)
    s.fail(A, 2, 0.0, "x")
    assert s.take(1, 0.0, other_workers=2) is None
    assert s.take(2, 0.0, other_workers=2) is None
    assert s.take(3, 0.0, other_workers=2) == PoTask(A, 3)


def test_send_back_requeues_at_front_without_spending_an_attempt() -> None:
    s = Scheduler([A, B, C])
    assert s.take(1, 0.0) == PoTask(A, 1)
    assert s.take(2, 0.0) == PoTask(B, 1)
    s.send_back(B)
    assert s.status(B) is PoStatus.SIGN_IN_REQUIRED
    assert s.attempts(B) == 0
    assert s.held_by(2) is None
    assert not s.finished()
    # B jumps ahead of C, and its attempt number is 1 again.
    assert s.take(2, 0.0, other_workers=1) == PoTask(B, 1)
    assert s.take(3, 0.0) == PoTask(C, 1)


def test_send_back_does_not_make_worker_avoided() -> None:
    s = Scheduler([A])
    s.take(1, 0.0)
    s.send_back(A)
    assert s.take(1, 0.0, other_workers=3) == PoTask(A, 1)


def test_finished_only_when_nothing_queued_or_held() -> None:
    s = Scheduler([A, B])
    assert not s.finished()
    s.take(1, 0.0)
    s.take(2, 0.0)
    assert s.pending == 0 and not s.finished()
    s.finish(A, PoStatus.COMPLETED)
    assert not s.finished()
    s.finish(B, PoStatus.NO_ATTACHMENTS)
    assert s.finished()


def test_empty_scheduler_is_finished() -> None:
    s = Scheduler([])
    assert s.finished() and s.total == 0 and s.next_backoff_end(0.0) is None


# ------------------------------------------------------------------ random operations


def _check_invariants(s: Scheduler, workers: range, max_attempts: int) -> None:
    held = [s.held_by(w) for w in workers]
    held_digits = [po.digits for po in held if po is not None]
    assert len(held_digits) == len(set(held_digits)), "a PO is held by two workers"
    assert len(held_digits) == s.in_flight
    for po in s.all_pos():
        assert 0 <= s.attempts(po) <= max_attempts
        assert (s.status(po) is PoStatus.PROCESSING) == (po.digits in held_digits)
    assert s.pending + s.in_flight <= s.total


@pytest.mark.parametrize("seed", range(40))
def test_random_operations_keep_invariants_and_terminate(seed: int) -> None:
    rng = random.Random(seed)
    max_attempts = rng.randint(1, 4)
    pos = [PoNumber(str(100000 + rng.randint(0, 15))) for _ in range(rng.randint(1, 20))]
    s = Scheduler(pos, max_attempts=max_attempts, backoff_base=rng.choice([0.0, 0.5, 2.0]))
    workers = range(1, rng.randint(1, 5) + 1)
    now = 0.0

    def others(w: int) -> int:
        return len(workers) - 1

    for _ in range(300):
        now += rng.random()
        w = rng.choice(workers)
        po = s.held_by(w)
        if po is None:
            task = s.take(w, now, other_workers=others(w))
            if task is not None:
                assert task.attempt == s.attempts(task.po)
                assert s.held_by(w) == task.po
        else:
            roll = rng.random()
            if roll < 0.4:
                s.finish(po, rng.choice([PoStatus.COMPLETED, PoStatus.PARTIAL, PoStatus.PO_NOT_FOUND]))
            elif roll < 0.85:
                s.fail(po, w, now, "random failure")
            else:
                s.send_back(po)
        _check_invariants(s, workers, max_attempts)

    # Drive everything to completion: no more send-backs, so every PO must reach a final status.
    for _ in range(10_000):
        if s.finished():
            break
        for w in workers:
            po = s.held_by(w)
            if po is not None:
                if rng.random() < 0.5:
                    s.finish(po, PoStatus.COMPLETED)
                else:
                    s.fail(po, w, now, "x")
            else:
                s.take(w, now, other_workers=others(w))
            _check_invariants(s, workers, max_attempts)
        now = max(s.next_backoff_end(now) or now, now + 0.01)
    assert s.finished()
    for po in s.all_pos():
        assert s.status(po).is_final, (po, s.status(po))
        if s.status(po) is PoStatus.FAILED:
            assert s.attempts(po) == max_attempts


def test_next_backoff_end_is_the_earliest_backoff_still_ahead() -> None:
    s = Scheduler([A, B, C], backoff_base=2.0)
    assert s.next_backoff_end(0.0) is None, "ready POs wait for a worker, not for the clock"
    s.take(1, 0.0)
    s.fail(A, 1, 10.0, "boom")  # not before 12.0
    assert s.next_backoff_end(10.0) == pytest.approx(12.0)
    assert s.next_backoff_end(12.0) is None


def test_a_po_that_keeps_meeting_sign_in_while_others_complete_is_its_own_trouble() -> None:
    s = Scheduler([A, B])
    s.take(1, 0.0)
    s.take(2, 0.0)
    assert not s.sign_in_is_its_own(A, 2), "the first sign-in is the session's"
    s.send_back(A)
    s.finish(B, PoStatus.COMPLETED)
    assert s.take(1, 0.0) == PoTask(A, 1)
    assert s.sign_in_is_its_own(A, 2)
    assert not s.sign_in_is_its_own(A, 3)


def test_repeated_sign_in_with_nothing_through_yet_is_still_the_sessions() -> None:
    s = Scheduler([A, B])
    for _ in range(3):
        s.take(1, 0.0)
        assert not s.sign_in_is_its_own(A, 2)
        s.send_back(A)


def test_a_failed_po_does_not_count_as_the_session_working() -> None:
    s = Scheduler([A, B])
    s.take(1, 0.0)
    s.send_back(A)
    s.take(2, 0.0, other_workers=1)
    s.finish(A, PoStatus.FAILED, "no")
    s.take(1, 0.0)
    assert not s.sign_in_is_its_own(B, 1)


# ------------------------------------------------- the next backoff deadline (issue 14, item 11)


class _CountingDict(dict):
    """The scheduler's entries, counting lookups: the cost of a query, without a clock."""

    lookups = 0

    def __getitem__(self, key):
        type(self).lookups += 1
        return super().__getitem__(key)


def _big(n: int) -> tuple[Scheduler, list[PoNumber]]:
    pos = [PoNumber(str(10_000_000 + i)) for i in range(n)]
    return Scheduler(pos, max_attempts=5, backoff_base=2.0), pos


def test_next_backoff_end_does_not_scan_a_big_queue() -> None:
    """The controller asks on every loop pass: with 10 000 POs queued and three waiting out a backoff,
    a pass looks at those few, not at the whole queue (it scanned all of them: 18 ms a pass at 100 000)."""
    s, pos = _big(10_000)
    for worker in (1, 2, 3):
        task = s.take(worker, 0.0)
        assert task is not None
        s.fail(task.po, worker, float(worker), "boom")  # not before 3.0, 4.0, 5.0
    counting = _CountingDict(s._entries)
    s._entries = counting
    _CountingDict.lookups = 0
    for tick in range(50):
        assert s.next_backoff_end(1.0 + tick * 0.01) == pytest.approx(3.0)
    assert _CountingDict.lookups <= 100, f"{_CountingDict.lookups} entry lookups for 50 passes"


def test_next_backoff_end_follows_the_deadlines_in_order() -> None:
    s, pos = _big(6)
    for worker, at in ((1, 30.0), (2, 10.0), (3, 20.0)):
        task = s.take(worker, 0.0)
        assert task is not None
        s.fail(task.po, worker, at, "boom")  # delay 2 s: 32, 12, 22
    assert s.next_backoff_end(10.0) == pytest.approx(12.0)
    assert s.next_backoff_end(12.0) == pytest.approx(22.0)
    assert s.next_backoff_end(25.0) == pytest.approx(32.0)
    assert s.next_backoff_end(32.0) is None


def test_a_po_taken_after_its_backoff_no_longer_counts() -> None:
    s = Scheduler([A, B], backoff_base=2.0)
    s.take(1, 0.0)
    s.take(2, 0.0)
    s.fail(A, 1, 0.0, "boom")  # not before 2.0
    s.fail(B, 2, 5.0, "boom")  # not before 7.0
    assert s.take(3, 2.0) == PoTask(A, 2)
    assert s.next_backoff_end(2.0) == pytest.approx(7.0)
    s.finish(A, PoStatus.COMPLETED)
    assert s.next_backoff_end(6.0) == pytest.approx(7.0)
    assert s.take(3, 7.0) == PoTask(B, 2)
    assert s.next_backoff_end(7.0) is None


def test_a_po_failing_again_waits_for_its_new_deadline_not_the_old_one() -> None:
    s = Scheduler([A], max_attempts=5, backoff_base=2.0)
    s.take(1, 0.0)
    s.fail(A, 1, 0.0, "boom")  # attempt 1: not before 2.0
    assert s.next_backoff_end(0.0) == pytest.approx(2.0)
    assert s.take(2, 2.0) == PoTask(A, 2)
    s.fail(A, 2, 2.0, "boom")  # attempt 2: a longer wait
    again = 2.0 + backoff_delay(2, 2.0)
    assert s.next_backoff_end(2.0) == pytest.approx(again)
    s.take(1, again)
    s.send_back(A)  # the session expired: requeued at once, no backoff to wait out
    assert s.next_backoff_end(again) is None
    assert s.take(3, again) == PoTask(A, 3)


def test_next_backoff_end_answers_as_the_full_scan_did() -> None:
    """Random batches (takes, finishes, failures, send-backs, workers avoiding POs): after every step the
    structure gives what scanning the whole queue gives, also when asked about an earlier moment."""
    for seed in range(40):
        rng = random.Random(seed)
        s, pos = _big(rng.randint(1, 30))
        s.max_attempts = rng.randint(1, 5)
        s.backoff_base = rng.choice([0.5, 1.0, 2.0])
        workers = list(range(1, rng.randint(2, 5)))
        now = 0.0
        for _ in range(400):
            if s.finished():
                break
            w = rng.choice(workers)
            po = s.held_by(w)
            if po is None:
                s.take(w, now, other_workers=len(workers) - 1)
            else:
                roll = rng.random()
                if roll < 0.3:
                    s.finish(po, PoStatus.COMPLETED)
                elif roll < 0.85:
                    s.fail(po, w, now, "x")
                else:
                    s.send_back(po)
            asked = now - rng.random() * 3 if rng.random() < 0.1 else now
            assert s.next_backoff_end(asked) == s._scan_backoff_end(asked), (seed, asked)
            now += rng.choice([0.0, 0.1, 0.5, 1.0, 3.0])
