"""Resource governor: step down under load, hysteresis, cooldown, recovery; default/max worker counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from po_downloader.engine.run.governor import (
    HARD_MAX_WORKERS,
    MEMORY_PER_WORKER,
    MEMORY_RESERVE,
    Decision,
    Governor,
    Reading,
    default_workers,
    max_workers,
)

GIB = 1024**3
WINDOW = 3
COOLDOWN = 10.0
HOT = Reading(cpu=95.0, memory=50.0)
FULL = Reading(cpu=10.0, memory=95.0)
CALM = Reading(cpu=20.0, memory=40.0)
BETWEEN = Reading(cpu=70.0, memory=85.0)  # above the ok thresholds, below the high ones


def make() -> Governor:
    return Governor(window=WINDOW, cooldown=COOLDOWN)


def feed(g: Governor, reading: Reading, start: float, *, requested: int, count: int = WINDOW) -> Decision:
    """``count`` readings one second apart from ``start``: the last decision, ``changed`` if any changed.

    At most one change may happen within one feed (they are closer together than the cooldown).
    """
    decisions = [g.update(reading, start + i, requested=requested) for i in range(count)]
    changes = sum(d.changed for d in decisions)
    assert changes <= 1
    return replace(decisions[-1], changed=changes == 1)


def test_nothing_changes_until_the_window_is_full() -> None:
    g = make()
    for i in range(WINDOW - 1):
        d = g.update(HOT, float(i), requested=4)
        assert d == Decision(None, "", False)
    d = g.update(HOT, float(WINDOW), requested=4)
    assert d.changed and d.limit == 3


def test_high_cpu_lowers_one_step_per_cooldown_never_below_one() -> None:
    g = make()
    d = feed(g, HOT, 0.0, requested=4)
    assert (d.limit, d.changed) == (3, True)
    assert "CPU 95% > 80%" in d.reason and "3 of 4" in d.reason
    # Still hot, window full again, but inside the cooldown: no change.
    d = feed(g, HOT, 3.0, requested=4)
    assert (d.limit, d.changed) == (3, False)
    # After the cooldown: one more step.
    d = feed(g, HOT, 20.0, requested=4)
    assert (d.limit, d.changed) == (2, True)
    d = feed(g, HOT, 40.0, requested=4)
    assert (d.limit, d.changed) == (1, True)
    d = feed(g, HOT, 60.0, requested=4)
    assert (d.limit, d.changed) == (1, False)
    assert g.limit == 1


def test_one_requested_worker_is_never_reduced() -> None:
    g = make()
    d = feed(g, HOT, 0.0, requested=1)
    assert d.limit is None and not d.changed


def test_high_memory_lowers_and_says_so() -> None:
    g = make()
    d = feed(g, FULL, 0.0, requested=3)
    assert (d.limit, d.changed) == (2, True)
    assert "memory 95% > 90%" in d.reason
    assert "CPU" not in d.reason.split(":")[0]


def test_average_over_the_window_decides() -> None:
    g = make()
    # One spike among calm readings does not reduce anything: average CPU is (95+20+20)/3 = 45.
    g.update(HOT, 0.0, requested=4)
    g.update(CALM, 1.0, requested=4)
    d = g.update(CALM, 2.0, requested=4)
    assert d.limit is None and not d.changed


def test_readings_between_ok_and_high_change_nothing() -> None:
    g = make()
    feed(g, HOT, 0.0, requested=4)
    assert g.limit == 3
    for start in (20.0, 40.0, 60.0):
        d = feed(g, BETWEEN, start, requested=4)
        assert (d.limit, d.changed) == (3, False)
    # And from an unlimited state, "between" does not lower either.
    g2 = make()
    d = feed(g2, BETWEEN, 0.0, requested=4)
    assert d.limit is None and not d.changed


def test_recovery_steps_up_then_lifts_the_limit() -> None:
    g = make()
    feed(g, HOT, 0.0, requested=3)
    feed(g, HOT, 20.0, requested=3)
    assert g.limit == 1
    d = feed(g, CALM, 40.0, requested=3)
    assert (d.limit, d.changed) == (2, True)
    assert "recovering" in d.reason
    d = feed(g, CALM, 43.0, requested=3)  # inside the cooldown
    assert (d.limit, d.changed) == (2, False)
    d = feed(g, CALM, 60.0, requested=3)
    assert (d.limit, d.changed) == (None, True)
    assert "back to 3 workers" in d.reason
    d = feed(g, CALM, 80.0, requested=3)
    assert (d.limit, d.changed) == (None, False)


def test_recovery_needs_memory_below_its_ok_threshold_too() -> None:
    g = make()
    feed(g, HOT, 0.0, requested=4)
    d = feed(g, Reading(cpu=10.0, memory=85.0), 20.0, requested=4)
    assert (d.limit, d.changed) == (3, False)


def test_user_lowering_the_request_below_the_limit_lifts_it() -> None:
    g = make()
    feed(g, HOT, 0.0, requested=6)
    assert g.limit == 5
    d = feed(g, CALM, 20.0, requested=2)
    assert (d.limit, d.changed) == (None, True)


def test_reduction_counts_from_the_lower_of_limit_and_request() -> None:
    g = make()
    feed(g, HOT, 0.0, requested=6)
    assert g.limit == 5
    d = feed(g, HOT, 20.0, requested=3)
    assert d.limit == 2 and "2 of 3" in d.reason


@pytest.mark.parametrize(
    ("cpus", "available", "default", "maximum"),
    [
        (2, 24 * GIB, 2, 4),
        (8, 2 * GIB, 1, 1),
        (1, 0, 1, 1),  # less than the reserve: still one
        (4, 8 * GIB, 4, 8),
        (32, 256 * GIB, 8, HARD_MAX_WORKERS),
    ],
)
def test_worker_counts_from_cores_and_memory(cpus: int, available: int, default: int, maximum: int) -> None:
    assert max_workers(cpus, available) == maximum
    assert default_workers(cpus, available) == default


def test_memory_bounds_the_count() -> None:
    available = MEMORY_RESERVE + 3 * MEMORY_PER_WORKER
    assert max_workers(16, available) == 3
    assert default_workers(16, available) == 3
    assert max_workers(16, available - 1) == 2


def test_real_machine_counts_are_sane() -> None:
    assert 1 <= default_workers() <= max_workers() <= HARD_MAX_WORKERS
