"""Resource governor: step down under load, hysteresis, cooldown, recovery; default/max worker counts."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace

import psutil
import pytest

from po_downloader.engine.run.governor import (
    HARD_MAX_WORKERS,
    MEMORY_PER_WORKER,
    MEMORY_RESERVE,
    CpuClock,
    Decision,
    Governor,
    OthersLoad,
    ProcTimes,
    Reading,
    default_workers,
    max_workers,
    others_percent,
    own_cpu_seconds,
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
    assert "other programs' CPU 95% > 80%" in d.reason and "3 of 4" in d.reason
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


# ---------------------------------------------------------------- whose CPU counts: other programs' only

T0 = 1000.0  # epoch seconds of the earlier sample


def test_our_processes_cpu_is_the_difference_between_samples() -> None:
    before = {10: ProcTimes(T0 - 50, 3.0), 11: ProcTimes(T0 - 40, 1.0)}
    after = {10: ProcTimes(T0 - 50, 4.5), 11: ProcTimes(T0 - 40, 1.25)}
    assert own_cpu_seconds(before, after, T0) == pytest.approx(1.75)


def test_a_process_started_since_the_last_sample_counts_whole() -> None:
    """A browser that started between two samples: all its start-up CPU is ours."""
    after = {20: ProcTimes(T0 + 0.3, 0.8)}
    assert own_cpu_seconds({}, after, T0) == pytest.approx(0.8)


def test_an_older_process_first_seen_now_only_sets_its_baseline() -> None:
    """Its CPU may be from long ago: counting it would hide other programs' load."""
    after = {30: ProcTimes(T0 - 100, 50.0)}
    assert own_cpu_seconds({}, after, T0) == 0.0


def test_a_reused_pid_is_another_process() -> None:
    before = {40: ProcTimes(T0 - 100, 50.0)}
    after = {40: ProcTimes(T0 + 0.5, 0.4)}  # the old one exited, a new one of ours got its PID
    assert own_cpu_seconds(before, after, T0) == pytest.approx(0.4)


def test_other_programs_cpu_is_the_machines_minus_ours() -> None:
    # 2 cores, 1 s: 2 CPU seconds in all, 1.8 busy, 1.5 of them ours.
    before, after = CpuClock(100.0, 40.0), CpuClock(102.0, 41.8)
    assert others_percent(before, after, own_seconds=1.5) == pytest.approx(15.0)
    assert others_percent(before, after, own_seconds=0.0) == pytest.approx(90.0)
    assert others_percent(before, after, own_seconds=5.0) == 0.0  # never below zero
    assert others_percent(before, before, own_seconds=0.0) == 0.0  # no time passed


def test_our_own_start_up_load_does_not_hold_workers_back() -> None:
    """The issue's case: the machine at 87 % only because our browsers start; other programs use 10 %."""
    g = make()
    before, after = CpuClock(0.0, 0.0), CpuClock(2.0, 1.74)
    others = others_percent(before, after, own_seconds=1.54)
    d = feed(g, Reading(cpu=others, memory=50.0), 0.0, requested=2)
    assert (d.limit, d.changed) == (None, False)
    # Without subtracting ours the same machine would have stepped down: the rule is what keeps 2 workers.
    d = feed(make(), Reading(cpu=others_percent(before, after, 0.0), memory=50.0), 0.0, requested=2)
    assert (d.limit, d.changed) == (1, True)


def test_other_programs_load_still_steps_down() -> None:
    """The desktop is still protected: another program's 90 % counts whatever ours is."""
    before, after = CpuClock(0.0, 0.0), CpuClock(2.0, 1.95)
    others = others_percent(before, after, own_seconds=0.15)
    d = feed(make(), Reading(cpu=others, memory=50.0), 0.0, requested=4)
    assert (d.limit, d.changed) == (3, True)


SPIN_UNDER_A_PARENT = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'while True: pass'])"


def test_others_load_takes_our_process_trees_cpu_out_of_the_machines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the real process table: a worker-like root whose grandchild spins. The machine's clock is
    scripted (others use exactly 1 of 2 CPU seconds besides ours), so the reading must be 50 % once the
    grandchild's real CPU is taken out; without that it would read 50 % plus the grandchild's share."""
    root = subprocess.Popen([sys.executable, "-c", SPIN_UNDER_A_PARENT])
    try:
        deadline = time.monotonic() + 30
        while not (kids := psutil.Process(root.pid).children()) and time.monotonic() < deadline:
            time.sleep(0.05)
        spinner = kids[0]
        spinner.suspend()  # still while either side samples it: the two see the same CPU seconds
        clocks = iter([CpuClock(0.0, 0.0)])
        monkeypatch.setattr("po_downloader.engine.run.governor._cpu_clock", lambda: next(clocks))
        load = OthersLoad(lambda: [root.pid])
        before = sum(spinner.cpu_times()[:2])
        spinner.resume()
        time.sleep(1.5)
        spinner.suspend()
        spun = sum(spinner.cpu_times()[:2]) - before
        clocks = iter([CpuClock(2.0, 1.0 + spun)])
        reading = load()
        assert spun > 0.1  # it did spin (even on a busy machine)
        assert reading.cpu == pytest.approx(50.0, abs=3.0)  # this process's own sampling is in the slack
        assert 0.0 < reading.memory <= 100.0
    finally:
        for proc in psutil.Process(root.pid).children(recursive=True):
            proc.kill()
        root.kill()
        root.wait()


def test_each_decision_names_its_cause_and_load_for_a_translated_window() -> None:
    g = make()
    d = feed(g, HOT, 0.0, requested=3)
    assert (d.cause, d.percent) == ("cpu", HOT.cpu)
    event = d.told(2, 3)
    assert (event.target, event.requested, event.reason, event.cause, event.percent) == (
        2,
        3,
        d.reason,
        "cpu",
        HOT.cpu,
    )
    d = feed(g, CALM, 20.0, requested=3)
    assert (d.limit, d.cause, d.percent) == (None, "back", CALM.cpu)
    d = feed(make(), FULL, 0.0, requested=3)
    assert (d.cause, d.percent) == ("memory", FULL.memory)
