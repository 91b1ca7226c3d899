"""The batch's request ceiling: bursts, the steady rate, and a pause that every holder keeps."""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass, field

import pytest

from po_downloader.engine.http.rate import LocalBucket, RateLimit, SharedBucket, held, next_slot


@dataclass
class FakeTime:
    """A clock that only moves when someone sleeps (picklable: spawn children receive it)."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_burst_goes_at_once_then_one_interval_apart() -> None:
    limit = RateLimit(per_second=25.0, burst=20)
    arrival, waits = 0.0, []
    for _ in range(23):
        arrival, wait = next_slot(arrival, 10.0, limit)
        waits.append(wait)
    assert waits[:20] == [0.0] * 20
    assert waits[20:] == pytest.approx([0.04, 0.08, 0.12])


def test_the_ceiling_holds_over_time() -> None:
    fake = FakeTime()
    bucket = LocalBucket(RateLimit(per_second=25.0, burst=20), clock=fake.clock, sleep=fake.sleep)
    start = fake.now
    for _ in range(20 + 250):
        bucket.acquire()
    # 20 at once, then 250 more at 25 a second: 10 s, never sooner.
    assert fake.now - start == pytest.approx(10.0)


def test_a_quiet_spell_refills_the_burst_and_no_more() -> None:
    limit = RateLimit(per_second=10.0, burst=5)
    arrival = 0.0
    for _ in range(5):
        arrival, _wait = next_slot(arrival, 0.0, limit)
    arrival, wait = next_slot(arrival, 0.0, limit)
    assert wait == pytest.approx(0.1)
    # An hour later only a burst of 5 goes at once again.
    waits = []
    for _ in range(6):
        arrival, wait = next_slot(arrival, 3600.0, limit)
        waits.append(wait)
    assert waits[:5] == [0.0] * 5 and waits[5] == pytest.approx(0.1)


def test_a_hold_makes_the_next_request_wait_then_restarts_gently() -> None:
    limit = RateLimit(per_second=25.0, burst=20)
    arrival = held(0.0, 50.0, limit)
    arrival, first = next_slot(arrival, 48.0, limit)
    _arrival, second = next_slot(arrival, 48.0, limit)
    assert first == pytest.approx(2.0)
    assert second == pytest.approx(2.04)  # no burst straight after a Retry-After


def test_an_earlier_hold_never_shortens_a_later_one() -> None:
    limit = RateLimit()
    assert held(held(0.0, 50.0, limit), 40.0, limit) == held(0.0, 50.0, limit)


def hold_in_child(bucket: SharedBucket, deadline: float) -> None:
    bucket.hold_until(deadline)


def test_a_hold_set_in_one_process_pauses_the_others() -> None:
    ctx = multiprocessing.get_context("spawn")
    fake = FakeTime(now=100.0)
    bucket = SharedBucket.create(ctx, RateLimit(), clock=fake.clock, sleep=fake.sleep)
    child = ctx.Process(target=hold_in_child, args=(bucket, 103.0))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    bucket.acquire()
    assert fake.slept == [pytest.approx(3.0)]


def test_the_shared_bucket_counts_the_same_ceiling() -> None:
    fake = FakeTime()
    bucket = SharedBucket.create(
        multiprocessing.get_context("spawn"),
        RateLimit(per_second=5.0, burst=2),
        clock=fake.clock,
        sleep=fake.sleep,
    )
    for _ in range(4):
        bucket.acquire()
    assert fake.slept == pytest.approx([0.2, 0.2])
