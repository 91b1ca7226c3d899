"""The scheduler's lookahead: each worker's next PO reserved while it works one, never lost, never twice."""

from __future__ import annotations

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.run.scheduler import Scheduler

POS = [PoNumber(f"1000000{i}") for i in range(1, 9)]


def digits(po: PoNumber | None) -> str | None:
    return po.digits if po is not None else None


def test_a_reserved_po_is_the_next_one_its_worker_takes_and_others_pass_it_by() -> None:
    s = Scheduler(POS[:4])
    [(w, task, ahead)] = s.hand_out([1], [1], 0.0)
    assert (w, task.po, ahead) == (1, POS[0], POS[1])
    [(_, task2, ahead2)] = s.hand_out([2], [1, 2], 0.0)
    assert (task2.po, ahead2) == (POS[2], POS[3]), "worker 2 passes the PO reserved for worker 1"
    s.finish(POS[0], PoStatus.COMPLETED)
    [(_, task3, ahead3)] = s.hand_out([1], [1, 2], 0.0)
    assert (task3.po, ahead3) == (POS[1], None)


def test_a_reserved_po_stays_pending_not_in_flight() -> None:
    s = Scheduler(POS[:2])
    s.hand_out([1], [1], 0.0)
    assert s.reserved_for(1) == POS[1]
    assert s.status(POS[1]) is PoStatus.PENDING
    assert (s.in_flight, s.pending) == (1, 1)
    s.finish(POS[0], PoStatus.COMPLETED)
    assert not s.finished(), "a reserved PO is still work to do"


def test_workers_without_a_po_keep_the_first_ones_so_pos_start_in_the_queues_order() -> None:
    s = Scheduler(POS[:6])
    # Worker 1 is ready first; worker 2 is still starting: PO 2 is left for it, PO 3 reserved.
    [(_, task, ahead)] = s.hand_out([1], [1, 2], 0.0)
    assert (task.po, ahead) == (POS[0], POS[2])
    [(_, task2, ahead2)] = s.hand_out([2], [1, 2], 0.0)
    assert (task2.po, ahead2) == (POS[1], POS[3])


def test_an_idle_worker_takes_a_po_reserved_for_another_rather_than_wait_at_the_tail() -> None:
    s = Scheduler(POS[:2])
    s.hand_out([1], [1], 0.0)
    assert s.reserved_for(1) == POS[1]
    [(_, task, ahead)] = s.hand_out([2], [1, 2], 0.0)
    assert (task.po, ahead) == (POS[1], None)
    assert s.reserved_for(1) is None, "the reservation went with the PO"
    s.finish(POS[0], PoStatus.COMPLETED)
    assert s.hand_out([1], [1, 2], 0.0) == [], "worker 1 gets nothing: the PO is worked once"


def test_dropped_reservations_give_the_po_back_to_any_worker() -> None:
    s = Scheduler(POS[:3])
    s.hand_out([1], [1, 2], 0.0, ahead=True)
    reserved = s.reserved_for(1)
    assert reserved is not None
    s.keep_reservations([])  # worker 1 died, retired, or the batch paused
    assert s.reserved_for(1) is None
    taken = [task.po for _, task, _ in s.hand_out([2], [2], 0.0, ahead=False)]
    taken += [task.po for _, task, _ in s.hand_out([3], [2, 3], 0.0, ahead=False)]
    assert reserved in taken


def test_keep_reservations_keeps_those_of_the_workers_named() -> None:
    s = Scheduler(POS[:6])
    s.hand_out([1, 2], [1, 2], 0.0)
    before = (s.reserved_for(1), s.reserved_for(2))
    s.keep_reservations([2])
    assert (s.reserved_for(1), s.reserved_for(2)) == (None, before[1])


def test_without_lookahead_nothing_is_reserved() -> None:
    s = Scheduler(POS[:4])
    given = s.hand_out([1, 2], [1, 2], 0.0, ahead=False)
    assert [(w, t.po, a) for w, t, a in given] == [(1, POS[0], None), (2, POS[1], None)]
    assert s.reserved_for(1) is None and s.reserved_for(2) is None


def test_a_po_in_its_backoff_is_not_reserved_and_a_po_avoiding_the_worker_is_left_to_others() -> None:
    s = Scheduler(POS[:3], backoff_base=10.0)
    [(_, first, _)] = s.hand_out([1], [1], 0.0, ahead=False)
    s.fail(first.po, 1, 0.0, "boom")  # back in the queue, waiting out its backoff, avoiding worker 1
    [(_, task, ahead)] = s.hand_out([1], [1], 1.0)
    assert (task.po, ahead) == (POS[1], POS[2]), "the PO in its backoff is passed by"
    s.finish(POS[1], PoStatus.COMPLETED)
    # Past its backoff the failed PO is free again, but it avoids worker 1 while worker 2 exists.
    assert s.reserve(1, 100.0, other_workers=1) == POS[2]
    assert s.reserve(2, 100.0, other_workers=1) == first.po
    assert digits(s.reserved_for(1)) == POS[2].digits


def test_every_po_is_worked_exactly_once_however_workers_come_and_go() -> None:
    s = Scheduler(POS)
    worked: list[PoNumber] = []
    active = [1, 2, 3]
    for step in range(40):
        idle = [w for w in active if s.held_by(w) is None]
        for _w, task, _ in s.hand_out(idle, active, float(step)):
            worked.append(task.po)
        if step == 2:  # worker 2 dies holding a reservation; its PO goes back
            held = s.held_by(2)
            if held is not None:
                s.fail(held, 2, float(step), "died")
            active = [1, 3]
            s.keep_reservations(active)
        for w in active:
            held = s.held_by(w)
            if held is not None and (step + w) % 2:
                s.finish(held, PoStatus.COMPLETED)
        if s.finished():
            break
    assert s.finished()
    assert {p.digits for p in worked} == {p.digits for p in POS}
    assert all(s.status(p) is PoStatus.COMPLETED for p in POS)
    assert len(worked) - len(POS) <= 1, "only the PO the dead worker held is worked again"
