"""How long the controller's loop sleeps: until the earliest deadline still ahead, never 0, at most a cap."""

from __future__ import annotations

import pytest

from po_downloader.engine.run.deadlines import MAX_WAIT, backoff_deadline, loop_timeout


def test_sleeps_until_the_earliest_deadline_ahead() -> None:
    assert loop_timeout(10.0, [10.4, None, 10.2, 30.0]) == pytest.approx(0.2)


def test_nothing_to_wait_for_sleeps_the_longest() -> None:
    assert loop_timeout(10.0, []) == MAX_WAIT
    assert loop_timeout(10.0, [None, None]) == MAX_WAIT
    assert loop_timeout(10.0, [99.0], max_wait=3.0) == 3.0


def test_a_deadline_already_due_never_makes_it_spin() -> None:
    """Due means acted on in the pass that just ran; what follows comes through a pipe."""
    assert loop_timeout(10.0, [9.0, 10.0]) == MAX_WAIT
    assert loop_timeout(10.0, [9.0, 10.5]) == pytest.approx(0.5)
    assert loop_timeout(10.0, [10.0000001]) > 0


def test_a_backoff_matters_only_with_a_free_worker_while_handing_out() -> None:
    assert backoff_deadline(12.0, worker_free=True, handing_out=True) == 12.0
    assert backoff_deadline(12.0, worker_free=False, handing_out=True) is None, "every worker busy"
    assert backoff_deadline(12.0, worker_free=True, handing_out=False) is None, "paused"
    assert backoff_deadline(None, worker_free=True, handing_out=True) is None
